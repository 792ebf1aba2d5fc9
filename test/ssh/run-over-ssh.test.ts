/**
 * `hostproof run` end to end over real SSH: the real CLI, real pwsh, a real sshd per host on
 * loopback, and the stand-in Windows module on the far side. Four hosts, each with one of the
 * ways a real estate goes wrong:
 * - n1: Get-NetAdapterAdvancedProperty refuses access with a *non-terminating* error, as the
 *   CDXML cmdlet does on Windows;
 * - n2: Get-HotFix hangs (a stuck WMI provider): only that probe times out;
 * - n3: its sshd is stopped while the run is under way;
 * - old: a Windows Server 2003 host with PowerShell 2.0 (no CIM, no ConvertTo-Json).
 * The verdicts must equal those of `hostproof run` on snapshot files of the same hosts, written by
 * the snapshot builder from the same specs with the read failures each host should give.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProbeError } from "../../src/model/snapshot";
import { PROBE_IDS } from "../../src/probes/catalog";
import type { AnyProbeId } from "../../src/probes/generic";
import { HYPER_V_ROLE } from "../../src/judge/hyperv";
import { findPwsh } from "../../src/powershell/find";
import type { Summary } from "../../src/report/formats/summary";
import { BUILTIN_GENERIC_PROBES, resolveEstate, writeEstate, type EstateSpec, type HostSpec } from "../helpers/snapshot-builder";
import { requireTool } from "../helpers/require-tool";
import { toFakeHost, writeFakeHost } from "../pwsh/fake-host";
import { AS_OF, BIN, ROOT, readJson, spawnCli, tempDir } from "../e2e/cli";
import { findSshd, loopbackInventory, startLoopbackSshd } from "./loopback-sshd";

const estateSpec: EstateSpec = {
  name: "over ssh",
  hosts: [
    { name: "n1", adapters: [{ name: "Ethernet 1", values: { "*VMQ": "0" } }] },
    { name: "n2" },
    { name: "n3" },
    { name: "old", os: { version: "5.2.3790" } },
  ],
  clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }],
};

const error = (kind: ProbeError["kind"]): ProbeError => ({ kind, message: "expected" });
/** Every record a run reads: the catalog's and the generic ones the built-in checks read. */
const allProbes = (kind: ProbeError["kind"]) => Object.fromEntries([...PROBE_IDS, ...BUILTIN_GENERIC_PROBES.map((p) => p.id)].map((p) => [p, error(kind)])) as Partial<Record<AnyProbeId, ProbeError>>;

/** What each host should yield when read, as the builder writes it. */
const expectedReads: Record<string, Partial<Record<AnyProbeId, ProbeError>>> = {
  n1: { netAdapterAdvancedProperty: error("access-denied") },
  n2: { hotfixes: error("timeout") },
  n3: allProbes("unreachable"),
  // What PowerShell 2.0 on 2003 lacks (CIM-only fallbacks, the 2012+ modules, ServerManager).
  old: Object.fromEntries(
    (["localUsers", "administratorsGroup", "netAdapterAdvancedProperty", "dnsClientGlobalSetting", "failoverClusteringFeature", "cluster", "clusterQuorum", HYPER_V_ROLE.id] as const).map((p) => [p, error("not-supported")]),
  ),
};

/**
 * The built-in controls that read generic probes are left out of both runs: probeErrors writes a
 * read failure for catalog probes only, so the files could not say what n3 (unreachable) and old
 * (PowerShell 2.0, no ServerManager) give for a generic probe. Generic probes over SSH are what
 * custom-controls-over-ssh.test.ts runs.
 */
const CATALOG_ONLY = ["--tags", "not @area:updates and not @area:containers and not @area:powershell"];

const verdicts = (s: Summary) =>
  s.results.map((r) => `${r.target.name} ${r.controlId} ${r.status}${r.status === "undetermined" ? ` (${r.reason?.kind})` : ""}`).sort();

test("hostproof run over ssh: a non-terminating access-denied, a hung probe, a host stopped mid-run and a PowerShell 2.0 host give the verdicts of their snapshot files", { timeout: 300_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, "install openssh-server (apt-get install openssh-server)")) return;
  // One sshd per host, so that stopping n3's touches no other host.
  const estate = await startLoopbackSshd(4, { sshd, pwsh, port: 2205, firstAddress: "127.0.3.11", perSshd: 1 });
  try {
    const specs = resolveEstate(estateSpec);
    const address = new Map(specs.map((s, i) => [s.name, estate.hosts[i].address]));
    const fake = (spec: HostSpec) => {
      if (spec.name === "n1") return toFakeHost(spec, { "Get-NetAdapterAdvancedProperty": "access-denied-nonterminating" });
      if (spec.name === "n2") return toFakeHost(spec, { "Get-HotFix": "hang" });
      if (spec.name === "old") return toFakeHost({ name: "old", legacy2003: true }, {}, { powershell: "2.0" });
      return toFakeHost(spec);
    };
    for (const spec of specs) writeFakeHost(estate.hostFile(address.get(spec.name)!), fake(spec));

    const dir = tempDir();
    const live = join(dir, "live.json");
    writeFileSync(live, JSON.stringify(loopbackInventory(estate, specs.map((s) => s.name), { concurrency: 1, probeTimeoutSeconds: 8 }, { name: estateSpec.name, clusters: estateSpec.clusters })));

    const liveOut = join(dir, "live-report");
    const run = spawn(process.execPath, [BIN, "run", "-i", live, "-o", liveOut, "--as-of", AS_OF, "--no-html", "--no-history", ...CATALOG_ONLY], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    run.stdout.on("data", (c: Buffer) => (output += c.toString()));
    run.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => run.once("close", resolve));
    // Hosts are read one at a time in inventory order; n3's sshd goes once n2's session has begun.
    const n2 = address.get("n2")!;
    let running = true;
    void exited.then(() => (running = false));
    while (running && (estate.sessions().get(n2) ?? 0) === 0) await sleep(100);
    assert.ok(running, `the run ended before n2 was reached:\n${output}`);
    await estate.stop(address.get("n3")!);
    const liveCode = await exited;

    const files = writeEstate(join(dir, "files"), { ...estateSpec, hosts: specs.map((s) => ({ ...s, probeErrors: expectedReads[s.name] })) });
    const filesOut = join(dir, "files-report");
    const offline = spawnCli(["run", "-i", files, "-o", filesOut, "--as-of", AS_OF, "--no-html", "--no-history", ...CATALOG_ONLY]);

    const a = readJson<Summary>(join(liveOut, "summary.json"));
    const b = readJson<Summary>(join(filesOut, "summary.json"));
    assert.deepEqual(verdicts(a), verdicts(b), output);
    assert.equal(liveCode, offline.code);

    const result = (host: string, control: string) => a.results.find((r) => r.target.name === host && r.controlId === control);
    assert.equal(result("n1", "HP-NIC-001")?.reason?.kind, "access-denied", "a non-terminating access-denied is access-denied, not 'no adapters'");
    assert.equal(result("wg", "HP-CLU-008")?.reason?.kind, "timeout", "the hung hotfix probe is a timeout");
    assert.equal(result("n2", "HP-UAC-001")?.status !== "undetermined", true, "n2's other probes came back");
    assert.equal(result("n3", "HP-EOS-001")?.reason?.kind, "unreachable");
    assert.match(result("n3", "HP-EOS-001")?.reason?.message ?? "", /Connection refused/);
    assert.equal(result("old", "HP-EOS-001")?.status, "failed", "Windows Server 2003 read through PowerShell 2.0 fails, not undetermined");
    // Exactly one round trip (one SSH connection, in sshd's own log) to every host that was up.
    for (const name of ["n1", "n2", "old"]) assert.equal(estate.connections().get(address.get(name)!), 1, name);
  } finally {
    estate.dispose();
  }
});
