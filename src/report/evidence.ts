/** Resolves the evidence a result cites to the probe records of the hosts' snapshots. */
import type { RunReport } from "../model/run";
import type { EvidenceRef } from "../model/result";
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
