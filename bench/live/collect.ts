/**
 * The measured process of the live bench: collects every host of a plan over SSH with one design
 * and writes, per host, the identity its snapshot reports or why it failed. bench/live.ts runs it
 * as a child (under GNU time) so that its CPU and memory are hostproof's alone: the sshd side was
 * started by the parent and is not below this process.
 *
 *   node --import tsx bench/live/collect.ts --plan <plan.json> --design pool|fanout --concurrency N --out <result.json>
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { collectHosts } from "../../src/collect/collect-hosts";
import type { DriverTarget } from "../../src/collect/driver";
import { parseCollectorOutput } from "../../src/collect/parse";
import { pwshReader } from "../../src/collect/pwsh-reader";
import { buildCollectorScript, COLLECTOR_NAME } from "../../src/collect/script";
import type { JsonValue } from "../../src/model/json";
import type { Snapshot } from "../../src/model/snapshot";
import { findPwsh } from "../../src/powershell/find";
import { PROBE_IDS } from "../../src/probes/catalog";
import type { Identity, LivePlan } from "./estate";
import { fanoutCollect } from "./fanout";

export type Design = "pool" | "fanout";

export interface HostOutcome {
  host: string;
  identity?: Identity;
  failure?: string;
}

export interface CollectResult {
  design: Design;
  concurrency: number;
  /** From the first connection to the last result, inside the measured process. */
  collectMs: number;
  hosts: HostOutcome[];
}

const TIMEOUT_MS = 300_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { plan: { type: "string" }, design: { type: "string" }, concurrency: { type: "string" }, out: { type: "string" } },
  });
  const plan = JSON.parse(readFileSync(String(values.plan), "utf8")) as LivePlan;
  const design = values.design === "fanout" ? "fanout" : "pool";
  const concurrency = Number(values.concurrency);
  const pwsh = findPwsh();
  if (pwsh === undefined) throw new Error("pwsh not found");
  const t0 = performance.now();
  const hosts = design === "pool" ? await viaPool(plan, concurrency, pwsh) : await viaFanout(plan, concurrency, pwsh);
  const result: CollectResult = { design, concurrency, collectMs: performance.now() - t0, hosts };
  writeFileSync(String(values.out), JSON.stringify(result));
}

/** Design (a), today's: collectHosts + pwshReader, one local pwsh per concurrent host, driverInvocation. */
async function viaPool(plan: LivePlan, concurrency: number, pwsh: string): Promise<HostOutcome[]> {
  const reader = pwshReader({ collectorVersion: "bench", executable: pwsh });
  const targets: DriverTarget[] = plan.hosts.map((h) => ({
    host: h.host,
    transport: "ssh",
    address: h.address,
    port: h.port,
    username: plan.user,
    keyFile: plan.keyFile,
    operationTimeoutSeconds: TIMEOUT_MS / 1000,
    probeTimeoutSeconds: 30,
    ssh: { hostKeyChecking: "strict", knownHostsFile: plan.knownHostsFile, connectTimeoutSeconds: 15 },
  }));
  try {
    const out = await collectHosts(targets, reader.read, {
      probes: [...PROBE_IDS],
      concurrency,
      timeoutMs: TIMEOUT_MS,
      collector: { name: COLLECTOR_NAME, version: "bench" },
    });
    return out.map((h) => (h.failure ? { host: h.host, failure: h.failure.message } : { host: h.host, identity: identityOf(h.snapshot) }));
  } finally {
    await reader.dispose();
  }
}

/** Design (b): one local pwsh, Invoke-Command -SSHConnection … -ThrottleLimit N. */
async function viaFanout(plan: LivePlan, concurrency: number, pwsh: string): Promise<HostOutcome[]> {
  const workDir = mkdtempSync(join(tmpdir(), "hostproof-fanout-"));
  try {
    const results = await fanoutCollect(
      plan.hosts.map((h) => ({ address: h.address, port: h.port, user: plan.user, keyFile: plan.keyFile })),
      buildCollectorScript([...PROBE_IDS]),
      { pwsh, throttle: concurrency, workDir, timeoutMs: TIMEOUT_MS },
    );
    return plan.hosts.map((h): HostOutcome => {
      const r = results.get(h.address);
      if (r === undefined) return { host: h.host, failure: "no result and no error for this address" };
      if ("error" in r) return { host: h.host, failure: r.error };
      try {
        return { host: h.host, identity: identityOf(parseCollectorOutput(r.document, { host: h.host, transport: "ssh", collectorVersion: "bench" })) };
      } catch (err) {
        return { host: h.host, failure: err instanceof Error ? err.message : String(err) };
      }
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** What the snapshot says about the host it came from. */
export function identityOf(snapshot: Snapshot): Identity {
  const cs = outputObject(snapshot, "computerSystem");
  const os = outputObject(snapshot, "os");
  return { computerName: String(cs.Name), domain: String(cs.Domain), osVersion: String(os.Version), caption: String(os.Caption) };
}

function outputObject(snapshot: Snapshot, id: "computerSystem" | "os"): Record<string, JsonValue> {
  const record = snapshot.probes[id];
  if (record === undefined || !("output" in record)) return {};
  const value = record.output;
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
