/**
 * `hostproof verify <export folder>`: an export checked against its export.json, as a report is
 * checked against its manifest. Every file it lists must be there with its SHA-256, nothing else
 * may be in the folder, and the report it names, where that is at hand (where export read it,
 * relative to the export, or given with --source), must verify on its own and have the manifest
 * recorded: then the export is proven to come from that report, unaltered since. A report that is
 * not at hand is said to be not checked, as a shard of a merged report is.
 *
 * export.json sits in the folder it describes, so on its own it catches accidents, not someone
 * who rewrites it too: export prints its SHA-256, for --expect.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors";
import { FilePool } from "../evidence/file-pool";
import { entryProblems, MANIFEST_PATH, sha256Hex, unlistedEntries, verifyReport, type VerifyProblem } from "../evidence/manifest";
import { parseDocumentBytes } from "../input/read-document";
import { readRegularFile } from "../input/regular-file";
import { REPORT_MARKER } from "../report/output/output-dir";
import { checkSignature, describeSignature, type SignatureState } from "../sign/attestation";
import type { TrustedKey } from "../sign/keys";
import { checkSchema } from "../schema/validate";
import { EXPORT_RECORD_FILE, type ExportRecordHead } from "./export-record";

type ExportRecord = ExportRecordHead & { files: { path: string; sha256: string; bytes: number }[] };

/** The report the export names, as found. */
export type SourceLink =
  | { state: "verified"; dir: string; signature: SignatureState }
  | { state: "broken"; dir: string; problems: string[] }
  | { state: "absent"; dir: string };

export interface ExportChecked {
  ok: boolean;
  record: ExportRecord;
  /** SHA-256 of export.json as read. */
  sha256: string;
  checked: number;
  problems: VerifyProblem[];
  source: SourceLink;
}

/** Whether `dir` is an export's folder (export.json, no report manifest) rather than a report's. */
export function isExportFolder(dir: string): boolean {
  return existsSync(join(dir, EXPORT_RECORD_FILE)) && !existsSync(join(dir, MANIFEST_PATH));
}

/** export.json read and checked as a record (InputError, exit 3, when it is not one). */
function readRecord(dir: string, shown: string): { record: ExportRecord; sha256: string } {
  const file = join(dir, EXPORT_RECORD_FILE);
  const shownFile = `${shown}/${EXPORT_RECORD_FILE}`;
  const bytes = readRegularFile(file, shownFile, "manifest");
  const doc = parseDocumentBytes(bytes, file, shownFile);
  const problems = checkSchema("export", doc);
  if (problems.length > 0) throw new InputError(problems.map((p) => ({ ...p, fix: "Treat the export as unverified: export again from the report." })));
  const record = doc.value as ExportRecord;
  const wrong = entryProblems({ files: record.files, covers: [] });
  if (wrong.length > 0) throw new InputError(wrong.slice(0, 10).map((problem) => ({ file: shownFile, field: "files", problem, fix: "Treat the export as unverified: export again from the report. hostproof writes each file once, by one relative path." })));
  return { record, sha256: sha256Hex(bytes) };
}

/**
 * Checks the export folder `dir` against its export.json and, where it is at hand, the report it
 * names. `source`: the report's folder, wherever it is now (verify --source); with `keys`, the
 * report must be at hand and signed by one of them.
 */
export async function verifyExport(dir: string, shown: string, options: { source?: string; keys?: readonly TrustedKey[] } = {}): Promise<ExportChecked> {
  const { record, sha256 } = readRecord(dir, shown);
  const pool = new FilePool();
  let problems: VerifyProblem[];
  try {
    const found = await pool.check(dir, record.files);
    const listed = new Set(record.files.map((f) => f.path));
    const unlisted = await unlistedEntries(dir, listed, (rel, isFile) => isFile && (rel === EXPORT_RECORD_FILE || rel === REPORT_MARKER));
    problems = [...found.map((f) => f.problem), ...unlisted];
  } finally {
    await pool.close();
  }
  const source = await followSource(resolve(options.source ?? join(dir, record.source.report)), record, options.keys);
  const sourceBad = source.state === "broken" || ((options.source !== undefined || options.keys !== undefined) && source.state === "absent");
  return { ok: problems.length === 0 && !sourceBad, record, sha256, checked: record.files.length, problems, source };
}

async function followSource(dir: string, record: ExportRecord, keys: readonly TrustedKey[] | undefined): Promise<SourceLink> {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, MANIFEST_PATH))) return { state: "absent", dir };
  let outcome;
  try {
    outcome = await verifyReport(dir, dir);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { state: "broken", dir, problems: err.problems.map((p) => `${p.file}: ${p.problem}`) };
  }
  const problems: string[] = [];
  if (outcome.manifestSha256 !== record.source.manifestSha256) problems.push(`its manifest's SHA-256 is ${outcome.manifestSha256}, but the export recorded ${record.source.manifestSha256}: this is not the report the export was made from, or it was rewritten`);
  if (!outcome.ok) problems.push(`it is not as it was written: ${outcome.problems.length} file(s) differ from its manifest, ${outcome.contradictions.length} contradiction(s) of its own results (hostproof verify ${dir} lists them)`);
  const signature = checkSignature(dir, dir, outcome, keys);
  if (keys !== undefined && signature.state !== "verified") problems.push(signature.state === "unsigned" ? "it is not signed, and a key was given to check it with" : describeSignature(signature));
  return problems.length > 0 ? { state: "broken", dir, problems } : { state: "verified", dir, signature };
}
