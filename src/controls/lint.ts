/**
 * The control lint: every selected feature, built-in or an organisation's own, is checked before
 * anything is collected or judged, and every problem is reported at once with file:line and a fix.
 * A control that Cucumber would skip, run twice or run without targets must never reach a report
 * that reads as compliant.
 */
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator, type GherkinDocument, type Pickle, type PickleStep, type Scenario, type Step } from "@cucumber/messages";
import type { InputProblem } from "../errors";
import type { FeatureFile } from "./feature-set";
import { knownSteps, stepMatcher, type KnownStep, type StepMatcher } from "./known-steps";
import { checkArg, type LibraryStep } from "./library";
import { lintControls } from "./lint-controls";
import { hiddenTextProblems } from "./lint-text";
import { runGivingTurns, runToEnd, type Work } from "../util/turns";

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
  return runToEnd(lintWork(files));
}

/** As lintFeatures, giving the event loop turns (util/turns.ts): 10,000 controls take seconds. */
export function lintFeaturesGivingTurns(files: readonly FeatureFile[]): Promise<LintOutcome> {
  return runGivingTurns(lintWork(files));
}

/** The lint as resumable work (util/turns.ts), paused after each file, scenario and pickle. */
export function* lintWork(files: readonly FeatureFile[]): Work<LintOutcome> {
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
    yield;
    if (doc === undefined) {
      problems.push(...hiddenTextProblems(file, undefined, []));
      continue;
    }
    const pickles = compile(doc, file.path, IdGenerator.uuid());
    yield;
    problems.push(...hiddenTextProblems(file, doc, pickles));
    features.push({ file, doc, pickles });
    yield* lintControls(file, doc, ids, problems);
    yield* lintSteps(file, doc, pickles, steps, givens, problems);
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
        fix: "Write it as Gherkin: Feature:, then Scenario: with its tags on the line above and Given/Then steps (see docs/controls.md, \"Adding a control\")",
      });
    }
    return undefined;
  }
}

/**
 * Steps are checked on the pickles, as Cucumber will run them: Background steps come first, and a
 * Scenario Outline's steps with each Examples row filled in.
 */
function* lintSteps(file: FeatureFile, doc: GherkinDocument, pickles: readonly Pickle[], steps: StepMatcher, givens: (targets?: string) => string, problems: InputProblem[]): Work<void> {
  const astSteps = new Map<string, Step>();
  // An outline's values come from its Examples rows: a bad one is reported at its row's line.
  const exampleRows = new Map<string, number>();
  const background = new Set<string>();
  const scenarios = new Map<string, Scenario>();
  const visit = (list: readonly Step[] | undefined): void => list?.forEach((s) => astSteps.set(s.id, s));
  const visitBackground = (list: readonly Step[] | undefined): void => {
    visit(list);
    list?.forEach((s) => background.add(s.id));
  };
  const visitScenario = (scenario: Scenario | undefined): void => {
    visit(scenario?.steps);
    if (scenario !== undefined) scenarios.set(scenario.id, scenario);
    for (const ex of scenario?.examples ?? []) for (const row of ex.tableBody) exampleRows.set(row.id, row.location.line);
  };
  for (const child of doc.feature?.children ?? []) {
    visitBackground(child.background?.steps);
    visitScenario(child.scenario);
    for (const rc of child.rule?.children ?? []) {
      visitBackground(rc.background?.steps);
      visitScenario(rc.scenario);
    }
  }
  for (const pickle of pickles) {
    yield;
    let scope: { text: string; targets?: string } | undefined;
    const shape: ShapeStep[] = [];
    for (const ps of pickle.steps) {
      const ast = astSteps.get(ps.astNodeIds[0]);
      const line = ast?.location.line;
      const field = `step '${ast?.keyword.trim() ?? ""} ${ps.text}'`.replace("' ", "'");
      const known = steps.match(ps.text);
      shape.push({ ps, line, field, known, inBackground: background.has(ps.astNodeIds[0]) });
      if (known === undefined) {
        const near = steps.closest(ps.text);
        problems.push({
          file: file.shown,
          line,
          field,
          problem: "no step definition matches it",
          fix: near !== undefined ? `Did you mean "${near}"?` : "Use a step hostproof defines: docs/controls.md, \"The steps you can write\", lists every one",
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
    const scenario = scenarios.get(pickle.astNodeIds[0]);
    if (scenario !== undefined) lintShape(file, scenario, shape, steps, problems);
  }
}

interface ShapeStep {
  ps: PickleStep;
  line: number | undefined;
  field: string;
  known: KnownStep | undefined;
  inBackground: boolean;
}

/**
 * What Cucumber would run without complaint and hostproof would still not judge: a scenario with
 * no Then of its own, a check in a Background (shared by every scenario, owned by none), a Given
 * that nothing after it judges, an argument (a doc string, a data table) that the step's
 * definition does not take, which Cucumber fails at run time before the step judges anything, and
 * a text two definitions match.
 */
function lintShape(file: FeatureFile, scenario: Scenario, shape: readonly ShapeStep[], steps: StepMatcher, problems: InputProblem[]): void {
  const at = (line: number | undefined, field: string, problem: string, fix: string): void => {
    problems.push({ file: file.shown, line, field, problem, fix });
  };
  for (const { ps, line, field, known, inBackground } of shape) {
    if (ps.argument?.docString !== undefined) {
      at(line, field, "it has a doc string (\"\"\" … \"\"\"), which no hostproof step reads", "Remove it: Cucumber would fail the step before it judges anything. A list goes in a one-column data table under a step ending in ':'");
    }
    if (known === undefined) continue;
    if (ps.argument?.dataTable !== undefined && known.library === undefined) {
      at(line, field, "it has a data table, which this step does not read", "Remove the table: only the list steps (those ending in ':') read one, and Cucumber would fail this step before it judges anything");
    }
    const all = steps.matches(ps.text);
    if (all.length > 1) {
      at(line, field, `${all.length} step definitions match it (${all.map((k) => `"${String(k.pattern)}"`).join(", ")})`, "Reword it to match exactly one: Cucumber refuses an ambiguous step");
    }
    if (inBackground && known.keyword === "Then") {
      at(line, field, "it judges in a Background, which every scenario below shares and none owns", "Keep only Given steps in a Background, and put each check in the scenario of the control it belongs to");
    }
  }
  // A Then in the Background is refused above; the Givens after it are the scenario's own.
  const lastThen = shape.findLastIndex((s) => !s.inBackground && s.known?.keyword === "Then");
  const ownThens = shape.filter((s) => !s.inBackground && s.known?.keyword === "Then").length;
  // An unknown step may be the Then meant: its own problem says what to write.
  if (ownThens === 0 && shape.every((s) => s.known !== undefined)) {
    at(
      scenario.location.line,
      `Scenario '${scenario.name}'`,
      "it has no Then step of its own, so it judges nothing",
      "Add a Then step after its Given (docs/controls.md, \"The steps you can write\", lists them): a scenario with no check is no control",
    );
  }
  if (lastThen >= 0) {
    for (const s of shape.slice(lastThen + 1)) {
      if (s.known?.keyword === "Given") at(s.line, s.field, "it chooses targets after the scenario's last Then step, so nothing judges them", "Move it before the Then steps that judge them, or remove it");
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
