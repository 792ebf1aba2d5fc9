/** All controls of a selection of features (controls/feature-set.ts), linted, with their metadata. */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator, type GherkinDocument, type Scenario } from "@cucumber/messages";
import { InputError } from "../errors";
import type { ControlMeta } from "../model/result";
import { FEATURES_DIR, PACKAGE_ROOT } from "../package-root";
import { BUILTIN_ORIGIN, featureFilesIn, readFeatureFile, selectFeatureFiles, type FeatureFile, type FeatureSelection } from "./feature-set";
import { lintFeatures, type LoadedFeature } from "./lint";
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
  const entries: CatalogEntry[] = [];
  for (const { file, doc } of features) {
    for (const { scenario, ruleTags } of scenariosOf(doc)) {
      entries.push({ meta: controlMeta(doc, scenario, file.shown, ruleTags, file.origin), scenario });
    }
  }
  return { files, features, controls: entries.map((e) => e.meta), entries };
}

export function loadControlCatalog(selection: FeatureSelection = {}): ControlMeta[] {
  return loadFeatureCatalog(selection).controls;
}
