/**
 * Issue 23: a sharded run with a directory control, merged. Shard 1 judges the directory and keeps
 * the snapshot; the merge copies it from shard 1 (checked against its manifest and record), lists
 * it in summary.json as one run over the whole estate would, and refuses shards given different
 * snapshots or a directory result from a shard other than 1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeManifest } from "../../src/evidence/manifest";
import { ACME_EOS, AS_OF, goodEstate, readJson, spawnCli, tempDir, writeCompliantEstate } from "./cli";
import { ACME_DIRECTORY_FEATURE, directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";

const asOf = new Date(`${AS_OF}T00:00:00Z`);

const FEATURE = ACME_DIRECTORY_FEATURE;

interface Summary {
  directory?: { name: string; file: string; sha256: string; objects: number; collectedAt: string; finishedAt: string; url: string; base: string };
  results: { controlId: string; target: { kind: string; name: string }; status: string }[];
}

/** Two standalone hosts (one a shard), a host control and a directory control, and a snapshot with a 2003 object. */
function estate(): { dir: string; inventory: string; features: string; directory: string; other: string } {
  const { dir, inventory } = goodEstate();
  writeFileSync(inventory, JSON.stringify({ ...readJson<Record<string, unknown>>(inventory), clusters: [] }));
  const features = join(dir, "acme");
  mkdirSync(features);
  writeFileSync(join(features, "dir.feature"), FEATURE);
  writeFileSync(join(features, "eos.feature"), ACME_EOS.replace("@area:acme", "@area:acme-eos"));
  const objects = [
    directoryObject({ name: "n1", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 2 }, asOf),
    directoryObject({ name: "OLD2003", os: "Windows Server 2003", version: "5.2 (3790)", seenDaysAgo: 5, ou: "OU=Legacy" }, asOf),
  ];
  const directory = join(dir, "directory.json");
  writeFileSync(directory, directoryText(directorySnapshot(objects)));
  const other = join(dir, "other.json");
  writeFileSync(other, directoryText(directorySnapshot(objects.slice(0, 1))));
  return { dir, inventory, features, directory, other };
}

function run(e: ReturnType<typeof estate>, out: string, extra: string[]): void {
  const res = spawnCli(["run", "-i", e.inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history", "--features", e.features, "--no-builtin", ...extra], e.dir);
  // Shard 2's host complies: exit 0; a run holding the directory's 2003 object fails: exit 1.
  assert.ok(res.code === 0 || res.code === 1, `exit ${res.code}: ${res.stderr}`);
}

test("merged shards hold the directory's one result, from shard 1, and its snapshot, listed as one whole run lists it; the report verifies", () => {
  const e = estate();
  run(e, "whole", ["--directory", e.directory]);
  run(e, "s1", ["--directory", e.directory, "--shard", "1/2"]);
  run(e, "s2", ["--directory", e.directory, "--shard", "2/2"]);
  const merged = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html"], e.dir);
  assert.equal(merged.code, 1, merged.stdout + merged.stderr);
  const whole = readJson<Summary>(join(e.dir, "whole", "summary.json"));
  const summary = readJson<Summary>(join(e.dir, "merged", "summary.json"));
  assert.deepEqual(summary.results, whole.results, "the merged results are the whole run's, in its order");
  assert.deepEqual(summary.results.filter((r) => r.target.kind === "directory").map((r) => [r.target.name, r.status]), [["corp.example", "failed"]]);
  const sha256 = createHash("sha256").update(readFileSync(e.directory)).digest("hex");
  assert.deepEqual(summary.directory, { name: "corp.example", file: "evidence/directory/directory.json", sha256, objects: 2, collectedAt: "2026-11-21T18:00:00.000Z", finishedAt: "2026-11-21T18:00:01.234Z", url: "ldaps://dc1.corp.example:636", base: "DC=corp,DC=example" });
  assert.deepEqual(summary.directory, whole.directory);
  assert.deepEqual(readFileSync(join(e.dir, "merged", "evidence", "directory", "directory.json")), readFileSync(e.directory), "the bytes judged, copied from shard 1");
  const verified = spawnCli(["verify", "merged"], e.dir);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

test("a shard other than 1 that holds hosts and a cluster has no directory result, and still verifies alone and merges", () => {
  const e = estate();
  // Two standalone hosts, then a cluster: shard 1 judges them and the directory, shard 2 the cluster and its nodes.
  e.inventory = writeCompliantEstate(tempDir(), {
    hosts: [{ name: "solo1" }, { name: "solo2" }, { name: "n1" }, { name: "n2" }],
    clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }],
  });
  run(e, "whole", ["--directory", e.directory]);
  run(e, "s1", ["--directory", e.directory, "--shard", "1/2"]);
  run(e, "s2", ["--directory", e.directory, "--shard", "2/2"]);
  const s2 = readJson<Summary & { hosts: unknown[]; clusters: unknown[] }>(join(e.dir, "s2", "summary.json"));
  assert.deepEqual([s2.hosts.length, s2.clusters.length], [2, 1], "the premise: shard 2 holds hosts and a cluster");
  assert.deepEqual(s2.results.filter((r) => r.controlId === "ACME-DIR-001"), [], "the premise: shard 2 judges no directory");
  const verified = spawnCli(["verify", "s2"], e.dir);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  const merged = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html"], e.dir);
  assert.equal(merged.code, 1, merged.stdout + merged.stderr);
  assert.deepEqual(readJson<Summary>(join(e.dir, "merged", "summary.json")).results, readJson<Summary>(join(e.dir, "whole", "summary.json")).results);
});

test("verify refuses a summary.json whose directory is not the snapshot the manifest pins", () => {
  const e = estate();
  run(e, "r", ["--directory", e.directory]);
  const file = join(e.dir, "r", "summary.json");
  writeFileSync(file, readFileSync(file, "utf8").replace(/"sha256": "[0-9a-f]{64}"/, `"sha256": "${"0".repeat(64)}"`));
  writeManifest(join(e.dir, "r"));
  const verified = spawnCli(["verify", "r"], e.dir);
  assert.notEqual(verified.code, 0, verified.stdout);
  assert.match(verified.stdout + verified.stderr, /directory/);
});

test("merge refuses (exit 3) shards given different directory snapshots, naming the shard", () => {
  const e = estate();
  run(e, "s1", ["--directory", e.directory, "--shard", "1/2"]);
  run(e, "s2", ["--directory", e.other, "--shard", "2/2"]);
  const merged = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html"], e.dir);
  assert.equal(merged.code, 3, merged.stdout + merged.stderr);
  assert.match(merged.stderr, /s2[\s\S]*directory snapshot \(its SHA-256\)/);
  assert.equal(existsSync(join(e.dir, "merged")), false);
});

test("merge refuses (exit 3) a directory result from a shard other than 1, though its manifest was made again to match", () => {
  const e = estate();
  run(e, "s1", ["--directory", e.directory, "--shard", "1/2"]);
  run(e, "s2", ["--directory", e.directory, "--shard", "2/2"]);
  // Shard 1's directory result copied into shard 2, its record and manifest made to match.
  const take = (shard: string, edit: (results: string[]) => string[]): string[] => {
    const file = join(e.dir, shard, "summary.json");
    const lines = readFileSync(file, "utf8").split("\n");
    const a = lines.findIndex((l) => l.trim() === '"results": [');
    let b = a + 1;
    while (lines[b]!.trim().startsWith("{")) b++;
    const before = lines.slice(a + 1, b).map((l) => l.trim().replace(/,$/, ""));
    const after = edit(before);
    writeFileSync(file, [...lines.slice(0, a + 1), ...after.map((r, i) => `    ${r}${i < after.length - 1 ? "," : ""}`), ...lines.slice(b)].join("\n"));
    const recordFile = join(e.dir, shard, "evidence", "shard.json");
    const record = readJson<{ slices: { results: number }[] }>(recordFile);
    record.slices[record.slices.length - 1]!.results += after.length - before.length;
    writeFileSync(recordFile, JSON.stringify(record, null, 1));
    writeManifest(join(e.dir, shard));
    return before;
  };
  let moved = "";
  const s1 = readFileSync(join(e.dir, "s1", "summary.json"), "utf8").split("\n").map((l) => l.trim().replace(/,$/, ""));
  moved = s1.find((r) => r.includes('"kind":"directory"')) ?? "";
  assert.notEqual(moved, "", "the premise: shard 1 holds the directory result");
  take("s2", (rs) => [...rs, moved]);
  const merged = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html"], e.dir);
  assert.equal(merged.code, 3, merged.stdout + merged.stderr);
  assert.match(merged.stderr, /s2: the shard does not agree with itself: a result of ACME-DIR-001 names directory corp\.example/);
  assert.equal(existsSync(join(e.dir, "merged")), false);
  const verified = spawnCli(["verify", "s2"], e.dir);
  assert.notEqual(verified.code, 0, "verify finds it too");
});
