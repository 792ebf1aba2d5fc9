/**
 * The waiver lines of the terminal summary: which waivers took effect, then the notices. One
 * line per waiver rather than per result, so that a waiver over `all` stays one line at 10,000
 * hosts; the results themselves are in summary.json and the reports. A file of thousands of
 * waivers shows the first `max` of each, and says how many more.
 */
import type { WaiverNoticeKind } from "../../model/waiver";
import { waivedText, type RunDigest } from "../../report/bookkeeping/digest";
import { approvalText, waiverLabel } from "../../waivers/describe";
import { escapeControls as safe } from "../../util/terminal-safe";

export type Paint = (style: "red" | "yellow" | "cyan" | "dim", text: string) => string;

const NOTICE_STYLE: Readonly<Record<WaiverNoticeKind, "red" | "yellow" | "dim">> = {
  // An expired waiver put a result back to failing: that is the one to see first.
  expired: "red",
  expiring: "yellow",
  unmatched: "yellow",
  "not-needed": "dim",
};

export function waiverLines(report: Pick<RunDigest, "waivers" | "waived">, paint: Paint, max = Infinity): string[] {
  const section = report.waivers;
  if (section === undefined) return [];
  const { waived } = report;
  const total = [...waived.values()].reduce((n, c) => n + c.failed + c.undetermined, 0);
  const objects = [...waived.values()].reduce((n, c) => n + c.objects, 0);
  const accepted = objects > 0 ? `, ${objects} directory object${objects === 1 ? "" : "s"} accepted` : "";
  const out = [`Waivers (${safe(section.file)}): ${section.waivers.length} in the file, ${waived.size} applied, ${total} result${total === 1 ? "" : "s"} waived${accepted}`];
  const applied = [...waived.entries()].sort((a, b) => a[0] - b[0]);
  for (const [index, counts] of applied.slice(0, max)) {
    const w = section.waivers[index]!;
    out.push(`${paint("cyan", "W")} ${safe(waiverLabel(w, index))}: ${waivedText(counts)} waived; ${safe(approvalText(w))}`);
  }
  if (applied.length > max) out.push(paint("dim", `  … and ${applied.length - max} more waivers applied: see summary.json`));
  for (const n of section.notices.slice(0, max)) out.push(paint(NOTICE_STYLE[n.kind], "!") + ` ${safe(n.message)}`);
  if (section.notices.length > max) out.push(paint("dim", `  … and ${section.notices.length - max} more notices: see summary.json`));
  return out;
}
