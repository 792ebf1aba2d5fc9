/**
 * Issue 24, "verdicts the facts decide": a control decides as soon as the facts it reads decide,
 * whatever happened to a probe it does not need for that answer (and never passes on less); the
 * edition is needed for a Windows 10/11 release only where its editions end on different days; a
 * workstation is never given a server release's name or date, nor the reverse.
 *
 * Real captured outputs where they exist (/work/shared/reference/samples): getperf/getconfig's
 * ja-JP Windows Server 2016 Evaluation (Caption, ProductType 3, PowerShell-V2 among the installed
 * features) and Microsoft's own CurrentVersion example of a Server Core 1809 host (InstallationType
 * "Server Core", CurrentBuild 17763).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readComputer } from "../../src/directory/computer";
import { judgeClusterAccountOnEveryNode } from "../../src/judge/cluster";
import { judgeOsSupportsWorkgroupCluster } from "../../src/judge/cluster-node";
import { CONTAINER_HOST_PROBES, HYPERV_FEATURE, judgeContainerHostReady } from "../../src/judge/containers";
import { judgeDirectoryAgreesWithHost, judgeDirectoryEndOfSupport, type HostInDirectory } from "../../src/judge/directory";
import { HYPER_V_ROLE, judgeIntegrationServicesOnHost } from "../../src/judge/hyperv";
import { judgeNotNearEndOfSupport, judgeNotWindowsServer2003, judgeWithinExtendedSupport } from "../../src/judge/lifecycle";
import { lookupLifecycle } from "../../src/judge/lifecycle-data";
import { osContradictions } from "../../src/judge/os-release";
import { judgePowerShellV2Disabled, POWERSHELL_V2_FEATURE, POWERSHELL_V2_OPTIONAL } from "../../src/judge/powershell-v2";
import { judgeTokenFilterPolicyBaseline } from "../../src/judge/token-filter";
import type { HostFacts, OsFact, WindowsVersionFact } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import type { JsonValue } from "../../src/model/json";
import type { ProbeRecord } from "../../src/model/snapshot";
import { clusterCtx, expectStatus, hostCtx, hostFacts, machineSid, ok, unreadable, workgroupCluster } from "../helpers/host-facts";
import { buildGenericRecords } from "../helpers/snapshot-builder";

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const out = (output: JsonValue): ProbeRecord => ({ command: "(reader)", startedAt: "2026-12-06T08:00:00Z", output });
const denied = (): ProbeRecord => ({ command: "(reader)", startedAt: "2026-12-06T08:00:00Z", error: { kind: "access-denied", message: "Access is denied." } });
const [ROOT, V2] = POWERSHELL_V2_OPTIONAL as [typeof POWERSHELL_V2_OPTIONAL[0], typeof POWERSHELL_V2_OPTIONAL[0]];
const version = (v: Partial<WindowsVersionFact>): HostFacts["windowsVersion"] => ok("windowsVersion", { installationType: null, editionId: null, currentBuild: null, ubr: null, displayVersion: null, ...v });
const osOf = (caption: string, build: number, productType: number | null, sku: number | null, major = 10, minor = 0): OsFact => ({ caption, version: `${major}.${minor}.${build}`, major, minor, build, productType, sku, architecture: null });

/** getperf/getconfig, w2016/os and w2016/feature: `Caption : Microsoft Windows Server 2016 Standard Evaluation`, `ProductType : 3`, `Name : PowerShell-V2` installed. */
const GETPERF_2016 = osOf("Microsoft Windows Server 2016 Standard Evaluation", 14393, 3, 79);
const GETPERF_2016_PS2 = out({ Name: "PowerShell-V2", DisplayName: "Windows PowerShell 2.0 エンジン", Installed: true, InstallState: 1 });
/** MicrosoftDocs windowsserverdocs: `InstallationType : Server Core`, `CurrentBuild : 17763` (Windows Server 1809 SAC Standard). */
const MSDOCS_CORE_1809 = version({ installationType: "Server Core", currentBuild: 17763, editionId: null });

const ps2 = (records: Record<string, ProbeRecord>, extra: Parameters<typeof hostFacts>[1] = {}) =>
  judgePowerShellV2Disabled(hostCtx(hostFacts("h1", { records, ...extra })));

describe("HP-PS2-001: the feature records decide without the release facts", () => {
  it("PowerShell-V2 installed (getperf's Server 2016 capture) fails though Win32_OperatingSystem could not be read", () => {
    const j = expectStatus(ps2({ [POWERSHELL_V2_FEATURE.id]: GETPERF_2016_PS2, [ROOT.id]: denied(), [V2.id]: denied() }, { os: unreadable("os"), windowsVersion: unreadable("windowsVersion") }), "failed");
    assert.equal(j.actual, "PowerShell-V2 is installed");
    assert.match(j.rule ?? "", /whether this is a server or a workstation could not be told/);
  });

  it("fails where the release facts contradict each other but a feature record shows the engine", () => {
    const lie = { ...GETPERF_2016, caption: "Microsoft(R) Windows(R) Server 2003, Enterprise Edition" };
    expectStatus(ps2({ [POWERSHELL_V2_FEATURE.id]: GETPERF_2016_PS2 }, { os: ok("os", lie) }), "failed");
  });

  it("passes without the release facts only where all three records were read and show it off or absent", () => {
    const off = {
      [POWERSHELL_V2_FEATURE.id]: out({ Name: "PowerShell-V2", Installed: false, InstallState: 4 }),
      [ROOT.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2Root", State: 6 }),
      [V2.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2", State: 6 }),
    };
    const j = expectStatus(ps2(off, { os: unreadable("os"), windowsVersion: MSDOCS_CORE_1809 }), "passed");
    assert.match(j.rule ?? "", /every record \(Server Manager's and DISM's\) shows the engine off or absent/);
    const partly = expectStatus(ps2({ ...off, [ROOT.id]: denied() }, { os: unreadable("os", "not-supported", "Get-CimInstance is not recognized") }), "undetermined");
    assert.equal(partly.reason?.kind, "not-supported", "the os fact is what was missing");
  });

  it("a workstation whose optional features could not be read fails on DISM's record of the engine", () => {
    const client = ok("os", osOf("Microsoft Windows 10 Pro", 19045, 1, 48));
    const j = expectStatus(ps2({ [POWERSHELL_V2_FEATURE.id]: out({ Name: "MicrosoftWindowsPowerShellV2", Installed: true, InstallState: 1 }), [ROOT.id]: denied(), [V2.id]: denied() }, { os: client }), "failed");
    assert.match(j.actual, /MicrosoftWindowsPowerShellV2 is installed/);
  });

  it("Windows 11 Enterprise multi-session (ProductType 3, SKU 175) is a workstation: judged by the optional features", () => {
    const avd = ok("os", osOf("Microsoft Windows 11 Enterprise multi-session", 26100, 3, 175));
    const j = expectStatus(ps2({ [ROOT.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2Root", State: 2 }), [V2.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2", State: 2 }) }, { os: avd, windowsVersion: version({ installationType: "Client", editionId: "ServerRdsh", currentBuild: 26100, ubr: 4349 }) }), "failed");
    assert.match(j.actual, /MicrosoftWindowsPowerShellV2Root is Enabled/);
  });
});

describe("end of support: the edition only where editions differ", () => {
  const ctx = (os: OsFact, asOf: Date, v?: HostFacts["windowsVersion"]) => hostCtx(hostFacts("pc01", { os: ok("os", os), ...(v ? { windowsVersion: v } : {}) }), { asOf });

  it("dates a Windows 10 release whose editions all ended on one day without the SKU", () => {
    for (const [build, end] of [[10586, "2017-10-10"], [18362, "2020-12-08"], [19041, "2021-12-14"], [19043, "2022-12-13"], [19045, "2025-10-14"]] as const) {
      const found = lookupLifecycle(osOf("localised", build, 1, null));
      assert.ok(found.ok, `${build}: ${found.ok ? "" : found.why}`);
      assert.equal(found.entry.extendedSupportEnd, end);
      assert.match(found.entry.product, /every edition/);
    }
    // 1507 is also Enterprise 2015 LTSB (2025-10-14): the edition is needed there.
    assert.equal(lookupLifecycle(osOf("localised", 10240, 1, null)).ok, false);
  });

  it("decides without the SKU where every edition of the build gives the same answer, and only then", () => {
    // 1909: Home/Pro 2021-05-11, Enterprise/Education 2022-05-10, both long past.
    const j = expectStatus(judgeWithinExtendedSupport(ctx(osOf("localised", 18363, 1, null), at("2026-11-29"))), "failed");
    assert.match(j.rule ?? "", /the facts leave 2 releases open/);
    expectStatus(judgeNotNearEndOfSupport(ctx(osOf("localised", 18363, 1, null), at("2026-11-29"))), "notApplicable");
    // 24H2 at 2026-01-05: Home/Pro ends 2026-10-13, the rest later; every one more than 90 days away.
    expectStatus(judgeWithinExtendedSupport(ctx(osOf("localised", 26100, 1, null), at("2026-01-05"))), "passed");
    expectStatus(judgeNotNearEndOfSupport(ctx(osOf("localised", 26100, 1, null), at("2026-01-05"))), "passed");
    // 2026-08-01: Home/Pro is within the window, the others are not.
    expectStatus(judgeNotNearEndOfSupport(ctx(osOf("localised", 26100, 1, null), at("2026-08-01"))), "undetermined");
  });

  it("Windows Server 2025 ends 2034-10-10 (Microsoft's page), and Windows 11 26H1 (build 28000) is dated by edition", () => {
    const s2025 = lookupLifecycle(osOf("Microsoft Windows Server 2025 Datacenter", 26100, 3, 8));
    assert.ok(s2025.ok);
    assert.equal(s2025.entry.extendedSupportEnd, "2034-10-10");
    const home = lookupLifecycle(osOf("localised", 28000, 1, 48));
    const ent = lookupLifecycle(osOf("localised", 28000, 1, 4));
    assert.ok(home.ok && ent.ok);
    assert.deepEqual([home.entry.product, home.entry.extendedSupportEnd, ent.entry.extendedSupportEnd], ["Windows 11 version 26H1 Home and Pro", "2028-03-14", "2029-03-13"]);
  });
});

describe("a workstation is never given a server release's name or date, nor the reverse", () => {
  const ctx = (os: OsFact, v: HostFacts["windowsVersion"], asOf = at("2026-11-29")) => hostCtx(hostFacts("pc01", { os: ok("os", os), windowsVersion: v }), { asOf });

  it("a caption naming Windows 10 without ProductType is Windows 10 1809, not Windows Server 2019", () => {
    const j = expectStatus(judgeWithinExtendedSupport(ctx(osOf("Microsoft Windows 10 Enterprise", 17763, null, 4), unreadable("windowsVersion"))), "failed");
    assert.match(j.actual, /^Windows 10 version 1809 Enterprise and Education .*2021-05-11/);
    expectStatus(judgeOsSupportsWorkgroupCluster(ctx(osOf("Microsoft Windows 10 Enterprise", 17763, null, 4), unreadable("windowsVersion"))), "failed");
  });

  it("Windows 11 24H2 Enterprise multi-session (ProductType 3) is Windows 11, not Windows Server 2025; it cannot be a cluster node", () => {
    const avd = osOf("Microsoft Windows 11 Enterprise multi-session", 26100, 3, 175);
    const v = version({ installationType: "Client", editionId: "ServerRdsh", currentBuild: 26100, ubr: 4349 });
    assert.deepEqual(osContradictions(avd, v.ok ? v.value : undefined), []);
    const j = expectStatus(judgeWithinExtendedSupport(ctx(avd, v)), "passed");
    assert.match(j.actual, /^Windows 11 version 24H2 Enterprise and Education .*2027-10-12/);
    assert.match(expectStatus(judgeOsSupportsWorkgroupCluster(ctx(avd, v)), "failed").actual, /a workstation edition/);
  });

  it("nothing says server or workstation: a cluster-node check does not pass on the version alone", () => {
    const j = expectStatus(judgeOsSupportsWorkgroupCluster(ctx(osOf("Microsoft Windows", 17763, null, null), unreadable("windowsVersion"))), "undetermined");
    assert.match(j.reason?.message ?? "", /no fact read .* says which/);
  });

  it("a caption naming a workstation against a server SKU or installation type is a contradiction even without ProductType", () => {
    assert.match(osContradictions(osOf("Microsoft Windows 10 Pro", 14393, null, 143), undefined).join("; "), /names Windows 10, but OperatingSystemSKU 143 is a server edition/);
    assert.match(osContradictions(osOf("Microsoft Windows 11 Pro", 26100, null, null), MSDOCS_CORE_1809.ok ? { ...MSDOCS_CORE_1809.value, currentBuild: 26100 } : undefined).join("; "), /names Windows 11, but InstallationType 'Server Core' is a server installation/);
  });

  const computer = (name: string, os: string, ver: string) =>
    readComputer({ dn: `CN=${name},OU=Servers,DC=corp,DC=example`, attributes: { name: [name], operatingSystem: [os], operatingSystemVersion: [ver], lastLogonTimestamp: ["134090000000000000"], pwdLastSet: ["134090000000000000"], userAccountControl: ["4096"] } });
  const readAt = new Date("2025-12-01T00:00:00Z");
  const dir = (os: string, ver: string) => {
    const j = judgeDirectoryEndOfSupport({ computers: [computer("X", os, ver)], asOf: at("2026-11-29"), readAt, activeDays: 90 });
    return `${j.status}: ${j.details?.[0]?.actual ?? j.actual}`;
  };

  it("in the directory: a text naming one release at another's build is not dated as a third", () => {
    // Before: Server 2025's name at 17763 fell through to "Windows Server version 1809 (Semi-Annual Channel)".
    assert.match(dir("Windows Server 2025 Datacenter", "10.0 (17763)"), /^undetermined: .*names Windows Server 2025, but operatingSystemVersion is 10\.0 \(17763\)/);
    assert.match(dir("Windows 11 Pro", "10.0 (19045)"), /^undetermined: .*names Windows 11, but operatingSystemVersion is 10\.0 \(19045\)/);
    // No edition named: 22H2 ended on one day for every edition.
    assert.match(dir("Windows 10", "10.0 (19045)"), /^failed: Windows 10 version 22H2, every edition .*ended 2025-10-14/);
  });

  it("HP-DIR-003: the directory naming another release at the host's build, or a server for a workstation, disagrees", () => {
    const held = (c: ReturnType<typeof computer>): HostInDirectory => ({ kind: "objects", domain: "corp.example", computers: [c] });
    // hostFacts' host is Windows Server 2019, 10.0.17763.
    const j = expectStatus(judgeDirectoryAgreesWithHost(hostCtx(hostFacts("hv01"), { directory: held(computer("HV01", "Windows Server 2022 Datacenter", "10.0 (17763)")) })), "failed");
    assert.match(j.details![0]!.note!, /names Windows Server 2022/);
    const avd = hostFacts("hv01", { os: ok("os", osOf("Microsoft Windows 11 Enterprise multi-session", 26100, 3, 175)), windowsVersion: version({ installationType: "Client", editionId: "ServerRdsh", currentBuild: 26100 }) });
    expectStatus(judgeDirectoryAgreesWithHost(hostCtx(avd, { directory: held(computer("HV01", "Windows Server 2025 Datacenter", "10.0 (26100)")) })), "failed");
    expectStatus(judgeDirectoryAgreesWithHost(hostCtx(avd, { directory: held(computer("HV01", "Windows 11 Enterprise multi-session", "10.0 (26100)")) })), "passed");
  });
});

describe("other controls decide on the facts they need", () => {
  it("HP-EOS-001: the CurrentVersion key's build (Microsoft's Server Core 1809 example) decides without Win32_OperatingSystem", () => {
    expectStatus(judgeNotWindowsServer2003(hostCtx(hostFacts("h1", { os: unreadable("os"), windowsVersion: MSDOCS_CORE_1809 }))), "passed");
  });

  it("HP-CLU-003: a disabled account fails its node though Administrators could not be read", () => {
    const sid = machineSid("hv02");
    const nodes = [hostFacts("hv01"), hostFacts("hv02", { localUsers: ok("localUsers", [{ name: "clusadmin", sid: `${sid}-1001`, enabled: false }]), administratorsGroup: unreadable("administratorsGroup") })];
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(workgroupCluster(["hv01", "hv02"]), nodes)), "failed");
    assert.match(j.actual, /hv02: clusadmin disabled/);
  });

  it("HP-UAC-001: a workgroup node needs no os fact; a domain controller no membership; a domain-member server no account", () => {
    const wg = workgroupCluster(["hv01", "hv02"]);
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(hostFacts("hv01", { os: unreadable("os"), uacPolicy: ok("uacPolicy", { localAccountTokenFilterPolicy: 1 }) }), { cluster: wg })), "notApplicable");
    const dc = ok("os", osOf("Microsoft Windows Server 2019 Datacenter", 17763, 2, 8));
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(hostFacts("hv01", { os: dc, computerSystem: unreadable("computerSystem") }), { cluster: wg })), "notApplicable");
    const md: InventoryCluster = { name: "HVCLU2", type: "multi-domain", nodes: ["hv01", "hv02"], adminAccount: "clusadmin", domains: ["a.example", "b.example"] };
    const joined = ok("computerSystem", { name: "HV01", dnsHostName: "hv01", domain: "a.example", partOfDomain: true, workgroup: null, manufacturer: null, model: null });
    const member = (value: number | null) => hostFacts("hv01", { computerSystem: joined, localUsers: unreadable("localUsers"), uacPolicy: ok("uacPolicy", { localAccountTokenFilterPolicy: value }) });
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(member(1), { cluster: md })), "failed");
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(member(null), { cluster: md })), "passed");
    // A workgroup member with unreadable local users stays undetermined: the account decides there.
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(hostFacts("hv01", { localUsers: unreadable("localUsers") }), { cluster: wg })), "undetermined");
  });

  it("HP-HV-001: VMs that Get-VM lists prove the role; an unreadable role record does not hide a deviation", () => {
    const vms = ok("vmIntegrationServices", [
      { vmName: "app01", vmId: "1", name: "Guest Service Interface", id: "Microsoft:1\\6C09BB55-D683-4DA0-8931-C9BF705F6480", serviceId: "6C09BB55-D683-4DA0-8931-C9BF705F6480", enabled: true, primaryStatus: "OK", secondaryStatus: null },
    ]);
    const j = judgeIntegrationServicesOnHost(hostCtx(hostFacts("hv01", { records: { [HYPER_V_ROLE.id]: denied() }, vmIntegrationServices: vms as HostFacts["vmIntegrationServices"] })));
    expectStatus(j, "failed");
    expectStatus(judgeIntegrationServicesOnHost(hostCtx(hostFacts("hv01", { records: { [HYPER_V_ROLE.id]: denied() } }))), "undetermined");
  });

  it("HP-CNT-001: the CurrentVersion key's build says the Server 2016 update is not needed when Win32_OperatingSystem could not be read", () => {
    const recs = buildGenericRecords({ name: "c1", system: { windowsFeatures: [{ name: "Containers", installState: 1, optionalName: "Containers" }], services: [{ name: "docker", displayName: "Docker Engine" }] } }, [...CONTAINER_HOST_PROBES, HYPERV_FEATURE]);
    const j = expectStatus(judgeContainerHostReady(hostCtx(hostFacts("c1", { records: recs, os: unreadable("os"), windowsVersion: version({ installationType: "Server", currentBuild: 20348, ubr: 2700 }) }))), "passed");
    assert.match(j.details!.find((d) => d.subject.startsWith("KB3176936"))!.actual, /not needed: build 20348 \(the CurrentVersion key's CurrentBuild/);
  });
});
