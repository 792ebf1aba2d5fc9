/**
 * The real HostReader: a pool of PowerShell sessions, one per host being read at the same time.
 * Each read is one invocation: the driver, carrying the collector script for the selected probes.
 */
import { PowerShellSession } from "../powershell/session";
import type { ProbeId } from "../probes/catalog";
import type { HostReader } from "./collect-hosts";
import { driverInvocation } from "./driver";
import { collectorOutputOf } from "./driver-output";
import { parseCollectorOutput } from "./parse";
import { buildCollectorScript } from "./script";

export interface PwshReader {
  read: HostReader;
  dispose(): Promise<void>;
}

export function pwshReader(options: { executable?: string; collectorVersion: string; env?: NodeJS.ProcessEnv }): PwshReader {
  const idle: PowerShellSession[] = [];
  const all: PowerShellSession[] = [];
  const scripts = new Map<string, string>();

  const read: HostReader = async (target, probes: ProbeId[], timeoutMs) => {
    const key = probes.join(",");
    let script = scripts.get(key);
    if (script === undefined) scripts.set(key, (script = buildCollectorScript(probes)));
    const session = idle.pop() ?? newSession(timeoutMs);
    try {
      const { stdout, stderr } = await session.invoke(driverInvocation(target, script));
      return parseCollectorOutput(collectorOutputOf(stdout, stderr), { host: target.host, transport: target.transport, collectorVersion: options.collectorVersion });
    } finally {
      idle.push(session);
    }
  };

  function newSession(timeoutMs: number): PowerShellSession {
    const s = PowerShellSession.start({ executable: options.executable, invocationTimeoutMs: timeoutMs, env: options.env });
    all.push(s);
    return s;
  }

  return {
    read,
    async dispose() {
      await Promise.all(all.map((s) => s.dispose()));
    },
  };
}
