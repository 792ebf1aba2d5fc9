/**
 * Reads many hosts, each in one round trip. A host that fails (unreachable, authentication
 * refused, timeout, WinRM quota) gets a snapshot whose every probe records the reason; the others
 * are unaffected.
 */
import type { Snapshot } from "../model/snapshot";
import type { ProbeId } from "../probes/catalog";
import type { GenericProbe } from "../probes/generic";
import type { DriverTarget } from "./driver";
import { classifyHostFailure, failedHostSnapshot, type HostFailure } from "./host-failure";
import { mapBounded } from "./pool";

/** One round trip to one host: runs the collector there and returns the snapshot. */
export type HostReader = (target: DriverTarget, probes: ProbeId[], timeoutMs: number, generic: readonly GenericProbe[]) => Promise<Snapshot>;

export interface CollectOptions {
  probes: ProbeId[];
  /** The step library's probes; each target carries them too, encoded (driver.ts). */
  generic?: readonly GenericProbe[];
  concurrency: number;
  timeoutMs: number;
  collector: { name: string; version: string };
  now?: () => Date;
}

export interface CollectedHost {
  host: string;
  snapshot: Snapshot;
  /** Set when the host could not be read at all. */
  failure?: HostFailure;
  durationMs: number;
}

export async function collectHosts(targets: readonly DriverTarget[], read: HostReader, options: CollectOptions): Promise<CollectedHost[]> {
  const now = options.now ?? (() => new Date());
  return mapBounded(targets, options.concurrency, async (target) => {
    const started = performance.now();
    const at = now();
    try {
      const snapshot = await withTimeout(read(target, options.probes, options.timeoutMs, options.generic ?? []), options.timeoutMs, target.host);
      return { host: target.host, snapshot, durationMs: performance.now() - started };
    } catch (err) {
      const failure = classifyHostFailure(err);
      return { host: target.host, snapshot: failedHostSnapshot(target.host, target.transport, options.probes, failure, at, options.collector, options.generic), failure, durationMs: performance.now() - started };
    }
  });
}

/** The reader has its own timeout; this one guarantees a hung reader cannot hold up the run. */
function withTimeout<T>(promise: Promise<T>, ms: number, host: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s reading ${host}`)), ms + 1000);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
