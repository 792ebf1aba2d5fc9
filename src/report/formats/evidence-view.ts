/** Resolves the evidence a result cites to the probe records of the hosts' snapshots. */
import type { InventoryCluster } from "../../model/inventory";
import type { DirectoryRecord, HostRecord } from "../../model/run";
import type { EvidenceRef, Result } from "../../model/result";
import type { ProbeRecord } from "../../model/snapshot";
import { PROBES, type ProbeId } from "../../probes/catalog";
import { genericProbeTitle, isGenericProbeId, recordFor, type AnyProbeId } from "../../probes/generic";
import { catalogCommand, runAgainCommand } from "../../probes/run-again";

export interface EvidenceView {
  host: string;
  probe: AnyProbeId;
  /** The probe's title from the catalog (or a generic probe's id), in words for the report. */
  title: string;
  /**
   * The command to run again: the one the snapshot recorded when it is a command hostproof ships
   * for this probe, or the catalog's when there is no record; "" when the record names any other
   * text (see unshippedCommand). A generic probe's starts with the parameters it read
   * (`$HpProbe = @{ … }; …`), so that it runs as shown (src/probes/run-again.ts).
   */
  command: string;
  /**
   * The record's command when it is not one hostproof ships: what the snapshot claims ran,
   * shown as evidence and never as a command to run.
   */
  unshippedCommand?: string;
  /** Absent when the host's snapshot has no record for the probe (or the host is unknown). */
  record?: ProbeRecord;
}

export type EvidenceLookup = (ref: EvidenceRef) => EvidenceView;

/** Builds the lookup once per report: results at 10,000 hosts must not scan the host list. */
export function evidenceLookup(report: { hosts: readonly Pick<HostRecord, "name" | "snapshot">[] }): EvidenceLookup {
  const byHost = new Map(report.hosts.map((h) => [h.name, h.snapshot] as const));
  return (ref) => {
    const record = recordFor<ProbeRecord>(byHost.get(ref.host)?.probes, ref.probe);
    const definition = isGenericProbeId(ref.probe) ? undefined : PROBES[ref.probe as ProbeId];
    const command = record !== undefined ? runAgainCommand(ref.probe, record.command, record.parameters) : catalogCommand(ref.probe);
    return {
      host: ref.host,
      probe: ref.probe,
      title: definition?.title ?? (isGenericProbeId(ref.probe) ? genericProbeTitle(ref.probe) : ref.probe),
      command: command ?? "",
      ...(command === undefined && record !== undefined ? { unshippedCommand: record.command } : {}),
      ...(record !== undefined ? { record } : {}),
    };
  };
}

/**
 * The command to run again, or, when the snapshot names a command hostproof does not ship, that
 * text marked as a claim (src/probes/run-again.ts): the one line an auditor copies is always ours.
 */
export function commandLines(view: EvidenceView): string[] {
  if (view.unshippedCommand === undefined) return [`Command:  ${view.command}`];
  return ["Command:  (none to run: the snapshot names a command hostproof does not run)", `Recorded: ${view.unshippedCommand}`];
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

/** When the facts a row relies on were read: the first and the last reading, ISO 8601. */
export interface CollectionWindow {
  from: string;
  to: string;
}

export type ResultWindow = (r: Result, views: readonly EvidenceView[]) => CollectionWindow | undefined;

const earlier = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

/**
 * A result's collection window. A host's: from the earliest to the latest start of the probes it
 * cites, else (citing none) its snapshot's collectedAt for both. A cluster's: its nodes' window,
 * from the earliest to the latest collectedAt of the nodes' snapshots, since a cluster's facts are
 * its nodes' facts, read one node after another (the nodes in `hosts`; none there: undefined).
 */
export function resultWindow(hosts: readonly Pick<HostRecord, "name" | "snapshot">[], clusters: readonly Pick<InventoryCluster, "name" | "nodes">[], directory?: Pick<DirectoryRecord, "collectedAt" | "finishedAt">): ResultWindow {
  const times = new Map(hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
  const clusterWindows = new Map<string, CollectionWindow>();
  for (const c of clusters) {
    let window: CollectionWindow | undefined;
    for (const node of c.nodes) {
      const at = times.get(node);
      if (at === undefined) continue;
      if (window === undefined) window = { from: at, to: at };
      else if (earlier(at, window.from)) window.from = at;
      else if (earlier(window.to, at)) window.to = at;
    }
    if (window !== undefined) clusterWindows.set(c.name, window);
  }
  return (r, views) => {
    if (r.target.kind === "cluster") return clusterWindows.get(r.target.name);
    // The directory's: its snapshot's query, start to end (none when no snapshot was given).
    if (r.target.kind === "directory") return directory !== undefined ? { from: directory.collectedAt, to: directory.finishedAt } : undefined;
    let window: CollectionWindow | undefined;
    for (const v of views) {
      const at = v.record?.startedAt;
      if (at === undefined) continue;
      if (window === undefined) window = { from: at, to: at };
      else if (earlier(at, window.from)) window.from = at;
      else if (earlier(window.to, at)) window.to = at;
    }
    const own = times.get(r.target.name);
    return window ?? (own === undefined ? undefined : { from: own, to: own });
  };
}
