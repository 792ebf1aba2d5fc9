/** One host's collected facts (schemas/snapshot.schema.json). The live collector writes exactly this. */
import type { JsonValue } from "./json";
import type { Transport } from "./inventory";
import type { ProbeId } from "../probes/catalog";
import type { GenericProbeId } from "../probes/generic";

export const PROBE_ERROR_KINDS = ["not-supported", "access-denied", "not-found", "timeout", "unreachable", "other"] as const;
export type ProbeErrorKind = (typeof PROBE_ERROR_KINDS)[number];

export interface ProbeError {
  kind: ProbeErrorKind;
  message: string;
}

interface ProbeRecordBase {
  /** The exact PowerShell that produced the record, as it was run. */
  command: string;
  /** A generic probe's parameters, which its command reads as `$HpProbe` (src/probes/generic.ts). */
  parameters?: Record<string, string>;
  /** ISO 8601 time the probe started on the host. */
  startedAt: string;
  durationMs?: number;
}

/** `output` is the parsed `ConvertTo-Json` text: an object, an array of objects, a scalar or null. */
export interface ProbeSuccess extends ProbeRecordBase {
  output: JsonValue;
}

export interface ProbeFailure extends ProbeRecordBase {
  error: ProbeError;
}

export type ProbeRecord = ProbeSuccess | ProbeFailure;

export function isProbeFailure(record: ProbeRecord): record is ProbeFailure {
  return "error" in record;
}

export interface Snapshot {
  schemaVersion: 1;
  /** The inventory name of the host the facts belong to. */
  host: string;
  collectedAt: string;
  collector: {
    name: string;
    version: string;
    transport: Transport;
    /** `$PSVersionTable.PSVersion` of the shell that ran the probes, when there was one. */
    powershell?: string;
  };
  probes: SnapshotProbes;
}

/** Built-in probes by their catalog id; generic probes by their readable id (`registry:HKLM\…`). */
export type SnapshotProbes = { [K in ProbeId]?: ProbeRecord } & { [id: GenericProbeId]: ProbeRecord | undefined };
