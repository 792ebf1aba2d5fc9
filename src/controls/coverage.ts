/**
 * Which framework ids the selected controls cover, and by which controls: what `hostproof controls
 * --framework` lists. Ids no control maps are not listed: hostproof claims only what it checks.
 */
import { cisShown, NO_MAPPINGS, type Framework } from "../model/mapping";
import type { ControlMeta } from "../model/result";

export interface CoverageRow {
  /** The framework's id: "SC-3", "WN19-MS-000020", "CIS WS2022 v4.0.0 18.4.1". */
  id: string;
  /** What else identifies it: the STIG rule's Vuln ID, CAT and platform; "hostproof's choice" for @nist-ours. */
  detail: string;
  /** Controls that check it. */
  controls: string[];
  /** Controls that contradict it on purpose (@conflict:…): a host that follows them needs a waiver. */
  conflicting: string[];
}

export function frameworkCoverage(controls: readonly ControlMeta[], framework: Framework): CoverageRow[] {
  const rows = new Map<string, CoverageRow>();
  const row = (id: string, detail: string): CoverageRow => {
    const key = `${id}\u0000${detail}`;
    let r = rows.get(key);
    if (r === undefined) rows.set(key, (r = { id, detail, controls: [], conflicting: [] }));
    return r;
  };
  const add = (list: string[], id: string): void => void (list.includes(id) || list.push(id));
  for (const c of controls) {
    const m = c.mappings ?? NO_MAPPINGS;
    if (framework === "nist") for (const n of m.nist) add(row(n.id, n.ours ? "hostproof's choice (no authority maps it)" : "").controls, c.id);
    if (framework === "stig") {
      for (const s of m.stig) add(row(s.stigId, `${s.vulnId} CAT ${s.cat}${s.platform ? ` ${s.platform}` : ""}`).controls, c.id);
      for (const k of m.conflicts) if (k.framework === "stig") add(row(k.ref.stigId, `${k.ref.vulnId} CAT ${k.ref.cat}${k.ref.platform ? ` ${k.ref.platform}` : ""}`).conflicting, c.id);
    }
    if (framework === "cis") {
      for (const x of m.cis) add(row(cisShown(x), "").controls, c.id);
      for (const k of m.conflicts) if (k.framework === "cis") add(row(cisShown(k.ref), "").conflicting, c.id);
    }
  }
  return [...rows.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }) || a.detail.localeCompare(b.detail));
}
