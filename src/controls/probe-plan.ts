/**
 * Which probes a selection of controls needs: from the features and a tag expression, never from a
 * fixed list, so that `--tags @area:dns` reads DNS facts and nothing else.
 *
 * Steps are read from the pickles, as Cucumber runs them: Background steps included, and each
 * Scenario Outline row with its values filled in, so that every generic probe an outline names is
 * planned. Generic probes are kept once each (by id, without case): two steps that read the same
 * registry key read it once.
 */
import type { ControlMeta } from "../model/result";
import { PROBE_IDS, type ProbeId } from "../probes/catalog";
import { uniqueProbes, type AnyProbeId, type GenericProbe } from "../probes/generic";
import { loadFeatureCatalog, selectControls, type FeatureCatalog } from "./catalog";
import { checkFor, IDENTITY_PROBES } from "./checks";
import type { FeatureSelection } from "./feature-set";
import { stepMatcher } from "./known-steps";

export interface ProbePlan {
  /** Each control with the probes it reads: built-in ones in catalog order, then generic ones. */
  controls: (ControlMeta & { probes: AnyProbeId[] })[];
  /** Every built-in probe to run on a host, in catalog order; the identity probes always. */
  probes: ProbeId[];
  /** Every generic probe to run on a host, once each, in the order the features name them. */
  generic: GenericProbe[];
}

/**
 * `features`: an already loaded catalog, or the selection to load (by default the one the command
 * set, see feature-set.ts: src/collect/ calls this with the tags only).
 */
export function planProbes(tags?: string, features: FeatureCatalog | FeatureSelection = {}): ProbePlan {
  const catalog = "entries" in features ? features : loadFeatureCatalog(features);
  const steps = stepMatcher();
  // The steps of each scenario (by AST id), from its pickles.
  const stepsOf = new Map<string, { text: string; rows?: string[] }[]>();
  for (const { pickles } of catalog.features) {
    for (const pickle of pickles) {
      const id = pickle.astNodeIds[0];
      const list = stepsOf.get(id) ?? [];
      for (const ps of pickle.steps) list.push({ text: ps.text, rows: ps.argument?.dataTable?.rows.map((r) => r.cells[0]?.value ?? "") });
      stepsOf.set(id, list);
    }
  }
  const controls: ProbePlan["controls"] = [];
  const needed = new Set<ProbeId>(IDENTITY_PROBES);
  const generic: GenericProbe[] = [];
  for (const { meta, scenario } of selectControls(catalog.entries, tags)) {
    const builtin = new Set<ProbeId>();
    const own: GenericProbe[] = [];
    for (const step of stepsOf.get(scenario.id) ?? []) {
      const check = checkFor(step.text);
      for (const p of check?.needs ?? []) builtin.add(p);
      own.push(...(check?.generic ?? []));
      const library = check === undefined ? steps.match(step.text)?.library : undefined;
      if (library === undefined) continue;
      for (const p of library.builtin ?? []) builtin.add(p);
      own.push(...library.probes({ values: steps.args(step.text), rows: step.rows ?? [] }));
    }
    const mine = uniqueProbes(own);
    controls.push({ ...meta, probes: [...PROBE_IDS.filter((p) => builtin.has(p)), ...mine.map((p) => p.id)] });
    for (const p of builtin) needed.add(p);
    generic.push(...mine);
  }
  return { controls, probes: PROBE_IDS.filter((p) => needed.has(p)), generic: uniqueProbes(generic) };
}
