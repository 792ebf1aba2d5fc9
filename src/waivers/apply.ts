/**
 * Applying waivers to judged results. Pure: the same results, waivers and day give the same
 * output, so a report can be re-derived from summary.json and the waiver file alone.
 *
 * Rules (README, "Waivers"):
 * - A waiver matches a result when the control ID is the same and its scope covers the target.
 * - It waives a failed result; an undetermined one only with `runControl: false` (an attestation
 *   standing in for the check). Passed and not-applicable results are never changed.
 * - It applies through the end of its `expires` day, UTC, compared with the run's as-of date.
 *   An expired waiver waives nothing; each result it would have covered says so in its details.
 * - When several valid waivers cover a result, the most specific scope wins (host, then
 *   cluster, then all), then the one expiring last, then the first in the file.
 */
import { nameKey } from "../input/inventory";
import type { Result, Target } from "../model/result";
import type { AppliedWaiver, Waiver, WaiverNotice, WaiverScope } from "../model/waiver";
import { approvalText, targetName, waiverLabel } from "./describe";
import { daysLeft, isExpired, isExpiringSoon } from "./expiry";

export interface WaiverOutcome {
  /** The results in the same order; waived ones carry `waiver` with their original status. */
  results: Result[];
  /** In file order, per waiver: expired, then expiring, unmatched or not-needed. */
  notices: WaiverNotice[];
}

export const DEFAULT_WARN_DAYS = 14;

export function scopeCovers(scope: WaiverScope, target: Target): boolean {
  if (scope === "all") return true;
  // An object of the directory, not a target: applied row by row inside the judge (waivers/directory.ts).
  if ("directory" in scope) return false;
  // A cluster result's target.cluster is the cluster itself, so this covers it and its nodes.
  if ("cluster" in scope) return target.cluster !== undefined && nameKey(target.cluster) === nameKey(scope.cluster);
  return target.kind === "host" && nameKey(target.name) === nameKey(scope.host);
}

function specificity(scope: WaiverScope): number {
  return scope === "all" ? 0 : "cluster" in scope ? 1 : 2; // a directory scope never competes here (scopeCovers)
}

interface Indexed {
  waiver: Waiver;
  index: number;
  expired: boolean;
}

/** What happened to each waiver, for its notices. */
interface Usage {
  matched: number;
  applied: number;
  passed: number;
  notApplicable: number;
  /** Results that came in already waived (the results were waived once before). */
  alreadyWaived: number;
  /** Undetermined results a `runControl: true` waiver matched but does not cover. */
  uncovered: number;
  /** Results a more specific (or later-expiring) valid waiver took. */
  outranked: number;
  /** Targets whose result only this waiver, now expired, would have covered. */
  lapsed: string[];
}

function precedence(a: Indexed, b: Indexed): number {
  return specificity(b.waiver.scope) - specificity(a.waiver.scope) || b.waiver.expires.localeCompare(a.waiver.expires) || a.index - b.index;
}

export function applyWaivers(results: readonly Result[], waivers: readonly Waiver[], asOf: Date, warnDays: number = DEFAULT_WARN_DAYS): WaiverOutcome {
  const applier = waiverApplier(waivers, asOf, warnDays);
  return { results: results.map(applier.apply), notices: applier.notices() };
}

export interface WaiverApplier {
  /** The result after waivers: waived, marked with a lapsed waiver, or as it was. */
  apply(result: Result): Result;
  /** Per waiver, over every result applied so far. */
  notices(): WaiverNotice[];
}

/** Applies waivers result by result, counting their use, so that a streamed run can apply them slice by slice. */
export function waiverApplier(waivers: readonly Waiver[], asOf: Date, warnDays: number = DEFAULT_WARN_DAYS): WaiverApplier {
  const asOfDay = asOf.toISOString().slice(0, 10);
  const byControl = new Map<string, Indexed[]>();
  waivers.forEach((waiver, index) => {
    const list = byControl.get(waiver.controlId) ?? [];
    list.push({ waiver, index, expired: isExpired(waiver.expires, asOf) });
    byControl.set(waiver.controlId, list);
  });
  const usage: Usage[] = waivers.map(() => ({ matched: 0, applied: 0, passed: 0, notApplicable: 0, alreadyWaived: 0, uncovered: 0, outranked: 0, lapsed: [] }));

  const apply = (r: Result): Result => {
    // Directory waivers were applied by the judge, row by row; their use is read from the rows.
    for (const row of r.details ?? []) {
      const u = row.waiverIndex !== undefined ? usage[row.waiverIndex] : undefined;
      if (u === undefined || waivers[row.waiverIndex!]!.controlId !== r.control.id) continue;
      u.matched += 1;
      if (row.outcome === "allowed") u.applied += 1;
      else u.lapsed.push(`${row.subject} in ${targetName(r.target)}`);
    }
    const matching = (byControl.get(r.control.id) ?? []).filter((c) => scopeCovers(c.waiver.scope, r.target));
    for (const m of matching) usage[m.index]!.matched += 1;
    if (matching.length === 0) return r;
    const status = r.status;
    if (status !== "failed" && status !== "undetermined") {
      for (const m of matching) {
        if (status === "passed") usage[m.index]!.passed += 1;
        else if (status === "notApplicable") usage[m.index]!.notApplicable += 1;
        else usage[m.index]!.alreadyWaived += 1;
      }
      return r;
    }
    const covering = matching.filter((m) => status === "failed" || m.waiver.runControl === false);
    for (const m of matching) if (!covering.includes(m)) usage[m.index]!.uncovered += 1;

    const valid = covering.filter((m) => !m.expired).sort(precedence);
    const chosen = valid[0];
    if (chosen !== undefined) {
      usage[chosen.index]!.applied += 1;
      for (const other of valid.slice(1)) usage[other.index]!.outranked += 1;
      const { runControl, ...fields } = chosen.waiver;
      const waiver: AppliedWaiver = { ...fields, index: chosen.index, runControl: runControl ?? true, originalStatus: status };
      return { ...r, status: "waived", waiver };
    }

    const lapsed = covering.filter((m) => m.expired).sort(precedence);
    if (lapsed.length === 0) return r;
    for (const m of lapsed) usage[m.index]!.lapsed.push(targetName(r.target));
    // The result keeps its status; its details say a waiver existed and lapsed, so that nobody
    // reading the failure alone thinks the risk was never accepted, or still is.
    const rows = lapsed.map((m) => ({
      subject: `waiver ${m.waiver.id ?? `waivers[${m.index}]`}`,
      expected: `a waiver valid on ${asOfDay}`,
      actual: `expired at the end of ${m.waiver.expires} UTC`,
      outcome: "info" as const,
      note: `${m.waiver.justification} (${approvalText(m.waiver)})`,
    }));
    return { ...r, details: [...(r.details ?? []), ...rows] };
  };

  return { apply, notices: () => waivers.flatMap((w, index) => noticesOf(w, index, usage[index]!, asOf, warnDays)) };
}

function noticesOf(w: Waiver, index: number, u: Usage, asOf: Date, warnDays: number): WaiverNotice[] {
  const label = waiverLabel(w, index);
  const base = { index, ...(w.id !== undefined ? { id: w.id } : {}), controlId: w.controlId, expires: w.expires };
  if (isExpired(w.expires, asOf)) {
    const consequence =
      u.lapsed.length > 0
        ? `${plural(u.lapsed.length, "result")} that it covered ${u.lapsed.length === 1 ? "counts" : "count"} again (${u.lapsed.join(", ")})`
        : u.matched === 0
          ? "it matched no result in this run either"
          : "no result it matches needed it";
    return [{ ...base, kind: "expired", message: `${label} expired at the end of ${w.expires} UTC and no longer applies: ${consequence}. Renew the approval with a new expiry date, or remove the waiver.`, targets: u.lapsed }];
  }
  const notices: WaiverNotice[] = [];
  if (isExpiringSoon(w.expires, asOf, warnDays)) {
    const left = daysLeft(w.expires, asOf);
    const when = left === 0 ? "today is its last day" : `${plural(left, "day")} left`;
    notices.push({ ...base, kind: "expiring", message: `${label} expires at the end of ${w.expires} UTC (${when}): renew the approval or fix what it waives.`, daysLeft: left });
  }
  if (u.matched === 0) {
    const names = typeof w.scope === "object" && "directory" in w.scope ? "an object or OU of the directory snapshot that the control lists (an active server not audited, an object past its end of support)" : "a host or cluster of the inventory";
    notices.push({ ...base, kind: "unmatched", message: `${label} matched no result in this run: check that its scope names ${names}, and that --tags selects ${w.controlId}.` });
  } else if (u.applied === 0) {
    const why = [
      u.passed > 0 ? `${plural(u.passed, "result")} passed` : "",
      u.notApplicable > 0 ? `${plural(u.notApplicable, "result")} not applicable` : "",
      u.alreadyWaived > 0 ? `${plural(u.alreadyWaived, "result")} already waived` : "",
      u.uncovered > 0 ? `${plural(u.uncovered, "result")} undetermined, which a waiver with runControl: true does not cover (set runControl: false if the approver attests it)` : "",
      u.outranked > 0 ? `${plural(u.outranked, "result")} waived by a more specific or longer waiver` : "",
    ].filter((s) => s !== "");
    notices.push({ ...base, kind: "not-needed", message: `${label} waived nothing: ${why.join("; ")}.` });
  }
  return notices;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
