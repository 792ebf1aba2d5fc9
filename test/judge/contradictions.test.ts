/**
 * Issue 18, class 2: facts that contradict each other decide nothing. The release facts of
 * HP-EOS-*, HP-CLU-001 and HP-PS2-001 (judge/os-release.ts); the Hyper-V role against Get-VM; and
 * a snapshot distrusted as a whole (facts/distrust.ts), which no control may pass or fail.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { normaliseSnapshot } from "../../src/facts";
import { distrustFacts } from "../../src/facts/distrust";
import { JUDGES } from "../../src/judge";
import { HYPER_V_ROLE, judgeIntegrationServicesOnHost } from "../../src/judge/hyperv";
import { osContradictions } from "../../src/judge/os-release";
import type { HostFacts, OsFact, WindowsVersionFact } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import { buildSnapshot, type HostSpec } from "../helpers/snapshot-builder";
import { clusterCtx, hostCtx, hostFacts, ok, workgroupCluster } from "../helpers/host-facts";

const SERVER_2019: OsFact = { caption: "Microsoft Windows Server 2019 Datacenter", version: "10.0.17763", major: 10, minor: 0, build: 17763, productType: 3, sku: 8, architecture: "64-bit" };
const VERSION_2019: WindowsVersionFact = { installationType: "Server", editionId: "ServerDatacenter", currentBuild: 17763, ubr: 6414, displayVersion: null };
const EOS = ["HP-EOS-001", "HP-EOS-002", "HP-EOS-003", "HP-CLU-001", "HP-PS2-001"];

function judgeRelease(os: OsFact, version: WindowsVersionFact = VERSION_2019) {
  const facts = hostFacts("h1", { os: ok("os", os), windowsVersion: ok("windowsVersion", version) });
  return EOS.map((id) => {
    const entry = JUDGES[id]!;
    assert.equal(entry.kind, "host");
    return { id, j: entry.kind === "host" ? entry.judge(hostCtx(facts)) : assert.fail() };
  });
}

describe("release facts that contradict each other", () => {
  it("a caption naming Windows Server 2003 with a 10.0 version passes no end-of-support control: undetermined, naming the contradiction", () => {
    const lie: OsFact = { ...SERVER_2019, caption: "Microsoft(R) Windows(R) Server 2003, Enterprise Edition" };
    for (const { id, j } of judgeRelease(lie)) {
      assert.equal(j.status, "undetermined", id);
      assert.equal(j.reason?.kind, "inconsistent", id);
      assert.match(j.reason?.message ?? "", /h1: .*contradict each other.*the caption 'Microsoft\(R\) Windows\(R\) Server 2003, Enterprise Edition' names Windows Server 2003, but the version is 10\.0\.17763/, id);
    }
  });

  it("names each other contradiction: product type, SKU, the CurrentVersion key's build and installation type", () => {
    const found = (os: Partial<OsFact>, version: Partial<WindowsVersionFact> = {}) => osContradictions({ ...SERVER_2019, ...os }, { ...VERSION_2019, ...version }).join("; ");
    assert.match(found({ productType: 1 }), /names Windows Server 2019, but ProductType 1 is a workstation/);
    assert.match(found({ sku: 48 }), /OperatingSystemSKU 48 is a workstation edition, but ProductType 3 is a server/);
    assert.match(found({}, { currentBuild: 20348 }), /Win32_OperatingSystem says build 17763, but the CurrentVersion key's CurrentBuild is 20348/);
    assert.match(found({}, { installationType: "Client" }), /InstallationType 'Client' is a workstation installation, but ProductType 3 is a server/);
    assert.match(found({}, { installationType: "Nano Server" }), /disagree on whether this is Nano Server/);
    assert.match(found({ caption: "Microsoft Windows 11 Pro", productType: 1, sku: 48, version: "10.0.19045", build: 19045 }, { installationType: "Client", currentBuild: 19045 }), /names Windows 11, but the version is 10\.0\.19045/);
  });

  it("finds none where the facts agree, or where the caption names no product (it is display text)", () => {
    assert.deepEqual(osContradictions(SERVER_2019, VERSION_2019), []);
    assert.deepEqual(osContradictions({ ...SERVER_2019, caption: "Microsoft Windows Server Datacenter" }, VERSION_2019), []);
    assert.deepEqual(osContradictions({ ...SERVER_2019, caption: "Microsoft Windows Server 2019 数据中心版" }, undefined), []);
    assert.deepEqual(osContradictions({ caption: "Microsoft(R) Windows(R) Server 2003 R2, Standard Edition", version: "5.2.3790", major: 5, minor: 2, build: 3790, productType: 3, sku: null, architecture: null }, undefined), []);
    for (const { id, j } of judgeRelease(SERVER_2019)) assert.notEqual(j.reason?.kind, "inconsistent", id);
  });
});

describe("the Hyper-V role against Get-VM", () => {
  it("a host whose role reads as not installed while Get-VM lists VMs is undetermined, not 'not a Hyper-V host'", () => {
    const spec: HostSpec = { name: "hv01", hyperV: { vms: [{ name: "app01" }] } };
    const facts = normaliseSnapshot(buildSnapshot(spec, { generic: [HYPER_V_ROLE] }));
    const role = facts.records[HYPER_V_ROLE.id] as { output: Record<string, unknown> };
    role.output = { ...role.output, Installed: false, InstallState: 0 };
    const j = judgeIntegrationServicesOnHost(hostCtx(facts));
    assert.equal(j.status, "undetermined");
    assert.equal(j.reason?.kind, "inconsistent");
    assert.match(j.reason?.message ?? "", /hv01: the Windows feature Hyper-V is not installed \(InstallState 0\), yet Get-VM listed 1 virtual machine/);
  });
});

describe("a snapshot that cannot be believed", () => {
  const clusters: InventoryCluster[] = [
    workgroupCluster(["hv01", "hv02"]),
    { name: "HVCLU2", type: "multi-domain", nodes: ["hv01", "hv02"], adminAccount: "clusadmin", domains: ["hv.example.net"] },
    { name: "HVCLU3", type: "single-domain", nodes: ["hv01", "hv02"] },
  ];
  const lie = (name: string): HostFacts => distrustFacts(hostFacts(name), `the snapshot names the host 'OTHER', but the inventory's host is '${name}'`);

  it("gives no control a pass or a failure, on the host or on a cluster of such hosts, and every reason names it", () => {
    let distrusted = 0;
    for (const cluster of [undefined, ...clusters]) {
      for (const id of Object.keys(JUDGES)) {
        const entry = JUDGES[id]!;
        // The estate-wide controls read the directory snapshot, not a host's facts.
        if (entry.kind === "directory") continue;
        const j = entry.kind === "host" ? entry.judge(hostCtx(lie("hv01"), cluster ? { cluster } : {})) : entry.judge(clusterCtx(cluster ?? clusters[0]!, [lie("hv01"), lie("hv02")]));
        assert.ok(j.status === "undetermined" || j.status === "notApplicable", `${id} on ${cluster?.type ?? "standalone"}: ${j.status} ${j.actual}`);
        // A fact that was never there (a generic record these built facts lack) keeps its own reason.
        if (j.reason?.kind === "inconsistent") {
          assert.match(j.reason.message, /the inventory's host is 'hv0\d'/, id);
          distrusted++;
        }
      }
    }
    assert.ok(distrusted > 40, `${distrusted} results said why`);
  });

  it("keeps a fact's own reason where it could not be read anyway", () => {
    const facts = distrustFacts(hostFacts("hv01", { uacPolicy: { ok: false, probe: "uacPolicy", problem: { kind: "access-denied", message: "Access is denied." } } }), "why");
    assert.equal(facts.uacPolicy.ok ? "read" : facts.uacPolicy.problem.kind, "access-denied");
    assert.equal(facts.os.ok ? "read" : facts.os.problem.kind, "inconsistent");
  });
});
