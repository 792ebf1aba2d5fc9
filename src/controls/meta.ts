/**
 * A control's identity lives in its feature file: the ID and severity as tags, the rationale,
 * remediation and source in the scenario's description. This reads them back.
 */
import type { GherkinDocument, Scenario } from "@cucumber/messages";
import type { ControlMeta } from "../model/result";
import { isSeverity, type Severity } from "../model/severity";
import { mappingsOf } from "./mappings";

/**
 * PREFIX-AREA-NNN: hostproof's own are HP-…; an organisation's controls carry its own prefix
 * (ACME-SMB-001), so that its IDs never collide with a later built-in one.
 */
export const CONTROL_ID = /^@([A-Z][A-Z0-9]{1,9}-[A-Z0-9]{2,8}-\d{3,4})$/;
export const SEVERITY_TAG = /^@severity:(.*)$/;

/**
 * The tags a control carries exactly once, whether on its scenario, its Rule or its Feature: two
 * severities would leave one of them to lose silently (and `--tags @severity:critical` would select
 * a control judged as low). `loose` finds a tag of the family in any case, so that `@hp-clu-001` or
 * `@Severity:high`, which `--tags` and waivers would treat as another tag, is refused, not ignored.
 */
export interface OnceTag {
  family: string;
  article: string;
  loose: RegExp;
  exact: RegExp;
  canonical: (tag: string) => string;
}
export const ID_FAMILY: OnceTag = { family: "control ID", article: "a", loose: /^@[a-z][a-z0-9]{1,9}-[a-z0-9]{2,8}-\d{3,4}$/i, exact: CONTROL_ID, canonical: (t) => t.toUpperCase() };
export const SEVERITY_FAMILY: OnceTag = { family: "severity", article: "a", loose: /^@severity:/i, exact: /^@severity:/, canonical: (t) => t.replace(/^@severity:/i, "@severity:") };
const AREA_FAMILY: OnceTag = { family: "area", article: "an", loose: /^@area:/i, exact: /^@area:/, canonical: (t) => t.replace(/^@area:/i, "@area:") };
export const ONCE_TAGS: readonly OnceTag[] = [ID_FAMILY, SEVERITY_FAMILY, AREA_FAMILY];
const FIELD = /^(Rationale|Remediation|Source):\s*(.*)$/;

export class ControlDefinitionError extends Error {}

/** Every scenario of a feature, including those inside Rules. */
export function scenariosOf(doc: GherkinDocument): { scenario: Scenario; ruleTags: string[] }[] {
  const out: { scenario: Scenario; ruleTags: string[] }[] = [];
  for (const child of doc.feature?.children ?? []) {
    if (child.scenario) out.push({ scenario: child.scenario, ruleTags: [] });
    if (child.rule) {
      const ruleTags = child.rule.tags.map((t) => t.name);
      for (const rc of child.rule.children) if (rc.scenario) out.push({ scenario: rc.scenario, ruleTags });
    }
  }
  return out;
}

/** The tags a scenario carries: its feature's, its Rule's and its own. */
export function tagsOf(doc: GherkinDocument, scenario: Scenario, ruleTags: readonly string[] = []): string[] {
  return [...(doc.feature?.tags.map((t) => t.name) ?? []), ...ruleTags, ...scenario.tags.map((t) => t.name)];
}

/** `origin`: "built-in" or the --features folder the file came from (controls/feature-set.ts). */
export function controlMeta(doc: GherkinDocument, scenario: Scenario, featurePath: string, ruleTags: string[] = [], origin = "built-in"): ControlMeta {
  const allTags = tagsOf(doc, scenario, ruleTags);
  const where = `${featurePath}:${scenario.location.line}`;
  // The lint refuses these first, with the fix; this holds the engine to the same rule.
  for (const { family, article, loose, exact } of ONCE_TAGS) {
    const found = allTags.filter((t) => loose.test(t));
    if (found.length > 1 || found.some((t) => !exact.test(t))) throw new ControlDefinitionError(`${where}: scenario '${scenario.name}' has ${article} ${family} tag twice or in the wrong case (${found.join(", ")})`);
  }
  const ids = allTags.map((t) => CONTROL_ID.exec(t)?.[1]).filter((x): x is string => x !== undefined);
  if (ids.length !== 1) {
    throw new ControlDefinitionError(`${where}: scenario '${scenario.name}' needs exactly one control ID tag like @HP-NIC-001 (found ${ids.length})`);
  }
  const severities = allTags.map((t) => SEVERITY_TAG.exec(t)?.[1]).filter((x): x is string => x !== undefined);
  // The lint refuses two; should one get past it, neither may win silently.
  const severity = severities.length === 1 ? severities[0] : undefined;
  if (severity === undefined || !isSeverity(severity)) {
    throw new ControlDefinitionError(`${where}: scenario '${scenario.name}' needs exactly one tag @severity:critical|high|medium|low (found ${severities.length})`);
  }
  const { mappings, problems } = mappingsOf(allTags, origin === "built-in");
  if (problems.length > 0) throw new ControlDefinitionError(`${where}: scenario '${scenario.name}': ${problems[0].problem}`);
  return {
    id: ids[0],
    title: scenario.name,
    severity: severity as Severity,
    feature: featurePath,
    origin,
    featureName: doc.feature?.name ?? featurePath,
    tags: [...new Set(allTags)],
    ...descriptionFields(scenario.description),
    mappings,
  };
}

/** `Rationale:`, `Remediation:` and `Source:` paragraphs; continuation lines join their field. */
export function descriptionFields(description: string): Pick<ControlMeta, "rationale" | "remediation" | "source"> {
  const fields: Record<string, string[]> = {};
  let current: string | undefined;
  for (const raw of description.split("\n")) {
    const line = raw.trim();
    const m = FIELD.exec(line);
    if (m) {
      current = m[1].toLowerCase();
      fields[current] = m[2] ? [m[2]] : [];
    } else if (current && line) {
      fields[current].push(line);
    }
  }
  const join = (k: string, sep: string): string | undefined => (fields[k]?.length ? fields[k].join(sep) : undefined);
  return { rationale: join("rationale", " "), remediation: join("remediation", "\n"), source: join("source", " ") };
}
