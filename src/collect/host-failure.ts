/**
 * When a whole host cannot be read, every probe of its snapshot records why, so that each of its
 * controls is undetermined with the reason and the rest of the estate is judged as usual.
 */
import type { ProbeError, ProbeErrorKind, Snapshot } from "../model/snapshot";
import { PROBES, type ProbeId } from "../probes/catalog";
import type { LiveTransport } from "./driver";

const PATTERNS: [RegExp, ProbeErrorKind][] = [
  [/timed? ?out|timeout|within the time specified/i, "timeout"],
  [/access is denied|permission denied|logon failure|authentication|unauthori[sz]ed|\b401\b|publickey/i, "access-denied"],
];

/** Remoting errors arrive as text (WinRM, OpenSSH, the shell); the kind is what an auditor filters on. */
export function classifyHostFailure(message: string): ProbeErrorKind {
  for (const [re, kind] of PATTERNS) if (re.test(message)) return kind;
  return "other";
}

export function failedHostSnapshot(
  host: string,
  transport: LiveTransport,
  probes: ProbeId[],
  failure: ProbeError,
  at: Date,
  collector: { name: string; version: string },
): Snapshot {
  const error: ProbeError = { kind: failure.kind, message: `the host could not be read: ${failure.message}` };
  return {
    schemaVersion: 1,
    host,
    collectedAt: at.toISOString(),
    collector: { ...collector, transport },
    probes: Object.fromEntries(probes.map((p) => [p, { command: PROBES[p].command, startedAt: at.toISOString(), error }])),
  };
}
