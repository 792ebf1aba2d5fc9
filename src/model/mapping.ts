/**
 * A control's references to the frameworks auditors are measured against, parsed from its tags
 * (controls/mappings.ts). Every entry keeps the tag it came from, so a report can point back at the
 * line of Gherkin an auditor reads.
 */

/** A NIST SP 800-53 rev5 control. `ours`: the control's author chose it, no authority maps it. */
export interface NistRef {
  /** As DISA and MITRE's HDF write it: "SC-3", "CM-7 a", "SC-45 (1) (a)". */
  id: string;
  ours: boolean;
}

export type StigCat = "I" | "II" | "III";

/** One DISA STIG rule: STIG ID, Vuln ID (group), CAT, and the Rule ID where the tag gives it. */
export interface StigRef {
  stigId: string;
  vulnId: string;
  cat: StigCat;
  ruleId?: string;
  /** "Windows Server 2019" from the WN19- prefix; absent for a STIG hostproof does not know. */
  platform?: string;
}

/** A CIS Benchmark recommendation in one version of one benchmark. */
export interface CisRef {
  benchmark: string;
  version: string;
  recommendation: string;
}

/**
 * A framework rule this control contradicts on purpose (HP-CLU-005 against WN19-MS-000020): the
 * host that follows this control fails the other, and a waiver is the honest way out.
 */
export type ConflictRef = { framework: "stig"; ref: StigRef } | { framework: "cis"; ref: CisRef };

export interface ControlMappings {
  nist: NistRef[];
  stig: StigRef[];
  cci: string[];
  cis: CisRef[];
  conflicts: ConflictRef[];
}

export const NO_MAPPINGS: ControlMappings = { nist: [], stig: [], cci: [], cis: [], conflicts: [] };

export const FRAMEWORKS = ["nist", "stig", "cis"] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export function cisShown(c: CisRef): string {
  return `CIS ${c.benchmark} v${c.version} ${c.recommendation}`;
}

export function stigShown(s: StigRef): string {
  return `${s.stigId} (${s.vulnId}, CAT ${s.cat}${s.platform ? `, ${s.platform}` : ""})`;
}

export function nistShown(n: NistRef): string {
  return n.ours ? `${n.id} (hostproof's choice, no authority maps it)` : n.id;
}

/** The frameworks' columns in a table (CSV, Excel, the PDF's controls), in this order. */
export const MAPPING_COLUMNS = ["nist", "stig", "cci", "cis", "conflicts"] as const;

/**
 * A control's references as one short text per column, entries joined by "; ": nist "SC-3"
 * ("CM-6 (ours)" where no authority maps it), stig "WN19-MS-000020 V-205715 CAT II", cis
 * "WS2022 v4.0.0 18.4.1", conflicts the rules the control contradicts on purpose.
 */
export function mappingTexts(m: ControlMappings): Record<(typeof MAPPING_COLUMNS)[number], string> {
  const stig = (s: StigRef): string => `${s.stigId} ${s.vulnId} CAT ${s.cat}`;
  const cis = (x: CisRef): string => `${x.benchmark} v${x.version} ${x.recommendation}`;
  return {
    nist: m.nist.map((n) => (n.ours ? `${n.id} (ours)` : n.id)).join("; "),
    stig: m.stig.map(stig).join("; "),
    cci: m.cci.join("; "),
    cis: m.cis.map(cis).join("; "),
    conflicts: m.conflicts.map((k) => (k.framework === "stig" ? `STIG ${stig(k.ref)}` : `CIS ${cis(k.ref)}`)).join("; "),
  };
}
