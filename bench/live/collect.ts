/**
 * The measured process of the live bench: collects every host of a plan over SSH with one design
 * and writes, per host, the identity its snapshot reports or why it failed. bench/live.ts runs it
 * as a child (under GNU time) so that its CPU and memory are hostproof's alone: the sshd side was
 * started by the parent and is not below this process.
 *
 *   node --import tsx bench/live/collect.ts --plan <plan.json> --design fanout --concurrency N --out <result.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { DriverTarget } from "../../src/collect/driver";
import { collectHostsFanout } from "../../src/collect/fanout-reader";
import { COLLECTOR_NAME } from "../../src/collect/script";
import type { JsonValue } from "../../src/model/json";
import type { Snapshot } from "../../src/model/snapshot";
import { findPwsh } from "../../src/powershell/find";
import { PROBE_IDS } from "../../src/probes/catalog";
import type { Identity, LivePlan } from "./estate";

/**
 * Only the product's reader is left: the pool of sessions ("pool") it replaced was deleted with
 * it; bench/README.md keeps the paired figures that decided it.
 */
export type Design = "fanout";

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
  if (values.design !== "fanout") throw new Error(`unknown design ${values.design}: only fanout is left`);
  const design = values.design;
  const concurrency = Number(values.concurrency);
  const pwsh = findPwsh();
  if (pwsh === undefined) throw new Error("pwsh not found");
  const t0 = performance.now();
  const hosts = await viaFanout(plan, concurrency, pwsh);
  const result: CollectResult = { design, concurrency, collectMs: performance.now() - t0, hosts };
  writeFileSync(String(values.out), JSON.stringify(result));
}

/** The product's reader: collectHostsFanout, one local pwsh running the driver per host. */
async function viaFanout(plan: LivePlan, concurrency: number, pwsh: string): Promise<HostOutcome[]> {
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
  const out = await collectHostsFanout(targets, {
    probes: [...PROBE_IDS],
    concurrency,
    timeoutMs: TIMEOUT_MS,
    collector: { name: COLLECTOR_NAME, version: "bench" },
    executable: pwsh,
  });
  return out.map((h) => (h.failure ? { host: h.host, failure: h.failure.message } : { host: h.host, identity: identityOf(h.snapshot) }));
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
