/**
 * Issue 23, wiring step 2: the estate's directory as a target of its own. A control whose Given is
 * "the estate's directory" has exactly one result per run, on the directory named by its domain;
 * without a snapshot that result is undetermined and says so, never passed; in a sharded run only
 * the shard holding the inventory's first host judges it; the report still verifies.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, editJson, goodEstate, readJson, runCli, tempDir } from "./cli";
import { runEstate } from "../../src/engine/run";
import { ACME_DIRECTORY_FEATURE, directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";

const asOf = new Date(`${AS_OF}T00:00:00Z`);

const FEATURE = ACME_DIRECTORY_FEATURE;

interface Summary {
  results: { controlId: string; target: { kind: string; name: string; cluster?: string }; status: string; reason?: { kind: string; message: string }; details?: { subject: string; outcome: string; note?: string }[] }[];
}

function estate(): { dir: string; inventory: string; features: string; directory: string } {
  const { dir, inventory } = goodEstate();
  // Says nothing of a directory (test estates say they have none): --directory or nothing decides.
  editJson(inventory, (v) => {
    delete v.directory;
  });
  const features = join(dir, "acme");
  mkdirSync(features);
  writeFileSync(join(features, "dir.feature"), FEATURE);
  const directory = join(dir, "directory.json");
  writeFileSync(
    directory,
    directoryText(
      directorySnapshot([
        directoryObject({ name: "n1", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 2 }, asOf),
        directoryObject({ name: "OLD2003", os: "Windows Server 2003", version: "5.2 (3790)", seenDaysAgo: 5, ou: "OU=Legacy" }, asOf),
      ]),
    ),
  );
  return { dir, inventory, features, directory };
}

async function run(e: ReturnType<typeof estate>, extra: string[]): Promise<{ code: number; out: string; summary: Summary; stderr: string }> {
  const out = join(tempDir(), "r");
  const res = await runCli(["run", "-i", e.inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history", "--features", e.features, "--no-builtin", ...extra]);
  assert.ok(res.code <= 2, `exit ${res.code}: ${res.stderr}`);
  return { code: res.code, out, summary: readJson<Summary>(join(out, "summary.json")), stderr: res.stderr };
}

test("a directory control judges the estate's directory once, named by its domain; the 2003 object fails it with its DN; the report verifies", async () => {
  const e = estate();
  const r = await run(e, ["--directory", e.directory]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.summary.results.length, 1, "one result: the directory, not a result per host");
  const [only] = r.summary.results;
  assert.deepEqual(only!.target, { kind: "directory", name: "corp.example" });
  assert.equal(only!.status, "failed");
  const row = only!.details!.find((d) => d.subject === "OLD2003")!;
  assert.equal(row.outcome, "deviation");
  assert.match(row.note!, /^CN=OLD2003,OU=Legacy,DC=corp,DC=example; last logon 2026-11-17/);
  const verified = await runCli(["verify", r.out]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

test("without a directory snapshot the directory control is undetermined, saying none was given; never passed", async () => {
  const r = await run(estate(), []);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.summary.results.length, 1);
  assert.equal(r.summary.results[0]!.status, "undetermined");
  assert.equal(r.summary.results[0]!.target.kind, "directory");
  assert.match(r.summary.results[0]!.reason!.message, /^no directory snapshot was given \(run --directory/);
  assert.equal((await runCli(["verify", r.out])).code, 0);
});

test("sliced and sharded, the directory is judged once: by the slice and shard that hold the inventory's first host", async () => {
  const e = estate();
  // Two standalone hosts, one per slice: the directory result comes from the first slice alone.
  writeFileSync(e.inventory, JSON.stringify({ ...readJson<Record<string, unknown>>(e.inventory), clusters: [] }));
  const out = join(tempDir(), "sliced");
  // One host a slice, judged in worker threads and in this one alike.
  for (const judgeWorkers of [0, 2]) {
    await runEstate({ inventory: e.inventory, out: join(out, String(judgeWorkers)), failOn: "any", asOf, html: false, history: false, sliceHosts: 1, judgeWorkers, features: [e.features], builtin: false, directory: e.directory });
    const sliced = readJson<Summary>(join(out, String(judgeWorkers), "summary.json"));
    assert.deepEqual(sliced.results.filter((x) => x.target.kind === "directory").map((x) => x.status), ["failed"], `${judgeWorkers} workers`);
  }
  const first = await run(e, ["--directory", e.directory, "--shard", "1/2"]);
  const second = await run(e, ["--directory", e.directory, "--shard", "2/2"]);
  assert.equal(first.summary.results.filter((x) => x.target.kind === "directory").length, 1, "shard 1 judges the directory");
  assert.equal(second.summary.results.filter((x) => x.target.kind === "directory").length, 0, "shard 2 leaves it to shard 1");
});

test("the lint refuses a host check after the directory's Given, and a directory check after a host's", async () => {
  const e = estate();
  writeFileSync(join(e.features, "dir.feature"), FEATURE.replace("Then no computer object active in the directory runs a Windows release past its end of extended support", "Then the host does not run Windows Server 2003"));
  const res = await runCli(["run", "-i", e.inventory, "-o", join(tempDir(), "r"), "--as-of", AS_OF, "--no-html", "--features", e.features, "--no-builtin"]);
  assert.equal(res.code, 3, res.stdout + res.stderr);
  assert.match(res.stderr, /dir\.feature/);
  writeFileSync(join(e.features, "dir.feature"), FEATURE.replace("Given the estate's directory", "Given each host"));
  const other = await runCli(["run", "-i", e.inventory, "-o", join(tempDir(), "r"), "--as-of", AS_OF, "--no-html", "--features", e.features, "--no-builtin"]);
  assert.equal(other.code, 3, other.stdout + other.stderr);
});
