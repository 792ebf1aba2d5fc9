/** The probes a host is read for follow from the selected controls. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { planProbes } from "../../src/controls/probe-plan";
import { CHECKS } from "../../src/controls/checks";
import { featureFiles, parseFeature } from "../../src/controls/catalog";
import { scenariosOf } from "../../src/controls/meta";
import { PROBE_IDS } from "../../src/probes/catalog";
import { AS_OF, DEMO, readJson, runCli, tempDir } from "../e2e/cli";
import type { Summary } from "../../src/report/formats/summary";

test("every control selected: every probe in the catalog", () => {
  assert.deepEqual(planProbes().probes, [...PROBE_IDS]);
});

test("a tag selection reads only what its controls need, plus the host's identity", () => {
  assert.deepEqual(planProbes("@area:dns").probes, ["os", "computerSystem", "tcpipParameters", "dnsClientPolicy", "dnsClientGlobalSetting"]);
  assert.deepEqual(planProbes("@HP-NIC-001").probes, ["os", "computerSystem", "netAdapterAdvancedProperty"]);
  assert.deepEqual(planProbes("@HP-CLU-004").probes, ["os", "computerSystem"]);
  const lifecycle = planProbes("@area:lifecycle");
  assert.deepEqual(lifecycle.controls.map((c) => c.id), ["HP-EOS-001", "HP-EOS-002", "HP-EOS-003"]);
  assert.deepEqual(lifecycle.probes, ["os", "computerSystem", "windowsVersion"]);
});

test("the Hyper-V controls read the VMs' services on a host, and the role and the vmic services by generic probes", () => {
  const hv = planProbes("@area:hyper-v");
  assert.deepEqual(hv.probes, ["os", "computerSystem", "vmIntegrationServices"]);
  assert.deepEqual(hv.generic.map((p) => p.id), [
    "windowsFeature:Hyper-V|Microsoft-Hyper-V",
    "service:vmicheartbeat",
    "service:vmicshutdown",
    "service:vmictimesync",
    "service:vmickvpexchange",
    "service:vmicvss",
  ]);
  assert.deepEqual(hv.controls.map((c) => [c.id, c.probes.length]), [["HP-HV-001", 2], ["HP-HV-002", 6]]);
  assert.deepEqual(planProbes("@HP-HV-002").probes, ["os", "computerSystem"]);
});

test("every Then step of every feature is bound to a check, and every check is used", () => {
  const used = new Set<string>();
  for (const file of featureFiles()) {
    for (const { scenario } of scenariosOf(parseFeature(file))) {
      const thens = scenario.steps.filter((s) => s.keyword.trim() === "Then");
      assert.ok(thens.length > 0, `${file}: '${scenario.name}' has no Then step`);
      for (const s of thens) {
        assert.ok(CHECKS.some((c) => c.phrase === s.text), `${file}: no check for "${s.text}"`);
        used.add(s.text);
      }
    }
  }
  for (const c of CHECKS) assert.ok(used.has(c.phrase), `check "${c.phrase}" is used by no feature`);
});

test("a judge cites no probe its check did not declare (the collector would not have read it)", async () => {
  const out = join(tempDir(), "out");
  await runCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html"]);
  const declared = new Map(planProbes().controls.map((c) => [c.id, new Set(c.probes)]));
  for (const r of readJson<Summary>(join(out, "summary.json")).results) {
    for (const e of r.evidence) assert.ok(declared.get(r.controlId)?.has(e.probe), `${r.controlId} on ${r.target.name} cites ${e.probe}`);
  }
});
