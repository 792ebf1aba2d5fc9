/**
 * HP-WU-001, HP-CNT-001 and HP-CNT-002 through the real CLI, on an estate whose snapshots hold the
 * generic probes those controls declare (the simulated registry, services and features of
 * HostSpec.system): the verdicts, the source or server each result names, and the parts it fails on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { planProbes } from "../../src/controls/probe-plan";
import type { Summary } from "../../src/report/formats/summary";
import { readJson, spawnCli, tempDir } from "./cli";
import { writeEstate, type HostSpec } from "../helpers/snapshot-builder";

const POLICY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";
const MDM = "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\Update";
const WSUS_URL = "https://wsus01.corp.contoso.test:8531";

const HOSTS: HostSpec[] = [
  { name: "wsus-host", system: { registry: { [`${POLICY}\\AU`]: { UseWUServer: 1, AUOptions: 4 }, [POLICY]: { WUServer: WSUS_URL, WUStatusServer: WSUS_URL } } } },
  { name: "wufb-in", system: { registry: { [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 21 } } } },
  { name: "wufb-out", system: { registry: { [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 2 } } } },
  { name: "wufb-mdm", system: { registry: { [MDM]: { DeferQualityUpdatesPeriodInDays: 14, DeferQualityUpdatesPeriodInDays_ProviderSet: 1 } } } },
  { name: "ctr-noruntime", system: { windowsFeatures: [{ name: "Containers", installState: 1, optionalName: "Containers" }] } },
  {
    name: "ctr2016",
    // The RTM revision, before KB3176936's servicing (14393.206).
    os: { version: "10.0.14393", ubr: 0 },
    hotfixes: [{ id: "KB3192137", description: "Update", installedOn: "2016-09-12" }],
    hyperV: { vms: [] },
    system: {
      windowsFeatures: [{ name: "Containers", installState: 1, optionalName: "Containers" }],
      services: [{ name: "docker", displayName: "Docker Engine" }],
    },
  },
];

test("update deferral and container hosts, judged from snapshots: WSUS not applicable naming the server, each source named, each failing part named", () => {
  const dir = tempDir();
  // The snapshots hold what a collection for these controls reads.
  const plan = planProbes("@area:updates or @area:containers");
  const inventory = writeEstate(dir, { hosts: HOSTS }, { generic: plan.generic });
  const out = join(dir, "out");
  const res = spawnCli(["run", "-i", inventory, "-o", out, "--tags", "@area:updates or @area:containers", "--no-html", "--no-history", "--as-of", "2026-11-22"]);
  assert.equal(res.code, 1, `${res.stdout}\n${res.stderr}`);
  const s = readJson<Summary>(join(out, "summary.json"));
  assert.equal(s.results.length, HOSTS.length * 3);
  const at = (id: string, host: string) => s.results.find((r) => r.controlId === id && r.target.name === host)!;
  const statuses = (id: string) => Object.fromEntries(s.results.filter((r) => r.controlId === id).map((r) => [r.target.name, r.status]));

  assert.deepEqual(statuses("HP-WU-001"), {
    "wsus-host": "notApplicable",
    "wufb-in": "passed",
    "wufb-out": "failed",
    "wufb-mdm": "passed",
    "ctr-noruntime": "failed",
    ctr2016: "failed",
  });
  assert.match(at("HP-WU-001", "wsus-host").reason?.message ?? "", new RegExp(`takes its updates from ${WSUS_URL.replace(/\./g, "\\.")} \\(UseWUServer = 1\\)`));
  assert.match(at("HP-WU-001", "wufb-in").actual, /^21 days, from the policy key \(Group Policy\)/);
  assert.match(at("HP-WU-001", "wufb-out").actual, /^2 days, outside 7 to 30 days, from the policy key \(Group Policy\)/);
  assert.match(at("HP-WU-001", "wufb-mdm").actual, /^14 days, from the MDM PolicyManager key/);
  assert.match(at("HP-WU-001", "ctr-noruntime").actual, /^no deferral policy/);
  assert.equal(at("HP-WU-001", "wufb-in").severity, "medium");

  assert.deepEqual(statuses("HP-CNT-001"), {
    "wsus-host": "notApplicable",
    "wufb-in": "notApplicable",
    "wufb-out": "notApplicable",
    "wufb-mdm": "notApplicable",
    "ctr-noruntime": "failed",
    ctr2016: "failed",
  });
  const noRuntime = at("HP-CNT-001", "ctr-noruntime");
  assert.match(noRuntime.actual, /not ready: container runtime \(no docker or containerd service\)$/);
  assert.deepEqual(noRuntime.details?.filter((d) => d.outcome === "deviation").map((d) => d.subject), ["container runtime"]);
  const old = at("HP-CNT-001", "ctr2016");
  assert.deepEqual(old.details?.filter((d) => d.outcome === "deviation").map((d) => d.subject), ["KB3176936 (Windows Server 2016)"]);
  // The OS revision decides where it was read; the update list is not read then.
  assert.deepEqual(old.evidence.map((e) => e.probe), ["windowsFeature:Containers", "service:docker", "service:containerd", "os", "windowsVersion"]);
  assert.match(at("HP-CNT-001", "wufb-in").reason?.message ?? "", /is not a container host/);

  assert.deepEqual(statuses("HP-CNT-002"), {
    "wsus-host": "notApplicable",
    "wufb-in": "notApplicable",
    "wufb-out": "notApplicable",
    "wufb-mdm": "notApplicable",
    "ctr-noruntime": "failed",
    ctr2016: "passed",
  });
  const processOnly = at("HP-CNT-002", "ctr-noruntime");
  assert.equal(processOnly.severity, "low");
  assert.match(processOnly.actual, /process isolation only$/);

  // The evidence is the command as it ran, runnable again with its parameters.
  const wsusEvidence = at("HP-WU-001", "wsus-host").evidence as { probe: string; command?: string }[];
  assert.ok(wsusEvidence[0]?.command?.startsWith("$HpProbe = @{ 'Key' = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU' }; Get-Item -LiteralPath $HpProbe.Key "), wsusEvidence[0]?.command);
});

test("controls --probes lists the generic probes these controls read, and no catalog probe beyond the identity ones and the update list", () => {
  const res = spawnCli(["controls", "--probes", "--tags", "@area:updates or @area:containers"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^HP-WU-001 .*\n\s+reads: registry:HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU, registry:HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate, registry:HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\Update$/m);
  assert.match(res.stdout, /^HP-CNT-001 .*\n\s+reads: os, hotfixes, windowsVersion, windowsFeature:Containers, service:docker, service:containerd$/m);
  assert.match(res.stdout, /^HP-CNT-002 .*\n\s+reads: windowsFeature:Containers, service:docker, service:containerd, windowsFeature:Hyper-V\|Microsoft-Hyper-V$/m);
  assert.match(res.stdout, /^A host is read for: os, computerSystem, hotfixes, windowsVersion\.$/m);
});
