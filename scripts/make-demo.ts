/**
 * Generates the bundled demo estate, examples/demo/: inventory.yaml and snapshots/*.json
 * (directory.json comes from a real directory: scripts/make-demo-directory.ts).
 *
 *   node --import tsx scripts/make-demo.ts [--out <dir>]
 *
 * The snapshots come from the test builder with fixed timestamps, so running this twice gives the
 * same bytes; test/testkit/demo-estate.test.ts regenerates into a temp dir and compares with the
 * committed files. The inventory is written by hand below because it is documentation by example;
 * it is parsed back and compared with the estate the snapshots were built from, so the two cannot
 * disagree.
 */
import { isDeepStrictEqual } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import {
  buildInventory,
  buildSnapshot,
  defaultHotfixes,
  resolveEstate,
  type EstateSpec,
  type HostSpec,
  type SystemSpec,
} from "../test/helpers/snapshot-builder";
import { planProbes } from "../src/controls/probe-plan";

/** The organisation's own controls the demo snapshots carry the facts for (examples/custom-controls). */
export const CUSTOM_CONTROLS = join(__dirname, "..", "examples", "custom-controls");

const RDP_TCP = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp";
const SMB_NAMESPACE = "root\\Microsoft\\Windows\\SMB";
const PS2 = ["MicrosoftWindowsPowerShellV2Root", "MicrosoftWindowsPowerShellV2"];
const WU_POLICY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";

/**
 * What examples/custom-controls reads, as a compliant host has it; each host's own deviations
 * are given to it below, so that every custom control passes somewhere and fails somewhere.
 */
function system(
  changes: { nla?: number | null; w32time?: "Stopped"; smb1?: boolean; ps2?: number | null; ps2Server?: boolean; wsus?: string; containers?: boolean; nano?: boolean } = {},
): SystemSpec {
  // HP-WU-001: Windows Update for Business holds quality updates back 14 days; a WSUS client
  // (UseWUServer = 1) takes its updates, and their delay, from the server instead.
  const updates: Record<string, Record<string, string | number>> = changes.wsus
    ? { [WU_POLICY]: { WUServer: changes.wsus, WUStatusServer: changes.wsus }, [`${WU_POLICY}\\AU`]: { UseWUServer: 1, AUOptions: 4, NoAutoUpdate: 0 } }
    : { [WU_POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } };
  return {
    // HP-PS2-001 reads Server Manager's feature on servers; installed on app2016 only. A container
    // host (HP-CNT-001/002) has the Containers feature and no Hyper-V role.
    // Nano Server has neither a PowerShell 2.0 engine nor Remote Desktop.
    windowsFeatures: [
      ...(changes.nano ? [] : [{ name: "PowerShell-V2", displayName: "Windows PowerShell 2.0 Engine", installState: changes.ps2Server ? 1 : 0 }]),
      ...(changes.containers ? [{ name: "Containers", installState: 1, optionalName: "Containers" }] : []),
    ],
    registry: {
      ...(changes.nano ? {} : { [RDP_TCP]: changes.nla === null ? { PortNumber: 3389 } : { PortNumber: 3389, UserAuthentication: changes.nla ?? 1 } }),
      ...updates,
    },
    services: [{ name: "W32Time", displayName: "Windows Time", ...(changes.w32time ? { status: changes.w32time, startType: "Manual" as const } : {}) }],
    cim: { [SMB_NAMESPACE]: { MSFT_SmbServerConfiguration: [{ EnableSMB1Protocol: changes.smb1 ?? false, EnableSMB2Protocol: true }] } },
    // null: the build has no PowerShell 2.0 engine to disable (removed from Windows).
    optionalFeatures: changes.ps2 === null ? [] : PS2.map((name) => ({ name, state: changes.ps2 ?? 0 })),
  };
}

const WG_VERSION = "10.0.20348";

/** Hosts were collected one after another, four seconds apart, from 09:00 UTC on 2026-11-20. */
function collectedAt(index: number): string {
  return new Date(Date.UTC(2026, 10, 20, 9, 0, index * 4)).toISOString().replace(".000Z", "Z");
}

/**
 * A Nano Server 2016 host (SKU 143, InstallationType "Nano Server") as the collector reads it,
 * serviced until Nano Server's last cumulative update (KB4462917, October 2018: 14393.2551). Its
 * PowerShell is the Core edition 5.1 on .NET Core: no ServerManager module (Get-WindowsFeature),
 * no WMI v1 cmdlets (Get-WmiObject) and no Get-HotFix, which rests on them; so the collector's
 * fallbacks answer (DISM, CIM), and where none exists the fact is not-supported. No PowerShell 2.0
 * engine, no Remote Desktop, and no clustering or Hyper-V package installed.
 */
function nanoHost(name: string): HostSpec {
  return {
    name,
    os: { version: "10.0.14393", caption: "Microsoft Windows Server 2016 Datacenter", sku: 143, ubr: 2551 },
    powershell: "5.1.14393.2551",
    cmdlets: { "Get-WindowsFeature": "missing", "Get-WmiObject": "missing", "Get-HotFix": "missing" },
    clusteringInstalled: false,
    latfp: null,
    hotfixes: [{ id: "KB4462917", description: "Security Update", installedOn: "2018-10-09" }],
    system: system({ ps2: null, nano: true }),
  };
}

export function demoEstate(): EstateSpec {
  const wgNode = (name: string): HostSpec => ({
    name,
    os: { version: WG_VERSION },
    domain: "wg.contoso.test",
    system: system(),
    cluster: { name: "wgclus", witness: "Cloud Witness", administrativeAccessPoint: 2 },
    latfp: 1,
  });
  const mdNode = (name: string, domain: string): HostSpec => ({
    name,
    domain,
    searchList: [domain, ...["corp.contoso.test", "emea.contoso.test"].filter((d) => d !== domain)],
    cluster: { name: "mdclus", witness: "Physical Disk", administrativeAccessPoint: 2 },
    latfp: 1,
    system: system(),
  });
  const hosts: HostSpec[] = [
    wgNode("wg-node1"),
    wgNode("wg-node2"),
    {
      ...wgNode("wg-node3"),
      adapters: [{ name: "Ethernet 1" }, { name: "Ethernet 2", values: { "*VMQ": "1" } }],
      hotfixes: defaultHotfixes(WG_VERSION).filter((h) => h.id !== "KB5044281"),
      latfp: 0,
    },
    {
      ...mdNode("md-node1", "corp.contoso.test"),
      system: system({ w32time: "Stopped" }),
      adapters: [{ name: "Ethernet 1", values: { "*RSS": "1" } }, { name: "Ethernet 2" }],
      inputs: {
        offloads: {
          allowed: [{ keyword: "*RSS", adapter: "Ethernet 1", reason: "RSS needed for SMB multichannel on storage NIC (CHG-1042)" }],
        },
      },
    },
    { ...mdNode("md-node2", "emea.contoso.test"), system: system({ nla: null, ps2: null }) },
    { name: "legacy2003", legacy2003: true },
    // Standalone servers do not carry the clustering feature, so the cluster probes fail the way
    // they do on such a host ("Get-Cluster is not recognized").
    {
      name: "app2016",
      os: { version: "10.0.14393", caption: "Microsoft Windows Server 2016 Standard" },
      clusteringInstalled: false,
      latfp: null,
      system: system({ smb1: true, ps2: 2, ps2Server: true }),
    },
    {
      name: "fs01",
      clusteringInstalled: false,
      system: system({ nla: 0, ps2: 6, wsus: "https://wsus01.corp.contoso.test:8531" }),
      probeErrors: {
        netAdapterAdvancedProperty: {
          kind: "access-denied",
          message: "Access is denied. (Get-NetAdapterAdvancedProperty: HRESULT 0x80070005)",
        },
      },
    },
    // A container host whose runtime was never installed: the Containers feature alone runs nothing.
    { name: "ctr01", os: { version: WG_VERSION }, clusteringInstalled: false, system: system({ containers: true }) },
    // A standalone Hyper-V host and one of its VMs (HP-HV-001, HP-HV-002).
    {
      name: "hv01",
      os: { version: WG_VERSION },
      clusteringInstalled: false,
      system: system(),
      hyperV: {
        vms: [
          // A domain controller keeps domain time itself: time synchronisation off, allowed below.
          { name: "dc01", services: { TimeSynchronization: false } },
          // Time Synchronization switched off: the host no longer corrects app01's clock.
          { name: "app01", services: { TimeSynchronization: false } },
        ],
      },
      inputs: {
        integrationServices: {
          allowed: [{ vm: "dc01", service: "TimeSynchronization", reason: "domain controller keeps domain time (Microsoft guidance for virtualised DCs)" }],
        },
      },
    },
    {
      name: "app01",
      os: { version: WG_VERSION },
      clusteringInstalled: false,
      system: system(),
      // The guest side follows the host: with the service off on hv01, vmictimesync is not started.
      hyperVGuest: { services: { vmictimesync: { status: "Stopped" } } },
    },
    nanoHost("nano2016"),
  ];
  return {
    name: "Contoso demo estate",
    inputs: { endOfSupport: { warningDays: 90 } },
    directory: "directory.json",
    hosts: hosts.map((h, i) => ({ ...h, collectedAt: collectedAt(i) })),
    clusters: [
      { name: "wgclus", type: "workgroup", nodes: ["wg-node1", "wg-node2", "wg-node3"], adminAccount: "clusadmin" },
      {
        name: "mdclus",
        type: "multi-domain",
        nodes: ["md-node1", "md-node2"],
        adminAccount: "clusadmin",
        domains: ["corp.contoso.test", "emea.contoso.test"],
      },
    ],
  };
}

export const INVENTORY_YAML = `# yaml-language-server: $schema=../../schemas/inventory.schema.json
#
# hostproof demo estate: two clusters and seven standalone servers, read from snapshots so that
# it runs anywhere. Try it:
#
#   node bin/hostproof.js run --inventory examples/demo/inventory.yaml --out reports/demo
#
# The snapshots were generated by scripts/make-demo.ts; what each host gets wrong is noted below.
# They also hold the facts examples/custom-controls reads (an organisation's own controls, written
# with the step library): try them with
#
#   node bin/hostproof.js run -i examples/demo/inventory.yaml --features examples/custom-controls --no-builtin

version: 1
name: Contoso demo estate

# Control inputs for the whole estate. A host's own "inputs" are added to these.
inputs:
  endOfSupport:
    # Warn this many days before a host's Windows Server version leaves extended support.
    warningDays: 90

# The domain's computer objects, read by \`hostproof discover\` (scripts/make-demo-directory.ts made
# this one from a real domain controller). The estate-wide controls (features/directory.feature)
# judge it: no active object past end of support, every active server in this inventory, and each
# host's release as the directory and the host tell it. Without a directory, say why instead:
#   directory: { none: "workgroup estate: no Active Directory" }
directory: directory.json

hosts:
  # Workgroup cluster wgclus: Windows Server 2022, primary DNS suffix wg.contoso.test.
  # transport "snapshot" reads the host's facts from the file named in "snapshot" (a path
  # relative to this inventory) instead of connecting to it.
  - name: wg-node1
    transport: snapshot
    snapshot: snapshots/wg-node1.json
  - name: wg-node2
    transport: snapshot
    snapshot: snapshots/wg-node2.json
  # wg-node3 has drifted from its peers: VMQ is enabled on "Ethernet 2", update KB5044281 is
  # missing, and LocalAccountTokenFilterPolicy is 0 although the cluster runs on a local,
  # non-built-in account (which needs 1 on every node).
  - name: wg-node3
    transport: snapshot
    snapshot: snapshots/wg-node3.json

  # Multi-domain cluster mdclus: Windows Server 2019, one node in each domain.
  # md-node1's Windows Time service is stopped and set to Manual (ACME-TIME-001).
  - name: md-node1
    transport: snapshot
    snapshot: snapshots/md-node1.json
    inputs:
      offloads:
        # Offloads are expected off. An offload left on deliberately is listed here with the
        # reason, and is reported as allowed rather than failed. "adapter" limits the
        # allowance to one NIC; without it, it covers every adapter of the host.
        allowed:
          - keyword: "*RSS" # quoted: a leading * would be a YAML alias
            adapter: Ethernet 1
            reason: RSS needed for SMB multichannel on storage NIC (CHG-1042)
  # md-node2's RDP listener has no UserAuthentication value, so NLA is not required (ACME-RDP-001).
  - name: md-node2
    transport: snapshot
    snapshot: snapshots/md-node2.json

  # Standalone servers.
  # Windows Server 2003 R2 has no PowerShell: its snapshot holds only the operating system, read
  # over WMI from a management host; every other fact is recorded as not supported.
  - name: legacy2003
    transport: snapshot
    snapshot: snapshots/legacy2003.json
  # Windows Server 2016 Standard: extended support ends 2027-01-12, inside the warning window.
  # LocalAccountTokenFilterPolicy is absent, which Windows treats as 0. The PowerShell 2.0 engine
  # is still installed (HP-PS2-001), and its SMB server still speaks SMBv1 (ACME-SMB-001).
  - name: app2016
    transport: snapshot
    snapshot: snapshots/app2016.json
  # Compliant, but the collector was denied access to the network adapter properties, so the
  # offload controls cannot be decided for it ("cannot read" never counts as a pass). It takes its
  # updates from WSUS, so its update delay lives on that server (HP-WU-001 not applicable). Its RDP
  # listener has UserAuthentication 0: no NLA (ACME-RDP-001).
  - name: fs01
    transport: snapshot
    snapshot: snapshots/fs01.json
  # Windows Server 2022 container host: the Containers feature is installed, but no container
  # runtime (docker or containerd) ever was, and without the Hyper-V role only process isolation
  # is possible (HP-CNT-001, HP-CNT-002).
  - name: ctr01
    transport: snapshot
    snapshot: snapshots/ctr01.json
  # hv01, a standalone Hyper-V host (Windows Server 2022), runs dc01 and app01. Time Synchronization
  # is switched off for both: for the domain controller on purpose, as allowed here; for app01 it is
  # a finding, as the host no longer corrects its clock (HP-HV-001, high impact).
  - name: hv01
    transport: snapshot
    snapshot: snapshots/hv01.json
    inputs:
      integrationServices:
        allowed:
          - vm: dc01
            service: TimeSynchronization
            reason: domain controller keeps domain time (Microsoft guidance for virtualised DCs)
  # app01 itself, a Hyper-V VM: its guest side follows, the Hyper-V Time Synchronization service
  # (vmictimesync) is stopped (HP-HV-002).
  - name: app01
    transport: snapshot
    snapshot: snapshots/app01.json
  # nano2016 runs Nano Server (Windows Server 2016, 14393): since version 1709 Microsoft supports
  # Nano Server only as a container base image, so a Nano Server host is past support (HP-EOS-002).
  # Its PowerShell has no ServerManager, Get-WmiObject or Get-HotFix: the collector's fallbacks
  # (DISM, CIM) answer where they exist, and the rest is recorded as not supported.
  - name: nano2016
    transport: snapshot
    snapshot: snapshots/nano2016.json

clusters:
  # A workgroup cluster is created AD-detached (AdministrativeAccessPoint DNS) and administered
  # through a local account that exists, with the same password, on every node.
  - name: wgclus
    type: workgroup
    adminAccount: clusadmin
    nodes: [wg-node1, wg-node2, wg-node3]
  # A multi-domain cluster also needs every domain's suffix in every node's DNS search list.
  - name: mdclus
    type: multi-domain
    adminAccount: clusadmin
    domains: [corp.contoso.test, emea.contoso.test]
    nodes: [md-node1, md-node2]
`;

/** Writes the demo estate into outDir; returns the paths written, relative to outDir. */
export function makeDemo(outDir: string): string[] {
  const estate = demoEstate();
  const written = buildInventory(estate);
  if (!isDeepStrictEqual(parse(INVENTORY_YAML), written)) {
    throw new Error(
      `inventory.yaml text and the demo estate disagree:\n${JSON.stringify(parse(INVENTORY_YAML), null, 2)}\n---\n${JSON.stringify(written, null, 2)}`,
    );
  }
  mkdirSync(join(outDir, "snapshots"), { recursive: true });
  writeFileSync(join(outDir, "inventory.yaml"), INVENTORY_YAML);
  const files = ["inventory.yaml"];
  // The built-in controls' generic probes and the custom controls', as one collection would read them.
  const generic = planProbes(undefined, { folders: [CUSTOM_CONTROLS] }).generic;
  for (const spec of resolveEstate(estate)) {
    const file = `snapshots/${spec.name}.json`;
    // $schema lets editors validate the file; the snapshot schema allows the property.
    const document = { $schema: "../../../schemas/snapshot.schema.json", ...buildSnapshot(spec, { generic }) };
    writeFileSync(join(outDir, file), `${JSON.stringify(document, null, 2)}\n`);
    files.push(file);
  }
  return files;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const outDir = resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1] : join(__dirname, "..", "examples", "demo"));
  const files = makeDemo(outDir);
  console.log(`wrote ${files.length} files to ${outDir}`);
}
