/**
 * What `hostproof validate` says of a waiver file beyond its schema and references: a waiver
 * already past its last day is a problem (it waives nothing and only misleads a reader of the
 * file), one close to it is worth a line. A run does not stop on either: it reports them.
 */
import type { InputProblem } from "../errors";
import type { LoadedDocument } from "../input/read-document";
import type { Waiver } from "../model/waiver";
import { formatPath } from "../schema/validate";
import { waiverLabel } from "./describe";
import { daysLeft, isExpired, isExpiringSoon } from "./expiry";

export function expiredWaiverProblems(waivers: readonly Waiver[], doc: LoadedDocument, today: Date): InputProblem[] {
  const day = today.toISOString().slice(0, 10);
  return waivers.flatMap((w, i): InputProblem[] => {
    if (!isExpired(w.expires, today)) return [];
    const path = ["waivers", i, "expires"];
    return [
      {
        file: doc.file,
        field: formatPath(path),
        line: doc.lineOf(path),
        problem: `${waiverLabel(w, i)} expired at the end of ${w.expires} UTC (today is ${day})`,
        fix: "Renew the approval and set a new expiry date, or remove the waiver.",
      },
    ];
  });
}

/** One line per waiver within `warnDays` of its last day, for the validate output. */
export function expiringWaiverLines(waivers: readonly Waiver[], today: Date, warnDays: number): string[] {
  return waivers.flatMap((w, i) => {
    if (!isExpiringSoon(w.expires, today, warnDays)) return [];
    const left = daysLeft(w.expires, today);
    return [`${waiverLabel(w, i)} expires at the end of ${w.expires} UTC (${left === 0 ? "today is its last day" : `${left} day${left === 1 ? "" : "s"} left`})`];
  });
}
