/** The words for a waiver that the notices, the terminal, JUnit and Allure share. */
import type { Target } from "../model/result";
import type { Waiver, WaiverScope } from "../model/waiver";

/** `host app2016`, `cluster wgclus and its nodes`, `every target`. */
export function scopeText(scope: WaiverScope): string {
  if (scope === "all") return "every target";
  if ("directory" in scope) return `directory objects under ${scope.directory}`;
  return "host" in scope ? `host ${scope.host}` : `cluster ${scope.cluster} and its nodes`;
}

/** `W-7 (HP-EOS-003 on host app2016)`; without an id the file position names it: `waivers[2] (…)`. */
export function waiverLabel(w: Pick<Waiver, "id" | "controlId" | "scope">, index: number): string {
  return `${w.id ?? `waivers[${index}]`} (${w.controlId} on ${scopeText(w.scope)})`;
}

/** `approved by Jane Roe, CISO; CHG-2211; expires 2027-06-30` */
export function approvalText(w: Pick<Waiver, "approver" | "reference" | "expires">): string {
  return `approved by ${w.approver}; ${w.reference}; expires ${w.expires}`;
}

/** `host app2016`, `cluster wgclus`: how a notice lists the results concerned. */
export function targetName(target: Target): string {
  return `${target.kind} ${target.name}`;
}
