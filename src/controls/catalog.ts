/** All controls of a selection of features (controls/feature-set.ts), linted, with their metadata. */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import TagExpressionParser from "@cucumber/tag-expressions";
import { IdGenerator, type GherkinDocument, type Scenario } from "@cucumber/messages";
import { InputError } from "../errors";
import type { ControlMeta, TargetKind } from "../model/result";
import { FEATURES_DIR, PACKAGE_ROOT } from "../package-root";
import { BUILTIN_ORIGIN, featureFilesIn, readFeatureFile, selectFeatureFiles, type FeatureFile, type FeatureSelection } from "./feature-set";
import { lintFeatures, type LoadedFeature } from "./lint";
import { stepMatcher } from "./known-steps";
import { controlMeta, scenariosOf } from "./meta";

// Still exported from here for the engine (run.ts, cucumber.ts), which imports them this way.
export { FEATURES_DIR, PACKAGE_ROOT };

/** The built-in feature files (or those under `dir`), sorted. */
export function featureFiles(dir: string = FEATURES_DIR): string[] {
  return featureFilesIn(dir);
}

export function parseFeature(file: string): GherkinDocument {
  const parser = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher());
  return parser.parse(readFeatureFile(file, file, BUILTIN_ORIGIN).text);
}

export interface CatalogEntry {
  meta: ControlMeta;
  scenario: Scenario;
  /**
   * What its Then steps judge: every host, every cluster, or both. A run must end with one result
   * for each of them per control (engine/complete-results.ts), whatever went wrong in between.
   */
  judges: readonly TargetKind[];
}

export interface FeatureCatalog {
  /** The files Cucumber runs, in order: built-in first, then each --features folder as given. */
  files: FeatureFile[];
  features: LoadedFeature[];
  /** Every control of the selection (not narrowed by --tags), in file order. */
  controls: ControlMeta[];
  entries: CatalogEntry[];
}

/** Throws one InputError carrying every lint problem of every selected file (controls/lint.ts). */
export function loadFeatureCatalog(selection: FeatureSelection = {}): FeatureCatalog {
  const files = selectFeatureFiles(selection);
  const { features, problems } = lintFeatures(files);
  if (problems.length > 0) throw new InputError(problems);
  const entries = catalogEntries(features);
  return { files, features, controls: entries.map((e) => e.meta), entries };
}

/** The controls of features already parsed (linted or not: a test may hand the engine what the lint refuses). */
export function catalogEntries(features: readonly LoadedFeature[]): CatalogEntry[] {
  const steps = stepMatcher();
  const entries: CatalogEntry[] = [];
  for (const { file, doc, pickles } of features) {
    for (const { scenario, ruleTags } of scenariosOf(doc)) {
      const judges = new Set<TargetKind>();
      const chooses = new Set<TargetKind>();
      for (const pickle of pickles) {
        if (pickle.astNodeIds[0] !== scenario.id) continue;
        for (const ps of pickle.steps) {
          const known = steps.match(ps.text);
          if (known?.targets !== undefined) (known.keyword === "Then" ? judges : chooses).add(known.targets);
        }
      }
      // A scenario with no check (the lint refuses it) is still owed results: on what its Given chose, else on every host.
      const owed = judges.size > 0 ? judges : chooses.size > 0 ? chooses : new Set<TargetKind>(["host"]);
      entries.push({ meta: controlMeta(doc, scenario, file.shown, ruleTags, file.origin), scenario, judges: [...owed].sort() });
    }
  }
  return entries;
}

/** The controls a `--tags` expression selects (all without one), in catalog order: as Cucumber selects their scenarios. */
export function selectControls(entries: readonly CatalogEntry[], tags: string | undefined): CatalogEntry[] {
  if (!tags) return [...entries];
  const select = TagExpressionParser(tags);
  return entries.filter((e) => select.evaluate(e.meta.tags));
}

export function loadControlCatalog(selection: FeatureSelection = {}): ControlMeta[] {
  return loadFeatureCatalog(selection).controls;
}
