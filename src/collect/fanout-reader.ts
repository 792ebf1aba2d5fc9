/**
 * The product's live reader: one local pwsh reads every live host (fanout-script.ts), at most
 * `concurrency` at once, and each host becomes a CollectedHost as soon as its done line arrives,
 * classified exactly as before (collectorOutputOf + parseCollectorOutput over the driver's lines
 * and the ssh lines attributed to it). Only the lines of hosts in flight are held.
 *
 * Why one pwsh and not a pool of sessions: measured at 200 hosts over real SSH, a pwsh per
 * concurrent host cost 0.44 CPU-s/host and 2.84 GiB; one pwsh fanning out 0.16 and 0.59 GiB
 * (bench/README.md, "Live collection over SSH").
 *
 * What Node guards itself:
 * - pwsh 7.6.9 can die whole when an ssh client exits early (an unhandled "Broken pipe" on its SSH
 *   transport's error thread, seen with a refused host in about one run of four). One process
 *   reads every host, so a crash is relaunched, up to RELAUNCHES times, for the hosts without a
 *   result; hosts in flight then are read again (another round trip for them, never a wrong or
 *   lost result). A relaunch can crash again on the same refused host: with one relaunch, a CI
 *   run lost every unread host to two crashes in a row (2026-11-29).
 * - A backstop: when pwsh has not finished within every wave's limit plus slack, or keeps dying,
 *   every host without a result fails with the reason, and pwsh's whole process tree is killed.
 * - After the last host, pwsh gets a moment to exit, then its tree is killed: a timed-out host's
 *   stopped instance may wait on a remote side that never answers, and its ssh client with it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PowerShellMissingError } from "../powershell/errors";
import { resolvePwsh } from "../powershell/find";
import { descendants, killTreeWindows, signalAll } from "../powershell/process-tree";
import type { CollectedHost, CollectOptions } from "./collect-hosts";
import { DRIVER_BODY, encodeTarget, type DriverTarget } from "./driver";
import { collectorOutputOf } from "./driver-output";
import { FANOUT_SCRIPT, FANOUT_TAG } from "./fanout-script";
import { classifyHostFailure, failedHostSnapshot, HostReadError } from "./host-failure";
import { parseCollectorOutput } from "./parse";
import { buildCollectorScript } from "./script";
import { SshLineAttributor } from "./ssh-lines";
import { trackChild } from "../util/children";
import { guarded } from "../util/guardian";

export interface FanoutOptions extends CollectOptions {
  /** pwsh to run; default NODE_POWERSHELL, then pwsh on PATH. */
  executable?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each host as soon as it is read (or has failed), in completion order. */
  onHost?: (host: CollectedHost, index: number) => void;
}

/** pwsh's own start-up, and the slack per wave for stopping a timed-out host. */
const START_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/** How long a failed host waits for ssh's lines that pwsh re-emits late. */
const SSH_LINES_GRACE_MS = 500;
/** How long pwsh may take to exit by itself once every host is done. */
const EXIT_GRACE_MS = 3_000;
/**
 * A crashed pwsh is relaunched this many times for the hosts it left without a result: at about
 * one crash in four launches with a refused host, three relaunches leave about 1 in 256.
 */
const RELAUNCHES = 3;

const TAGGED = new RegExp(`^(${Object.values(FANOUT_TAG).join("|")}) (\\d+)(?: (.*))?$`);

interface InProgress {
  /** Untagged lines attributed to this host by address (ssh's own). */
  sshLines: number;
  started: number;
  at: Date;
  stdout: string[];
  stderr: string[];
  timedOut: boolean;
}

/** Reads every target; the results come back in the targets' order. */
export async function collectHostsFanout(targets: readonly DriverTarget[], options: FanoutOptions): Promise<CollectedHost[]> {
  const results = new Array<CollectedHost | undefined>(targets.length);
  if (targets.length === 0) return [];
  const exe = resolvePwsh(options.executable, options.env ?? process.env);
  if (exe === undefined) throw new PowerShellMissingError(undefined, "PATH");
  const now = options.now ?? (() => new Date());
  const collector = buildCollectorScript(options.probes, options.generic);
  const finish = (index: number, host: CollectedHost): void => {
    if (results[index] !== undefined) return;
    results[index] = host;
    options.onHost?.(host, index);
  };
  const fail = (index: number, error: Error, at: Date, durationMs: number): void => {
    const t = targets[index];
    const failure = classifyHostFailure(error);
    finish(index, { host: t.host, snapshot: failedHostSnapshot(t.host, t.transport, options.probes, failure, at, options.collector, options.generic), failure, durationMs });
  };

  for (let launch = 0; ; launch++) {
    const remaining = targets.map((_, i) => i).filter((i) => results[i] === undefined);
    if (remaining.length === 0) break;
    const ended = await runOnce(exe.path, remaining, collector);
    if (ended.ok) continue;
    if (ended.crashed && launch < RELAUNCHES) continue;
    const at = now();
    for (const i of targets.map((_, i) => i).filter((i) => results[i] === undefined)) fail(i, new HostReadError(ended.reason, ended.message), at, 0);
  }
  return results.map((r) => r as CollectedHost);

  /** One pwsh over `indices`; resolves when it has exited (or was killed) and its tree is gone. */
  async function runOnce(pwsh: string, indices: readonly number[], collectorScript: string): Promise<{ ok: true } | { ok: false; crashed: boolean; reason: "timeout" | "other"; message: string }> {
    const dir = mkdtempSync(join(tmpdir(), "hostproof-fanout-"));
    const files = { script: join(dir, "fanout.ps1"), driver: join(dir, "driver.ps1"), collector: join(dir, "collector.ps1"), targets: join(dir, "targets.txt") };
    writeFileSync(files.script, FANOUT_SCRIPT);
    writeFileSync(files.driver, DRIVER_BODY);
    writeFileSync(files.collector, collectorScript);
    // One base64 line per host: the driver's -TargetB64, data all the way.
    writeFileSync(files.targets, indices.map((i) => encodeTarget(targets[i])).join("\n"));
    const throttle = Math.max(1, Math.min(options.concurrency, indices.length));
    // Through a guardian (util/guardian.ts): if hostproof is killed outright, this pwsh and its
    // ssh clients stop reading hosts, and the temporary folder goes.
    const run = guarded(
      pwsh,
      ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", files.script, "-DriverFile", files.driver, "-CollectorFile", files.collector, "-TargetsFile", files.targets, "-Throttle", String(throttle), "-TimeoutMs", String(options.timeoutMs)],
      dir,
    );
    const child = spawn(
      run.command,
      run.args,
      // TERM=dumb: pwsh 7.6 otherwise writes terminal escapes around what it reads (PowerShell#26631).
      { env: { ...(options.env ?? process.env), TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"], windowsHide: true },
    );
    // An interrupt (SIGINT/SIGTERM to hostproof) stops this pwsh and its ssh clients too.
    const untrack = child.pid === undefined ? () => undefined : trackChild(child.pid, "PowerShell (reading hosts)", false, dir);
    const killTree = (): void => {
      if (child.pid === undefined) return;
      if (process.platform === "win32") killTreeWindows(child.pid);
      else signalAll([...descendants(child.pid), child.pid], "SIGKILL");
    };
    const hosts = new Map<number, InProgress>();
    const attributor = new SshLineAttributor();
    let stderrTail = "";
    let left = indices.length;
    let exitTimer: NodeJS.Timeout | undefined;
    child.stderr.on("data", (chunk: Buffer) => void (stderrTail = (stderrTail + chunk.toString("utf8")).slice(-4096)));

    const graced = new Map<number, NodeJS.Timeout>();
    const complete = (local: number): void => {
      clearTimeout(graced.get(local));
      graced.delete(local);
      const index = indices[local];
      const p = hosts.get(local);
      if (p !== undefined && p.sshLines === 0 && !p.stdout.some((l) => l.startsWith("{"))) p.stdout.unshift(...attributor.claimOrphans(local));
      hosts.delete(local);
      attributor.done(local);
      if (p === undefined) return;
      const t = targets[index];
      const durationMs = performance.now() - p.started;
      try {
        if (p.timedOut) {
          const ssh = p.stdout.filter((l) => !l.startsWith("{")).join("\n");
          const limit = `${Math.round(options.timeoutMs / 1000)} s`;
          // ssh said why it ended, but pwsh 7.6.9 sometimes misses that its ssh client has exited
          // and waits on: ssh's own reason is the host's, not the wait it caused.
          const said = ssh === "" ? undefined : classifyHostFailure(ssh);
          if (said !== undefined && said.reason !== "other" && said.reason !== "timeout") {
            throw new HostReadError(said.reason, `${ssh}\n(pwsh did not notice that ssh had ended; the host was stopped after ${limit})`);
          }
          throw new HostReadError("timeout", `timed out after ${limit} reading ${t.host}${ssh ? `\n${ssh}` : ""}`);
        }
        const text = collectorOutputOf(p.stdout.join("\n"), p.stderr.join("\n"));
        const snapshot = parseCollectorOutput(text, { host: t.host, transport: t.transport, collectorVersion: options.collector.version });
        finish(index, { host: t.host, snapshot, durationMs });
      } catch (err) {
        fail(index, err instanceof Error ? err : new Error(String(err)), p.at, durationMs);
      }
      if (--left === 0) exitTimer = setTimeout(killTree, EXIT_GRACE_MS);
    };

    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = TAGGED.exec(line);
      if (m === null) {
        for (const { index, line: l } of attributor.attribute(line)) {
          const p = index === undefined ? undefined : hosts.get(index);
          if (p === undefined) continue;
          p.stdout.push(l);
          p.sshLines++;
        }
        return;
      }
      const [, tag, n, rest = ""] = m;
      const local = Number(n);
      if (!(local < indices.length)) return;
      if (tag === FANOUT_TAG.start) {
        const t = targets[indices[local]];
        hosts.set(local, { started: performance.now(), at: now(), stdout: [], stderr: [], timedOut: false, sshLines: 0 });
        attributor.start({ index: local, address: t.address, port: t.transport === "ssh" ? t.port : undefined });
      } else if (tag === FANOUT_TAG.line) hosts.get(local)?.stdout.push(rest);
      else if (tag === FANOUT_TAG.error) hosts.get(local)?.stderr.push(rest);
      else if (tag === FANOUT_TAG.timeout) {
        const p = hosts.get(local);
        if (p) p.timedOut = true;
      } else {
        // pwsh re-emits ssh's own lines from a reader thread of its own, so a failed host's done
        // line can overtake them: a host without its document stays a candidate for them a moment
        // longer (and at the latest until pwsh exits).
        const p = hosts.get(local);
        if (p !== undefined && !p.stdout.some((l) => l.startsWith("{"))) {
          graced.set(local, setTimeout(() => complete(local), SSH_LINES_GRACE_MS));
        } else complete(local);
      }
    });

    // Every wave of `throttle` hosts may take the per-host limit plus the time to stop one.
    const waves = Math.ceil(indices.length / throttle);
    const budgetMs = START_MS + waves * (options.timeoutMs + STOP_GRACE_MS);
    let hung = false;
    const backstop = setTimeout(() => {
      hung = true;
      killTree();
    }, budgetMs);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
      child.once("close", (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(backstop);
    untrack();
    for (const local of [...graced.keys()]) complete(local);
    clearTimeout(exitTimer);
    killTree();
    rmSync(dir, { recursive: true, force: true });
    if (left === 0) return { ok: true };
    if (hung) {
      return { ok: false, crashed: false, reason: "timeout", message: `timed out: the local pwsh reading this host and others did not finish within ${Math.round(budgetMs / 1000)} s and was stopped` };
    }
    const how = exit.error ? `could not start (${exit.error.message})` : `exited (${exit.signal ?? `code ${exit.code}`})`;
    const said = stderrTail.trim().split(/\r?\n/).slice(0, 3).join(" ");
    return { ok: false, crashed: true, reason: "other", message: `the local pwsh reading this host and others ${how} before this host was read${said ? `: ${said}` : ""}` };
  }
}
