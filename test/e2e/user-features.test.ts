/**
 * An organisation's own features (--features, --no-builtin) and the control lint, through the real
 * CLI process run from a temporary folder, so that every path is shown as the user gave it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ACME_EOS, AS_OF, DEMO, readJson, spawnCli, workspace } from "./cli";
import type { Summary } from "../../src/report/formats/summary";
import { stepMatcher } from "../../src/controls/known-steps";
import { closestPhrase } from "../../src/util/closest";
import { PARAMETERISED_SCOPES, SCOPES } from "../../src/engine/scope";

/** The Given steps the lint offers, as it lists them: every scope, and those that choose hosts. */
const given = (phrases: string[]): string => phrases.map((p) => `"Given ${p}"`).join(", ");
const ALL_GIVENS = given([...Object.keys(SCOPES), ...PARAMETERISED_SCOPES.map((p) => p.phrase)]);
const HOST_GIVENS = given([...Object.entries(SCOPES).filter(([, s]) => s.kind === "host").map(([p]) => p), ...PARAMETERISED_SCOPES.map((p) => p.phrase)]);
/** The built-in controls, as `controls --json` lists them: a count no test writes down. */
const BUILT_IN = (JSON.parse(spawnCli(["controls", "--json"]).stdout) as unknown[]).length;

/** A control that reads a probe the identity probes do not include (netAdapterAdvancedProperty). */
const ACME_NIC = `Feature: Acme network controls

  @ACME-NIC-001 @severity:medium
  Scenario: Offloads are off on Acme hosts
    Rationale: Acme saw VMQ hang Hyper-V hosts.
    Remediation: Set-NetAdapterAdvancedProperty -RegistryKeyword '*VMQ' -RegistryValue 0
    Source: Acme network standard 3.

    Given each host
    Then every standardized offload keyword is disabled on every adapter, unless the inventory allows it
`;

function run(cwd: string, extra: string[]) {
  return spawnCli(["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", ...extra], cwd);
}

/** Exit 3, and stderr holds exactly this problem line (file:line: field: problem. fix). */
function rejected(res: { code: number; stdout: string; stderr: string }, line: string): void {
  assert.equal(res.code, 3, `exit ${res.code}\n${res.stdout}\n${res.stderr}`);
  const lines = res.stderr.split("\n").map((l) => l.replace(/^\s*✘ /, ""));
  assert.ok(lines.includes(line), `expected the line\n  ${line}\nin\n${res.stderr}`);
}

test("a user folder's control is listed with its origin beside the built-in ones", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  const res = spawnCli(["controls", "--features", "acme"], cwd);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^ACME-EOS-001\s+high\s+acme\s+No Acme host runs Windows Server 2003 {2}\(acme\/eos\.feature\)$/m);
  assert.match(res.stdout, /^HP-EOS-001\s+critical\s+built-in\s+No host runs Windows Server 2003 {2}\(features\/end-of-support\.feature\)$/m);
  assert.match(res.stdout, new RegExp(`^${BUILT_IN + 1} control\\(s\\)\\.$`, "m"));

  const json = JSON.parse(spawnCli(["controls", "--features", "acme", "--json"], cwd).stdout) as { id: string; origin: string; feature: string }[];
  assert.deepEqual(
    json.filter((c) => c.id === "ACME-EOS-001").map(({ origin, feature }) => ({ origin, feature })),
    [{ origin: "acme", feature: "acme/eos.feature" }],
  );
  assert.equal(json.filter((c) => c.origin === "built-in").length, BUILT_IN);
});

test("run --features judges the user's control with the built-in ones; summary.json has its results and origin", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  const res = run(cwd, ["--features", "acme"]);
  assert.equal(res.code, 1, res.stderr);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.equal(summary.controls.length, BUILT_IN + 1);
  assert.deepEqual(
    summary.controls.find((c) => c.id === "ACME-EOS-001"),
    { id: "ACME-EOS-001", title: "No Acme host runs Windows Server 2003", severity: "high", feature: "acme/eos.feature", featureName: "Acme's own controls", origin: "acme", tags: ["@area:acme", "@ACME-EOS-001", "@severity:high"], mappings: { nist: [], stig: [], cci: [], cis: [], conflicts: [] } },
  );
  assert.equal(summary.controls.find((c) => c.id === "HP-EOS-001")?.origin, "built-in");
  const acme = summary.results.filter((r) => r.controlId === "ACME-EOS-001");
  assert.equal(acme.length, summary.hosts.length);
  assert.deepEqual(acme.filter((r) => r.status === "failed").map((r) => r.target.name), ["legacy2003"]);
  assert.equal(acme.filter((r) => r.status === "passed").length, summary.hosts.length - 1);
  // The same verdicts as the built-in control it was copied from.
  for (const r of acme) assert.equal(r.status, summary.results.find((b) => b.controlId === "HP-EOS-001" && b.target.name === r.target.name)?.status);
});

test("--no-builtin runs only the user's controls; --tags selects among them", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS, "acme-net/nic.feature": ACME_NIC });
  const res = run(cwd, ["--features", "acme", "--features", "acme-net", "--no-builtin"]);
  assert.equal(res.code, 1, res.stderr);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.deepEqual(summary.controls.map((c) => [c.id, c.origin]), [["ACME-EOS-001", "acme"], ["ACME-NIC-001", "acme-net"]]);
  assert.deepEqual([...new Set(summary.results.map((r) => r.controlId))], ["ACME-EOS-001", "ACME-NIC-001"]);

  const tagged = spawnCli(["run", "-i", DEMO, "-o", "out2", "--as-of", AS_OF, "--no-html", "--no-history", "--features", "acme", "--no-builtin", "--tags", "@ACME-EOS-001"], cwd);
  assert.equal(tagged.code, 1, tagged.stderr);
  assert.deepEqual(readJson<Summary>(join(cwd, "out2", "summary.json")).controls.map((c) => c.id), ["ACME-EOS-001"]);
  // Without the folder, the same tag selects nothing: a usage error, not a green run.
  rejected(spawnCli(["run", "-i", DEMO, "-o", "out3", "--tags", "@ACME-EOS-001"], cwd), 'command line: --tags "@ACME-EOS-001" selects no control. Run `hostproof controls` for the IDs and tags (e.g. @HP-NIC-001, @severity:critical, @area:dns); tags are case-sensitive.');
});

test("a waiver may name a user control: run and validate know it with --features, and refuse it without", () => {
  const waivers = `version: 1
waivers:
  - controlId: ACME-EOS-001
    scope: { host: legacy2003 }
    justification: decommissioning scheduled
    approver: Dana Whitfield, Head of Infrastructure Security
    reference: CHG-1
    expires: 2030-06-30
`;
  const cwd = workspace({ "acme/eos.feature": ACME_EOS, "waivers.yaml": waivers });
  const res = run(cwd, ["--features", "acme", "--no-builtin", "--waivers", "waivers.yaml"]);
  assert.equal(res.code, 0, res.stderr);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.equal(summary.results.find((r) => r.target.name === "legacy2003")?.status, "waived");

  assert.equal(spawnCli(["validate", "waivers.yaml", "--features", "acme"], cwd).code, 0);
  const without = spawnCli(["validate", "waivers.yaml"], cwd);
  assert.equal(without.code, 3);
  assert.ok(without.stderr.includes("✘ waivers.yaml:3: waivers[0].controlId: 'ACME-EOS-001' is not a control of this hostproof."), without.stderr);
});

test("a --features folder that is missing, a file or empty, and --no-builtin alone, are usage errors (exit 3)", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS, "empty/readme.txt": "no features here\n" });
  const res = spawnCli(["controls", "--features", "nope", "--features", "acme/eos.feature", "--features", "empty"], cwd);
  rejected(res, "command line: --features: 'nope' does not exist. Give a folder of .feature files, relative to where hostproof runs or absolute.");
  rejected(res, "command line: --features: 'acme/eos.feature' is not a folder. Give the folder that holds the .feature files, not a file: --features controls/");
  rejected(res, "command line: --features: 'empty' holds no .feature file. Check the path; controls are Gherkin files ending in .feature (subfolders are searched too).");
  rejected(spawnCli(["controls", "--no-builtin"], cwd), "command line: --no-builtin: --no-builtin without --features leaves no control to run. Add --features <dir> with your own controls, or leave --no-builtin out.");
});

test("lint: a scenario without a control ID (exit 3, file:line, fix); run writes nothing", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS.replace("@ACME-EOS-001 ", "") });
  const res = run(cwd, ["--features", "acme"]);
  rejected(res, "acme/eos.feature:5: Scenario 'No Acme host runs Windows Server 2003': has no control ID tag. Tag the scenario with one ID of the form PREFIX-AREA-NNN on the line above it, e.g. @ACME-SMB-001.");
  assert.equal(existsSync(join(cwd, "out")), false, "a report was written");
  assert.deepEqual(readdirSync(cwd).sort(), ["acme"]);
});

test("lint: an ID used twice across two folders names both places; one taken by a built-in control names the built-in file", () => {
  const cwd = workspace({ "a/one.feature": ACME_EOS, "b/two.feature": ACME_EOS, "c/three.feature": ACME_EOS.replace("ACME-EOS-001", "HP-EOS-001") });
  rejected(
    spawnCli(["controls", "--features", "a", "--features", "b"], cwd),
    "b/two.feature:4: Scenario 'No Acme host runs Windows Server 2003': control ID ACME-EOS-001 is already used at a/one.feature:4. Give this control its own ID: IDs are unique across the built-in controls and every --features folder (`hostproof controls` lists them).",
  );
  rejected(
    spawnCli(["controls", "--features", "c"], cwd),
    "c/three.feature:4: Scenario 'No Acme host runs Windows Server 2003': control ID HP-EOS-001 is already used at features/end-of-support.feature:7. Give this control its own ID: IDs are unique across the built-in controls and every --features folder (`hostproof controls` lists them).",
  );
});

test("lint: a missing or unknown severity, and a missing Rationale/Remediation/Source", () => {
  const fix = "Tag it with one of @severity:critical, @severity:high, @severity:medium, @severity:low.";
  const none = workspace({ "acme/eos.feature": ACME_EOS.replace(" @severity:high", "") });
  rejected(spawnCli(["controls", "--features", "acme"], none), `acme/eos.feature:5: Scenario 'No Acme host runs Windows Server 2003': has no severity tag. ${fix}`);
  const unknown = workspace({ "acme/eos.feature": ACME_EOS.replace("@severity:high", "@severity:urgent") });
  rejected(spawnCli(["controls", "--features", "acme"], unknown), `acme/eos.feature:4: Scenario 'No Acme host runs Windows Server 2003': 'urgent' (@severity:urgent) is not a severity. ${fix}`);
  const bare = workspace({ "acme/eos.feature": ACME_EOS.replace(/ {4}Remediation:.*\n/, "") });
  rejected(
    spawnCli(["controls", "--features", "acme"], bare),
    "acme/eos.feature:5: Scenario 'No Acme host runs Windows Server 2003': has no Remediation: line in its description. Add a line 'Remediation: …' between the Scenario: line and its first step.",
  );
});

test("lint: a step no definition matches offers the closest phrase", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS.replace("Then the host does not run Windows Server 2003", "Then the host does not run Windows Server 2008") });
  rejected(
    spawnCli(["controls", "--features", "acme"], cwd),
    "acme/eos.feature:11: step 'Then the host does not run Windows Server 2008': no step definition matches it. Did you mean \"the host does not run Windows Server 2003\"?",
  );
  const given = workspace({ "acme/eos.feature": ACME_EOS.replace("Given each host", "Given every cluster nodes") });
  rejected(spawnCli(["controls", "--features", "acme"], given), "acme/eos.feature:10: step 'Given every cluster nodes': no step definition matches it. Did you mean \"each cluster node\"?");
});

test("did you mean: the nearest known phrase by words, nothing for an unrelated step; matching is Cucumber's", () => {
  const steps = stepMatcher();
  assert.equal(steps.closest("the node runs Windows Server 2019 or later"), "the node runs Windows Server 2016 or later");
  assert.equal(steps.closest("the quorum witness is a Cloud witness"), "the quorum witness is a Cloud or Disk witness");
  assert.equal(steps.closest("SMBv1 is disabled"), undefined);
  assert.equal(steps.match("each host")?.keyword, "Given");
  assert.equal(steps.match("the host does not run Windows Server 2003")?.keyword, "Then");
  assert.equal(steps.match("the host does not run Windows Server 2003 "), undefined, "Cucumber matches the whole text");
  // A later step library registers Cucumber Expressions and regular expressions: both match as Cucumber would.
  const lib = stepMatcher([
    { keyword: "Then", pattern: "the service {string} is running" },
    { keyword: "Then", pattern: /^hotfix (KB\d+) is installed$/ },
  ]);
  assert.ok(lib.match('the service "W32Time" is running'));
  assert.equal(lib.match("the service W32Time is running"), undefined);
  assert.ok(lib.match("hotfix KB5044281 is installed"));
  assert.equal(closestPhrase("a b c d", ["x y z w"]), undefined);
});

test("lint: a Then with no Given before it; a Background Given counts", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS.replace("    Given each host\n", "") });
  rejected(
    spawnCli(["controls", "--features", "acme"], cwd),
    `acme/eos.feature:10: step 'Then the host does not run Windows Server 2003': no Given step before it chooses the hosts or clusters it judges. Put a Given step before it (in the scenario or its Background), one of ${ALL_GIVENS}.`,
  );
  const background = workspace({
    "acme/eos.feature": ACME_EOS.replace("    Given each host\n", "").replace("Feature: Acme's own controls\n", "Feature: Acme's own controls\n\n  Background:\n    Given each host\n"),
  });
  const res = spawnCli(["controls", "--features", "acme", "--no-builtin"], background);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^ACME-EOS-001 /m);
});

test("lint: a Then that judges hosts after a Given that chooses clusters (it would judge nothing)", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS.replace("Given each host", "Given each cluster") });
  rejected(
    spawnCli(["controls", "--features", "acme"], cwd),
    `acme/eos.feature:11: step 'Then the host does not run Windows Server 2003': it judges hosts, but 'Given each cluster' chooses clusters. Choose hosts before it: one of ${HOST_GIVENS}.`,
  );
});

test("lint: a Scenario Outline's steps are checked with each Examples row, once per line", () => {
  const outline = ACME_EOS.replace("Scenario:", "Scenario Outline:")
    .replace("Then the host does not run Windows Server 2003\n", "Then the host does not run Windows Server <version>\n\n    Examples:\n      | version |\n      | 2003    |\n      | 2008    |\n      | 2012    |\n");
  const res = spawnCli(["controls", "--features", "acme"], workspace({ "acme/eos.feature": outline }));
  rejected(res, "acme/eos.feature:11: step 'Then the host does not run Windows Server 2008': no step definition matches it. Did you mean \"the host does not run Windows Server 2003\"?");
  rejected(res, "acme/eos.feature:11: step 'Then the host does not run Windows Server 2012': no step definition matches it. Did you mean \"the host does not run Windows Server 2003\"?");
  assert.match(res.stderr, /: 2 problem\(s\) in the input/);
});

test("lint: a Gherkin parse error of a user file, with its line; every problem of every file at once", () => {
  const cwd = workspace({
    "acme/broken.feature": "Feature: Broken\n\n  @ACME-BAD-001 @severity:high\n  Scenario: s\n    Given each host\n  @not a tag\n",
    "acme/eos.feature": ACME_EOS.replace(" @severity:high", ""),
  });
  const res = spawnCli(["controls", "--features", "acme"], cwd);
  rejected(res, "acme/broken.feature:6: Gherkin: A tag may not contain whitespace. Write it as Gherkin: Feature:, then Scenario: with its tags on the line above and Given/Then steps (see docs/controls.md, \"Adding a control\").");
  assert.match(res.stderr, /acme\/eos\.feature:5: .*has no severity tag/);
});

test("validate lints a folder of features and a .feature file; with --features, IDs are checked across both", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS, "acme-bad/eos.feature": ACME_EOS.replace("Given each host", "Given each hosts"), "dup/eos.feature": ACME_EOS });
  const good = spawnCli(["validate", "acme", "acme/eos.feature"], cwd);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /^✔ acme: valid controls \(1 control\(s\) in 1 feature file\(s\)\)$/m);
  assert.match(good.stdout, /^2 file\(s\) valid\.$/m);

  const bad = spawnCli(["validate", "acme-bad"], cwd);
  assert.equal(bad.code, 3);
  assert.ok(bad.stderr.includes("✘ acme-bad/eos.feature:10: step 'Given each hosts': no step definition matches it. Did you mean \"each host\"?"), bad.stderr);
  assert.match(bad.stdout, /^1 of 1 file\(s\) invalid\.$/m);

  const dup = spawnCli(["validate", "dup", "--features", "acme"], cwd);
  assert.equal(dup.code, 3);
  assert.ok(dup.stderr.includes("✘ dup/eos.feature:4: Scenario 'No Acme host runs Windows Server 2003': control ID ACME-EOS-001 is already used at acme/eos.feature:4."), dup.stderr);
});

test("collect --features plans the probes of the user's controls selected by --tags", () => {
  const cwd = workspace({ "acme-net/nic.feature": ACME_NIC });
  const res = spawnCli(["collect", "-i", DEMO, "-o", "snaps", "--features", "acme-net", "--tags", "@ACME-NIC-001"], cwd);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /for: os, computerSystem, netAdapterAdvancedProperty\./);
  rejected(spawnCli(["collect", "-i", DEMO, "-o", "snaps2", "--tags", "@ACME-NIC-001"], cwd), 'command line: --tags "@ACME-NIC-001" selects no control. Run `hostproof controls` for the IDs and tags (e.g. @HP-NIC-001, @severity:critical, @area:dns); tags are case-sensitive.');
});
