/**
 * Live collection for an inventory: which hosts are read live, with what, and the pre-flight
 * check that PowerShell is there at all (a missing pwsh is one clear error, not every host
 * undetermined).
 */
import { dirname, resolve } from "node:path";
import { InputError } from "../errors";
import { checkPwsh } from "./pwsh-preflight";
import type { LoadedInventory } from "../input/inventory";
import type { Credential, Inventory, InventoryHost } from "../model/inventory";
import type { Snapshot } from "../model/snapshot";
import type { ProbeId } from "../probes/catalog";
import { encodeGenericProbes, type GenericProbe } from "../probes/generic";
import { collectHosts, type CollectedHost, type HostReader } from "./collect-hosts";
import type { DriverTarget, LiveTransport } from "./driver";
import { collectHostsFanout } from "./fanout-reader";
import { COLLECTOR_NAME } from "./script";

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_SECONDS = 120;
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 30;
export const DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS = 15;

export const isLive = (h: InventoryHost): h is InventoryHost & { transport: LiveTransport } => h.transport !== "snapshot";

/** `baseDir` is the inventory's folder, which relative paths in it are read from. */
export function driverTarget(host: InventoryHost & { transport: LiveTransport }, inv: Inventory, timeoutSeconds: number, baseDir: string): DriverTarget {
  const cred: Credential | undefined = inv.credentials?.find((c) => c.name === host.credential);
  const ssh = inv.collection?.ssh;
  return {
    host: host.name,
    transport: host.transport,
    address: host.address ?? host.name,
    port: host.transport === "ssh" ? host.ssh?.port : host.winrm?.port,
    useSsl: host.winrm?.useSsl,
    authentication: host.winrm?.authentication,
    username: cred?.username,
    password: cred?.password,
    keyFile: cred?.keyFile,
    operationTimeoutSeconds: timeoutSeconds,
    probeTimeoutSeconds: Math.min(inv.collection?.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS, timeoutSeconds),
    ...(host.transport === "ssh"
      ? {
          ssh: {
            hostKeyChecking: ssh?.hostKeyChecking ?? "strict",
            ...(ssh?.knownHostsFile ? { knownHostsFile: resolve(baseDir, ssh.knownHostsFile) } : {}),
            connectTimeoutSeconds: ssh?.connectTimeoutSeconds ?? DEFAULT_SSH_CONNECT_TIMEOUT_SECONDS,
          },
        }
      : {}),
  };
}

/**
 * pwsh on Linux and macOS has no WSMan client since 7.4 ("This parameter set requires WSMan, and
 * no supported WSMan client library was found"): winrm hosts are refused before anything is
 * contacted, naming them and the ways out.
 */
export function refuseWinrmOffWindows(loaded: LoadedInventory, platform: NodeJS.Platform = process.platform): void {
  if (platform === "win32") return;
  const winrm = loaded.inventory.hosts.filter((h) => h.transport === "winrm").map((h) => h.name);
  if (winrm.length === 0) return;
  const shown = winrm.length > 5 ? `${winrm.slice(0, 5).join(", ")} and ${winrm.length - 5} more` : winrm.join(", ");
  throw new InputError({
    file: loaded.doc.file,
    field: `hosts (${winrm.length} with transport winrm: ${shown})`,
    problem: `WinRM cannot be used from ${platform}: PowerShell 7 there has no WSMan client`,
    fix: "Run hostproof on a Windows runner for these hosts, or reach them with transport: ssh (OpenSSH Server ships with Windows Server 2019 and later), or collect on a Windows machine and judge the snapshots here.",
  });
}

/**
 * What would refuse every live host of the inventory on this machine, checked before any is
 * contacted: WinRM off Windows, then a pwsh that is missing, broken or too old. Nothing when the
 * inventory (or `hosts`, the share a run reads) has no live host. `run` and `validate` check it
 * with their other inputs (engine/pre-run.ts); `collect` through liveReader.
 */
export async function checkLiveTransports(loaded: LoadedInventory, options: { env: NodeJS.ProcessEnv; platform?: NodeJS.Platform; hosts?: ReadonlySet<number> }): Promise<void> {
  // A shard reads its own share only: a share with no live host runs wherever it is given.
  const read = options.hosts === undefined ? loaded : { ...loaded, inventory: { ...loaded.inventory, hosts: loaded.inventory.hosts.filter((_, i) => options.hosts!.has(i)) } };
  const liveCount = read.inventory.hosts.filter(isLive).length;
  if (liveCount === 0) return;
  refuseWinrmOffWindows(read, options.platform);
  await checkPwsh({ file: loaded.doc.file, liveHosts: liveCount, env: options.env });
}

export interface EstateCollection {
  snapshots: Map<string, Snapshot>;
  hosts: CollectedHost[];
}

export interface CollectEstateOptions {
  probes: ProbeId[];
  /** The step library's probes the selected features read (controls/probe-plan.ts). */
  generic?: readonly GenericProbe[];
  concurrency?: number;
  timeoutSeconds?: number;
  collectorVersion: string;
  /** For tests: read hosts one by one some other way than through the fan-out's pwsh. */
  reader?: HostReader;
  env?: NodeJS.ProcessEnv;
  /** For tests: the platform the WinRM check assumes. */
  platform?: NodeJS.Platform;
  /** checkLiveTransports has been run on this inventory already (engine/pre-run.ts): pwsh is not started twice. */
  checked?: boolean;
}

export async function collectEstate(loaded: LoadedInventory, options: CollectEstateOptions): Promise<EstateCollection> {
  const read = await liveReader(loaded, options);
  return read === undefined ? { snapshots: new Map(), hosts: [] } : read(loaded.inventory.hosts.keys());
}

/** Reads the live hosts among the inventory's hosts at the given indexes; the others are skipped. */
export type LiveReader = (hostIndexes: Iterable<number>) => Promise<EstateCollection>;

/**
 * What can be refused for the whole estate is refused once, before any host is contacted (WinRM
 * off Windows, no usable pwsh); then each call reads the live hosts it is given, every one in a
 * round trip of its own. Undefined when the inventory has no live host. `run` reads slice by slice
 * through it (engine/run.ts), so that a live estate's snapshots are never all held at once.
 */
export async function liveReader(loaded: LoadedInventory, options: CollectEstateOptions): Promise<LiveReader | undefined> {
  const inv = loaded.inventory;
  const liveCount = inv.hosts.filter(isLive).length;
  if (liveCount === 0) return undefined;
  const timeoutSeconds = options.timeoutSeconds ?? inv.collection?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const concurrency = options.concurrency ?? inv.collection?.concurrency ?? DEFAULT_CONCURRENCY;
  const env = options.env ?? process.env;
  if (!options.reader && options.checked !== true) await checkLiveTransports(loaded, { env, platform: options.platform });
  const generic = options.generic ?? [];
  const encoded = generic.length > 0 ? { genericProbes: encodeGenericProbes(generic) } : {};
  const collectOptions = { probes: options.probes, generic, concurrency, timeoutMs: timeoutSeconds * 1000, collector: { name: COLLECTOR_NAME, version: options.collectorVersion } };
  return async (hostIndexes) => {
    const live: (InventoryHost & { transport: LiveTransport })[] = [];
    for (const i of hostIndexes) {
      const h = inv.hosts[i]!;
      if (isLive(h)) live.push(h);
    }
    if (live.length === 0) return { snapshots: new Map(), hosts: [] };
    const targets = live.map((h) => ({ ...driverTarget(h, inv, timeoutSeconds, dirname(loaded.file)), ...encoded }));
    // One local pwsh reads every live host it is given (fanout-reader.ts).
    const hosts: CollectedHost[] = options.reader ? await collectHosts(targets, options.reader, collectOptions) : await collectHostsFanout(targets, { ...collectOptions, env });
    return { snapshots: new Map(hosts.map((h) => [h.host, h.snapshot])), hosts };
  };
}
