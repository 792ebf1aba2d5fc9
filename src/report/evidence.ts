/** Resolves the evidence a result cites to the probe records of the hosts' snapshots. */
import type { RunReport } from "../model/run";
import type { EvidenceRef, Result } from "../model/result";
import type { ProbeRecord } from "../model/snapshot";
import { PROBES, type ProbeId } from "../probes/catalog";
import { genericProbeTitle, isGenericProbeId, recordFor, runnableCommand, type AnyProbeId } from "../probes/generic";

export interface EvidenceView {
  host: string;
  probe: AnyProbeId;
  /** The probe's title from the catalog (or a generic probe's id), in words for the report. */
  title: string;
  /**
   * The command as the snapshot recorded it, or the catalog's when there is no record. A generic
   * probe's starts with the parameters it read (`$HpProbe = @{ … }; …`), so that it runs as shown.
   */
  command: string;
  /** Absent when the host's snapshot has no record for the probe (or the host is unknown). */
  record?: ProbeRecord;
}

export type EvidenceLookup = (ref: EvidenceRef) => EvidenceView;

/** Builds the lookup once per report: results at 10,000 hosts must not scan the host list. */
export function evidenceLookup(report: Pick<RunReport, "hosts">): EvidenceLookup {
  const byHost = new Map(report.hosts.map((h) => [h.name, h.snapshot] as const));
  return (ref) => {
    const record = recordFor<ProbeRecord>(byHost.get(ref.host)?.probes, ref.probe);
    const definition = isGenericProbeId(ref.probe) ? undefined : PROBES[ref.probe as ProbeId];
    return {
      host: ref.host,
      probe: ref.probe,
      title: definition?.title ?? (isGenericProbeId(ref.probe) ? genericProbeTitle(ref.probe) : ref.probe),
      command: record !== undefined ? runnableCommand(record.command, record.parameters) : (definition?.command ?? ""),
      ...(record !== undefined ? { record } : {}),
    };
  };
}

/**
 * When the facts a result relies on were read: the earliest start of the probes it cites, else
 * (a host result citing no probe: scope, not applicable) when its host's snapshot was collected.
 * A cluster result citing no probe has no such time. The exports (hdf.ts, csv.ts) show it as the
 * result's time, since a snapshot judged today may have been collected weeks ago.
 */
export function collectedAt(views: readonly EvidenceView[], hostCollectedAt: string | undefined): string | undefined {
  let earliest: string | undefined;
  for (const v of views) {
    const at = v.record?.startedAt;
    // ISO 8601 UTC times of one collector compare as text; Date.parse copes with other offsets.
    if (at !== undefined && (earliest === undefined || Date.parse(at) < Date.parse(earliest))) earliest = at;
  }
  return earliest ?? hostCollectedAt;
}

/** When a result's facts were read, given the evidence it cites (collectedAt, above). */
export type ResultTime = (r: Result, views: readonly EvidenceView[]) => string | undefined;
