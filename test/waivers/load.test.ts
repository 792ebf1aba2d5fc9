/** Loading a waiver file: YAML or JSON, the schema, unknown controls and duplicate ids (exit 3 problems). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, formatProblem } from "../../src/errors";
import { loadWaivers } from "../../src/waivers/load";
import { tempDir } from "../e2e/cli";

const IDS = ["HP-CLU-004", "HP-EOS-003", "HP-NIC-001"];

function file(name: string, text: string): string {
  const path = join(tempDir("hostproof-waivers-"), name);
  writeFileSync(path, text);
  return path;
}

function problems(path: string): string[] {
  try {
    loadWaivers(path, "w.yaml", IDS);
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.problems.map(formatProblem);
  }
  assert.fail("expected the file to be refused");
}

const GOOD = `version: 1
waivers:
  - id: W-1
    controlId: HP-CLU-004
    scope: { cluster: wgclus }
    justification: same password set by the build script, attested
    approver: Jane Roe, CISO
    reference: CHG-2211
    expires: 2027-06-30
    runControl: false
  - controlId: HP-EOS-003
    scope: all
    justification: migration planned
    approver: Sam Poe
    reference: MIG-7
    expires: 2027-01-10
`;

test("a YAML file loads; an unquoted YAML date stays the string written", () => {
  const loaded = loadWaivers(file("w.yaml", GOOD), "w.yaml", IDS);
  assert.equal(loaded.waivers.length, 2);
  assert.equal(loaded.waivers[0]!.expires, "2027-06-30");
  assert.deepEqual(loaded.waivers[0]!.scope, { cluster: "wgclus" });
  assert.equal(loaded.waivers[1]!.scope, "all");
  assert.equal(loaded.waivers[1]!.runControl, undefined, "the default is applied when waivers are applied, not by loading");
  assert.equal(loaded.file, "w.yaml");
});

test("a JSON file loads too, and an empty list is valid", () => {
  const json = file("w.json", JSON.stringify({ version: 1, waivers: [{ controlId: "HP-NIC-001", scope: { host: "fs01" }, justification: "j", approver: "a", reference: "r", expires: "2027-01-01" }] }));
  assert.equal(loadWaivers(json, "w.json", IDS).waivers.length, 1);
  assert.deepEqual(loadWaivers(file("e.yaml", "version: 1\nwaivers: []\n"), "e.yaml", IDS).waivers, []);
});

test("schema problems name the line, the field and the fix", () => {
  const noApprover = problems(file("w.yaml", GOOD.replace("    approver: Jane Roe, CISO\n", "")));
  assert.deepEqual(noApprover, ["w.yaml:3: waivers[0].approver: the required field 'approver' is missing. Add 'approver' (who accepted the risk: a name and role)."]);
  assert.match(problems(file("w.yaml", GOOD.replace("2027-06-30", "2027-06-31")))[0]!, /^w\.yaml:9: waivers\[0\]\.expires: "2027-06-31" is not a valid date\. Use a calendar date as yyyy-mm-dd, e.g\. 2027-06-30\.$/);
  assert.match(problems(file("w.yaml", GOOD.replace("2027-06-30", "30/06/2027")))[0]!, /expires: "30\/06\/2027" is not a valid date/);
  assert.match(problems(file("w.yaml", GOOD.replace("{ cluster: wgclus }", "{ cluster: wgclus, host: n1 }")))[0]!, /waivers\[0\]\.scope: .* is not a host, a cluster or "all"\. Use \{ host: <name> \}, \{ cluster: <name> \}/);
  assert.match(problems(file("w.yaml", GOOD.replace("scope: all", "scope: everything")))[0]!, /waivers\[1\]\.scope: "everything" is not a host, a cluster or "all"/);
  assert.match(problems(file("w.yaml", GOOD.replace("runControl: false", "runControl: no")))[0]!, /waivers\[0\]\.runControl: expected boolean, found string "no"\. Make it true or false\./);
  assert.match(problems(file("w.yaml", GOOD.replace("approver: Sam Poe", 'approver: "  "')))[0]!, /waivers\[1\]\.approver: "  " is not in the expected form\. Write it out \(who accepted the risk: a name and role\)\./);
  assert.match(problems(file("w.yaml", GOOD.replace("    reference: MIG-7\n", "    ticket: MIG-7\n"))).join("\n"), /waivers\[1\]\.ticket: 'ticket' is not a known field/);
  assert.match(problems(file("w.yaml", GOOD.replace("version: 1\n", "")))[0]!, /version: the required field 'version' is missing\. Add 'version' with the value 1\./);
  assert.match(problems(file("w.yaml", "version: 1\nwaivers:\n  - controlId: HP-NIC-001\n   scope: all\n"))[0]!, /^w\.yaml:4: the file is not valid YAML/);
});

test("an unknown control, a near miss in case, and a duplicate id", () => {
  const text = GOOD.replace("HP-EOS-003", "hp-eos-003") + GOOD.split("waivers:\n")[1]!.replace("HP-CLU-004", "HP-XYZ-999");
  const list = problems(file("w.yaml", text));
  assert.deepEqual(list, [
    "w.yaml:11: waivers[1].controlId: 'hp-eos-003' is not a control of this hostproof. Did you mean HP-EOS-003?",
    "w.yaml:18: waivers[2].controlId: 'HP-XYZ-999' is not a control of this hostproof. Use an ID that `hostproof controls` lists.",
    "w.yaml:17: waivers[2].id: the id 'W-1' is used twice (first at waivers[0], line 3). Give every waiver its own id, or leave it out; ids are compared without regard to case.",
  ]);
});

test("ids compare without regard to case, width or surrounding spaces: A and a are one id, refused naming both lines", () => {
  const second = (id: string): string => GOOD + GOOD.split("waivers:\n")[1]!.replace("id: W-1", `id: ${id}`);
  assert.deepEqual(problems(file("w.yaml", second("w-1"))), [
    "w.yaml:17: waivers[2].id: the id 'w-1' is used twice (first at waivers[0], line 3, as 'W-1'). Give every waiver its own id, or leave it out; ids are compared without regard to case.",
  ]);
  assert.deepEqual(problems(file("w.yaml", second('"W-1 "'))), [
    "w.yaml:17: waivers[2].id: the id 'W-1 ' is used twice (first at waivers[0], line 3, as 'W-1'). Give every waiver its own id, or leave it out; ids are compared without regard to case or surrounding spaces.",
  ]);
  assert.match(problems(file("w.yaml", second("Ｗ-1")))[0]!, /the id 'Ｗ-1' is used twice \(first at waivers\[0\], line 3, as 'W-1'\)/);
  // Invisible characters: a zero-width space, a soft hyphen, a right-to-left mark print as nothing.
  for (const hidden of ["W-1\u200b", "W\u00ad-1", "\u200fW-1", "W\u2060-1"]) {
    assert.deepEqual(problems(file("w.yaml", second(JSON.stringify(hidden)))), [
      `w.yaml:17: waivers[2].id: the id '${hidden}' is used twice (first at waivers[0], line 3, as 'W-1'). Give every waiver its own id, or leave it out; ids are compared without regard to case or invisible characters.`,
    ]);
  }
  const ab = "version: 1\nwaivers:\n" + ["A", "a"].map((id) => GOOD.split("waivers:\n")[1]!.split("  - controlId")[0]!.replace("id: W-1", `id: ${id}`)).join("");
  assert.deepEqual(problems(file("w.yaml", ab)), [
    "w.yaml:11: waivers[1].id: the id 'a' is used twice (first at waivers[0], line 3, as 'A'). Give every waiver its own id, or leave it out; ids are compared without regard to case.",
  ]);
});

test("a { directory: <DN> } scope is for the estate-wide controls only, and must look like a DN", () => {
  const dir = (controlId: string, dn: string) => `version: 1\nwaivers:\n  - controlId: ${controlId}\n    scope: { directory: "${dn}" }\n    justification: lab\n    approver: A\n    reference: R\n    expires: 2027-01-01\n`;
  const load = (text: string) => loadWaivers(file("d.yaml", text), "d.yaml", [...IDS, "HP-DIR-002"], ["HP-DIR-002"]);
  assert.equal(load(dir("HP-DIR-002", "OU=Legacy,DC=corp,DC=example")).waivers.length, 1);
  for (const [text, want] of [
    [dir("HP-NIC-001", "OU=Legacy,DC=corp,DC=example"), /HP-NIC-001 is not judged over the directory/],
    [dir("HP-DIR-002", "Legacy"), /scope/],
  ] as const) {
    try {
      load(text);
      assert.fail("expected the file to be refused");
    } catch (err) {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.problems.map(formatProblem).join("\n"), want);
    }
  }
});
