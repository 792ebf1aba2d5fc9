/**
 * When a whole host cannot be read, every probe of its snapshot records why, so that each of its
 * controls is undetermined with the reason and the rest of the estate is judged as usual.
 *
 * Remoting failures arrive as text: OpenSSH's own words (which pwsh's SSH transport lets through
 * to stdout, not as an error record), PowerShell's error records, WinRM's messages, and our own
 * timeouts. They are sorted into reasons an operator acts on differently; each reason maps to the
 * snapshot's error kind, which is what reports group and auditors filter on.
 */
import type { ProbeError, ProbeErrorKind, Snapshot } from "../model/snapshot";
import { PowerShellTimeoutError } from "../powershell/errors";
import { CollectorOutputError } from "./parse";
import { PROBES, type ProbeId } from "../probes/catalog";
import { GENERIC_READERS, type GenericProbe } from "../probes/generic";
import type { LiveTransport } from "./driver";

export type HostFailureReason =
  | "host-key-changed"
  | "host-key-unknown"
  | "timeout"
  | "name-not-resolved"
  | "refused"
  | "authentication-denied"
  | "collector-output"
  | "other";

interface ReasonRule {
  reason: HostFailureReason;
  kind: ProbeErrorKind;
  /** Words for the report, before the message itself. */
  words: string;
  pattern?: RegExp;
}

/** First match wins: the host-key lines carry no other keyword, ssh's timeout lines say "Connection". */
const RULES: readonly ReasonRule[] = [
  {
    reason: "host-key-changed",
    kind: "unreachable",
    words: "the host's SSH key differs from the one in known_hosts (a reinstalled host, or someone in between)",
    pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i,
  },
  {
    reason: "host-key-unknown",
    kind: "unreachable",
    words: "the host's SSH key is not in known_hosts and strict checking is on",
    pattern: /No \S+ host key is known for|Host key verification failed/i,
  },
  {
    reason: "timeout",
    kind: "timeout",
    words: "timed out",
    pattern: /timed? ?out|timeout|within the time specified|did not finish the script within/i,
  },
  {
    reason: "name-not-resolved",
    kind: "unreachable",
    words: "the host name did not resolve",
    pattern: /Could not resolve hostname|Name or service not known|No such host is known|nodename nor servname|Temporary failure in name resolution/i,
  },
  {
    reason: "refused",
    kind: "unreachable",
    words: "the connection was refused or the network unreachable",
    pattern: /Connection refused|No route to host|Network is unreachable|Connection reset|Connection closed by|WinRM cannot complete the operation/i,
  },
  {
    reason: "authentication-denied",
    kind: "access-denied",
    words: "authentication was refused",
    pattern: /Permission denied|access is denied|logon failure|authentication|unauthori[sz]ed|\b401\b|publickey|Too many authentication failures/i,
  },
  { reason: "collector-output", kind: "other", words: "what came back was not the collector's document" },
];

const OTHER: ReasonRule = { reason: "other", kind: "other", words: "the host could not be read" };

export interface HostFailure {
  reason: HostFailureReason;
  kind: ProbeErrorKind;
  message: string;
}

/**
 * Long messages keep their head and their tail: ssh puts its verdict last ("Host key verification
 * failed.") and PowerShell's error follows it, while the head says what happened first.
 */
const HEAD_LINES = 4;
const TAIL_LINES = 3;
const MAX_CHARS = 1500;

/** The whole message, short: blank lines, ssh's "Permanently added" notices and its @@@ rules dropped. */
export function trimMessage(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^Warning: Permanently added /.test(l) && !/^@+$/.test(l));
  const kept =
    lines.length > HEAD_LINES + TAIL_LINES + 1
      ? [...lines.slice(0, HEAD_LINES), `(${lines.length - HEAD_LINES - TAIL_LINES} lines left out)`, ...lines.slice(-TAIL_LINES)]
      : lines;
  const joined = kept.join("\n");
  return joined.length > MAX_CHARS ? `${joined.slice(0, MAX_CHARS - 1)}…` : joined;
}

/** Sorts a failure by its text; a PowerShell timeout is a timeout whatever its words. */
export function classifyHostFailure(failure: unknown): HostFailure {
  const message = trimMessage(failure instanceof Error ? failure.message : String(failure));
  if (failure instanceof PowerShellTimeoutError) return { reason: "timeout", kind: "timeout", message };
  if (failure instanceof HostReadError) return { reason: failure.reason, kind: ruleFor(failure.reason).kind, message };
  if (failure instanceof CollectorOutputError) return { reason: "collector-output", kind: "other", message };
  const rule = RULES.find((r) => r.pattern?.test(message)) ?? OTHER;
  return { reason: rule.reason, kind: rule.kind, message };
}

function ruleFor(reason: HostFailureReason): ReasonRule {
  return RULES.find((r) => r.reason === reason) ?? OTHER;
}

/** A failure whose reason is already known (the collector's output was not its document). */
export class HostReadError extends Error {
  constructor(
    readonly reason: HostFailureReason,
    message: string,
  ) {
    super(message);
    this.name = "HostReadError";
  }
}

/** "the host could not be read (authentication was refused): root@10.0.0.5: Permission denied (publickey)." */
export function describeHostFailure(failure: HostFailure): string {
  const words = ruleFor(failure.reason).words;
  return failure.reason === "other" ? `${words}: ${failure.message}` : `the host could not be read (${words}): ${failure.message}`;
}

export function failedHostSnapshot(
  host: string,
  transport: LiveTransport,
  probes: ProbeId[],
  failure: HostFailure,
  at: Date,
  collector: { name: string; version: string },
  generic: readonly GenericProbe[] = [],
): Snapshot {
  const error: ProbeError = { kind: failure.kind, message: describeHostFailure(failure) };
  const startedAt = at.toISOString();
  return {
    schemaVersion: 1,
    host,
    collectedAt: at.toISOString(),
    collector: { ...collector, transport },
    probes: Object.fromEntries([
      ...probes.map((p) => [p, { command: PROBES[p].command, startedAt, error }]),
      ...generic.map((p) => [p.id, { command: GENERIC_READERS[p.kind][0], parameters: { ...p.parameters }, startedAt, error }]),
    ]),
  };
}
