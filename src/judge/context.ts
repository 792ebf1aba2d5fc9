/** What a judge is given. Judges are pure: same context, same judgement. */
import type { HostFacts } from "../model/facts";
import type { IntegrationServiceAllowance, InventoryCluster, OffloadAllowance } from "../model/inventory";
import type { Judgement } from "../model/result";
import type { DirectoryContext, Exempt, HostInDirectory, InventoryNames } from "./directory";

/** Control inputs after estate-wide and host values are merged, with defaults filled in. */
export interface ResolvedInputs {
  offloads: { allowed: OffloadAllowance[] };
  endOfSupport: { warningDays: number };
  integrationServices: { allowed: IntegrationServiceAllowance[] };
  updateDeferral: { minDays: number; maxDays: number };
}

export const DEFAULT_INPUTS: ResolvedInputs = {
  offloads: { allowed: [] },
  endOfSupport: { warningDays: 90 },
  integrationServices: { allowed: [] },
  // The practice waits about a month; Windows Update for Business allows 0 to 30 days.
  updateDeferral: { minDays: 7, maxDays: 30 },
};

export interface HostContext {
  facts: HostFacts;
  inputs: ResolvedInputs;
  /** The cluster this host is a node of, if any. */
  cluster?: InventoryCluster;
  /** The day the run judges as "today" (end-of-support dates are compared with it). */
  asOf: Date;
  /** The host's computer object in the estate's directory (HP-DIR-003); absent: no snapshot was given. */
  directory?: HostInDirectory;
}

export interface ClusterContext {
  cluster: InventoryCluster;
  /** The cluster's nodes, in inventory order. */
  nodes: HostFacts[];
  asOf: Date;
}

/** The estate's directory as an estate-wide control judges it: its computers and the inventory's names for them. */
export interface DirectoryJudgeContext extends DirectoryContext {
  inventory: InventoryNames;
  /** The waivers of directory objects (scope { directory: <DN> }) for the control judged. */
  exempt: Exempt;
}

export type HostJudge = (ctx: HostContext) => Judgement;
export type DirectoryJudge = (ctx: DirectoryJudgeContext) => Judgement;
export type ClusterJudge = (ctx: ClusterContext) => Judgement;
