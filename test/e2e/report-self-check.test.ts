/**
 * A report that contradicts its own results, its manifest made again to match (what anyone who can
 * write the folder can do): verify says so (exit 1) for a plain report, a shard and a merged report,
 * and merge refuses such a shard (exit 3), each naming the file, the field, the value stated and
 * the value the results give.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { verifyReport, writeManifest } from "../../src/evidence/manifest";
import type { Summary, SummaryResult } from "../../src/report/formats/summary";
import { DEMO, spawnCli, tempDir } from "./cli";

const WAIVERS = join(DEMO, "..", "waivers.yaml");
const AS_OF = "2026-11-30";
const BASE = { failOn: "high" as const, asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false as const, waivers: WAIVERS };
type Doc = Summary & Record<string, unknown>;

const members = (value: object): string => JSON.stringify(value, null, 2).slice(2, -2);

/**
 * A forger's edit of summary.json, written back in the layout hostproof writes (results one per
 * line), then the manifest made again so that every file matches it.
 */
async function forgeSummary(dir: string, edit: (s: Doc) => void, also?: (dir: string) => void): Promise<void> {
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Doc;
  edit(s);
  const { schemaVersion, tool, estate, inventoryFile, startedAt, asOf, tags, failOn, results, ...tail } = s;
  const head = { schemaVersion, tool, ...(estate !== undefined ? { estate } : {}), inventoryFile, startedAt, asOf, ...(tags !== undefined ? { tags } : {}), failOn };
  const lines = results.map((r) => `    ${JSON.stringify(r)}`).join(",\n");
  writeFileSync(join(dir, "summary.json"), `{\n${members(head)},\n  "results": [${results.length === 0 ? "]" : `\n${lines}\n  ]`},\n${members(tail)}\n}\n`);
  also?.(dir);
  writeManifest(dir);
  assert.deepEqual((await verifyReport(dir, dir, { selfCheck: false })).problems, [], "the forgery matches its manifest");
}

function forgeRecord(dir: string, edit: (r: { controls: { id: string; severity: string }[]; head: Record<string, unknown> }) => void): void {
  const file = join(dir, "evidence", "shard.json");
  const r = JSON.parse(readFileSync(file, "utf8")) as Parameters<typeof edit>[0];
  edit(r);
  writeFileSync(file, JSON.stringify(r, null, 1));
  writeManifest(dir);
}

const firstFailed = (s: Doc): SummaryResult => s.results.find((r) => r.status === "failed" && r.waiver === undefined)!;

/** Each forgery, and what verify and merge must name: the field, the value stated, the value the results give. */
const FORGERIES: [string, (s: Doc) => void, RegExp][] = [
  ["the verdict and exit code softened", (s) => Object.assign(s, { verdict: "compliant", exitCode: 0 }), /summary\.json: verdict: states compliant, its results give non-compliant \(with --fail-on high\)/],
  ["a failure taken out of the totals", (s) => Object.assign(s.totals, { failed: s.totals.failed - 1, passed: s.totals.passed + 1 }), /summary\.json: totals\.failed: states \d+, its results give \d+/],
  ["the critical failures uncounted", (s) => (s.totalsBySeverity.critical = 0), /summary\.json: totalsBySeverity\.critical: states 0, its results give [1-9]/],
  ["a result's severity lowered", (s) => (firstFailed(s).severity = firstFailed(s).severity === "low" ? "medium" : "low"), /summary\.json: results\[\d+\]\.severity: states (low|medium), its results give/],
  [
    "a failure waived by a waiver of another control",
    (s) => {
      const r = firstFailed(s);
      const w = s.waivers!.waivers[0]!;
      r.status = "waived";
      r.waiver = { id: w.id, controlId: w.controlId, scope: w.scope, justification: w.justification, approver: w.approver, reference: w.reference, expires: w.expires, index: 0, runControl: w.runControl, originalStatus: "failed" };
      s.totals.failed -= 1;
      s.totals.waived += 1;
      s.totalsBySeverity[r.severity] -= 1;
      s.waivers!.waivers[0]!.applied += 1;
    },
    /summary\.json: results\[\d+\]\.status: states waived, its results give failed \(its waivers applied to failed\)/,
  ],
  ["a waiver's use overstated", (s) => (s.waivers!.waivers[0]!.applied += 1), /summary\.json: waivers\.waivers\[0\]\.applied: states \d+, its results give \d+/],
  ["a result of a host it does not list", (s) => (firstFailed(s).target.name = "ghost01"), /summary\.json: results \(host ghost01\): results of host ghost01, which the report does not list/],
];

test("verify finds a plain report that contradicts its own results, manifest and all (exit 1), and names file, field and both values", async () => {
  const dir = tempDir();
  await runEstate({ ...BASE, inventory: DEMO, out: join(dir, "whole") });
  const intact = spawnCli(["verify", "whole"], dir);
  assert.equal(intact.code, 0, intact.stdout + intact.stderr);
  for (const [what, edit, pattern] of FORGERIES) {
    rmSync(join(dir, "f"), { recursive: true, force: true });
    cpSync(join(dir, "whole"), join(dir, "f"), { recursive: true });
    await forgeSummary(join(dir, "f"), edit);
    const r = spawnCli(["verify", "f"], dir);
    assert.equal(r.code, 1, `${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`✘ contradicts f/${pattern.source}`), what);
    assert.match(r.stdout, /evidence NOT intact: \d+ contradictions? of the report with its own results/, what);
  }
});

test("a summary.json that agrees with itself but not with junit.xml and summary.md: verify names the lines", async () => {
  const dir = tempDir();
  await runEstate({ ...BASE, inventory: DEMO, out: join(dir, "whole") });
  // Every failure passed, every count and the verdict made to match: only the other files still say otherwise.
  await forgeSummary(join(dir, "whole"), (s) => {
    for (const r of s.results) if (r.status === "failed") r.status = "passed";
    Object.assign(s.totals, { passed: s.totals.passed + s.totals.failed, failed: 0 });
    for (const k of Object.keys(s.totalsBySeverity) as (keyof typeof s.totalsBySeverity)[]) s.totalsBySeverity[k] = 0;
    Object.assign(s, { verdict: s.totals.undetermined > 0 ? "undetermined" : "compliant", exitCode: s.totals.undetermined > 0 ? 2 : 0 });
  });
  const r = spawnCli(["verify", "whole"], dir);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /✘ contradicts whole\/junit\.xml: line 2: states "<testsuites name=.* failures=\\"[1-9]\d*\\".*", its results give "<testsuites .* failures=\\"0\\"/);
  assert.match(r.stderr, /✘ contradicts whole\/summary\.md: line 3: states "\*\*Verdict: ❌ NON-COMPLIANT\*\*.*", its results give "\*\*Verdict: ❔ UNDETERMINED\*\*/);
  assert.doesNotMatch(r.stderr, /contradicts whole\/summary\.json/, "summary.json itself agrees with its results");
});

test("merge refuses a shard that contradicts itself (exit 3, nothing written); verify says the same of the shard and of a merged report", async () => {
  const dir = tempDir();
  for (const k of [1, 2]) await runEstate({ ...BASE, inventory: DEMO, out: join(dir, `s${k}`), shard: { index: k, count: 2 } });
  const good = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html", "--exit-zero"], dir);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(spawnCli(["verify", "merged"], dir).code, 0);
  for (const [what, edit, pattern] of FORGERIES) {
    // In a shard, its record places every result before anything else is compared: the slice that wrote it names the host.
    const placed = what === "a result of a host it does not list" ? /summary\.json: results\[\d+\]: a result of HP-[A-Z]+-\d+ names host ghost01, which is not among the hosts and clusters of the slice that wrote it/ : pattern;
    rmSync(join(dir, "f1"), { recursive: true, force: true });
    cpSync(join(dir, "s1"), join(dir, "f1"), { recursive: true });
    await forgeSummary(join(dir, "f1"), edit);
    const r = spawnCli(["merge", "f1", "s2", "-o", "out", "--no-history", "--no-html"], dir);
    assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`✘ f1: the shard does not agree with itself: .*${pattern === placed ? `f1/${pattern.source}` : "a result of HP-[A-Z]+-\\d+ names host ghost01"}`), what);
    assert.ok(!existsSync(join(dir, "out")), `${what}: nothing written`);
    const v = spawnCli(["verify", "f1"], dir);
    assert.equal(v.code, 1, `${what}: ${v.stdout}${v.stderr}`);
    assert.match(v.stderr, new RegExp(`✘ contradicts f1/${placed.source}`), what);

    rmSync(join(dir, "fm"), { recursive: true, force: true });
    cpSync(join(dir, "merged"), join(dir, "fm"), { recursive: true });
    await forgeSummary(join(dir, "fm"), edit);
    const m = spawnCli(["verify", "fm"], dir);
    assert.equal(m.code, 1, `merged, ${what}: ${m.stdout}${m.stderr}`);
    assert.match(m.stderr, new RegExp(`✘ contradicts fm/${pattern.source}`), `merged, ${what}`);
  }
});

test("merge refuses a shard whose record says other than its summary: a control's severity, --fail-on", async () => {
  const dir = tempDir();
  for (const k of [1, 2]) await runEstate({ ...BASE, inventory: DEMO, out: join(dir, `s${k}`), shard: { index: k, count: 2 } });
  const cases: [string, Parameters<typeof forgeRecord>[1], RegExp][] = [
    // The merge takes each control's severity from the record: lowered in every shard, it would soften the gate.
    ["every control critical made low", (r) => r.controls.forEach((c) => c.severity === "critical" && (c.severity = "low")), /evidence\/shard\.json controls\[\d+\]: states HP-[A-Z]+-\d+ \(low\), its results give HP-[A-Z]+-\d+ \(critical\), as f\d\/summary\.json lists it/],
    ["--fail-on made critical", (r) => (r.head.failOn = "critical"), /evidence\/shard\.json head\.failOn: states "critical", its results give "high", as f\d\/summary\.json says/],
  ];
  for (const [what, edit, pattern] of cases) {
    for (const k of [1, 2]) {
      rmSync(join(dir, `f${k}`), { recursive: true, force: true });
      cpSync(join(dir, `s${k}`), join(dir, `f${k}`), { recursive: true });
      forgeRecord(join(dir, `f${k}`), edit);
    }
    const r = spawnCli(["merge", "f1", "f2", "-o", "out", "--no-history", "--no-html"], dir);
    assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, pattern, what);
    assert.ok(!existsSync(join(dir, "out")), `${what}: nothing written`);
    const v = spawnCli(["verify", "f1"], dir);
    assert.equal(v.code, 1, `${what}: ${v.stdout}${v.stderr}`);
    assert.match(v.stderr, pattern, what);
  }
});
