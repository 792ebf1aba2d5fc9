/**
 * Turns the collector script's stdout (src/collect/script.ts) into a snapshot.
 *
 * Each probe's ConvertTo-Json text arrives as a string and is parsed here, so a probe whose
 * output is not JSON costs that probe only (an "other" error record naming the parse failure),
 * while a document that is not the collector's shape at all fails the whole host with a
 * CollectorOutputError: that means a different script ran or its output was mangled, and no
 * fact from it can be trusted.
 */
import { formatProblem } from "../errors";
import type { JsonValue } from "../model/json";
import type { Transport } from "../model/inventory";
import { PROBE_ERROR_KINDS, type ProbeErrorKind, type ProbeRecord, type Snapshot } from "../model/snapshot";
import { PROBE_IDS, type ProbeId } from "../probes/catalog";
import { genericRecordProblem, isGenericProbeId, type AnyProbeId } from "../probes/generic";
import { findCaseDuplicate } from "../input/snapshot-checks";
import { checkSchema } from "../schema/validate";
import { MAX_DEPTH, pathDeeperThan } from "../input/read-document";

/** A snapshot file may nest MAX_DEPTH levels; an output sits three down (probes.<id>.output). */
const OUTPUT_MAX_DEPTH = MAX_DEPTH - 3;
import { COLLECTOR_NAME } from "./script";

export interface CollectorMeta {
  /** The inventory name of the host; the snapshot's `host`. */
  host: string;
  transport: Transport;
  /** hostproof's version, recorded as the collector's. */
  collectorVersion: string;
}

interface CollectorRecordBase {
  command: string;
  parameters?: Record<string, string>;
  startedAt: string;
  durationMs?: number;
}

/** A probe as the script reports it: the raw ConvertTo-Json text, or the error. */
export type CollectorProbeRecord =
  | (CollectorRecordBase & { json: string })
  | (CollectorRecordBase & { error: { kind: ProbeErrorKind; message: string } });

/** The document the script writes, read but not yet turned into a snapshot. */
export interface CollectorDocument {
  collectedAt: string;
  powershell: string | null;
  /** $env:COMPUTERNAME on the host, for a caller that wants to check it reached the right one. */
  computerName: string | null;
  /** Built-in probes, then generic ones in the order the script ran them. */
  probes: Map<AnyProbeId, CollectorProbeRecord>;
}

export class CollectorOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CollectorOutputError";
  }
}

type Obj = { [key: string]: unknown };

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the document from stdout. The script writes it as its last line (one line: newlines
 * inside it are escaped), so a stray line before it, such as a profile's banner, is skipped.
 */
export function readCollectorDocument(stdout: string): CollectorDocument {
  const lines = stdout.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line.trim() !== "");
  const last = lines[lines.length - 1];
  if (last === undefined) throw new CollectorOutputError("the collector wrote nothing to stdout");
  let value: unknown;
  try {
    value = JSON.parse(last);
  } catch (err) {
    throw new CollectorOutputError(`the collector's last line is not JSON (${(err as Error).message}): ${preview(last)}`);
  }
  if (!isObj(value)) throw new CollectorOutputError(`the collector's document is not an object: ${preview(last)}`);
  const collectedAt = value.collectedAt;
  if (typeof collectedAt !== "string") throw new CollectorOutputError("the collector's document has no collectedAt");
  if (!isObj(value.probes)) throw new CollectorOutputError("the collector's document has no probes object");
  const probes = new Map<AnyProbeId, CollectorProbeRecord>();
  const folded = new Map<string, string>();
  for (const [id, raw] of Object.entries(value.probes)) {
    if (!isProbeId(id) && !isGenericProbeId(id)) throw new CollectorOutputError(`the collector reported an unknown probe '${id}'`);
    // The script runs each probe once, by an id without case: two spellings mean another writer.
    const twice = folded.get(id.toLowerCase());
    if (twice !== undefined) throw new CollectorOutputError(`the collector reported the probe ids '${twice}' and '${id}', which differ only in case`);
    folded.set(id.toLowerCase(), id);
    const record = readRecord(id, raw);
    const why = isGenericProbeId(id) ? genericRecordProblem(id, record.parameters, "json" in record, false) : undefined;
    if (why !== undefined) throw new CollectorOutputError(`the collector's record '${id}' does not agree with itself: ${why}`);
    probes.set(id, record);
  }
  return {
    collectedAt,
    powershell: optionalText(value.powershell),
    computerName: optionalText(value.computerName),
    probes,
  };
}

/** The snapshot for `meta.host` from the collector's stdout; schema-valid or a CollectorOutputError. */
export function parseCollectorOutput(stdout: string, meta: CollectorMeta): Snapshot {
  const doc = readCollectorDocument(stdout);
  const probes: Snapshot["probes"] = {};
  // Catalog order, whatever order the script ran them in, so snapshots of one estate compare;
  // generic probes after them, in the plan's order.
  for (const id of PROBE_IDS) {
    const record = doc.probes.get(id);
    if (record !== undefined) probes[id] = toProbeRecord(id, record);
  }
  for (const [id, record] of doc.probes) if (isGenericProbeId(id)) probes[id] = toProbeRecord(id, record);
  const snapshot: Snapshot = {
    schemaVersion: 1,
    host: meta.host,
    collectedAt: doc.collectedAt,
    collector: {
      name: COLLECTOR_NAME,
      version: meta.collectorVersion,
      transport: meta.transport,
      ...(doc.powershell !== null ? { powershell: doc.powershell } : {}),
    },
    probes,
  };
  const problems = checkSchema("snapshot", { file: `collector output from ${meta.host}`, value: snapshot, lineOf: () => undefined });
  if (problems.length > 0) throw new CollectorOutputError(problems.map(formatProblem).join("\n"));
  return snapshot;
}

function toProbeRecord(id: AnyProbeId, record: CollectorProbeRecord): ProbeRecord {
  const base = {
    command: record.command,
    ...(record.parameters !== undefined ? { parameters: record.parameters } : {}),
    startedAt: record.startedAt,
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
  };
  if ("error" in record) return { ...base, error: { kind: record.error.kind, message: record.error.message } };
  try {
    const output = JSON.parse(record.json) as JsonValue;
    // A host's answer is input like any file: nested past what a snapshot file may hold, it would
    // be refused when the snapshot is read back (and could exhaust the stack of what walks it).
    if (pathDeeperThan(output, OUTPUT_MAX_DEPTH) !== undefined) {
      return { ...base, error: { kind: "other", message: `${id}: the command's output is nested more than ${OUTPUT_MAX_DEPTH} levels deep; no probe's output is` } };
    }
    // PowerShell's objects ignore case: two keys differing only in case are not its output, and a
    // snapshot holding them would be refused when read back (src/input/snapshot-checks.ts).
    const twice = findCaseDuplicate(output);
    if (twice !== undefined) {
      return { ...base, error: { kind: "other", message: `${id}: the command's output holds the keys ${JSON.stringify(twice.keys[0])} and ${JSON.stringify(twice.keys[1])}, which differ only in case; PowerShell never writes both` } };
    }
    return { ...base, output };
  } catch (err) {
    return { ...base, error: { kind: "other", message: `${id}: the command's output is not valid JSON (${(err as Error).message}): ${preview(record.json)}` } };
  }
}

function readRecord(id: AnyProbeId, raw: unknown): CollectorProbeRecord {
  const where = `probe ${id}`;
  if (!isObj(raw)) throw new CollectorOutputError(`${where} is not an object`);
  const { command, startedAt, durationMs, parameters } = raw;
  if (typeof command !== "string" || command === "") throw new CollectorOutputError(`${where} has no command`);
  if (typeof startedAt !== "string") throw new CollectorOutputError(`${where} has no startedAt`);
  if (durationMs !== undefined && (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs < 0)) {
    throw new CollectorOutputError(`${where} has a durationMs that is not a non-negative number`);
  }
  if (parameters !== undefined && !(isObj(parameters) && Object.values(parameters).every((v) => typeof v === "string"))) {
    throw new CollectorOutputError(`${where}: parameters must be an object of strings`);
  }
  const base: CollectorRecordBase = {
    command,
    ...(parameters !== undefined ? { parameters: parameters as Record<string, string> } : {}),
    startedAt,
    ...(typeof durationMs === "number" ? { durationMs } : {}),
  };
  const hasJson = "json" in raw;
  const hasError = "error" in raw;
  if (hasJson === hasError) throw new CollectorOutputError(`${where} needs exactly one of json and error`);
  if (hasJson) {
    if (typeof raw.json !== "string") throw new CollectorOutputError(`${where}: json must be ConvertTo-Json's text, as a string`);
    return { ...base, json: raw.json };
  }
  const error = raw.error;
  if (!isObj(error) || typeof error.message !== "string" || !isErrorKind(error.kind)) {
    throw new CollectorOutputError(`${where}: error needs a kind (${PROBE_ERROR_KINDS.join(", ")}) and a message`);
  }
  return { ...base, error: { kind: error.kind, message: error.message } };
}

function isProbeId(id: string): id is ProbeId {
  return (PROBE_IDS as readonly string[]).includes(id);
}

function isErrorKind(kind: unknown): kind is ProbeErrorKind {
  return typeof kind === "string" && (PROBE_ERROR_KINDS as readonly string[]).includes(kind);
}

function optionalText(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function preview(text: string): string {
  return text.length > 120 ? `${JSON.stringify(text.slice(0, 117))}...` : JSON.stringify(text);
}
