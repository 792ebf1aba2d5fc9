/**
 * MITRE's SAF CLI for the tests that read hostproof's HDF and checklists back with it: the `saf`
 * command HOSTPROOF_SAF names (CI installs it into .tools/saf and requires it), and its own
 * checklist parser, resolved as the CLI resolves it, for reading thousands of checklists in one
 * process where `saf convert ckl2hdf` takes one file and two seconds.
 */
import { existsSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";

export const SAF_HINT = "set HOSTPROOF_SAF to the SAF CLI's saf command (npm i @mitre/saf in a folder of its own; see docs/reports.md)";

export function safPath(): string | undefined {
  const saf = process.env.HOSTPROOF_SAF;
  return saf !== undefined && existsSync(saf) ? saf : undefined;
}

export interface CklHdfControl {
  id: string;
  impact: number;
  tags: { stig_id: string; cci: string[] };
  results: { status: string; code_desc: string }[];
  descriptions: { label: string; data: string }[];
}
export interface CklHdf {
  profiles: { name: string; controls: CklHdfControl[] }[];
}

/** The SAF CLI's checklist parser (@mitre/hdf-converters' ChecklistResults): a checklist's XML to HDF. */
export function safChecklistParser(saf: string): (xml: string) => CklHdf {
  const lib = createRequire(realpathSync(saf))("@mitre/hdf-converters") as { ChecklistResults: new (xml: string) => { toHdf(): CklHdf } };
  return (xml) => new lib.ChecklistResults(xml).toHdf();
}
