/**
 * Waivers of one directory object, or of every object of an OU: scope `{ directory: <DN> }`. They
 * act inside the estate-wide judges, row by row (an object not audited, an object past its end of
 * support), not on a whole result: one result covers the whole directory, and waiving it would
 * hide every other object. A waived row is `allowed` and names the waiver (DetailRow.waiverIndex),
 * so that the applier counts its use from the result alone, in a run, in verify and in merge.
 *
 * A DN matches when it equals the scope or ends with `,<scope>`, without regard to case (LDAP
 * compares DNs so). The most specific scope wins (the longest DN), then the one expiring last,
 * then the first in the file; a valid waiver before an expired one.
 */
import type { Waiver } from "../model/waiver";
import { approvalText } from "./describe";
import { isExpired } from "./expiry";

export interface DirectoryWaiver {
  index: number;
  waiver: Waiver & { scope: { directory: string } };
}

/** What the judge writes into the row of a waived object. */
export interface Exemption {
  index: number;
  expired: boolean;
  note: string;
}

export const isDirectoryScope = (w: Waiver): w is DirectoryWaiver["waiver"] => typeof w.scope === "object" && "directory" in w.scope;

export function directoryWaivers(waivers: readonly Waiver[]): DirectoryWaiver[] {
  return waivers.flatMap((waiver, index) => (isDirectoryScope(waiver) ? [{ index, waiver }] : []));
}

/** Spaces after the commas are not part of a DN's meaning: `OU=Legacy, DC=corp` is `OU=Legacy,DC=corp`. */
const dnKey = (dn: string): string => dn.trim().replace(/\s*,\s*/g, ",").toLowerCase();

export function dnCovers(scope: string, dn: string): boolean {
  const s = dnKey(scope);
  const d = dnKey(dn);
  return d === s || d.endsWith(`,${s}`);
}

/** The exemption one control's directory waivers give an object, as of the run's day. */
export function exemptionFor(waivers: readonly DirectoryWaiver[], controlId: string, asOf: Date): (dn: string) => Exemption | undefined {
  const mine = waivers.filter((w) => w.waiver.controlId === controlId);
  return (dn) => {
    const covering = mine
      .filter((w) => dnCovers(w.waiver.scope.directory, dn))
      .map((w) => ({ ...w, expired: isExpired(w.waiver.expires, asOf) }))
      .sort((a, b) => Number(a.expired) - Number(b.expired) || dnKey(b.waiver.scope.directory).length - dnKey(a.waiver.scope.directory).length || b.waiver.expires.localeCompare(a.waiver.expires) || a.index - b.index);
    const chosen = covering[0];
    if (chosen === undefined) return undefined;
    const w = chosen.waiver;
    const name = w.id ?? `waivers[${chosen.index}]`;
    const note = chosen.expired
      ? `waiver ${name} expired at the end of ${w.expires} UTC and no longer applies: ${w.justification} (${approvalText(w)})`
      : `waived by ${name}: ${w.justification} (${approvalText(w)})`;
    return { index: chosen.index, expired: chosen.expired, note };
  };
}
