/** A waiver file as a user writes it (schemas/waivers.schema.json), and what applying one produces. */

/**
 * Which targets a waiver covers. A host covers that host's own result; a cluster covers the
 * cluster's result and the results of each of its nodes; `all` covers every target.
 */
export type WaiverScope = { host: string } | { cluster: string } | { directory: string } | "all";

export interface Waiver {
  /** The user's own reference for the waiver (e.g. a risk register entry); optional. */
  id?: string;
  /** The control waived, exactly as `hostproof controls` lists it. */
  controlId: string;
  scope: WaiverScope;
  /** Why the risk is accepted, in words an auditor can read back. */
  justification: string;
  /** Who accepted the risk. */
  approver: string;
  /** The ticket or change that records the approval. */
  reference: string;
  /** yyyy-mm-dd: the waiver applies through the end of this day, UTC. */
  expires: string;
  /**
   * true (default): the control's own outcome stands and only a failure is waived; an
   * undetermined result stays undetermined, since nobody can accept a risk nobody could see.
   * false: the approver's attestation stands in for the check, so an undetermined result
   * (e.g. HP-CLU-004, which no probe can verify) is waived too. Either way the control is still
   * judged and a passing result stays passed.
   */
  runControl?: boolean;
}

export interface WaiverFile {
  version: 1;
  waivers: Waiver[];
}

/** The statuses a waiver can turn into `waived`. */
export type WaivableStatus = "failed" | "undetermined";

/** The waiver a waived result carries, with what the control itself concluded. */
export interface AppliedWaiver extends Omit<Waiver, "runControl"> {
  /** Position in the file's `waivers` list: names the waiver when it has no id. */
  index: number;
  runControl: boolean;
  originalStatus: WaivableStatus;
}

export const WAIVER_NOTICE_KINDS = ["expired", "expiring", "unmatched", "not-needed"] as const;
export type WaiverNoticeKind = (typeof WAIVER_NOTICE_KINDS)[number];

/** Something about a waiver that its owner should act on. */
export interface WaiverNotice {
  kind: WaiverNoticeKind;
  /** Index of the waiver in the file. */
  index: number;
  id?: string;
  controlId: string;
  expires: string;
  /** One sentence saying what happened and what to do; every report shows it as is. */
  message: string;
  /** For `expired`: the targets whose result the waiver would still have covered. */
  targets?: string[];
  /** For `expiring`: whole days left after the day of the run (0: this is its last day). */
  daysLeft?: number;
}

/** The waivers of a run, as the reports show them. */
export interface WaiverReport {
  /** The waiver file, as named on the command line. */
  file: string;
  warnDays: number;
  waivers: Waiver[];
  notices: WaiverNotice[];
}
