import type { ControlMappings } from "./mapping";
/** What a control concludes about one host or one cluster. */
import type { Severity } from "./severity";
import type { FactProblemKind } from "./facts";
import type { AnyProbeId } from "../probes/generic";
import type { AppliedWaiver } from "./waiver";

/** Judges never return `waived`: only applying a waiver file (src/waivers/apply.ts) does. */
export const RESULT_STATUSES = ["passed", "failed", "undetermined", "notApplicable", "waived"] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];
export type JudgedStatus = Exclude<ResultStatus, "waived">;

/** A probe record a judgement relied on; reporters attach it as evidence. */
export interface EvidenceRef {
  host: string;
  probe: AnyProbeId;
}

/** One line of a judgement's working: an adapter keyword, a node, a hotfix. */
export interface DetailRow {
  /** What the line is about, e.g. `node2`, `Ethernet 1 *VMQ`. */
  subject: string;
  expected: string;
  actual: string;
  outcome: "ok" | "deviation" | "allowed" | "not-present" | "unreadable" | "info";
  /** Why an exception applies, or anything else an auditor should see. */
  note?: string;
  /** The waiver (its position in the waiver file) that accepted, or would have accepted until it expired, this row's object (waivers/directory.ts). */
  waiverIndex?: number;
}

export interface UndeterminedReason {
  /** A probe error kind, `not-collected`/`malformed`/`inconsistent` (fact problems), or `not-verifiable`. */
  kind: FactProblemKind | "not-verifiable";
  message: string;
}

export interface Judgement {
  status: JudgedStatus;
  /** What compliance looks like, in words an auditor understands. */
  expected: string;
  /** What was found, in the same words. */
  actual: string;
  /** Which rule the control applied, where it chooses between several. */
  rule?: string;
  details?: DetailRow[];
  /** Set when status is `undetermined` or `notApplicable`. */
  reason?: UndeterminedReason | { kind: "not-applicable"; message: string };
  evidence: EvidenceRef[];
}

/** A host, a cluster, or the estate's directory (one per run, judged by the estate-wide controls). */
export type TargetKind = "host" | "cluster" | "directory";

/** The order targets are listed in: hosts, then clusters, then the directory (the estate's, judged once). */
export const TARGET_KIND_ORDER: readonly TargetKind[] = ["host", "cluster", "directory"];

export interface Target {
  kind: TargetKind;
  /** Host or cluster name from the inventory; for the directory, its domain's DNS name (engine/directory-target.ts). */
  name: string;
  /** The cluster a host belongs to, if any; for a cluster target, its own name. */
  cluster?: string;
}

export interface ControlMeta {
  id: string;
  title: string;
  severity: Severity;
  /** Feature file: relative to the package root for a built-in control, to the working folder for a user's. */
  feature: string;
  /** "built-in", or the --features folder (as given) the control came from. */
  origin: string;
  featureName: string;
  tags: string[];
  rationale?: string;
  remediation?: string;
  source?: string;
  /** NIST, STIG, CCI and CIS references from its tags; absent in reports written before they existed. */
  mappings?: ControlMappings;
}

/** A judgement about one target, after waivers. */
export interface Result extends Omit<Judgement, "status"> {
  status: ResultStatus;
  control: ControlMeta;
  target: Target;
  /** Set exactly when status is `waived`: the waiver, and the status the control itself gave. */
  waiver?: AppliedWaiver;
}
