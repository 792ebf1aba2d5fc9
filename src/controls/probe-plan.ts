/**
 * Which probes a selection of controls needs: from the features and a tag expression, never from a
 * fixed list, so that `--tags @area:dns` reads DNS facts and nothing else.
 */
import TagExpressionParser from "@cucumber/tag-expressions";
import { relative } from "node:path";
import type { ControlMeta } from "../model/result";
import { PROBE_IDS, type ProbeId } from "../probes/catalog";
import { FEATURES_DIR, PACKAGE_ROOT, featureFiles, parseFeature } from "./catalog";
import { checkFor, IDENTITY_PROBES } from "./checks";
import { controlMeta, scenariosOf } from "./meta";

export interface ProbePlan {
  controls: (ControlMeta & { probes: ProbeId[] })[];
  /** Every probe to run on a host, in catalog order; the identity probes always. */
  probes: ProbeId[];
}

export function planProbes(tags?: string, dir: string = FEATURES_DIR): ProbePlan {
  const select = tags ? TagExpressionParser(tags) : undefined;
  const controls: ProbePlan["controls"] = [];
  const needed = new Set<ProbeId>(IDENTITY_PROBES);
  for (const file of featureFiles(dir)) {
    const doc = parseFeature(file);
    const rel = relative(PACKAGE_ROOT, file).split("\\").join("/");
    for (const { scenario, ruleTags } of scenariosOf(doc)) {
      const meta = controlMeta(doc, scenario, rel, ruleTags);
      if (select && !select.evaluate(meta.tags)) continue;
      const probes = new Set<ProbeId>();
      for (const step of scenario.steps) for (const p of checkFor(step.text)?.needs ?? []) probes.add(p);
      controls.push({ ...meta, probes: PROBE_IDS.filter((p) => probes.has(p)) });
      for (const p of probes) needed.add(p);
    }
  }
  return { controls, probes: PROBE_IDS.filter((p) => needed.has(p)) };
}
