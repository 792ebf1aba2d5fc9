/**
 * The names an OSCAL document gives things: NIST SP 800-53 rev5 references as the NIST OSCAL
 * catalog names its parts, and a v5 UUID for every object of a run.
 */
import type { ControlMeta } from "../../../model/result";
import { NAMESPACE_URL, uuidV5, uuidV5Namer } from "../../../util/uuid-v5";

/**
 * What a finding assesses, in the catalog's ids: a whole control is its assessment objective
 * (`sc-3_obj`), a part of one its statement (`cm-7_smt.a`, `sc-45.1_smt.a` for "SC-45 (1) (a)").
 */
export interface NistTarget {
  /** The catalog's control id: `sc-3`, `sc-45.1`. */
  control: string;
  type: "objective-id" | "statement-id";
  id: string;
  /** As the control's mapping writes it: "SC-3", "CM-7 a". */
  shown: string;
  ours: boolean;
}

/** DISA's and HDF's way of writing a reference (controls/mappings.ts: nistId), read back. */
const SHOWN = /^([A-Z]{2})-(\d{1,2})(?: \((\d{1,2})\))?(?: \(?([a-z])\)?)?$/;

/**
 * The control's NIST references as catalog targets, in its order, each once. A reference that is
 * not in the mapping's form (a report written by hand) is left out here and named by the finding.
 */
export function nistTargets(control: Pick<ControlMeta, "mappings">): NistTarget[] {
  const out: NistTarget[] = [];
  for (const ref of control.mappings?.nist ?? []) {
    const m = SHOWN.exec(ref.id);
    if (!m) continue;
    const [, family, n, enhancement, part] = m;
    const id = `${family!.toLowerCase()}-${Number(n)}${enhancement !== undefined ? `.${Number(enhancement)}` : ""}`;
    const target: NistTarget =
      part === undefined ? { control: id, type: "objective-id", id: `${id}_obj`, shown: ref.id, ours: ref.ours } : { control: id, type: "statement-id", id: `${id}_smt.${part}`, shown: ref.id, ours: ref.ours };
    if (!out.some((t) => t.id === target.id)) out.push(target);
  }
  return out;
}

/**
 * The target of a finding whose control names no NIST control (an organisation's control without
 * a @nist tag): a token of ours, so that the result is still reported; the finding says why.
 */
export const UNMAPPED: NistTarget = { control: "hostproof-unmapped", type: "objective-id", id: "hostproof-unmapped", shown: "no NIST SP 800-53 control", ours: true };

/** The namespace of hostproof's OSCAL names: v5 of its URL in RFC 9562's URL namespace. */
export const HOSTPROOF_OSCAL_NAMESPACE = uuidV5("https://hostproof.dev/ns/oscal", NAMESPACE_URL);

/** What tells one report apart from another: the run's facts known before anything is judged. */
export interface RunIdentity {
  tool: { name: string; version: string };
  estate?: string;
  inventoryFile: string;
  startedAt: string;
  asOf: string;
  failOn: string;
  tags?: string;
  /** A merged report and its first shard may share a start: the count of targets tells them apart. */
  hosts: number;
  clusters: number;
}

/**
 * The UUIDs of one report: v5 in a namespace that is itself v5 of the run's identity, each object
 * named by its kind and what identifies it (a host, a probe, a control and target). The same
 * report gives the same UUIDs, run or export; another run gives others.
 */
export function runNamer(run: RunIdentity): (kind: string, ...parts: string[]) => string {
  const identity = JSON.stringify([run.tool.name, run.tool.version, run.estate ?? null, run.inventoryFile, run.startedAt, run.asOf, run.failOn, run.tags ?? null, run.hosts, run.clusters]);
  const name = uuidV5Namer(uuidV5(identity, HOSTPROOF_OSCAL_NAMESPACE));
  // As a JSON array, so that no two lists of parts give one name, whatever characters they hold.
  return (kind, ...parts) => name(JSON.stringify([kind, ...parts]));
}
