/**
 * A result's description in the Allure report, in Markdown: the waiver, why the control matters,
 * the remediation, its source, and the details table. Allure renders it to HTML (a real <table>);
 * allure-ui-patch.ts gives that table its borders and padding in hostproof's report.
 */
import type { Result } from "../model/result";
import { detailsMarkdown } from "./text";

export function descriptionMarkdown(r: Result): string {
  const { control } = r;
  const parts: string[] = [];
  if (r.waiver !== undefined) {
    const w = r.waiver;
    parts.push(
      `**Waived** (the control found: ${w.originalStatus}). ${w.justification}\n\n` +
        `Approved by ${w.approver}; ${w.reference}; applies through ${w.expires} (end of day, UTC)${w.runControl ? "" : "; an attestation in place of the check (runControl: false)"}.`,
    );
  }
  if (control.rationale !== undefined) parts.push(`**Why it matters.** ${control.rationale}`);
  if (control.remediation !== undefined) {
    // A fence longer than any backtick run inside keeps the remediation verbatim.
    const fence = "`".repeat(Math.max(3, ...[...control.remediation.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    parts.push(`**Remediation**\n\n${fence}powershell\n${control.remediation}\n${fence}`);
  }
  if (control.source !== undefined) parts.push(`**Source:** ${control.source}`);
  if (r.details !== undefined && r.details.length > 0) parts.push(`**Details**\n\n${detailsMarkdown(r.details)}`);
  return parts.join("\n\n");
}
