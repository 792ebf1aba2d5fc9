/** All controls, read from the feature files. */
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator, type GherkinDocument } from "@cucumber/messages";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ControlMeta } from "../model/result";
import { FEATURES_DIR, PACKAGE_ROOT } from "../package-root";
import { ControlDefinitionError, controlMeta, scenariosOf } from "./meta";

// Still exported from here for the engine (run.ts, cucumber.ts), which imports them this way.
export { FEATURES_DIR, PACKAGE_ROOT };

export function featureFiles(dir: string = FEATURES_DIR): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...featureFiles(full));
    else if (entry.name.endsWith(".feature")) out.push(full);
  }
  return out.sort();
}

export function parseFeature(file: string): GherkinDocument {
  const parser = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher());
  return parser.parse(readFileSync(file, "utf8"));
}

/** Fails on a scenario without ID or severity, and on an ID used twice. */
export function loadControlCatalog(dir: string = FEATURES_DIR): ControlMeta[] {
  const controls: ControlMeta[] = [];
  const byId = new Map<string, ControlMeta>();
  for (const file of featureFiles(dir)) {
    const doc = parseFeature(file);
    const rel = relative(PACKAGE_ROOT, file).split("\\").join("/");
    for (const { scenario, ruleTags } of scenariosOf(doc)) {
      const meta = controlMeta(doc, scenario, rel, ruleTags);
      const prior = byId.get(meta.id);
      if (prior) throw new ControlDefinitionError(`${rel}:${scenario.location.line}: control ID ${meta.id} is already used in ${prior.feature}`);
      byId.set(meta.id, meta);
      controls.push(meta);
    }
  }
  return controls;
}
