/**
 * Which probes a selection of controls needs: from the features and a tag expression, never from a
 * fixed list, so that `--tags @area:dns` reads DNS facts and nothing else.
 */
import TagExpressionParser from "@cucumber/tag-expressions";
import type { ControlMeta } from "../model/result";
import { PROBE_IDS, type ProbeId } from "../probes/catalog";
import { loadFeatureCatalog, type FeatureCatalog } from "./catalog";
import { checkFor, IDENTITY_PROBES } from "./checks";
import type { FeatureSelection } from "./feature-set";

export interface ProbePlan {
  controls: (ControlMeta & { probes: ProbeId[] })[];
  /** Every probe to run on a host, in catalog order; the identity probes always. */
  probes: ProbeId[];
}

/**
 * `features`: an already loaded catalog, or the selection to load (by default the one the command
 * set, see feature-set.ts: src/collect/ calls this with the tags only).
 */
export function planProbes(tags?: string, features: FeatureCatalog | FeatureSelection = {}): ProbePlan {
  const catalog = "entries" in features ? features : loadFeatureCatalog(features);
  const select = tags ? TagExpressionParser(tags) : undefined;
  const controls: ProbePlan["controls"] = [];
  const needed = new Set<ProbeId>(IDENTITY_PROBES);
  for (const { meta, scenario } of catalog.entries) {
    if (select && !select.evaluate(meta.tags)) continue;
    const probes = new Set<ProbeId>();
    for (const step of scenario.steps) for (const p of checkFor(step.text)?.needs ?? []) probes.add(p);
    controls.push({ ...meta, probes: PROBE_IDS.filter((p) => probes.has(p)) });
    for (const p of probes) needed.add(p);
  }
  return { controls, probes: PROBE_IDS.filter((p) => needed.has(p)) };
}
