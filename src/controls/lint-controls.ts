/**
 * The control lint's rules for what makes a scenario one control: a file that holds at least one,
 * one ID, one severity and at most one area (in capitals where capitals are due), the auditor's
 * description fields, and a Scenario Outline whose every Examples table runs, as a whole.
 */
import type { GherkinDocument, Scenario, Tag } from "@cucumber/messages";
import type { InputProblem } from "../errors";
import { isSeverity, SEVERITIES } from "../model/severity";
import type { FeatureFile } from "./feature-set";
import { CONTROL_ID, descriptionFields, ID_FAMILY, ONCE_TAGS, scenariosOf, SEVERITY_TAG, SEVERITY_FAMILY } from "./meta";
import type { Work } from "../util/turns";
import { mappingsOf } from "./mappings";

/** `ids`: the first use of each control ID, across every file, so that a duplicate names both places. */
export function* lintControls(file: FeatureFile, doc: GherkinDocument, ids: Map<string, string>, problems: InputProblem[]): Work<void> {
  const scenarios = scenariosOf(doc);
  if (scenarios.length === 0) {
    // A misspelt "Scenario:" line is read as the Feature's description: the control would just be gone.
    problems.push({
      file: file.shown,
      line: doc.feature?.location.line ?? 1,
      problem: "the file holds no scenario, so it adds no control",
      fix: "Write each control as a Scenario: with its tags on the line above (see docs/controls.md, \"Adding a control\"), or move the file out of the features folder",
    });
  }
  const featureTags = doc.feature?.tags ?? [];
  const ruleTagsOf = ruleTagsByScenario(doc);
  for (const { scenario } of scenarios) {
    yield;
    const tags: readonly Tag[] = [...featureTags, ...(ruleTagsOf.get(scenario.id) ?? []), ...scenario.tags];
    const at = (line: number, problem: string, fix: string): void => {
      problems.push({ file: file.shown, line, field: `Scenario '${scenario.name}'`, problem, fix });
    };

    for (const { family, article, loose, exact, canonical } of ONCE_TAGS) {
      const found = tags.filter((t) => loose.test(t.name));
      for (const t of found) {
        if (!exact.test(t.name)) at(t.location.line, `'${t.name}' is ${article} ${family} tag in the wrong case`, `Write ${canonical(t.name)}: --tags and waivers match tags exactly, so another case would be another tag`);
      }
      if (found.length > 1) {
        at(
          scenario.location.line,
          `has ${found.length} ${family} tags (${found.map((t) => `${t.name} at line ${t.location.line}`).join(", ")})`,
          family === "control ID" ? "Keep exactly one control ID per scenario" : `Keep exactly one ${family} per scenario: on the scenario, or on its Feature or Rule for all of its scenarios, not both`,
        );
      }
    }

    const idTags = tags.filter((t) => ID_FAMILY.loose.test(t.name));
    if (idTags.length === 0) {
      at(scenario.location.line, "has no control ID tag", "Tag the scenario with one ID of the form PREFIX-AREA-NNN on the line above it, e.g. @ACME-SMB-001");
    } else if (idTags.length === 1 && CONTROL_ID.test(idTags[0].name)) {
      const id = CONTROL_ID.exec(idTags[0].name)![1];
      const first = ids.get(id);
      if (first !== undefined) {
        at(idTags[0].location.line, `control ID ${id} is already used at ${first}`, `Give this control its own ID: IDs are unique across the built-in controls and every --features folder (\`hostproof controls\` lists them)`);
      } else ids.set(id, `${file.shown}:${idTags[0].location.line}`);
    }

    const severities = tags.filter((t) => SEVERITY_TAG.test(t.name));
    const severityFix = `Tag it with one of ${SEVERITIES.map((s) => `@severity:${s}`).join(", ")}`;
    if (tags.every((t) => !SEVERITY_FAMILY.loose.test(t.name))) at(scenario.location.line, "has no severity tag", severityFix);
    for (const t of severities) {
      const value = SEVERITY_TAG.exec(t.name)![1];
      if (!isSeverity(value)) at(t.location.line, `'${value}' (${t.name}) is not a severity`, severityFix);
    }

    // What an auditor signs: why it matters, how to fix it, where the rule comes from.
    const fields = descriptionFields(scenario.description);
    for (const [name, value] of [["Rationale", fields.rationale], ["Remediation", fields.remediation], ["Source", fields.source]] as const) {
      if (value === undefined) at(scenario.location.line, `has no ${name}: line in its description`, `Add a line '${name}: …' between the Scenario: line and its first step`);
    }

    // Framework references: one strict form, so that an auditor's mapping is never lost to a typo.
    for (const p of mappingsOf(tags.map((t) => t.name), file.origin === "built-in").problems) {
      const tag = tags.find((t) => t.name === p.tag);
      at(tag?.location.line ?? scenario.location.line, p.problem, p.fix);
    }

    lintExamples(scenario, at);
  }
}

/**
 * An outline's rows are checks of one control: every Examples table must add at least one, and
 * none may carry tags of its own, or `--tags` would run some of a control's checks and not others.
 * (An outline without any Examples table runs once as written, and its steps are linted as such.)
 */
function lintExamples(scenario: Scenario, at: (line: number, problem: string, fix: string) => void): void {
  for (const ex of scenario.examples) {
    if (ex.tags.length > 0) {
      at(ex.tags[0].location.line, `its Examples table has tags (${ex.tags.map((t) => t.name).join(", ")})`, "Put tags on the Scenario Outline: its Examples rows are checks of one control, which --tags selects whole or not at all");
    }
    if (ex.tableHeader === undefined || ex.tableBody.length === 0) {
      at(ex.location.line, `its Examples table has ${ex.tableHeader === undefined ? "no header and " : ""}no rows, so it adds no check`, "Give the Examples table a header row naming the <placeholders>, then one row per check, or remove it");
    }
  }
}

/** Each scenario's Rule tags, by scenario id: one pass over the file, not one per scenario (quadratic at 10,000). */
function ruleTagsByScenario(doc: GherkinDocument): Map<string, readonly Tag[]> {
  const out = new Map<string, readonly Tag[]>();
  for (const child of doc.feature?.children ?? []) {
    for (const c of child.rule?.children ?? []) if (c.scenario !== undefined) out.set(c.scenario.id, child.rule!.tags);
  }
  return out;
}
