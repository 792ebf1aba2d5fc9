/**
 * Throwaway OpenSSH servers on loopback addresses, with key login and (when pwsh is given)
 * PowerShell as the `powershell` subsystem: the hosts hostproof's ssh transport reaches in the
 * tests and the live benchmark. Only 127.0.0.0/8 addresses are used.
 *
 * Scale: one sshd can listen on at most 16 addresses (OpenSSH's MAX_LISTEN_SOCKS; a 17th
 * ListenAddress makes it exit with "Too many listen sockets. Enlarge MAX_LISTEN_SOCKS"), so N hosts
 * run on ceil(N / 16) sshd processes, one host key each. Every host has its own address, so a
 * client tells them apart exactly as it would real hosts, and the server side tells them apart by
 * the address in $env:SSH_CONNECTION (see pwsh-subsystem.ts).
 *
 * Proof of round trips: sshd runs at LogLevel VERBOSE into a log file per process, which records
 * "Connection from <client> port <p> on <address> port <port>" for every TCP connection it
 * accepts. Readiness is read from the same log ("Server listening on …"), not by connecting, so
 * the counts hold the clients' connections only.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { findOnPath } from "../../src/powershell/find";
import { descendants, signalAll } from "../../src/powershell/process-tree";
import { TEST_ESTATE_NO_DIRECTORY } from "../helpers/snapshot-builder";
import { writeKnownHosts } from "./known-hosts";
import { writePwshSubsystem, type PwshSubsystem } from "./pwsh-subsystem";

export const SSHD_CANDIDATES = ["/usr/sbin/sshd", "/usr/bin/sshd"];

/** OpenSSH's compile-time limit on listening sockets per sshd (checked on OpenSSH 9.2). */
export const MAX_LISTEN_SOCKS = 16;

export function findSshd(): string | undefined {
  for (const p of SSHD_CANDIDATES) if (spawnSync(p, ["-V"], { encoding: "utf8" }).error === undefined) return p;
  return findOnPath("sshd");
}

export interface LoopbackHost {
  address: string;
  port: number;
  /** Closes this host's address (clients then get "Connection refused"); see LoopbackEstate.stop. */
  stop(): Promise<void>;
}

export interface LoopbackEstate {
  dir: string;
  user: string;
  /** The client key every host accepts. */
  keyFile: string;
  hosts: LoopbackHost[];
  /** `[address]:port key` for every host, with the host's real key. */
  knownHostsFile: string;
  /** How many sshd processes serve the hosts. */
  sshdCount: number;
  /** Present when the estate was started with pwsh. */
  subsystem?: PwshSubsystem;
  /** Where the host description for `address` goes (write it with writeFakeHost). */
  hostFile(address: string): string;
  /**
   * Closes one address. When it was its sshd's last, that sshd is stopped; otherwise the sshd is
   * given a config without it and restarted in place by SIGHUP (sessions in progress survive, but
   * for a few milliseconds the sshd's other addresses refuse new connections too).
   */
  stop(address: string): Promise<void>;
  /** TCP connections each address accepted, from the sshd logs. */
  connections(): Map<string, number>;
  /** Remote PowerShell sessions each address started, from start.ps1's log (pwsh estates only). */
  sessions(): Map<string, number>;
  /** Kills every sshd and everything below it (server-side pwsh too) and removes the files. */
  dispose(): void;
}

export interface LoopbackOptions {
  sshd: string;
  /** pwsh for the `powershell` subsystem; without it the hosts have no subsystem. */
  pwsh?: string;
  port?: number;
  /** First address; the others follow it, skipping .0 and .255. Default 127.0.0.2. */
  firstAddress?: string;
  /** Addresses per sshd, at most MAX_LISTEN_SOCKS. */
  perSshd?: number;
  /** How long sshd may take to listen. */
  startTimeoutMs?: number;
}

interface Group {
  index: number;
  addresses: string[];
  config: string;
  /** What every rewrite of the config keeps; only the ListenAddress lines change. */
  base: ConfigBase;
  log: string;
  proc: ChildProcess;
  /** Serialises stop() calls on one sshd. */
  queue: Promise<void>;
}

/** Starts an estate of `count` hosts on loopback addresses. */
export async function startLoopbackSshd(count: number, options: LoopbackOptions): Promise<LoopbackEstate> {
  const perSshd = options.perSshd ?? MAX_LISTEN_SOCKS;
  if (!(perSshd >= 1 && perSshd <= MAX_LISTEN_SOCKS)) throw new RangeError(`perSshd must be 1..${MAX_LISTEN_SOCKS}`);
  const port = options.port ?? 2222;
  const addresses = loopbackAddresses(options.firstAddress ?? "127.0.0.2", count);
  const dir = mkdtempSync(join(tmpdir(), "hostproof-sshd-"));
  chmodSync(dir, 0o755);
  const keyFile = join(dir, "client_ed25519");
  keygen(keyFile);
  const authorized = join(dir, "authorized_keys");
  writeFileSync(authorized, readFileSync(`${keyFile}.pub`));
  chmodSync(authorized, 0o600);
  mkdirSync("/run/sshd", { recursive: true });
  const subsystem = options.pwsh ? writePwshSubsystem(dir, options.pwsh) : undefined;

  const groups: Group[] = [];
  const known: Array<{ address: string; port: number; publicKeyFile: string }> = [];
  const killAll = (): void => {
    for (const g of groups) signalAll([...descendants(g.proc.pid ?? -1), g.proc.pid ?? -1].filter((p) => p > 0), "SIGKILL");
    // A session whose client went away (a host given up on as hung) leaves its pwsh orphaned, no
    // longer below any sshd: it is found by the estate's folder in its command line.
    signalAll(processesNaming(dir), "SIGKILL");
  };
  try {
    for (let index = 0; index * perSshd < addresses.length; index++) {
      const mine = addresses.slice(index * perSshd, (index + 1) * perSshd);
      const hostKey = join(dir, `host${index}_ed25519`);
      keygen(hostKey);
      for (const address of mine) known.push({ address, port, publicKeyFile: `${hostKey}.pub` });
      const config = join(dir, `sshd${index}.conf`);
      const base = { hostKey, pidFile: join(dir, `sshd${index}.pid`), authorized, wrapper: subsystem?.wrapper };
      writeFileSync(config, sshdConfig(mine, port, base));
      const log = join(dir, `sshd${index}.log`);
      writeFileSync(log, "");
      // -D: stay in the foreground, so the pid is sshd's. -E: log to a file nobody has to drain.
      const proc = spawn(options.sshd, ["-D", "-E", log, "-f", config], { stdio: "ignore" });
      groups.push({ index, addresses: mine, config, base, log, proc, queue: Promise.resolve() });
    }
    await Promise.all(groups.map((g) => waitListening(g, port, 0, options.startTimeoutMs ?? 20_000)));
  } catch (err) {
    killAll();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const knownHostsFile = join(dir, "known_hosts");
  writeKnownHosts(knownHostsFile, known);

  const groupOf = new Map<string, Group>();
  for (const g of groups) for (const a of g.addresses) groupOf.set(a, g);

  const stop = (address: string): Promise<void> => {
    const group = groupOf.get(address);
    if (group === undefined) return Promise.reject(new Error(`${address} is not a host of this estate`));
    const next = group.queue.then(() => closeAddress(group, address, port));
    group.queue = next.catch(() => undefined);
    return next;
  };

  return {
    dir,
    user: userInfo().username,
    keyFile,
    hosts: addresses.map((address) => ({ address, port, stop: () => stop(address) })),
    knownHostsFile,
    sshdCount: groups.length,
    ...(subsystem ? { subsystem } : {}),
    hostFile(address) {
      if (subsystem === undefined) throw new Error("host descriptions need an estate started with pwsh");
      return join(subsystem.hostsDir, `${address}.json`);
    },
    stop,
    connections: () => countConnections(groups, port),
    sessions: () => countSessions(subsystem),
    dispose() {
      killAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface ConfigBase {
  hostKey: string;
  pidFile: string;
  authorized: string;
  wrapper: string | undefined;
}

function sshdConfig(addresses: readonly string[], port: number, base: ConfigBase): string {
  return [
    ...addresses.map((a) => `ListenAddress ${a}:${port}`),
    `HostKey ${base.hostKey}`,
    `PidFile ${base.pidFile}`,
    `AuthorizedKeysFile ${base.authorized}`,
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "StrictModes no",
    "UsePAM no",
    "UseDNS no",
    // The default (10:30:100) drops unauthenticated connections beyond 10 at random: a burst of
    // clients at high concurrency would see failures no real estate would.
    "MaxStartups 1000",
    // VERBOSE logs "Connection from … on <address> port <port>" for every accepted connection.
    "LogLevel VERBOSE",
    ...(base.wrapper ? [`Subsystem powershell ${base.wrapper}`] : []),
    "",
  ].join("\n");
}

/** Processes whose command line names `text` (Linux /proc), this one excepted. */
function processesNaming(text: string): number[] {
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text)) found.push(pid);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** Removes `address` from its sshd: stop the sshd, or rewrite its config and restart it in place. */
async function closeAddress(group: Group, address: string, port: number): Promise<void> {
  if (!group.addresses.includes(address)) return;
  group.addresses = group.addresses.filter((a) => a !== address);
  if (group.addresses.length === 0) {
    if (group.proc.exitCode !== null || group.proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => group.proc.once("exit", () => resolve()));
    group.proc.kill("SIGTERM");
    await exited;
    return;
  }
  writeFileSync(group.config, sshdConfig(group.addresses, port, group.base));
  const offset = statSync(group.log).size;
  // SIGHUP: sshd closes its listening sockets and re-executes itself with the new config.
  group.proc.kill("SIGHUP");
  await waitListening(group, port, offset, 10_000);
}

/** Waits until the log, from `offset` on, says sshd listens on every address of the group. */
async function waitListening(group: Group, port: number, offset: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const text = readFileSync(group.log, "utf8").slice(offset);
    if (group.addresses.every((a) => text.includes(`Server listening on ${a} port ${port}.`))) return;
    if (group.proc.exitCode !== null || group.proc.signalCode !== null || Date.now() > until) {
      throw new Error(`sshd ${group.index} (${group.addresses.join(", ")}) did not start:\n${text.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function countConnections(groups: readonly Group[], port: number): Map<string, number> {
  const counts = new Map<string, number>();
  const line = new RegExp(`^Connection from \\S+ port \\d+ on (\\S+) port ${port}\\b`, "gm");
  for (const g of groups) {
    const text = existsSync(g.log) ? readFileSync(g.log, "utf8") : "";
    for (const m of text.matchAll(line)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return counts;
}

function countSessions(subsystem: PwshSubsystem | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (subsystem === undefined || !existsSync(subsystem.sessionsDir)) return counts;
  for (const address of readdirSync(subsystem.sessionsDir)) {
    // One line per start.ps1 run, "<pid> <SSH_CONNECTION>". pwsh 7.6.9's server runs
    // ScriptsToProcess twice in one session (same process, same connection), so a session is a
    // distinct line, not a line.
    const lines = new Set(readFileSync(join(subsystem.sessionsDir, address), "utf8").split("\n").filter((l) => l.trim() !== ""));
    counts.set(address, lines.size);
  }
  return counts;
}

/** `count` loopback addresses from `first` on, skipping last octets 0 and 255. */
export function loopbackAddresses(first: string, count: number): string[] {
  const parts = first.split(".").map(Number);
  if (parts.length !== 4 || parts[0] !== 127 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`${first} is not a loopback address (127.0.0.0/8)`);
  }
  let n = ((parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const out: string[] = [];
  while (out.length < count) {
    if (n > 0xfffffe) throw new Error(`not enough loopback addresses after ${first}`);
    const last = n & 0xff;
    if (last !== 0 && last !== 255) out.push(`127.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${last}`);
    n++;
  }
  return out;
}

function keygen(file: string): void {
  const res = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
}

/** A plain ssh command to a loopback host, for checking the servers themselves. */
export function sshRun(estate: LoopbackEstate, host: LoopbackHost, command: string): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(
    "ssh",
    ["-i", estate.keyFile, "-p", String(host.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", `${estate.user}@${host.address}`, command],
    { encoding: "utf8", timeout: 20_000 },
  );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/**
 * An inventory that reads `names[i]` live from the estate's i-th loopback host, over ssh with the
 * estate's key and known_hosts; `collection` and the rest (name, clusters) as the test needs. A
 * test estate states it has no directory, as buildInventory's do, unless `rest` names one.
 */
export function loopbackInventory(estate: LoopbackEstate, names: readonly string[], collection: { concurrency: number; probeTimeoutSeconds: number }, rest: Record<string, unknown>): Record<string, unknown> {
  return {
    version: 1,
    directory: TEST_ESTATE_NO_DIRECTORY,
    ...rest,
    collection: { ...collection, timeoutSeconds: 120, ssh: { knownHostsFile: estate.knownHostsFile } },
    credentials: [{ name: "loop", username: estate.user, keyFile: estate.keyFile }],
    hosts: names.map((name, i) => ({ name, address: estate.hosts[i]!.address, transport: "ssh", credential: "loop", ssh: { port: estate.hosts[i]!.port } })),
  };
}
