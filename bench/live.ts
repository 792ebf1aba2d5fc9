/**
 * The live path, measured: pwsh start time, collection time per simulated host, round trips per
 * host, and 16 hosts at once against one at a time. Each simulated host is the stand-in module
 * (test/pwsh/HostproofFakeWindows.psm1) loaded into a PowerShell session; the collector runs there
 * unmodified through the same driver as a `local` host.
 *
 *   node --import tsx bench/live.ts [--hosts 16]
 *
 * Needs PowerShell 7 (pwsh on PATH or NODE_POWERSHELL). Without it, it says so and exits 0.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { collectHosts, type HostReader } from "../src/collect/collect-hosts";
import { driverInvocation } from "../src/collect/driver";
import { parseCollectorOutput } from "../src/collect/parse";
import { buildCollectorScript, COLLECTOR_NAME } from "../src/collect/script";
import { psQuote } from "../src/powershell/invocation";
import { findPwsh } from "../src/powershell/find";
import { PowerShellSession } from "../src/powershell/session";
import { PROBE_IDS } from "../src/probes/catalog";
import { toFakeHost, writeFakeHost } from "../test/pwsh/fake-host";

const MODULE = join(__dirname, "..", "test", "pwsh", "HostproofFakeWindows.psm1");

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { hosts: { type: "string", default: "16" } } });
  const count = Number(values.hosts);
  const pwsh = findPwsh();
  if (pwsh === undefined) {
    console.log("live path: skipped: pwsh not found (PowerShell 7 is not installable from this machine's NuGet copy;");
    console.log("           install it, or set NODE_POWERSHELL, and run again)");
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), "hostproof-bench-live-"));
  try {
    // pwsh start: the first invocation of a fresh session pays for the process and the runspace.
    const cold = PowerShellSession.start({ executable: pwsh, invocationTimeoutMs: 60_000 });
    const c0 = performance.now();
    await cold.invoke("$PSVersionTable.PSVersion.ToString()");
    const startMs = performance.now() - c0;
    const w0 = performance.now();
    await cold.invoke("$PSVersionTable.PSVersion.ToString()");
    const warmMs = performance.now() - w0;
    await cold.dispose();

    const hosts = Array.from({ length: count }, (_, i) => `sim${String(i + 1).padStart(2, "0")}`);
    for (const h of hosts) writeFakeHost(join(dir, `${h}.json`), toFakeHost({ name: h }));
    const script = buildCollectorScript([...PROBE_IDS]);
    const roundTrips = new Map<string, number>();
    const perHost: number[] = [];

    const measure = async (concurrency: number): Promise<number> => {
      const sessions: PowerShellSession[] = [];
      const idle: PowerShellSession[] = [];
      // One warm session per concurrent read, as the real reader keeps them.
      for (let i = 0; i < concurrency; i++) {
        const s = PowerShellSession.start({ executable: pwsh, invocationTimeoutMs: 120_000 });
        await s.invoke(`Import-Module ${psQuote(MODULE)}`);
        sessions.push(s);
        idle.push(s);
      }
      const read: HostReader = async (target) => {
        const s = idle.pop()!;
        try {
          await s.invoke(`Import-FakeWindowsHost -Path ${psQuote(join(dir, `${target.host}.json`))}`);
          const t0 = performance.now();
          const { stdout } = await s.invoke(driverInvocation(target, script));
          perHost.push(performance.now() - t0);
          roundTrips.set(target.host, (roundTrips.get(target.host) ?? 0) + 1);
          return parseCollectorOutput(stdout, { host: target.host, transport: "local", collectorVersion: "bench" });
        } finally {
          idle.push(s);
        }
      };
      const t0 = performance.now();
      const out = await collectHosts(
        hosts.map((host) => ({ host, transport: "local" as const, address: host, operationTimeoutSeconds: 120, probeTimeoutSeconds: 30 })),
        read,
        { probes: [...PROBE_IDS], concurrency, timeoutMs: 120_000, collector: { name: COLLECTOR_NAME, version: "bench" } },
      );
      const elapsed = performance.now() - t0;
      await Promise.all(sessions.map((s) => s.dispose()));
      const failed = out.filter((h) => h.failure);
      if (failed.length > 0) console.log(`  ${failed.length} host(s) failed, e.g. ${failed[0].failure?.message}`);
      return elapsed;
    };

    const serial = await measure(1);
    roundTrips.clear();
    perHost.length = 0;
    const parallel = await measure(Math.min(16, count));
    perHost.sort((a, b) => a - b);
    const trips = [...roundTrips.values()];
    console.log(`pwsh start (first invocation of a new session)   ${startMs.toFixed(0)} ms (a warm invocation: ${warmMs.toFixed(0)} ms)`);
    console.log(`collection per simulated host (13 probes)         median ${perHost[Math.floor(perHost.length / 2)].toFixed(0)} ms, max ${perHost[perHost.length - 1].toFixed(0)} ms`);
    console.log(`round trips per host                              ${Math.min(...trips)}..${Math.max(...trips)} (target: 1)`);
    console.log(`${count} hosts one at a time                           ${(serial / 1000).toFixed(1)} s`);
    console.log(`${count} hosts, ${Math.min(16, count)} at once                            ${(parallel / 1000).toFixed(1)} s`);
    return Math.max(...trips) === 1 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
