/** The report as audit evidence: manifest and verify, run metadata, summary.md, and drift across runs. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeEstate, buildSnapshot, type EstateSpec } from "../helpers/snapshot-builder";
import { AS_OF, DEMO, readJson, runCli, spawnCli, tempDir } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

test("hostproof verify: intact report exits 0; a tampered snapshot, a removed file or the wrong --expect exit 1", async () => {
  const out = join(tempDir(), "reports");
  const run = await runCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history"]);
  assert.equal(run.code, 1);
  const sha = /Evidence manifest SHA-256\s+([0-9a-f]{64})/.exec(run.stdout)?.[1];
  assert.ok(sha, run.stdout);
  const intact = spawnCli(["verify", out, "--expect", sha]);
  assert.equal(intact.code, 0, intact.stdout + intact.stderr);
  assert.match(intact.stdout, /evidence intact: \d+ files match the manifest/);

  const snap = join(out, "evidence", "snapshots", "wg-node3.json");
  writeFileSync(snap, readFileSync(snap, "utf8").replace('"*VMQ"', '"*VMQ "'));
  const tampered = spawnCli(["verify", out]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stdout + tampered.stderr, /evidence\/snapshots\/wg-node3\.json/);
  assert.match(tampered.stdout + tampered.stderr, /modified/);

  const wrong = spawnCli(["verify", out, "--expect", "0".repeat(64)]);
  assert.equal(wrong.code, 1);
  assert.equal(spawnCli(["verify", join(out, "nope")]).code, 3);
});

test("run metadata: environment (features commit, inventory hash, who, when), executor from the CI variables, summary.md", () => {
  const out = join(tempDir(), "reports");
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTIONS: "true", GITHUB_SERVER_URL: "https://github.example", GITHUB_REPOSITORY: "contoso/estate", GITHUB_RUN_ID: "4242", GITHUB_RUN_NUMBER: "17", GITHUB_WORKFLOW: "compliance" };
  for (const k of ["TF_BUILD", "GITLAB_CI", "JENKINS_URL"]) delete env[k];
  const res = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history"], undefined, env);
  assert.equal(res.code, 1, res.stderr);
  const props = readFileSync(join(out, "allure-results", "environment.properties"), "utf8");
  for (const key of ["hostproof.version", "features.commit", "inventory.sha256", "run.by", "run.started"]) assert.match(props, new RegExp(`^${key.replace(".", "\\.")}\\s*=`, "m"), key);
  const executor = readJson<{ type: string; buildOrder: number; buildUrl: string }>(join(out, "allure-results", "executor.json"));
  assert.equal(executor.type, "github");
  assert.equal(executor.buildOrder, 17);
  assert.match(executor.buildUrl, /contoso\/estate\/actions\/runs\/4242/);
  const md = readFileSync(join(out, "summary.md"), "utf8");
  assert.match(md, /\| *wg-node3/);
  assert.match(md, /HP-NIC-001/);
});

test("drift: the second run lists what is newly failing, newly fixed, new hosts and hosts gone", async () => {
  const dir = tempDir();
  const history = join(dir, "history");
  const spec: EstateSpec = { hosts: [{ name: "a" }, { name: "b", latfp: 1 }, { name: "c" }] };
  const inventory = writeEstate(dir, spec);
  const first = await runCli(["run", "-i", inventory, "-o", join(dir, "r1"), "--as-of", AS_OF, "--no-html", "--history", history, "--tags", "@HP-UAC-001"]);
  assert.equal(first.code, 1, first.stdout);
  assert.equal(readJson<Summary>(join(dir, "r1", "summary.json")).drift?.compared, false);

  // b is remedied, a drifts, c is decommissioned and d is new.
  writeFileSync(join(dir, "snapshots", "a.json"), JSON.stringify(buildSnapshot({ name: "a", latfp: 1 })));
  writeFileSync(join(dir, "snapshots", "b.json"), JSON.stringify(buildSnapshot({ name: "b", latfp: 0 })));
  writeFileSync(join(dir, "snapshots", "d.json"), JSON.stringify(buildSnapshot({ name: "d" })));
  const inv = readJson<{ hosts: { name: string }[] }>(inventory);
  inv.hosts = [...inv.hosts.filter((h) => h.name !== "c"), { ...inv.hosts[0], name: "d", snapshot: "snapshots/d.json" } as { name: string }];
  writeFileSync(inventory, JSON.stringify(inv));

  const second = await runCli(["run", "-i", inventory, "-o", join(dir, "r2"), "--as-of", AS_OF, "--no-html", "--history", history, "--tags", "@HP-UAC-001"]);
  const drift = readJson<Summary>(join(dir, "r2", "summary.json")).drift!;
  assert.equal(drift.compared, true);
  assert.deepEqual(drift.newlyFailing.map((d) => `${d.target.name} ${d.controlId} ${d.was}`), ["a HP-UAC-001 passed"]);
  assert.deepEqual(drift.newlyFixed.map((d) => d.target.name), ["b"]);
  assert.deepEqual(drift.newHosts, ["d"]);
  assert.deepEqual(drift.hostsGone, ["c"]);
  assert.match(second.stdout, /newly failing/i);
  assert.ok(existsSync(join(history, "last-results.json")));
});
