/**
 * A result's description in the Allure report, as HTML that hostproof builds itself: the waiver,
 * why the control matters, the remediation, its source, and the details table. Every piece of
 * text in it came from a host, a waiver file or a feature file and is escaped (esc), so it shows
 * as the characters it is: never as Markdown (Allure renders a `description` as Markdown, so
 * `![x](http://…)` in an adapter name made the browser fetch that address, and raw tags vanished)
 * and never as markup. allure-ui-patch.ts gives the table its borders and padding.
 */
import type { DetailRow, Result } from "../../../model/result";
import { esc } from "../pages/html";
import { DETAIL_COLUMNS, detailCells } from "../../text";

function detailsHtml(rows: readonly DetailRow[]): string {
  const head = `<thead><tr>${DETAIL_COLUMNS.map((c) => `<th>${c}</th>`).join("")}</tr></thead>`;
  const body = rows.map((r) => `<tr>${detailCells(r).map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("");
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

export function descriptionHtml(r: Result): string {
  const { control } = r;
  const parts: string[] = [];
  if (r.waiver !== undefined) {
    const w = r.waiver;
    parts.push(
      `<p><b>Waived</b> (the control found: ${esc(w.originalStatus)}). ${esc(w.justification)}</p>` +
        `<p>Approved by ${esc(w.approver)}; ${esc(w.reference)}; applies through ${esc(w.expires)} (end of day, UTC)${w.runControl ? "" : "; an attestation in place of the check (runControl: false)"}.</p>`,
    );
  }
  if (control.rationale !== undefined) parts.push(`<p><b>Why it matters.</b> ${esc(control.rationale)}</p>`);
  if (control.remediation !== undefined) parts.push(`<p><b>Remediation</b></p><pre><code>${esc(control.remediation)}</code></pre>`);
  if (control.source !== undefined) parts.push(`<p><b>Source:</b> ${esc(control.source)}</p>`);
  if (r.details !== undefined && r.details.length > 0) parts.push(`<p><b>Details</b></p>${detailsHtml(r.details)}`);
  return parts.join("\n");
}
