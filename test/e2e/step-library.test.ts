/**
 * The step library through the real CLI: controls written only in Gherkin, their arguments held to
 * strict forms (PowerShell in a parameter is refused with file, line and form, before any host is
 * contacted), their probes planned once each, and their results from snapshots that do or do not
 * hold the facts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, DEMO, DEMO_HOSTS, ROOT, readJson, spawnCli, tempDir, workspace } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

const control = (id: string, steps: string, kind = "Scenario"): string => `Feature: Acme
  @${id} @severity:high
  ${kind}: An Acme control
    Rationale: Acme policy.
    Remediation: Fix it.
    Source: Acme standard 1.

${steps}
`;

function rejected(res: { code: number; stdout: string; stderr: string }, line: string): void {
  assert.equal(res.code, 3, `exit ${res.code}\n${res.stdout}\n${res.stderr}`);
  const lines = res.stderr.split("\n").map((l) => l.replace(/^\s*✘ /, ""));
  assert.ok(lines.includes(line), `expected the line\n  ${line}\nin\n${res.stderr}`);
}

test("PowerShell in a parameter is refused before anything runs: file, line, the value and the form expected", () => {
  const marker = join(tempDir(), "pwned");
  const cwd = workspace({
    "acme/inject.feature": control(
      "ACME-INJ-001",
      `    Given each host
    Then the service "x'; New-Item -Path '${marker}'; '" is running
    And the registry value "v" under "HKLM\\SOFTWARE\\$(New-Item ${marker})" exists
    And the CIM property "Caption" of "Win32_OperatingSystem; New-Item x" in "root\\cimv2" equals "x"`,
    ),
  });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--features", "acme", "--no-builtin", "--no-html"], cwd);
  rejected(res, `acme/inject.feature:9: step 'Then the service "x'; New-Item -Path '${marker}'; '" is running': "x'; New-Item -Path '${marker}'; '" is refused: it contains ''', which PowerShell reads as a single quote. Write a service's short name (as \`sc.exe query\` lists it, not its display name): letters, digits and . _ - $ (at most 256 characters).`);
  assert.match(res.stderr, /acme\/inject\.feature:10: step 'And the registry value "v" under .*is refused: it contains '\$'.*Write a key under HKLM, HKU or HKCR/);
  assert.match(res.stderr, /acme\/inject\.feature:11: step 'And the CIM property .*"Win32_OperatingSystem; New-Item x" is refused: it contains ';'.*Write a CIM class or property name/);
  assert.equal(existsSync(join(cwd, "out")), false, "nothing written");
  assert.equal(existsSync(marker), false);
  // validate says the same, without an inventory.
  rejected(spawnCli(["validate", "acme"], cwd), res.stderr.split("\n").map((l) => l.replace(/^\s*✘ /, "")).find((l) => l.startsWith("acme/inject.feature:9:"))!);
});

test("a list step needs its data table, one column of valid rows; an outline's bad value is reported at its Examples row", () => {
  const cwd = workspace({
    "acme/tables.feature": control(
      "ACME-TAB-001",
      `    Given each host
    Then the local group "S-1-5-32-555" has only these members:
    And the update "KB5044281" or a later cumulative update is installed:
      | KB5046616 | extra |
      | KB12      |       |
    And the service "W32Time" is running
      | x |`,
    ),
    "acme/outline.feature": control(
      "ACME-OUT-001",
      `    Given each host
    Then the service "<service>" is running

    Examples:
      | service  |
      | W32Time  |
      | Bad Name |`,
      "Scenario Outline",
    ),
  });
  const res = spawnCli(["validate", "acme"], cwd);
  rejected(res, `acme/tables.feature:9: step 'Then the local group "S-1-5-32-555" has only these members:': it needs a data table: one row per item. Put a one-column table under it, each row a member, e.g. | ... |.`);
  rejected(res, `acme/tables.feature:10: step 'And the update "KB5044281" or a later cumulative update is installed:': its data table has more than one column. Give one column, each row a later update that supersedes it, and no header row.`);
  rejected(res, `acme/tables.feature:10: step 'And the update "KB5044281" or a later cumulative update is installed:': the table row "KB12" is refused: it has a character outside the form. Write an update ID, KB followed by 6 to 8 digits, e.g. KB5044281.`);
  rejected(res, `acme/tables.feature:13: step 'And the service "W32Time" is running': it has a data table, which this step does not read. Remove the table, or use the step's list form (one ending in ':').`);
  rejected(res, `acme/outline.feature:14: step 'Then the service "Bad Name" is running': "Bad Name" is refused: it has a character outside the form. Write a service's short name (as \`sc.exe query\` lists it, not its display name): letters, digits and . _ - $ (at most 256 characters).`);
});

const W32TIME = control("ACME-TIME-001", `    Given each host\n    Then the service "W32Time" is running\n    And the service "W32Time" has start type "Automatic"`);
const RDP = `Feature: Acme remote desktop
  Background:
    Given each host

  @ACME-RDP-001 @severity:high
  Scenario: NLA
    Rationale: r.
    Remediation: m.
    Source: s.

    Then the registry value "UserAuthentication" under "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp" is 1

  @ACME-RDP-002 @severity:low
  Scenario: Security layer
    Rationale: r.
    Remediation: m.
    Source: s.

    Then the registry value "SecurityLayer" under "hklm\\system\\currentcontrolset\\control\\terminal server\\winstations\\rdp-tcp" is one of:
      | 1 |
      | 2 |
`;

test("controls --probes: generic probes per control and once for the host, a Background's Given counts, the same key read once", () => {
  const cwd = workspace({ "acme/time.feature": W32TIME, "acme/rdp.feature": RDP });
  const res = spawnCli(["controls", "--features", "acme", "--no-builtin", "--probes"], cwd);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^ACME-TIME-001 .*\n\s+reads: service:W32Time$/m);
  assert.match(res.stdout, /^ACME-RDP-002 .*\n\s+reads: registry:HKLM\\system\\currentcontrolset\\control\\terminal server\\winstations\\rdp-tcp$/m);
  assert.match(res.stdout, /^and 2 generic probe\(s\): registry:HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp, service:W32Time\.$/m);
  const plan = JSON.parse(spawnCli(["controls", "--features", "acme", "--no-builtin", "--probes", "--json"], cwd).stdout) as { generic: { id: string; parameters: Record<string, string> }[] };
  assert.deepEqual(plan.generic.map((g) => g.parameters), [{ Key: "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp" }, { Name: "W32Time" }]);
});

test("judged from snapshots that lack the facts, every library control is undetermined 'not collected', never passed", () => {
  // The demo snapshots were collected for examples/custom-controls: no Spooler, no Acme key.
  const other = (text: string): string => text.replaceAll("W32Time", "Spooler").replaceAll("Terminal Server\\WinStations\\RDP-Tcp", "Acme\\Agent").replaceAll("terminal server\\winstations\\rdp-tcp", "acme\\agent");
  const cwd = workspace({ "acme/time.feature": other(W32TIME), "acme/rdp.feature": other(RDP) });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--features", "acme", "--no-builtin", "--no-html", "--no-history"], cwd);
  assert.equal(res.code, 2, res.stderr);
  const s = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.equal(s.results.length, 3 * DEMO_HOSTS, "one result per control and host, whatever the number of checks");
  for (const r of s.results) {
    assert.equal(r.status, "undetermined");
    assert.equal(r.reason?.kind, "not-collected");
  }
  const time = s.results.find((r) => r.controlId === "ACME-TIME-001")!;
  assert.equal(time.expected, "the service Spooler is running; the service Spooler has start type Automatic");
  assert.deepEqual(time.evidence.map((e) => e.probe), ["service:Spooler"]);
});

test("a control's checks all run, even after one fails: one result per host, as bad as its worst check, each check a detail row", () => {
  const cwd = workspace({
    "acme/two.feature": control("ACME-TWO-001", `    Given each host\n    Then the host does not run Windows Server 2003\n    And the host's Windows version is within Microsoft's extended support`),
  });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--features", "acme", "--no-builtin", "--no-html", "--no-history", "--as-of", "2026-11-22"], cwd);
  assert.equal(res.code, 1, res.stderr);
  const s = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.equal(s.results.length, DEMO_HOSTS);
  const legacy = s.results.find((r) => r.target.name === "legacy2003")!;
  assert.equal(legacy.status, "failed");
  assert.deepEqual(legacy.details?.filter((d) => d.expected === "holds").map((d) => d.outcome), ["deviation", "deviation"]);
  assert.match(legacy.actual, /^2 of 2 checks fail: /);
  // Cucumber's own record: the second step ran (not skipped) and the scenario failed on it.
  type Message = { testCase?: { testSteps: { id: string; pickleStepId?: string }[] }; testStepFinished?: { testStepId: string; testStepResult: { status: string } } };
  const messages = readFileSync(join(cwd, "out", "cucumber-messages.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Message);
  // The scenario's steps, not its hooks (Before, After).
  const stepIds = new Set(messages.flatMap((m) => m.testCase?.testSteps.filter((t) => t.pickleStepId !== undefined).map((t) => t.id) ?? []));
  const statuses = messages.flatMap((m) => (m.testStepFinished && stepIds.has(m.testStepFinished.testStepId) ? [m.testStepFinished.testStepResult.status] : []));
  assert.deepEqual(statuses.slice(-2), ["PASSED", "FAILED"], "the first check records, the last one fails the scenario");
  assert.ok(!statuses.includes("SKIPPED"));
});

test("a Given by Windows build: other builds are not applicable with the build they run; the build itself and later ones are judged", () => {
  const cwd = workspace({
    "acme/exact.feature": control("ACME-BLD-001", `    Given each host running Windows build 20348\n    Then the host does not run Windows Server 2003`),
    "acme/later.feature": control("ACME-BLD-002", `    Given each host running Windows build 14393 or later\n    Then the host does not run Windows Server 2003`),
  });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--features", "acme", "--no-builtin", "--no-html", "--no-history", "--as-of", "2026-11-22"], cwd);
  assert.equal(res.code, 0, res.stderr);
  const s = readJson<Summary>(join(cwd, "out", "summary.json"));
  const of = (id: string, status: string) => s.results.filter((r) => r.controlId === id && r.status === status).map((r) => r.target.name).sort();
  assert.deepEqual(of("ACME-BLD-001", "passed"), ["app01", "ctr01", "hv01", "wg-node1", "wg-node2", "wg-node3"]);
  const legacy = s.results.find((r) => r.controlId === "ACME-BLD-001" && r.target.name === "legacy2003")!;
  assert.equal(legacy.status, "notApplicable");
  assert.match(legacy.reason?.message ?? "", /applies to hosts running Windows build 20348; legacy2003 runs build 3790 \(/);
  assert.deepEqual(of("ACME-BLD-002", "notApplicable"), ["legacy2003"]);
});

test("examples/custom-controls on the demo snapshots: each control passes on some host and fails on another, with the runnable command as evidence", () => {
  const cwd = workspace({});
  const res = spawnCli(["run", "-i", DEMO, "-o", join(cwd, "out"), "--features", join(ROOT, "examples", "custom-controls"), "--no-builtin", "--no-html", "--no-history", "--as-of", AS_OF]);
  assert.equal(res.code, 1, res.stderr);
  const s = readJson<Summary>(join(cwd, "out", "summary.json"));
  const at = (id: string, host: string) => s.results.find((r) => r.controlId === id && r.target.name === host)!;
  for (const id of ["ACME-SMB-001", "ACME-RDP-001", "ACME-TIME-001", "ACME-PS-001", "ACME-UPD-001"]) {
    const statuses = new Set(s.results.filter((r) => r.controlId === id).map((r) => r.status));
    assert.ok(statuses.has("passed") && statuses.has("failed"), `${id}: ${[...statuses].join(", ")}`);
  }
  assert.equal(at("ACME-SMB-001", "app2016").actual, "EnableSMB1Protocol = True");
  assert.equal(at("ACME-RDP-001", "fs01").actual, "0 (DWord)");
  assert.equal(at("ACME-RDP-001", "md-node2").actual, "the value is absent");
  assert.equal(at("ACME-PS-001", "md-node2").status, "passed", "a build without the 2.0 engine passes");
  assert.equal(at("ACME-PS-001", "fs01").status, "passed", "DisabledWithPayloadRemoved is disabled");
  assert.equal(at("ACME-TIME-001", "md-node1").status, "failed");
  assert.equal(at("ACME-UPD-001", "app2016").status, "notApplicable");
  assert.equal(at("ACME-SMB-001", "legacy2003").reason?.kind, "not-supported");
  const evidence = at("ACME-RDP-001", "fs01").evidence[0] as { command?: string };
  assert.ok(evidence.command?.startsWith("$HpProbe = @{ 'Key' = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp' }; Get-Item -LiteralPath $HpProbe.Key "), evidence.command);
});
