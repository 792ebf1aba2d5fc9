/**
 * The built-in estate-wide controls through `hostproof run`: a waiver of an OU accepts its objects
 * row by row (the terminal, summary.json and verify count them); an expired one does not and says
 * so; a row that claims a waiver it does not have is a contradiction verify finds, though the
 * manifest was made again; and an inventory that states it has no directory makes every
 * directory result not applicable with its reason, never passed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeManifest } from "../../src/evidence/manifest";
import { AS_OF, editJson, goodEstate, joinWrapped, readJson, spawnCli } from "./cli";
import { directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";

const asOf = new Date(`${AS_OF}T00:00:00Z`);
const BASE = "DC=corp,DC=example";

interface Row {
  subject: string;
  outcome: string;
  note?: string;
  waiverIndex?: number;
}
interface Summary {
  results: { controlId: string; target: { kind: string; name: string }; status: string; actual: string; reason?: { kind: string; message: string }; details: Row[] }[];
  waivers: { waivers: { id: string; applied: number; state: string }[]; notices: { kind: string; message: string }[] };
}

function estate(): { dir: string; inventory: string; waivers: string } {
  const { dir, inventory } = goodEstate();
  const directory = join(dir, "directory.json");
  writeFileSync(
    directory,
    directoryText(
      directorySnapshot([
        directoryObject({ name: "n1", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 2 }, asOf),
        directoryObject({ name: "n2", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 2 }, asOf),
        directoryObject({ name: "DC02", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 1, ou: "OU=Domain Controllers" }, asOf),
        directoryObject({ name: "LAB1", os: "Windows Server 2019 Standard", version: "10.0 (17763)", seenDaysAgo: 1, ou: "OU=Lab" }, asOf),
      ]),
    ),
  );
  editJson(inventory, (v) => {
    v.directory = "directory.json";
  });
  const waivers = join(dir, "waivers.yaml");
  writeFileSync(
    waivers,
    [
      "version: 1",
      "waivers:",
      "  - id: W-DC",
      "    controlId: HP-DIR-002",
      `    scope: { directory: "ou=domain controllers, ${BASE}" }`,
      "    justification: audited by the directory team",
      "    approver: CISO",
      "    reference: ADSEC-1",
      "    expires: 2027-06-30",
      "  - id: W-LAB",
      "    controlId: HP-DIR-002",
      `    scope: { directory: "OU=Lab,${BASE}" }`,
      "    justification: lab, isolated",
      "    approver: CISO",
      "    reference: LAB-1",
      "    expires: 2026-11-01",
      "",
    ].join("\n"),
  );
  return { dir, inventory, waivers };
}

function run(e: ReturnType<typeof estate>, out: string, extra: string[] = []): { code: number; stdout: string; summary: Summary } {
  const res = spawnCli(["run", "-i", e.inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history", "--tags", "@directory", ...extra], e.dir);
  assert.ok(res.code === 1 || res.code === 0 || res.code === 2, `exit ${res.code}: ${res.stderr}`);
  return { code: res.code, stdout: res.stdout, summary: readJson<Summary>(join(e.dir, out, "summary.json")) };
}

const audited = (s: Summary) => s.results.find((r) => r.controlId === "HP-DIR-002")!;

test("an OU's waiver accepts its objects row by row, counted as applied; an expired one does not, and the row says so; verify agrees", () => {
  const e = estate();
  const { code, stdout, summary } = run(e, "r", ["--waivers", e.waivers]);
  assert.equal(code, 1, stdout);
  const rows = audited(summary).details;
  const dc = rows.find((r) => r.subject === "DC02")!;
  assert.equal(dc.outcome, "allowed");
  assert.equal(dc.waiverIndex, 0);
  assert.match(dc.note!, /^CN=DC02,OU=Domain Controllers,DC=corp,DC=example; .*; waived by W-DC: audited by the directory team/);
  const lab = rows.find((r) => r.subject === "LAB1")!;
  assert.equal(lab.outcome, "deviation", "an expired waiver accepts nothing");
  assert.match(lab.note!, /waiver W-LAB expired at the end of 2026-11-01 UTC and no longer applies/);
  assert.equal(audited(summary).status, "failed");
  assert.deepEqual(summary.waivers.waivers.map((w) => [w.id, w.applied, w.state]), [["W-DC", 1, "active"], ["W-LAB", 0, "expired"]]);
  assert.match(joinWrapped(stdout), /Waivers \(waivers\.yaml\): 2 in the file, 1 applied, 0 results waived, 1 directory object accepted/);
  assert.match(joinWrapped(stdout), /W W-DC \(HP-DIR-002 on directory objects under ou=domain controllers, DC=corp,DC=example\): 1 directory object waived/);
  const verified = spawnCli(["verify", "r"], e.dir);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

test("verify finds a row that claims a waiver it does not have, or one that had expired, though the manifest was made again", () => {
  const e = estate();
  run(e, "r", ["--waivers", e.waivers]);
  const file = join(e.dir, "r", "summary.json");
  const original = readFileSync(file, "utf8");
  // summary.json holds a result per line: the HP-DIR-002 line is edited and written back in place.
  const forge = (edit: (r: Summary["results"][number]) => void): string => {
    const lines = original.split("\n");
    const at = lines.findIndex((l) => l.includes('"controlId":"HP-DIR-002"'));
    assert.ok(at > 0, "the premise: summary.json has the HP-DIR-002 result on a line of its own");
    const comma = lines[at]!.trimEnd().endsWith(",");
    const result = JSON.parse(lines[at]!.trim().replace(/,$/, "")) as Summary["results"][number];
    edit(result);
    lines[at] = `${lines[at]!.match(/^\s*/)![0]}${JSON.stringify(result)}${comma ? "," : ""}`;
    writeFileSync(file, lines.join("\n"));
    writeManifest(join(e.dir, "r"));
    const verified = spawnCli(["verify", "r"], e.dir);
    assert.notEqual(verified.code, 0, verified.stdout);
    return verified.stdout + verified.stderr;
  };
  // The lab object made "allowed" under its expired waiver.
  assert.match(
    forge((result) => {
      const lab = result.details.find((r) => r.subject === "LAB1")!;
      lab.outcome = "allowed";
      lab.waiverIndex = 1;
    }),
    /details\[\d\]\.outcome[\s\S]*waivers\[1\] expired at the end of 2026-11-01/,
  );
  // The lab object made "allowed" under the domain controllers' waiver, which does not cover it.
  assert.match(
    forge((result) => {
      const lab = result.details.find((r) => r.subject === "LAB1")!;
      lab.outcome = "allowed";
      lab.waiverIndex = 0;
    }),
    /a waiver covering the row's object CN=LAB1,OU=Lab,DC=corp,DC=example/,
  );
});

test("an inventory that states it has no directory: every directory result is not applicable with its reason; without the statement, undetermined", () => {
  const e = estate();
  editJson(e.inventory, (v) => {
    v.directory = { none: "workgroup estate: the nodes are in no domain" };
  });
  const stated = run(e, "none");
  assert.equal(stated.code, 0, stated.stdout);
  const ids = stated.summary.results.map((r) => `${r.controlId} ${r.target.kind} ${r.status}`).sort();
  assert.deepEqual(ids, ["HP-DIR-001 directory notApplicable", "HP-DIR-002 directory notApplicable", "HP-DIR-003 host notApplicable", "HP-DIR-003 host notApplicable"]);
  for (const r of stated.summary.results) assert.match(r.reason!.message, /the inventory states the estate has no directory: workgroup estate: the nodes are in no domain/);
  editJson(e.inventory, (v) => {
    delete v.directory;
  });
  const silent = run(e, "silent");
  assert.equal(silent.code, 2, silent.stdout);
  assert.deepEqual([...new Set(silent.summary.results.map((r) => r.status))], ["undetermined"]);
});
