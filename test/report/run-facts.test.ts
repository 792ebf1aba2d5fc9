/**
 * The run's facts every format opens with (report/bookkeeping/run-facts.ts): the collection window
 * is compared as instants, whatever zone each snapshot wrote; a CI run is named only when the
 * environment said one; a report made before a fact was recorded says so rather than inventing it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DigestBuilder } from "../../src/report/bookkeeping/digest";
import { NOT_RECORDED, runFactRows, runFacts, type RunFactsSource } from "../../src/report/bookkeeping/run-facts";
import { countStatuses } from "../../src/model/totals";

test("the collection window is the earliest and latest collectedAt as instants, each kept as written", () => {
  const digest = new DigestBuilder(3);
  const host = (name: string, collectedAt: string) => ({ name, snapshot: { collectedAt } });
  digest.add({ hosts: [host("a", "2026-11-20T09:00:00Z"), host("b", "2026-11-20T10:30:00+02:00")], clusters: [], results: [] });
  digest.add({ hosts: [host("c", "2026-11-20T09:00:01.500Z")], clusters: [], results: [] });
  const end = digest.finish({ tool: { name: "hostproof", version: "9.9.9" }, inventoryFile: "inv.yaml", startedAt: "s", finishedAt: "f", asOf: "2026-11-22", failOn: "any", verdict: "compliant", exitCode: 0, totals: countStatuses([]), controls: [], timings: { loadMs: 0, judgeMs: 0, writeMs: 0, reportMs: 0 } }, { hosts: 3, clusters: 0 }, []);
  // 10:30+02:00 is 08:30Z: the earliest, though it sorts last as text.
  assert.deepEqual(end.collected, { earliest: "2026-11-20T10:30:00+02:00", latest: "2026-11-20T09:00:01.500Z" });
});

const source = (over: Partial<RunFactsSource> = {}): RunFactsSource => ({
  digest: { verdict: "non-compliant", exitCode: 1, failOn: "high", asOf: "2026-11-22", tool: { name: "hostproof", version: "1.2.3" }, startedAt: "2026-11-22T10:00:00Z", finishedAt: "2026-11-22T10:01:00Z", inventoryFile: "inv.yaml", waivers: { file: "w.yaml", warnDays: 30, waivers: [], notices: [] } },
  environment: { "run.by": "ana@ci-7", "inventory.sha256": "a".repeat(64), "waivers.sha256": "b".repeat(64), "features.sha256": "c".repeat(64), "features.commit": "d".repeat(40), "features.modified": "no" },
  ...over,
});

test("the facts name the CI run from the executor, and only a CI one", () => {
  const ci = runFactRows(runFacts(source({ executor: { name: "Jenkins", type: "jenkins", url: "https://ci", buildName: "nightly #5", buildUrl: "https://ci/job/nightly/5/" } })));
  assert.deepEqual(ci.find(([k]) => k === "CI run"), ["CI run", "Jenkins · nightly #5 · https://ci/job/nightly/5/"]);
  const local = runFactRows(runFacts(source({ executor: { name: "hostproof (local run)", type: "local", buildName: "ana@laptop" } })));
  assert.equal(local.find(([k]) => k === "CI run"), undefined);
  assert.deepEqual(local.slice(0, 4), [
    ["verdict", "NON-COMPLIANT (exit code 1; fails on high)"],
    ["as of", "2026-11-22"],
    ["hostproof", "1.2.3"],
    ["run by", "ana@ci-7"],
  ]);
  assert.deepEqual(local.find(([k]) => k === "waivers"), ["waivers", `w.yaml · SHA-256 ${"b".repeat(64)}`]);
});

test("a fact an earlier hostproof did not record reads as not recorded; a merged report lists its shards", () => {
  const rows = runFactRows(runFacts(source({ environment: {}, shards: [{ shard: "1/2", manifestSha256: "e".repeat(64), report: "../s1" }, { shard: "2/2", manifestSha256: "f".repeat(64), report: "../s2" }] })));
  const get = (k: string): string | undefined => rows.find(([key]) => key === k)?.[1];
  assert.equal(get("run by"), NOT_RECORDED);
  assert.equal(get("inventory"), `inv.yaml · SHA-256 ${NOT_RECORDED}`);
  assert.equal(get("waivers"), `w.yaml · SHA-256 ${NOT_RECORDED}`);
  assert.equal(get("hosts read"), "(no host)");
  assert.equal(get("shard 1/2"), `../s1 · manifest SHA-256 ${"e".repeat(64)}`);
  assert.equal(get("shard 2/2"), `../s2 · manifest SHA-256 ${"f".repeat(64)}`);
});
