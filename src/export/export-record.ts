/**
 * export.json: the provenance of an export (schemas/export.schema.json), at the top of the folder
 * `hostproof export` writes. A derived artifact is only as good as the proof of what it was derived
 * from: a GRC team handed hdf.json must be able to show which report it came from and that it is
 * as export wrote it. So export.json names the source report by its manifest's SHA-256 (which pins
 * every file of that report) and its summary.json's, says whether the report was signed and by
 * which key (verified with --key, else only claimed), which hostproof made the export and which
 * formats, and lists every file the export wrote with its SHA-256, laid out as a report's
 * evidence/manifest.json is. `hostproof verify <export folder>` checks the files against it and,
 * where the report is at hand, the report against the digest recorded (export-check.ts).
 */
import type { SummaryRest } from "../report/formats/summary-read";
import type { SignatureState } from "../sign/attestation";
import { VERSION } from "../version";

export const EXPORT_RECORD_FILE = "export.json";

export type ExportSignature =
  | { state: "unsigned" }
  /** Signed, not checked: export was given no --key. The keys the signature claims. */
  | { state: "unchecked"; keyids: string[]; ssh: boolean }
  | { state: "verified"; keyid: string; fingerprint: string; principals?: string[]; ssh: boolean }
  | { state: "bad"; problems: string[] };

export interface ExportSource {
  /** The report folder, relative to the export's folder: where verify looks for it. */
  report: string;
  manifestSha256: string;
  summarySha256: string;
  /** The hostproof that made the report, and when its manifest was written. */
  madeBy: string;
  manifestCreatedAt: string;
  signature: ExportSignature;
  /** What the report is of, as its summary.json says. */
  estate?: string;
  inventoryFile: string;
  asOf: string;
  startedAt: string;
  verdict: SummaryRest["verdict"];
}

/** export.json without its files. */
export interface ExportRecordHead {
  schemaVersion: 1;
  tool: { name: "hostproof"; version: string };
  createdAt: string;
  algorithm: "sha256";
  source: ExportSource;
  /** The formats written, those asked for and those they need, in the registry's order. */
  formats: string[];
}

export function exportSignature(s: SignatureState): ExportSignature {
  switch (s.state) {
    case "unsigned":
      return { state: "unsigned" };
    case "unchecked":
      return { state: "unchecked", keyids: s.keyids, ssh: s.ssh };
    case "verified":
      return { state: "verified", keyid: s.key.keyid, fingerprint: s.key.fingerprint, ...(s.key.principals !== undefined ? { principals: s.key.principals } : {}), ssh: s.ssh === "verified" };
    case "bad":
      return { state: "bad", problems: s.problems };
  }
}

export function exportRecordHead(source: ExportSource, formats: readonly string[], now: Date = new Date()): ExportRecordHead {
  return { schemaVersion: 1, tool: { name: "hostproof", version: VERSION }, createdAt: now.toISOString(), algorithm: "sha256", source, formats: [...formats] };
}
