/**
 * Framework references as tags: what an auditor reads on the line above a Scenario, and what the
 * lint holds to one strict form so that a typo can never drop a mapping silently.
 *
 *   @nist:SC-3  @nist:CM-7.a  @nist:SC-45(1).a   NIST SP 800-53 rev5, mapped by an authority (DISA's CCI list)
 *   @nist-ours:CM-6                              NIST rev5 chosen by the control's author: no authority maps it
 *   @stig:WN19-MS-000020/V-205715/CAT-II         DISA STIG ID / Vuln ID / CAT, optionally /SV-205715r958518_rule
 *   @cci:CCI-001084                              a CCI the STIG rule cites
 *   @cis:WS2022-v4.0.0/18.4.1                    CIS benchmark, its version, the recommendation number
 *   @conflict:stig:WN19-MS-000020/V-205715/CAT-II  a rule this control contradicts on purpose (also conflict:cis:…)
 */
import type { CisRef, ConflictRef, ControlMappings, NistRef, StigCat, StigRef } from "../model/mapping";

const NIST_FAMILIES = new Set(["AC", "AT", "AU", "CA", "CM", "CP", "IA", "IR", "MA", "MP", "PE", "PL", "PM", "PS", "PT", "RA", "SA", "SC", "SI", "SR"]);
const NIST = /^([A-Z]{2})-(\d{1,2})(?:\((\d{1,2})\))?(?:\.([a-z]))?$/;
const STIG_ID = /^[A-Z][A-Z0-9]*(?:[-.][A-Z0-9]+)+$/;
const VULN_ID = /^V-(\d{1,7})$/;
const CAT = /^CAT-(I|II|III)$/;
const RULE_ID = /^SV-(\d{1,7})r\d{1,8}_rule$/;
const CCI = /^CCI-\d{6}$/;
const CIS = /^([A-Za-z][A-Za-z0-9_]*)-v(\d{1,3}(?:\.\d{1,3}){1,2})\/(\d{1,3}(?:\.\d{1,3})*)$/;
/** The Windows Server STIGs hostproof knows, by their STIG IDs' prefix: a rule's platform. */
export const STIG_PLATFORMS: Readonly<Record<string, string>> = { WN16: "Windows Server 2016", WN19: "Windows Server 2019", WN22: "Windows Server 2022", WN25: "Windows Server 2025" };

/** The tag prefixes of the mapping family, lower case: another case is refused, not ignored. */
const PREFIXES = ["nist", "nist-ours", "stig", "cci", "cis", "conflict"] as const;
type Prefix = (typeof PREFIXES)[number];

export type MappingTag =
  | { kind: "nist"; ref: NistRef }
  | { kind: "stig"; ref: StigRef }
  | { kind: "cci"; ref: string }
  | { kind: "cis"; ref: CisRef }
  | { kind: "conflict"; ref: ConflictRef };

export interface MappingProblem {
  tag: string;
  problem: string;
  fix: string;
}

const FORMS: Record<Prefix, string> = {
  nist: "@nist:FAMILY-N with an optional (enhancement) and .part, e.g. @nist:SC-3, @nist:AC-6(1), @nist:CM-7.a, @nist:SC-45(1).a",
  "nist-ours": "@nist-ours:FAMILY-N as for @nist, e.g. @nist-ours:CM-6",
  stig: "@stig:STIG-ID/V-NNNNNN/CAT-I|II|III with an optional /SV-NNNNNNrNNNNNN_rule, e.g. @stig:WN19-MS-000020/V-205715/CAT-II",
  cci: "@cci:CCI-NNNNNN, e.g. @cci:CCI-001084",
  cis: "@cis:BENCHMARK-vVERSION/RECOMMENDATION, e.g. @cis:WS2022-v4.0.0/18.4.1",
  conflict: "@conflict:stig:… or @conflict:cis:… followed by the rule as its own tag writes it, e.g. @conflict:stig:WN19-MS-000020/V-205715/CAT-II",
};

/** A tag of the mapping family in any case, so that `@NIST:SC-3` is refused rather than ignored. */
function prefixOf(tag: string): { prefix: Prefix; exact: boolean; body: string } | undefined {
  const m = /^@([A-Za-z-]+):(.*)$/.exec(tag);
  if (!m) return undefined;
  const lower = m[1].toLowerCase();
  const prefix = PREFIXES.find((p) => p === lower);
  return prefix === undefined ? undefined : { prefix, exact: m[1] === prefix, body: m[2] };
}

export function isMappingTag(tag: string): boolean {
  return prefixOf(tag) !== undefined;
}

/** DISA's and HDF's way of writing it: "SC-45 (1) (a)", "CM-7 a". */
function nistId(body: string): string | undefined {
  const m = NIST.exec(body);
  if (!m || !NIST_FAMILIES.has(m[1])) return undefined;
  const [, family, n, enh, part] = m;
  return `${family}-${n}${enh ? ` (${enh})` : ""}${part ? (enh ? ` (${part})` : ` ${part}`) : ""}`;
}

function stigRef(body: string): StigRef | string {
  const parts = body.split("/");
  if (parts.length < 3 || parts.length > 4) return `it has ${parts.length} part${parts.length === 1 ? "" : "s"} separated by '/', not 3 or 4`;
  const [stigId, vulnId, cat, ruleId] = parts;
  if (!STIG_ID.test(stigId)) return `'${stigId}' is not a STIG ID (capitals, digits and '-', like WN19-MS-000020)`;
  const vuln = VULN_ID.exec(vulnId);
  if (!vuln) return `'${vulnId}' is not a Vuln ID (V- and digits, like V-205715)`;
  const c = CAT.exec(cat);
  if (!c) return `'${cat}' is not a category (CAT-I, CAT-II or CAT-III)`;
  if (ruleId !== undefined) {
    const rule = RULE_ID.exec(ruleId);
    if (!rule) return `'${ruleId}' is not a Rule ID (like SV-205715r958518_rule)`;
    if (rule[1] !== vuln[1]) return `Rule ID ${ruleId} belongs to V-${rule[1]}, not ${vulnId}`;
  }
  const platform = STIG_PLATFORMS[stigId.split("-")[0]];
  return { stigId, vulnId, cat: c[1] as StigCat, ...(ruleId !== undefined ? { ruleId } : {}), ...(platform ? { platform } : {}) };
}

function cisRef(body: string): CisRef | undefined {
  const m = CIS.exec(body);
  return m ? { benchmark: m[1], version: m[2], recommendation: m[3] } : undefined;
}

/** One tag: undefined when it is no mapping tag at all, a problem when it is one written wrong. */
export function parseMappingTag(tag: string): MappingTag | MappingProblem | undefined {
  const p = prefixOf(tag);
  if (p === undefined) return undefined;
  const wrong = (problem: string): MappingProblem => ({ tag, problem: `'${tag}' ${problem}`, fix: `Write it as ${FORMS[p.prefix]}` });
  if (!p.exact) return { tag, problem: `'${tag}' is a mapping tag in the wrong case`, fix: `Write @${p.prefix}:…: reports, --tags and waivers match tags exactly` };
  switch (p.prefix) {
    case "nist":
    case "nist-ours": {
      const id = nistId(p.body);
      return id === undefined ? wrong("is not a NIST SP 800-53 rev5 control id") : { kind: "nist", ref: { id, ours: p.prefix === "nist-ours" } };
    }
    case "stig": {
      const ref = stigRef(p.body);
      return typeof ref === "string" ? wrong(`is not a STIG reference: ${ref}`) : { kind: "stig", ref };
    }
    case "cci":
      return CCI.test(p.body) ? { kind: "cci", ref: p.body } : wrong("is not a CCI (CCI- and six digits)");
    case "cis": {
      const ref = cisRef(p.body);
      return ref === undefined ? wrong("is not a CIS reference with its benchmark version") : { kind: "cis", ref };
    }
    case "conflict": {
      const m = /^(stig|cis):(.*)$/.exec(p.body);
      if (!m) return wrong("names no framework (stig: or cis:)");
      if (m[1] === "stig") {
        const ref = stigRef(m[2]);
        return typeof ref === "string" ? wrong(`is not a STIG reference: ${ref}`) : { kind: "conflict", ref: { framework: "stig", ref } };
      }
      const ref = cisRef(m[2]);
      return ref === undefined ? wrong("is not a CIS reference with its benchmark version") : { kind: "conflict", ref: { framework: "cis", ref } };
    }
  }
}

function isProblem(x: MappingTag | MappingProblem): x is MappingProblem {
  return "problem" in x;
}

/**
 * A control's mappings from all its tags (feature, Rule, scenario), with what is wrong in them:
 * malformed tags, and references that contradict each other within the control.
 * `requireNist`: built-in controls name at least one NIST control.
 */
export function mappingsOf(tags: readonly string[], requireNist: boolean): { mappings: ControlMappings; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const mappings: ControlMappings = { nist: [], stig: [], cci: [], cis: [], conflicts: [] };
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    const parsed = parseMappingTag(tag);
    if (parsed === undefined) continue;
    if (isProblem(parsed)) {
      problems.push(parsed);
      continue;
    }
    switch (parsed.kind) {
      case "nist": {
        const other = mappings.nist.find((n) => n.id === parsed.ref.id);
        if (other) problems.push({ tag, problem: `NIST ${parsed.ref.id} is tagged both @nist and @nist-ours`, fix: "Keep @nist where an authority maps it, @nist-ours where only the control's author does; not both" });
        else mappings.nist.push(parsed.ref);
        break;
      }
      case "stig": {
        const other = mappings.stig.find((s) => s.stigId === parsed.ref.stigId || s.vulnId === parsed.ref.vulnId);
        if (other) problems.push({ tag, problem: `'${tag}' names ${other.stigId}/${other.vulnId} again with another Vuln ID, STIG ID, CAT or Rule ID`, fix: "Keep one @stig tag per STIG rule, as the STIG release you cite gives it" });
        else mappings.stig.push(parsed.ref);
        break;
      }
      case "cci":
        mappings.cci.push(parsed.ref);
        break;
      case "cis":
        mappings.cis.push(parsed.ref);
        break;
      case "conflict":
        mappings.conflicts.push(parsed.ref);
        break;
    }
  }
  const where = (msg: Omit<MappingProblem, "tag">, tag = ""): void => void problems.push({ tag, ...msg });
  if (mappings.cci.length > 0 && mappings.stig.length === 0) {
    where({ problem: `carries CCI tags (${mappings.cci.join(", ")}) but no @stig tag`, fix: "A CCI comes from the STIG rule that cites it: add that rule's @stig:… tag, or remove the @cci tag" }, `@cci:${mappings.cci[0]}`);
  }
  for (const c of mappings.conflicts) {
    const clash = c.framework === "stig" ? mappings.stig.some((s) => s.stigId === c.ref.stigId) : mappings.cis.some((x) => x.benchmark === c.ref.benchmark && x.version === c.ref.version && x.recommendation === c.ref.recommendation);
    if (clash) where({ problem: `both maps and contradicts ${c.framework === "stig" ? c.ref.stigId : c.ref.recommendation}`, fix: "A control either implements a rule (@stig/@cis) or contradicts it (@conflict:…), not both" }, "");
  }
  if (requireNist && mappings.nist.length === 0) {
    where({ problem: "has no NIST SP 800-53 rev5 tag", fix: "Tag it @nist:… where DISA's CCI list or another authority maps it, otherwise @nist-ours:… with the control that fits (docs/controls.md, \"Framework mappings\")" });
  }
  return { mappings, problems };
}
