/**
 * The control lint: every selected feature, built-in or an organisation's own, is checked before
 * anything is collected or judged, and every problem is reported at once with file:line and a fix.
 * A control that Cucumber would skip, run twice or run without targets must never reach a report
 * that reads as compliant.
 */
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator, type GherkinDocument, type Pickle, type Scenario, type Step, type Tag } from "@cucumber/messages";
import type { InputProblem } from "../errors";
import { isSeverity, SEVERITIES } from "../model/severity";
import type { FeatureFile } from "./feature-set";
import { knownSteps, stepMatcher, type StepMatcher } from "./known-steps";
import { checkArg, type LibraryStep } from "./library";
import { CONTROL_ID, descriptionFields, scenariosOf, SEVERITY_TAG } from "./meta";

export interface LoadedFeature {
  file: FeatureFile;
  doc: GherkinDocument;
  /** Its scenarios as Cucumber runs them (Background steps first, outline rows filled in). */
  pickles: readonly Pickle[];
}

export interface LintOutcome {
  /** The files that parsed (a file that did not is a problem, and is left out). */
  features: LoadedFeature[];
  problems: InputProblem[];
}

export function lintFeatures(files: readonly FeatureFile[]): LintOutcome {
  const problems: InputProblem[] = [];
  const features: LoadedFeature[] = [];
  const steps = stepMatcher();
  const known = knownSteps();
  const givens = (targets?: string): string =>
    known
      .filter((s) => s.keyword === "Given" && (targets === undefined || s.targets === undefined || s.targets === targets))
      .map((s) => `"Given ${String(s.pattern)}"`)
      .join(", ");
  // First use of each ID, across every file, so that a duplicate names both places.
  const ids = new Map<string, string>();
  for (const file of files) {
    const doc = parse(file, problems);
    if (doc === undefined) continue;
    const pickles = compile(doc, file.path, IdGenerator.uuid());
    features.push({ file, doc, pickles });
    lintControls(file, doc, ids, problems);
    lintSteps(file, doc, pickles, steps, givens, problems);
  }
  // Printed as "problem. fix": every fix a sentence of its own, like the other input errors'.
  return { features, problems: unique(problems).map((p) => (/[.?!]$/.test(p.fix) ? p : { ...p, fix: `${p.fix}.` })) };
}

function parse(file: FeatureFile, problems: InputProblem[]): GherkinDocument | undefined {
  const parser = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher());
  try {
    // The text the input reader read (feature-set.ts), never the path again.
    return parser.parse(file.text);
  } catch (err) {
    // Gherkin gathers every parse error of a file into one exception, each with its location.
    const errors = (err as { errors?: unknown[] }).errors ?? [err];
    for (const e of errors as { message: string; location?: { line: number } }[]) {
      problems.push({
        file: file.shown,
        line: e.location?.line,
        field: "Gherkin",
        problem: e.message.replace(/^\(\d+:\d+\):\s*/, ""),
        fix: "Write it as Gherkin: Feature:, then Scenario: with its tags on the line above and Given/Then steps (see README, \"Adding a control\")",
      });
    }
    return undefined;
  }
}

function lintControls(file: FeatureFile, doc: GherkinDocument, ids: Map<string, string>, problems: InputProblem[]): void {
  const featureTags = doc.feature?.tags ?? [];
  for (const { scenario } of scenariosOf(doc)) {
    const ruleTags = ruleTagsOf(doc, scenario.id);
    const tags: readonly Tag[] = [...featureTags, ...ruleTags, ...scenario.tags];
    const at = (line: number, field: string, problem: string, fix: string): void => {
      problems.push({ file: file.shown, line, field, problem, fix });
    };
    const field = `Scenario '${scenario.name}'`;

    const idTags = tags.filter((t) => CONTROL_ID.test(t.name));
    if (idTags.length === 0) {
      at(scenario.location.line, field, "has no control ID tag", "Tag the scenario with one ID of the form PREFIX-AREA-NNN on the line above it, e.g. @ACME-SMB-001");
    } else if (idTags.length > 1) {
      at(scenario.location.line, field, `has ${idTags.length} control ID tags (${idTags.map((t) => t.name).join(", ")})`, "Keep exactly one control ID per scenario");
    } else {
      const id = CONTROL_ID.exec(idTags[0].name)![1];
      const first = ids.get(id);
      if (first !== undefined) {
        at(idTags[0].location.line, field, `control ID ${id} is already used at ${first}`, `Give this control its own ID: IDs are unique across the built-in controls and every --features folder (\`hostproof controls\` lists them)`);
      } else ids.set(id, `${file.shown}:${idTags[0].location.line}`);
    }

    const severities = tags.filter((t) => SEVERITY_TAG.test(t.name));
    const severityFix = `Tag it with one of ${SEVERITIES.map((s) => `@severity:${s}`).join(", ")}`;
    if (severities.length === 0) at(scenario.location.line, field, "has no severity tag", severityFix);
    for (const t of severities) {
      const value = SEVERITY_TAG.exec(t.name)![1];
      if (!isSeverity(value)) at(t.location.line, field, `'${value}' (${t.name}) is not a severity`, severityFix);
    }

    // What an auditor signs: why it matters, how to fix it, where the rule comes from.
    const fields = descriptionFields(scenario.description);
    for (const [name, value] of [["Rationale", fields.rationale], ["Remediation", fields.remediation], ["Source", fields.source]] as const) {
      if (value === undefined) at(scenario.location.line, field, `has no ${name}: line in its description`, `Add a line '${name}: …' between the Scenario: line and its first step`);
    }
  }
}

function ruleTagsOf(doc: GherkinDocument, scenarioId: string): readonly Tag[] {
  for (const child of doc.feature?.children ?? []) {
    if (child.rule?.children.some((c) => c.scenario?.id === scenarioId)) return child.rule.tags;
  }
  return [];
}

/**
 * Steps are checked on the pickles, as Cucumber will run them: Background steps come first, and a
 * Scenario Outline's steps with each Examples row filled in.
 */
function lintSteps(file: FeatureFile, doc: GherkinDocument, pickles: readonly Pickle[], steps: StepMatcher, givens: (targets?: string) => string, problems: InputProblem[]): void {
  const astSteps = new Map<string, Step>();
  // An outline's values come from its Examples rows: a bad one is reported at its row's line.
  const exampleRows = new Map<string, number>();
  const visit = (list: readonly Step[] | undefined): void => list?.forEach((s) => astSteps.set(s.id, s));
  const visitScenario = (scenario: Scenario | undefined): void => {
    visit(scenario?.steps);
    for (const ex of scenario?.examples ?? []) for (const row of ex.tableBody) exampleRows.set(row.id, row.location.line);
  };
  for (const child of doc.feature?.children ?? []) {
    visit(child.background?.steps);
    visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) {
      visit(rc.background?.steps);
      visitScenario(rc.scenario);
    }
  }
  for (const pickle of pickles) {
    let scope: { text: string; targets?: string } | undefined;
    for (const ps of pickle.steps) {
      const ast = astSteps.get(ps.astNodeIds[0]);
      const line = ast?.location.line;
      const field = `step '${ast?.keyword.trim() ?? ""} ${ps.text}'`.replace("' ", "'");
      const known = steps.match(ps.text);
      if (known === undefined) {
        const near = steps.closest(ps.text);
        problems.push({
          file: file.shown,
          line,
          field,
          problem: "no step definition matches it",
          fix: near !== undefined ? `Did you mean "${near}"?` : "Use a step hostproof defines: README, \"Writing your own controls\", lists every one",
        });
      } else if (known.keyword === "Given") {
        scope = { text: ps.text, targets: known.targets };
      } else if (known.library !== undefined) {
        const rowLine = ps.astNodeIds[1] !== undefined ? exampleRows.get(ps.astNodeIds[1]) : undefined;
        for (const p of libraryProblems(known.library, steps.args(ps.text), ps.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value)))) {
          problems.push({ file: file.shown, line: rowLine ?? line, field, ...p });
        }
      }
      if (known !== undefined && known.keyword === "Then" && scope === undefined) {
        problems.push({
          file: file.shown,
          line,
          field,
          problem: "no Given step before it chooses the hosts or clusters it judges",
          fix: `Put a Given step before it (in the scenario or its Background), one of ${givens()}`,
        });
      } else if (known !== undefined && known.keyword === "Then" && scope !== undefined && known.targets !== undefined && scope.targets !== undefined && known.targets !== scope.targets) {
        problems.push({
          file: file.shown,
          line,
          field,
          problem: `it judges ${known.targets}s, but 'Given ${scope.text}' chooses ${scope.targets}s`,
          fix: `Choose ${known.targets}s before it: one of ${givens(known.targets)}`,
        });
      }
    }
  }
}

/**
 * A library step's arguments against their strict forms, and its data table: present when the
 * step needs one (one column, no header), absent when it does not.
 */
function libraryProblems(step: LibraryStep, values: readonly (string | number)[], table: string[][] | undefined): { problem: string; fix: string }[] {
  const out: { problem: string; fix: string }[] = [];
  step.args.forEach((form, i) => {
    const value = values[i];
    if (value === undefined) return;
    const bad = checkArg(form, value);
    if (bad !== undefined) out.push({ problem: `${JSON.stringify(String(value))} is refused: ${bad.problem}`, fix: `Write ${bad.expected}` });
  });
  if (step.table === undefined) {
    if (table !== undefined) out.push({ problem: "it has a data table, which this step does not read", fix: "Remove the table, or use the step's list form (one ending in ':')" });
    return out;
  }
  if (table === undefined || table.length === 0) {
    out.push({ problem: "it needs a data table: one row per item", fix: `Put a one-column table under it, each row ${step.table.row}, e.g. | ... |` });
    return out;
  }
  if (table.some((r) => r.length !== 1)) out.push({ problem: "its data table has more than one column", fix: `Give one column, each row ${step.table.row}, and no header row` });
  for (const row of table) {
    const bad = checkArg(step.table.form, row[0] ?? "");
    if (bad !== undefined) out.push({ problem: `the table row ${JSON.stringify(row[0] ?? "")} is refused: ${bad.problem}`, fix: `Write ${bad.expected}` });
  }
  return out;
}

/** An outline's step fails once per Examples row; it is one problem on one line. */
function unique(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\0${p.line}\0${p.field}\0${p.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
