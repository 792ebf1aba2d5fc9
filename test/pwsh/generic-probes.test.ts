/**
 * The generic probes (src/probes/generic.ts) run by the real collector under real pwsh against the
 * stand-in module, compared record by record with what the snapshot builder says the collector
 * records for the same HostSpec: the command that ran, the parameters, the output exactly as 5.1's
 * ConvertTo-Json gives it, or the error kind. Needs pwsh; skips visibly without it.
 *
 * Both sides derive from one simulated state (resolveSystem), so agreement alone could hide a
 * shared mistake; the tests also state the values Windows gives outright (a DWORD above
 * 0x7FFFFFFF is negative, the default value is named "", enums are integers...). Messages are
 * not compared: PowerShell 7 words them differently from 5.1, and no judge reads them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "../../src/model/json";
import { isProbeFailure, type ProbeRecord, type Snapshot } from "../../src/model/snapshot";
import { HP_JSON_TAIL, JSON_TAIL } from "../../src/probes/catalog";
import { GENERIC_READERS, genericProbe, isGenericProbeId, type GenericProbe } from "../../src/probes/generic";
import { powerShellSyntaxCharacters } from "../../src/powershell/quote";
import { buildGenericRecords, type HostSpec, type SnapshotOptions } from "../helpers/snapshot-builder";
import { GUEST_SERVICE_PROBES, HYPER_V_ROLE } from "../../src/judge/hyperv";
import { toFakeHost } from "./fake-host";
import { collect, pwshOrSkip, type Cmdlets, type CollectOptions } from "./run-collector";

const ORPHAN = "S-1-5-21-1004336348-1177238915-682003330-1199";

const host: HostSpec = {
  name: "gen01",
  os: { version: "10.0.20348" },
  system: {
    registry: {
      "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services": {
        "": "policy root",
        fDenyTSConnections: 1,
        MaxIdleTime: 0xffffffff,
        MinEncryptionLevel: 0x80000000,
        TrustedServers: ["rds01.corp.contoso.test"],
        NoServers: [],
        Certificate: { kind: "Binary", data: "00ff7f" },
        SessionLimit: { kind: "QWord", data: 2 ** 40 },
        LogPath: { kind: "ExpandString", data: "%SystemRoot%\\System32\\LogFiles" },
      },
      "HKLM\\SOFTWARE\\Contoso\\EmptyKey": {},
      "HKU\\.DEFAULT\\Control Panel\\Desktop": { ScreenSaveActive: "1" },
    },
    services: [
      { name: "W32Time", displayName: "Windows Time", status: "Running", startType: "Automatic" },
      { name: "Spooler", displayName: "Print Spooler", status: "Stopped", startType: "Disabled" },
      { name: "MSSQL$SQLEXPRESS", displayName: "SQL Server (SQLEXPRESS)", status: "Paused", startType: "Manual" },
    ],
    windowsFeatures: [
      { name: "Telnet-Client", installState: 0, optionalName: "TelnetClient" },
      { name: "Web-Server", displayName: "Web Server (IIS)", installState: 1, optionalName: "IIS-WebServerRole" },
    ],
    optionalFeatures: [
      { name: "SMB1Protocol", displayName: "SMB 1.0/CIFS File Sharing Support", state: 6 },
      { name: "MicrosoftWindowsPowerShellV2Root", state: 0 },
      { name: "NetFx3", state: 2 },
    ],
    localGroups: [
      {
        // A German host: the well-known group has its localised name.
        name: "Remotedesktopbenutzer",
        sid: "S-1-5-32-555",
        members: [
          "Administrator",
          { name: "CORP\\Helpdesk", objectClass: "Group", sid: "S-1-5-21-3201472194-3438674593-1816607953-1105", principalSource: 2 },
          { name: `CORP\\${ORPHAN}`, sid: ORPHAN, principalSource: 0 },
        ],
      },
      { name: "Sicherungs-Operatoren", sid: "S-1-5-32-551" },
    ],
    cim: {
      "root\\Microsoft\\Windows\\DeviceGuard": { Win32_DeviceGuard: [{ VirtualizationBasedSecurityStatus: 2, SecurityServicesRunning: [1, 2], RequiredSecurityProperties: [] }] },
      "root\\cimv2\\Security\\MicrosoftTpm": { Win32_Tpm: [] },
      "root\\StandardCimv2": {
        MSFT_NetFirewallProfile: [
          { Name: "Domain", Enabled: 1 },
          { Name: "Private", Enabled: 1 },
          { Name: "Public", Enabled: 0 },
        ],
      },
    },
  },
};

const TS_KEY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services";

const registry = {
  policy: genericProbe.registry(TS_KEY),
  empty: genericProbe.registry("HKLM\\SOFTWARE\\Contoso\\EmptyKey"),
  absent: genericProbe.registry("HKLM\\SOFTWARE\\Contoso\\NoSuchKey"),
  user: genericProbe.registry("HKU\\.DEFAULT\\Control Panel\\Desktop"),
  // A key the built-in probes read, seen by the generic reader with its types.
  uac: genericProbe.registry("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System"),
};
const service = {
  running: genericProbe.service("W32Time"),
  stopped: genericProbe.service("spooler"),
  instance: genericProbe.service("MSSQL$SQLEXPRESS"),
  absent: genericProbe.service("NoSuchService"),
};
const windowsFeature = {
  available: genericProbe.windowsFeature("Telnet-Client", "TelnetClient"),
  installed: genericProbe.windowsFeature("Web-Server", "IIS-WebServerRole"),
  clustering: genericProbe.windowsFeature("Failover-Clustering", "FailoverCluster-FullServer"),
  unknown: genericProbe.windowsFeature("No-Such-Feature"),
};
const optionalFeature = {
  removed: genericProbe.optionalFeature("SMB1Protocol"),
  disabled: genericProbe.optionalFeature("MicrosoftWindowsPowerShellV2Root"),
  enabled: genericProbe.optionalFeature("NetFx3"),
  unknown: genericProbe.optionalFeature("NoSuchFeature"),
};
const localGroup = {
  bySid: genericProbe.localGroup("S-1-5-32-555"),
  byName: genericProbe.localGroup("Remotedesktopbenutzer"),
  englishName: genericProbe.localGroup("Remote Desktop Users"),
  empty: genericProbe.localGroup("S-1-5-32-551"),
  administrators: genericProbe.localGroup("S-1-5-32-544"),
  absent: genericProbe.localGroup("S-1-5-32-999"),
};
const cim = {
  noKey: genericProbe.cim("root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard", "SecurityServicesRunning"),
  withKey: genericProbe.cim("root\\StandardCimv2", "MSFT_NetFirewallProfile", "Enabled", { property: "Name", value: "public" }),
  every: genericProbe.cim("root\\StandardCimv2", "MSFT_NetFirewallProfile", "Enabled"),
  keyIsProperty: genericProbe.cim("root\\StandardCimv2", "MSFT_NetFirewallProfile", "Name", { property: "name", value: "Domain" }),
  noInstances: genericProbe.cim("root\\cimv2\\Security\\MicrosoftTpm", "Win32_Tpm", "IsEnabled_InitialValue"),
  derived: genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode", { property: "Name", value: "Spooler" }),
  os: genericProbe.cim("root\\cimv2", "Win32_OperatingSystem", "caption"),
  absentClass: genericProbe.cim("root\\cimv2", "Win32_NoSuchClass", "Name"),
  absentNamespace: genericProbe.cim("root\\NoSuchNamespace", "Win32_NoSuchClass", "Name"),
};

const all = (group: Record<string, GenericProbe>): GenericProbe[] => Object.values(group);

/** The collector's run of `probes` (no built-in probes), and the builder's records for the same host and cmdlets. */
function run(pwsh: string, spec: HostSpec, probes: readonly GenericProbe[], cmdlets: Cmdlets = {}, options: CollectOptions & SnapshotOptions = {}): { live: Snapshot; built: Record<string, ProbeRecord> } {
  const live = collect(pwsh, spec, cmdlets, { probes: [], generic: probes, ...options });
  // The table the stand-in really got (toFakeHost adds what the spec implies, such as a missing FailoverClusters module).
  const effective = toFakeHost(spec, cmdlets, options.fake).cmdlets ?? {};
  const built = buildGenericRecords(spec, probes, { cmdlets: effective, probeTimeoutSeconds: options.probeTimeoutSeconds, convertToJson: options.convertToJson });
  return { live, built };
}

/** Every generic record of the live run is the builder's: command, parameters, output or error kind. */
function assertSameRecords(live: Snapshot, built: Record<string, ProbeRecord>, probes: readonly GenericProbe[]): void {
  assert.deepEqual(
    Object.keys(live.probes).filter(isGenericProbeId),
    probes.map((p) => p.id),
    "one record per listed probe, in the list's order",
  );
  for (const p of probes) {
    const got = live.probes[p.id];
    const want = built[p.id];
    assert.ok(got && want, `${p.id} has a record`);
    assert.equal(got.command, want.command, `${p.id}: command`);
    assert.deepEqual(got.parameters, want.parameters, `${p.id}: parameters`);
    if (isProbeFailure(want)) {
      assert.ok(isProbeFailure(got), `${p.id} fails (${want.error.kind}) as the builder says; the collector recorded ${JSON.stringify(got)}`);
      assert.equal(got.error.kind, want.error.kind, `${p.id}: error kind (${got.error.message})`);
    } else {
      assert.ok(!isProbeFailure(got), `${p.id} succeeds as the builder says; the collector recorded ${JSON.stringify(got)}`);
      assert.deepEqual(got.output, want.output, `${p.id}: output`);
    }
  }
}

function output(s: Snapshot, p: GenericProbe): JsonValue {
  const r = s.probes[p.id];
  assert.ok(r && !isProbeFailure(r), `${p.id} succeeded: ${JSON.stringify(r)}`);
  return r.output;
}

function failure(s: Snapshot, p: GenericProbe): { kind: string; message: string; command: string } {
  const r = s.probes[p.id];
  assert.ok(r && isProbeFailure(r), `${p.id} failed: ${JSON.stringify(r)}`);
  return { ...r.error, command: r.command };
}

test("pwsh: every generic kind by its first reader gives the builder's records, in 5.1's shapes", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [...all(registry), ...all(service), ...all(windowsFeature), ...all(optionalFeature), ...all(localGroup), ...all(cim)];
  const { live, built } = run(pwsh, host, probes);
  assertSameRecords(live, built, probes);
  for (const p of probes) {
    if (p !== optionalFeature.unknown && p !== cim.absentClass && p !== cim.absentNamespace) assert.equal(live.probes[p.id]?.command, GENERIC_READERS[p.kind][0], p.id);
  }

  // What Windows gives, stated outright.
  assert.deepEqual(output(live, registry.policy), [
    { Name: "", Kind: "String", Data: "policy root" },
    { Name: "fDenyTSConnections", Kind: "DWord", Data: 1 },
    { Name: "MaxIdleTime", Kind: "DWord", Data: -1 },
    { Name: "MinEncryptionLevel", Kind: "DWord", Data: -2147483648 },
    { Name: "TrustedServers", Kind: "MultiString", Data: ["rds01.corp.contoso.test"] },
    { Name: "NoServers", Kind: "MultiString", Data: [] },
    { Name: "Certificate", Kind: "Binary", Data: [0, 255, 127] },
    { Name: "SessionLimit", Kind: "QWord", Data: 2 ** 40 },
    { Name: "LogPath", Kind: "ExpandString", Data: "%SystemRoot%\\System32\\LogFiles" },
  ]);
  assert.equal(output(live, registry.empty), null, "a key without values: no output, no error");
  assert.equal(failure(live, registry.absent).kind, "not-found");
  assert.deepEqual(output(live, registry.user), { Name: "ScreenSaveActive", Kind: "String", Data: "1" });
  assert.deepEqual((output(live, registry.uac) as JsonObject[]).map((v) => v.Kind), ["DWord", "DWord"]);
  assert.deepEqual(output(live, service.running), { Name: "W32Time", DisplayName: "Windows Time", Status: 4, StartType: 2 });
  assert.deepEqual(output(live, service.stopped), { Name: "Spooler", DisplayName: "Print Spooler", Status: 1, StartType: 4 });
  assert.equal(failure(live, service.absent).kind, "not-found");
  assert.deepEqual(output(live, windowsFeature.installed), { Name: "Web-Server", DisplayName: "Web Server (IIS)", Installed: true, InstallState: 1 });
  assert.equal(output(live, windowsFeature.unknown), null, "Get-WindowsFeature: no output, no error, for a name it does not know");
  assert.deepEqual(output(live, optionalFeature.removed), { FeatureName: "SMB1Protocol", State: 6 });
  // DISM fails on a name it does not know (other), so the WMI fallback answers: no such feature.
  assert.equal(live.probes[optionalFeature.unknown.id]?.command, GENERIC_READERS.optionalFeature[1]);
  assert.equal(output(live, optionalFeature.unknown), null);
  const members = output(live, localGroup.bySid) as JsonObject[];
  assert.deepEqual(members.map((m) => [m.Name, m.PrincipalSource]), [["GEN01\\Administrator", 1], ["CORP\\Helpdesk", 2], [`CORP\\${ORPHAN}`, 0]]);
  assert.deepEqual(output(live, localGroup.byName), members);
  assert.equal(failure(live, localGroup.englishName).kind, "not-found", "the English name of a group localised on this host");
  assert.equal(output(live, localGroup.empty), null);
  assert.equal(failure(live, localGroup.absent).kind, "not-found");
  assert.deepEqual(output(live, cim.noKey), { SecurityServicesRunning: [1, 2] });
  assert.deepEqual(output(live, cim.withKey), { Name: "Public", Enabled: 0 });
  assert.deepEqual(output(live, cim.every), [{ Enabled: 1 }, { Enabled: 1 }, { Enabled: 0 }]);
  assert.deepEqual(output(live, cim.keyIsProperty), { Name: "Domain" });
  assert.equal(output(live, cim.noInstances), null);
  assert.deepEqual(output(live, cim.derived), { Name: "Spooler", StartMode: "Disabled" });
  assert.match(String((output(live, cim.os) as JsonObject).Caption), /Windows Server 2022/);
  for (const p of [cim.absentClass, cim.absentNamespace]) {
    // Invalid class / namespace is not an answer about the host: both readers are tried.
    const e = failure(live, p);
    assert.equal(e.kind, "other");
    assert.equal(e.command, GENERIC_READERS.cim[1]);
    assert.match(e.message, /Invalid (class|namespace)[\s\S]*first command failed: Invalid (class|namespace)/);
  }
});

test("pwsh: without ServerManager and LocalAccounts, features come from DISM and groups from WMI", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [...all(windowsFeature), optionalFeature.removed, optionalFeature.unknown, ...all(localGroup)];
  const { live, built } = run(pwsh, host, probes, { "Get-WindowsFeature": "missing", "Get-LocalGroupMember": "missing" });
  assertSameRecords(live, built, probes);
  for (const p of [...all(windowsFeature), ...all(localGroup)]) assert.equal(live.probes[p.id]?.command, GENERIC_READERS[p.kind][1], p.id);
  assert.deepEqual(output(live, windowsFeature.installed), { Name: "IIS-WebServerRole", DisplayName: "Web Server (IIS)", Installed: true, InstallState: 1 });
  assert.deepEqual(output(live, windowsFeature.clustering), { Name: "FailoverCluster-FullServer", DisplayName: "Failover Clustering", Installed: true, InstallState: 1 });
  // DISM does not know the ServerManager name: an error for this probe (the first command's failure kept in the message).
  const unknown = failure(live, windowsFeature.unknown);
  assert.equal(unknown.kind, "other");
  assert.match(unknown.message, /is unknown[\s\S]*first command failed: [\s\S]*Get-WindowsFeature/);
  // WMI resolves what it can: the orphaned member is left out, and PrincipalSource is only local or not.
  assert.deepEqual(output(live, localGroup.bySid), [
    { Name: "GEN01\\Administrator", ObjectClass: "User", SID: (output(live, localGroup.administrators) as JsonObject[])[0]!.SID!, PrincipalSource: 1 },
    { Name: "CORP\\Helpdesk", ObjectClass: "Group", SID: "S-1-5-21-3201472194-3438674593-1816607953-1105", PrincipalSource: 2 },
  ]);
  assert.deepEqual(output(live, localGroup.byName), output(live, localGroup.bySid));
  assert.equal(output(live, localGroup.absent), null, "through WMI a missing group is no members, not an error");
});

test("pwsh: without DISM and CimCmdlets, optional features and CIM come from WMI", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [...all(optionalFeature), ...all(cim)];
  const { live, built } = run(pwsh, host, probes, { "Get-WindowsOptionalFeature": "missing", "Get-CimInstance": "missing" });
  assertSameRecords(live, built, probes);
  for (const p of probes) assert.equal(live.probes[p.id]?.command, GENERIC_READERS[p.kind][1], p.id);
  // Win32_OptionalFeature's InstallState (1 Enabled, 2 Disabled, 3 Absent) read back as DISM states.
  assert.deepEqual([optionalFeature.removed, optionalFeature.disabled, optionalFeature.enabled].map((p) => (output(live, p) as JsonObject).State), [6, 0, 2]);
  assert.equal(output(live, optionalFeature.unknown), null);
  assert.deepEqual(output(live, cim.withKey), { Name: "Public", Enabled: 0 });
  for (const p of [cim.absentClass, cim.absentNamespace]) assert.equal(failure(live, p).kind, "other");
});

test("pwsh: access denied, terminating or not, is access-denied and ends the probe", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [registry.policy, service.running, windowsFeature.installed, localGroup.bySid, cim.withKey, optionalFeature.enabled];
  const cmdlets: Cmdlets = {
    "Get-Item": "access-denied-nonterminating",
    "Get-Service": "access-denied",
    "Get-WindowsFeature": "access-denied-nonterminating",
    "Get-LocalGroupMember": "access-denied",
    "Get-CimInstance": "access-denied-nonterminating",
  };
  const { live, built } = run(pwsh, host, probes, cmdlets);
  assertSameRecords(live, built, probes);
  for (const p of probes.slice(0, 5)) {
    const e = failure(live, p);
    assert.equal(e.kind, "access-denied", p.id);
    assert.equal(e.command, GENERIC_READERS[p.kind][0], `${p.id}: no fallback after access denied`);
  }
  assert.deepEqual(output(live, optionalFeature.enabled), { FeatureName: "NetFx3", State: 2 });

  // The other way round: a terminating registry denial, a non-terminating one from Get-Service.
  const swapped = run(pwsh, host, [registry.policy, service.running], { "Get-Item": "access-denied", "Get-Service": "access-denied-nonterminating" });
  assertSameRecords(swapped.live, swapped.built, [registry.policy, service.running]);
  assert.match(failure(swapped.live, registry.policy).message, /Requested registry access is not allowed/);
});

test("pwsh: a hung cmdlet is a timeout for its probe only; the probes after it run in a fresh worker", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [registry.policy, service.running, localGroup.bySid, registry.user, cim.withKey];
  const { live, built } = run(pwsh, host, probes, { "Get-Service": "hang", "Get-LocalGroupMember": "invalid-operation" }, { probeTimeoutSeconds: 2 });
  assertSameRecords(live, built, probes);
  const hung = failure(live, service.running);
  assert.equal(hung.kind, "timeout");
  assert.equal(hung.command, GENERIC_READERS.service[0]);
  assert.match(hung.message, /ProbeTimeoutSeconds/);
  assert.deepEqual(live.probes[service.running.id]?.parameters, { Name: "W32Time" });
  // Get-LocalGroupMember's orphaned-SID failure is other: the WMI reader answers.
  assert.equal(live.probes[localGroup.bySid.id]?.command, GENERIC_READERS.localGroup[1]);
});

test("pwsh: the Hyper-V checks' generic probes (the role, a guest's vmic services) give the builder's records", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [HYPER_V_ROLE, ...GUEST_SERVICE_PROBES];
  const hyperVHost: HostSpec = { name: "hv01", hyperV: { vms: [{ name: "dc01" }] } };
  const guest: HostSpec = { name: "dc01", hyperVGuest: { services: { vmictimesync: { status: "Stopped", startType: "Disabled" }, vmicvss: null } } };
  const physical: HostSpec = { name: "fs01" };
  for (const spec of [hyperVHost, guest, physical]) {
    const { live, built } = run(pwsh, spec, probes);
    assertSameRecords(live, built, probes);
  }
  const onHost = run(pwsh, hyperVHost, probes).live;
  assert.deepEqual(output(onHost, HYPER_V_ROLE), { Name: "Hyper-V", DisplayName: "Hyper-V", Installed: true, InstallState: 1 });
  assert.equal(failure(onHost, GUEST_SERVICE_PROBES[0]!).kind, "not-found", "a host is no guest: no vmicheartbeat");
  const inGuest = run(pwsh, guest, probes).live;
  assert.deepEqual(output(inGuest, HYPER_V_ROLE), { Name: "Hyper-V", DisplayName: "Hyper-V", Installed: false, InstallState: 0 });
  assert.deepEqual(output(inGuest, genericProbe.service("vmictimesync")), { Name: "vmictimesync", DisplayName: "Hyper-V Time Synchronization Service", Status: 1, StartType: 4 });
  assert.equal(failure(inGuest, genericProbe.service("vmicvss")).kind, "not-found");
  // Without ServerManager (a client SKU), DISM answers for the role under its own name.
  const dism = run(pwsh, hyperVHost, [HYPER_V_ROLE], { "Get-WindowsFeature": "missing" });
  assertSameRecords(dism.live, dism.built, [HYPER_V_ROLE]);
  assert.deepEqual(output(dism.live, HYPER_V_ROLE), { Name: "Microsoft-Hyper-V", DisplayName: "Hyper-V", Installed: true, InstallState: 1 });
});

// What cannot be tested here: a real PowerShell 2.0 engine. The collector's 2.0 path (no
// ConvertTo-Json, strict mode 2, its own JSON writer) is what runs below.

test("pwsh: without ConvertTo-Json and under strict mode 2, the generic readers give the same records through the collector's writer", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const probes = [registry.policy, registry.empty, registry.absent, service.running, service.absent, windowsFeature.installed, optionalFeature.removed, localGroup.bySid, cim.withKey, cim.every];
  const { live, built } = run(pwsh, host, probes, {}, { withoutConvertToJson: true, convertToJson: false });
  assertSameRecords(live, built, probes);
  for (const p of probes) {
    const command = live.probes[p.id]!.command;
    assert.ok(command.endsWith(` | ${HP_JSON_TAIL}`) && !command.includes(JSON_TAIL), `${p.id}: ${command}`);
  }
  assert.deepEqual((output(live, registry.policy) as JsonObject[])[2], { Name: "MaxIdleTime", Kind: "DWord", Data: -1 });
});

test("pwsh: parameters are data: hostile values are read as names, and nothing in them runs", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-hostile-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const mark = (name: string): string => join(dir, name);
  const newItem = (name: string): string => `New-Item -Path '${mark(name)}' -ItemType File`;
  // Built with the constructors, which trust their input: the strict forms (src/probes/params.ts)
  // would refuse every one of these before the collector saw them.
  // Well-formed where a reader would splice it between single quotes (the control below shows it).
  const hostileService = `x' -ErrorAction SilentlyContinue; ${newItem("service")}; Get-Service -Name 'x`;
  const probes: GenericProbe[] = [
    genericProbe.service(hostileService),
    genericProbe.registry(`HKLM:\\x$(${newItem("registry")})`),
    genericProbe.cim("root\\cimv2", `Win32_X; ${newItem("cim-class")}`, "Name"),
    genericProbe.cim("root\\cimv2", "Win32_OperatingSystem", `Caption; ${newItem("cim-property")}`),
    genericProbe.cim("root\\StandardCimv2", "MSFT_NetFirewallProfile", "Enabled", { property: "Name", value: `x' OR Name LIKE '%` }),
    genericProbe.windowsFeature(`$(${newItem("feature")})`),
    genericProbe.optionalFeature(`SMB1Protocol"; ${newItem("optional")}; "`),
    genericProbe.localGroup(`Administrators"; ${newItem("group")}; "`),
    // As the list could carry it (the constructor upper-cases SIDs), its id agreeing with its
    // parameters as every record's must (src/collect/parse.ts refuses a document where one does not).
    { id: `localGroup:S-1-5-32-544; ${newItem("sid")}`, kind: "localGroup", parameters: { SID: `S-1-5-32-544; ${newItem("sid")}` }, title: "hostile SID" },
  ];
  const { live, built } = run(pwsh, host, probes);
  assertSameRecords(live, built, probes);
  for (const name of ["service", "registry", "cim-class", "cim-property", "feature", "optional", "group", "sid"]) {
    assert.equal(existsSync(mark(name)), false, `${name}: the New-Item in the parameter did not run`);
  }
  assert.equal(failure(live, probes[0]!).kind, "not-found", "no service of that name");
  assert.equal(failure(live, probes[1]!).kind, "not-found", "no key of that name");
  assert.equal(failure(live, probes[2]!).kind, "other", "no class of that name");
  assert.deepEqual(output(live, probes[3]!), { [`Caption; ${newItem("cim-property")}`]: null });
  assert.equal(output(live, probes[4]!), null, "the key value is compared, not queried");
  assert.equal(output(live, probes[5]!), null);
  assert.equal(output(live, probes[6]!), null);
  assert.equal(failure(live, probes[7]!).kind, "not-found");
  assert.equal(output(live, probes[8]!), null, "not a SID: Get-LocalGroupMember refuses it, and WMI finds no such group");

  // The control: a reader that spliced the value into its text would have run it, and this test sees that.
  const spliced = collect(pwsh, host, {}, {
    probes: [],
    generic: [genericProbe.service(hostileService.replace(mark("service"), mark("spliced")))],
    edit: (script) => {
      const reader = "Get-Service -Name $HpProbe.Name";
      assert.ok(script.includes(reader));
      return script.replace(reader, `Get-Service -Name '${hostileService.replace(mark("service"), mark("spliced"))}'`);
    },
  });
  assert.equal(Object.keys(spliced.probes).length, 1);
  assert.equal(existsSync(mark("spliced")), true, "a spliced reader runs the parameter's New-Item");
});

test("pwsh: every character PowerShell reads as a quote, a dash or white space reaches $HpProbe as data, and nothing runs", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-quotes-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Each quote closes and reopens around a New-Item, as it would break out of a quoted splice;
  // ASCII control characters (tab, line breaks, VT, FF) are refused by the list's encoder and
  // the snapshot's probe ids; every other one is tried.
  const chars = powerShellSyntaxCharacters().filter((c) => c >= " ");
  const value = (i: number, c: string): string => `W32${c} + (New-Item -ItemType File -Path ${join(dir, `c${i}`)}) + ${c}$(New-Item -ItemType File -Path ${join(dir, `s${i}`)})\``;
  const probes = chars.map((c, i) => genericProbe.service(value(i, c)));
  const { live } = run(pwsh, host, probes);
  chars.forEach((c, i) => {
    const record = live.probes[probes[i]!.id];
    assert.ok(record !== undefined, `U+${c.codePointAt(0)!.toString(16)}: no record`);
    assert.deepEqual(record.parameters, { Name: value(i, c) }, `U+${c.codePointAt(0)!.toString(16)}: the value did not arrive intact`);
  });
  assert.deepEqual(readdirSync(dir), [], "a parameter ran");
});

test("pwsh: a malformed line, or one for a kind the script has no reader for, costs that probe only", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const good = [registry.policy, service.running];
  const line = (p: GenericProbe): string => [p.id, p.kind, ...Object.entries(p.parameters).map(([k, v]) => `${k}=${v}`)].join("\t");
  const lines = [
    line(registry.policy),
    "service:no-equals\tservice\tW32Time",
    "service:unknown-kind\tfirewallRule\tName=Domain",
    // A kind this script was built without: its readers are not in the text.
    line(optionalFeature.enabled),
    "",
    line(service.running),
  ];
  const live = collect(pwsh, host, {}, { probes: [], generic: good, genericProbesB64: Buffer.from(lines.join("\n"), "utf8").toString("base64") });
  const built = buildGenericRecords(host, good);
  for (const p of good) {
    assert.equal(live.probes[p.id]?.command, built[p.id]?.command, p.id);
    assert.deepEqual(output(live, p), (built[p.id] as { output: JsonValue }).output, p.id);
  }
  for (const [id, why] of [
    ["service:no-equals", /is not Name=value/],
    ["service:unknown-kind", /no reader for probe kind firewallRule/],
    [optionalFeature.enabled.id, /no reader for probe kind optionalFeature/],
  ] as const) {
    const r = live.probes[id as `service:${string}`];
    assert.ok(r && isProbeFailure(r), `${id}: ${JSON.stringify(r)}`);
    assert.equal(r.error.kind, "other", id);
    assert.match(r.error.message, why, id);
  }
  assert.deepEqual(Object.keys(live.probes), [registry.policy.id, "service:no-equals", "service:unknown-kind", optionalFeature.enabled.id, service.running.id]);
});
