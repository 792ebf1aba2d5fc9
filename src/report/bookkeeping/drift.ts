/**
 * What changed since the previous run: the first thing an operator asks of a nightly report.
 * Pure: the previous run comes from history.ts (readDriftBaseline) or any parsed summary.json.
 * Results are matched by target (kind and name) and control ID.
 */
import { TARGET_KIND_ORDER, type ResultStatus, type TargetKind } from "../../model/result";
import { targetLabel } from "../text";
import { escapeControls as safe } from "../../util/terminal-safe";

/** The part of a previous run drift reads; a parsed summary.json has this shape too. */
export interface PreviousRun {
  startedAt?: string;
  results: readonly { controlId: string; target: { kind: TargetKind; name: string }; status: string }[];
}

export interface DriftItem {
  target: { kind: TargetKind; name: string };
  controlId: string;
  /** The previous status, or `absent` when the previous run had no such result. */
  was: string;
  now: ResultStatus;
}

export interface Drift {
  /** False when there was no previous run to compare with (every list is then empty). */
  compared: boolean;
  /** When the previous run started, when it says. */
  comparedWith?: string;
  /** Failed now, and was anything else before (passed, undetermined, waived, or no result). */
  newlyFailing: DriftItem[];
  /** Failed before, passed or not applicable now. */
  newlyFixed: DriftItem[];
  /**
   * Read before (passed or failed), unreadable now. Kept apart from fixed: a failure that can no
   * longer be read has not been remedied.
   */
  newlyUndetermined: DriftItem[];
  newHosts: string[];
  hostsGone: string[];
}

/** What drift reads of a current result; a Result is one. */
export interface CurrentResult {
  control: { id: string };
  target: { kind: TargetKind; name: string };
  status: ResultStatus;
}

function key(kind: string, name: string, controlId: string): string {
  // NUL cannot occur in a DNS name or a control ID, so keys of different targets never collide.
  return `${kind}\u0000${name.toLowerCase()}\u0000${controlId}`;
}

function byTarget(a: DriftItem, b: DriftItem): number {
  const kind = (k: TargetKind): number => TARGET_KIND_ORDER.indexOf(k);
  return kind(a.target.kind) - kind(b.target.kind) || a.target.name.localeCompare(b.target.name) || a.controlId.localeCompare(b.controlId);
}

export function driftBetween(previous: PreviousRun | undefined, current: readonly CurrentResult[]): Drift {
  const tracker = new DriftTracker(previous);
  tracker.add(current);
  return tracker.finish();
}

/**
 * Drift gathered as a run streams past. It holds the previous run's statuses and the names of the
 * hosts seen (both grow with the estate: about 0.1 KB per result and per host), and the changes.
 */
export class DriftTracker {
  private readonly before = new Map<string, string>();
  private readonly hostsBefore = new Map<string, string>();
  private readonly hostsNow = new Map<string, string>();
  private readonly drift: Drift;

  constructor(private readonly previous: PreviousRun | undefined) {
    this.drift = { compared: previous !== undefined, newlyFailing: [], newlyFixed: [], newlyUndetermined: [], newHosts: [], hostsGone: [] };
    if (previous === undefined) return;
    if (previous.startedAt !== undefined) this.drift.comparedWith = previous.startedAt;
    for (const r of previous.results) {
      this.before.set(key(r.target.kind, r.target.name, r.controlId), r.status);
      if (r.target.kind === "host") this.hostsBefore.set(r.target.name.toLowerCase(), r.target.name);
    }
  }

  add(current: readonly CurrentResult[]): void {
    if (this.previous === undefined) return;
    const drift = this.drift;
    for (const r of current) {
      if (r.target.kind === "host") this.hostsNow.set(r.target.name.toLowerCase(), r.target.name);
      const was = this.before.get(key(r.target.kind, r.target.name, r.control.id)) ?? "absent";
      const item: DriftItem = { target: { kind: r.target.kind, name: r.target.name }, controlId: r.control.id, was, now: r.status };
      if (r.status === "failed" && was !== "failed") drift.newlyFailing.push(item);
      else if (was === "failed" && (r.status === "passed" || r.status === "notApplicable")) drift.newlyFixed.push(item);
      else if (r.status === "undetermined" && (was === "passed" || was === "failed")) drift.newlyUndetermined.push(item);
    }
  }

  finish(): Drift {
    const drift = this.drift;
    if (this.previous === undefined) return drift;
    drift.newHosts = [...this.hostsNow].filter(([k]) => !this.hostsBefore.has(k)).map(([, n]) => n).sort();
    drift.hostsGone = [...this.hostsBefore].filter(([k]) => !this.hostsNow.has(k)).map(([, n]) => n).sort();
    drift.newlyFailing.sort(byTarget);
    drift.newlyFixed.sort(byTarget);
    drift.newlyUndetermined.sort(byTarget);
    return drift;
  }
}

export function hasDrift(drift: Drift): boolean {
  return drift.newlyFailing.length + drift.newlyFixed.length + drift.newlyUndetermined.length + drift.newHosts.length + drift.hostsGone.length > 0;
}

const WAS: Readonly<Record<string, string>> = { absent: "no result before", notApplicable: "was not applicable" };

function targetName(t: DriftItem["target"]): string {
  return targetLabel(t);
}

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A few lines for the terminal, after the verdict; each list is cut at `maxItems`. */
export function formatDrift(drift: Drift, maxItems = 10): string {
  if (!drift.compared) return "Drift: no earlier run to compare with (the first run with this history folder).\n";
  const since = drift.comparedWith !== undefined ? `since the run of ${drift.comparedWith}` : "since the previous run";
  if (!hasDrift(drift)) return `Drift ${since}: no change.\n`;
  const out = [
    `Drift ${since}: ` +
      [
        `${drift.newlyFailing.length} newly failing`,
        `${drift.newlyFixed.length} fixed`,
        `${drift.newlyUndetermined.length} newly undetermined`,
        plural(drift.newHosts.length, "new host"),
        plural(drift.hostsGone.length, "host gone", "hosts gone"),
      ].join(", "),
  ];
  const items = (glyph: string, label: string, list: readonly DriftItem[], describe: (i: DriftItem) => string): void => {
    if (list.length === 0) return;
    const width = Math.min(32, Math.max(...list.slice(0, maxItems).map((i) => targetName(i.target).length)));
    for (const i of list.slice(0, maxItems)) out.push(`  ${glyph} ${label}  ${safe(targetName(i.target)).padEnd(width)}  ${safe(i.controlId)}  (${describe(i)})`);
    if (list.length > maxItems) out.push(`    … and ${list.length - maxItems} more ${label.trim()}`);
  };
  items("✘", "newly failing     ", drift.newlyFailing, (i) => WAS[i.was] ?? `was ${i.was}`);
  items("✔", "fixed             ", drift.newlyFixed, (i) => (i.now === "passed" ? "passes now" : "not applicable now"));
  items("?", "newly undetermined", drift.newlyUndetermined, (i) => `was ${i.was}, cannot be read now`);
  const names = (list: readonly string[]): string => list.slice(0, maxItems).map((n) => safe(n)).join(", ") + (list.length > maxItems ? `, … and ${list.length - maxItems} more` : "");
  if (drift.newHosts.length > 0) out.push(`  + new hosts: ${names(drift.newHosts)}`);
  if (drift.hostsGone.length > 0) out.push(`  - hosts gone: ${names(drift.hostsGone)}`);
  return `${out.join("\n")}\n`;
}
