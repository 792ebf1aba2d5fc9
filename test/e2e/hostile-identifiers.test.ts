/**
 * Identifiers in the inputs compare as their consumers compare them (issue 18): waiver ids without
 * case (W-1 and w-1 are one id to every reader), host and cluster names as Windows compares them.
 * A waiver whose scope would cover nothing while its author believes it applies (a cluster named
 * as a host, a short name for a host the inventory names in full) is refused, never left to match
 * nothing. Through the real CLI, on the demo estate.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, DEMO, readJson, spawnCli, tempDir } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

function waiver(id: string, controlId: string, scope: string): string {
  return `  - id: ${id}\n    controlId: ${controlId}\n    scope: ${scope}\n    justification: accepted\n    approver: Dana Whitfield, Head of Infrastructure Security\n    reference: CHG-1\n    expires: 2030-06-30\n`;
}

function waiverFile(...entries: string[]): string {
  const file = join(tempDir(), "waivers.yaml");
  writeFileSync(file, `version: 1\nwaivers:\n${entries.join("")}`);
  return file;
}

function run(waivers: string, out = join(tempDir(), "out")) {
  return { out, res: spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history", "--waivers", waivers]) };
}

test("waiver ids A and a are one id: run and validate refuse the second, naming both lines", () => {
  const file = waiverFile(waiver("A", "HP-EOS-001", "{ host: legacy2003 }"), waiver("a", "HP-NIC-001", "{ host: fs01 }"));
  const line = "waivers.yaml:10: waivers[1].id: the id 'a' is used twice (first at waivers[0], line 3, as 'A'). Give every waiver its own id, or leave it out; ids are compared without regard to case.";
  const { res } = run(file);
  assert.equal(res.code, 3, res.stderr);
  assert.ok(res.stderr.split("\n").some((l) => l.endsWith(line)), res.stderr);
  const validated = spawnCli(["validate", file]);
  assert.equal(validated.code, 3, validated.stderr);
  assert.ok(validated.stderr.split("\n").some((l) => l.endsWith(line)), validated.stderr);
});

test("a waiver for LEGACY2003 covers host legacy2003, as Windows compares names", () => {
  const { out, res } = run(waiverFile(waiver("W-1", "HP-EOS-001", "{ host: LEGACY2003 }")));
  assert.notEqual(res.code, 3, res.stderr);
  const summary = readJson<Summary>(join(out, "summary.json"));
  assert.equal(summary.results.find((r) => r.controlId === "HP-EOS-001" && r.target.name === "legacy2003")?.status, "waived");
});

test("a scope naming a cluster as a host, or a host as a cluster, is refused with the scope to write", () => {
  const { res } = run(waiverFile(waiver("W-1", "HP-CLU-004", "{ host: WGCLUS }"), waiver("W-2", "HP-EOS-001", "{ cluster: legacy2003 }")));
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /waivers\.yaml:5: waivers\[0\]\.scope: 'WGCLUS' is a cluster of the inventory, not a host: this waiver would cover nothing\. Write scope: \{ cluster: wgclus \}\./);
  assert.match(res.stderr, /waivers\.yaml:12: waivers\[1\]\.scope: 'legacy2003' is a host of the inventory, not a cluster: this waiver would cover nothing\. Write scope: \{ host: legacy2003 \}\./);
});

test("a host named in full where the inventory has its short name is refused, naming the inventory's", () => {
  const { res } = run(waiverFile(waiver("W-1", "HP-EOS-003", "{ host: app2016.contoso.test }")));
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /waivers\[0\]\.scope: the inventory has no host 'app2016\.contoso\.test', but has 'app2016': this waiver would cover nothing\. Write the name as the inventory does: scope: \{ host: app2016 \}\./);
});

test("a host found nowhere in the inventory stays a notice: one waiver file may serve several estates", () => {
  const { out, res } = run(waiverFile(waiver("W-1", "HP-EOS-003", "{ host: elsewhere01 }")));
  assert.equal(res.code, 1, res.stderr);
  const summary = readJson<Summary>(join(out, "summary.json"));
  assert.deepEqual(summary.waivers?.notices.map((n) => n.kind), ["unmatched"]);
});
