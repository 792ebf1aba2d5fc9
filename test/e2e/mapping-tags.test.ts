/**
 * Framework mappings (issue 22, items 1 and 2): the tags a control maps NIST, STIG, CCI and CIS
 * with are held to one strict form by the lint (file:line, the tag, what is wrong, the fix, exit 3),
 * every built-in control carries a NIST id, `controls --framework` lists coverage, and the conflict
 * between HP-CLU-005 and STIG WNxx-MS-000020 is an open, waivable finding on a domain-member node.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, readJson, spawnCli, tempDir, workspace, writeCompliantEstate, type CliOutcome } from "./cli";
import type { Summary } from "../../src/report/formats/summary";
import type { ControlMeta } from "../../src/model/result";

const ABOUT = "    Rationale: Acme policy.\n    Remediation: Fix it.\n    Source: Acme policy 1.\n";
const JUDGE = "    Given each host\n    Then the host does not run Windows Server 2003\n";
/** Line 3 holds `tags`; line 4 the Scenario. */
const control = (id: string, tags: string): string => `Feature: Acme\n\n  @${id} @severity:high ${tags}\n  Scenario: ${id}\n${ABOUT}\n${JUDGE}`;

const problemLines = (res: CliOutcome): string[] =>
  res.stderr
    .split("\n")
    .filter((l) => /^\s*✘ /.test(l))
    .map((l) => l.replace(/^\s*✘ /, ""));

const REFUSED: Record<string, [tags: string, problem: RegExp]> = {
  "nist-form": ["@nist:SC3", /^acme\/nist-form\.feature:3: Scenario 'ACME-MAP-001': '@nist:SC3' is not a NIST SP 800-53 rev5 control id\. Write it as @nist:FAMILY-N .*e\.g\. @nist:SC-3/],
  "nist-family": ["@nist:ZZ-3", /'@nist:ZZ-3' is not a NIST SP 800-53 rev5 control id/],
  "nist-case": ["@NIST:SC-3", /:3: Scenario 'ACME-MAP-001': '@NIST:SC-3' is a mapping tag in the wrong case\. Write @nist:…/],
  "stig-parts": ["@stig:WN19-MS-000020/V-205715", /'@stig:WN19-MS-000020\/V-205715' is not a STIG reference: it has 2 parts separated by '\/', not 3 or 4\. Write it as @stig:STIG-ID\/V-NNNNNN\/CAT-I\|II\|III/],
  "stig-cat": ["@stig:WN19-MS-000020/V-205715/CAT-IV", /'CAT-IV' is not a category \(CAT-I, CAT-II or CAT-III\)/],
  "stig-rule": ["@stig:WN19-MS-000020/V-205715/CAT-II/SV-254429r958518_rule", /Rule ID SV-254429r958518_rule belongs to V-254429, not V-205715/],
  "stig-twice": ["@stig:WN19-MS-000020/V-205715/CAT-II @stig:WN19-MS-000020/V-205715/CAT-I", /names WN19-MS-000020\/V-205715 again/],
  "cci-form": ["@stig:WN19-MS-000020/V-205715/CAT-II @cci:CCI-1084", /'@cci:CCI-1084' is not a CCI \(CCI- and six digits\)/],
  "cci-alone": ["@cci:CCI-001084", /carries CCI tags \(CCI-001084\) but no @stig tag\. A CCI comes from the STIG rule/],
  "cis-version": ["@cis:WS2022/18.4.1", /'@cis:WS2022\/18\.4\.1' is not a CIS reference with its benchmark version\. Write it as @cis:BENCHMARK-vVERSION\/RECOMMENDATION/],
  "conflict-form": ["@conflict:WN19-MS-000020", /'@conflict:WN19-MS-000020' names no framework \(stig: or cis:\)/],
  "conflict-self": ["@stig:WN19-MS-000020/V-205715/CAT-II @conflict:stig:WN19-MS-000020/V-205715/CAT-II", /both maps and contradicts WN19-MS-000020/],
  "nist-twice": ["@nist:SC-3 @nist-ours:SC-3", /NIST SC-3 is tagged both @nist and @nist-ours/],
};

test("a mapping tag written wrong is refused with file:line, the tag, what is wrong and the fix (exit 3), by validate and run alike", () => {
  for (const [name, [tags, problem]] of Object.entries(REFUSED)) {
    const cwd = workspace({ [`acme/${name}.feature`]: control("ACME-MAP-001", tags) });
    const res = spawnCli(["validate", "acme", "--no-builtin"], cwd);
    assert.equal(res.code, 3, `${name}: exit ${res.code}\n${res.stdout}\n${res.stderr}`);
    const lines = problemLines(res);
    assert.equal(lines.length, 1, `${name}:\n${res.stderr}`);
    assert.match(lines[0], problem, name);
    assert.match(lines[0], new RegExp(`^acme/${name}\\.feature:[34]: `), name);
  }
  const cwd = workspace({ "acme/bad.feature": control("ACME-MAP-001", "@stig:WN19/V-1/CAT-II") });
  const run = spawnCli(["run", "-i", "inventory.yaml", "-o", "out", "--as-of", AS_OF, "--features", "acme"], cwd);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /acme\/bad\.feature:3: .*'@stig:WN19\/V-1\/CAT-II' is not a STIG reference/);
});

test("an organisation's control may carry the same tags (no NIST required); they reach the control's record", () => {
  const cwd = workspace({ "acme/ok.feature": control("ACME-MAP-002", "@nist:AC-6(1) @nist-ours:SC-45(1).a @stig:WN22-MS-000020/V-254429/CAT-II @cci:CCI-001084 @cis:WS2022-v4.0.0/18.4.1"), "acme/plain.feature": control("ACME-MAP-003", "") });
  const res = spawnCli(["controls", "--features", "acme", "--no-builtin", "--json"], cwd);
  assert.equal(res.code, 0, res.stderr);
  const [mapped, plain] = JSON.parse(res.stdout) as ControlMeta[];
  assert.deepEqual(mapped.mappings, {
    nist: [{ id: "AC-6 (1)", ours: false }, { id: "SC-45 (1) (a)", ours: true }],
    stig: [{ stigId: "WN22-MS-000020", vulnId: "V-254429", cat: "II", platform: "Windows Server 2022" }],
    cci: ["CCI-001084"],
    cis: [{ benchmark: "WS2022", version: "4.0.0", recommendation: "18.4.1" }],
    conflicts: [],
  });
  assert.deepEqual(plain.mappings, { nist: [], stig: [], cci: [], cis: [], conflicts: [] });
});

test("every built-in control maps at least one NIST control; a built-in control without one would be refused", () => {
  const res = spawnCli(["controls", "--json"]);
  assert.equal(res.code, 0, res.stderr);
  const controls = JSON.parse(res.stdout) as ControlMeta[];
  assert.ok(controls.length >= 22);
  for (const c of controls) assert.ok((c.mappings?.nist.length ?? 0) > 0, c.id);
  const uac = controls.find((c) => c.id === "HP-UAC-001")!;
  assert.deepEqual(uac.mappings!.stig.map((s) => `${s.stigId}/${s.vulnId}/CAT-${s.cat}`), ["WN16-MS-000020/V-225008/CAT-II", "WN19-MS-000020/V-205715/CAT-II", "WN22-MS-000020/V-254429/CAT-II", "WN25-MS-000020/V-278178/CAT-II"]);
  assert.deepEqual(uac.mappings!.cci, ["CCI-001084"]);
  const clu = controls.find((c) => c.id === "HP-CLU-005")!;
  assert.deepEqual(clu.mappings!.conflicts.filter((k) => k.framework === "stig").map((k) => k.ref.stigId), ["WN16-MS-000020", "WN19-MS-000020", "WN22-MS-000020", "WN25-MS-000020"]);
});

test("controls --framework lists what the controls cover, and which control contradicts which rule; an unknown framework exits 3", () => {
  const stig = spawnCli(["controls", "--framework", "stig"]);
  assert.equal(stig.code, 0, stig.stderr);
  assert.match(stig.stdout, /^WN19-MS-000020 +HP-UAC-001 +\[V-205715 CAT II Windows Server 2019\]; contradicted on purpose by HP-CLU-005 \(a host that follows it is an open finding here that needs a waiver\)$/m);
  assert.match(stig.stdout, /^WN19-00-000410 +HP-PS2-001 /m);
  const nist = spawnCli(["controls", "--framework", "nist", "--json"]);
  const rows = JSON.parse(nist.stdout) as { id: string; controls: string[] }[];
  assert.deepEqual(rows.find((r) => r.id === "SC-3")?.controls, ["HP-UAC-001"]);
  assert.deepEqual(rows.find((r) => r.id === "CM-7 a")?.controls, ["HP-PS2-001"]);
  const cis = spawnCli(["controls", "--framework", "cis", "-t", "@HP-WU-001"]);
  assert.match(cis.stdout, /^CIS WS2022 v4\.0\.0 18\.10\.93\.4\.3 +HP-WU-001$/m);
  assert.doesNotMatch(cis.stdout, /18\.4\.1/);
  const bad = spawnCli(["controls", "--framework", "iso"]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /--framework "iso" is not a framework hostproof maps\. Use one of nist, stig, cis\./);
});

test("conflict: a domain-member node that sets LATFP = 1 for its multi-domain cluster is an open STIG finding saying why; a workgroup node is not; a waiver accepts it", () => {
  const dir = tempDir();
  const inventory = writeCompliantEstate(dir, {
    hosts: [{ name: "md1" }, { name: "md2" }, { name: "wg1" }, { name: "wg2" }],
    clusters: [
      { name: "mdclus", type: "multi-domain", adminAccount: "clusadmin", domains: ["corp.contoso.test", "emea.contoso.test"], nodes: ["md1", "md2"] },
      { name: "wgclus", type: "workgroup", adminAccount: "clusadmin", nodes: ["wg1", "wg2"] },
    ],
  });
  const tags = ["--tags", "@HP-UAC-001 or @HP-CLU-005"];
  const out = join(dir, "r1");
  const run = spawnCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--html", "pages", "--no-history", ...tags]);
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  const summary = readJson<Summary>(join(out, "summary.json"));
  assert.notEqual(summary.verdict, "COMPLIANT");
  const of = (host: string, id: string) => summary.results.find((r) => r.target.name === host && r.controlId === id)!;
  for (const host of ["md1", "md2"]) {
    assert.equal(of(host, "HP-CLU-005").status, "passed", host);
    const uac = of(host, "HP-UAC-001");
    assert.equal(uac.status, "failed", host);
    assert.match(uac.rule ?? "", /^conflict: HP-CLU-005 requires 1 on this node, STIG WN16\/WN19\/WN22\/WN25-MS-000020 and CIS 18\.4\.1 require 0 on a domain-member server$/);
    assert.match(uac.actual, /LocalAccountTokenFilterPolicy = 1 on a domain-member node: .*so HP-CLU-005 requires 1; open finding .*until a waiver accepts the deviation/);
  }
  for (const host of ["wg1", "wg2"]) {
    assert.equal(of(host, "HP-CLU-005").status, "passed", host);
    const uac = of(host, "HP-UAC-001");
    assert.equal(uac.status, "notApplicable", host);
    assert.match(uac.reason?.message ?? "", /do not apply to a node that is not domain-joined/);
  }
  // The control pages name the references, and the rule HP-CLU-005 contradicts, with why.
  const pages = readdirSync(join(out, "pages")).filter((f) => f.startsWith("control-")).map((f) => readFileSync(join(out, "pages", f), "utf8"));
  const uacPage = pages.find((p) => p.includes("<h1>HP-UAC-001:"))!;
  assert.match(uacPage, /<tr><th>NIST SP 800-53 rev5<\/th><td>SC-3<\/td><\/tr><tr><th>DISA STIG<\/th><td>WN16-MS-000020 \(V-225008, CAT II, Windows Server 2016\); WN19-MS-000020/);
  assert.match(uacPage, /<tr><th>CCI<\/th><td>CCI-001084<\/td><\/tr><tr><th>CIS Benchmark<\/th><td>CIS WS2019 v4\.0\.0 18\.4\.1; CIS WS2022 v4\.0\.0 18\.4\.1<\/td>/);
  const cluPage = pages.find((p) => p.includes("<h1>HP-CLU-005:"))!;
  assert.match(cluPage, /<tr><th>contradicts on purpose<\/th><td>DISA STIG WN16-MS-000020 \(V-225008, CAT II, Windows Server 2016\): a host that follows this control is an open finding there, which needs a waiver; /);
  const mapped = summary.controls.find((c) => c.id === "HP-CLU-005")!;
  assert.ok(mapped.mappings!.conflicts.some((k) => k.framework === "stig" && k.ref.stigId === "WN19-MS-000020"));

  const waivers = join(dir, "waivers.yaml");
  writeFileSync(waivers, `version: 1\nwaivers:\n  - id: WVR-1\n    controlId: HP-UAC-001\n    scope: { cluster: mdclus }\n    justification: the multi-domain cluster needs LATFP = 1 for clusadmin (HP-CLU-005); deviation from WN19-MS-000020 accepted\n    approver: Dana Whitfield\n    reference: CHG-1\n    expires: 2027-06-30\n`);
  const waived = spawnCli(["run", "-i", inventory, "-o", join(dir, "r2"), "--as-of", AS_OF, "--no-html", "--no-history", "--waivers", waivers, ...tags]);
  assert.notEqual(waived.code, 3, waived.stderr);
  const after = readJson<Summary>(join(dir, "r2", "summary.json"));
  assert.equal(after.results.find((r) => r.target.name === "md1" && r.controlId === "HP-UAC-001")!.status, "waived", waived.stderr);
  assert.equal(waived.code, 0, waived.stdout);
});
