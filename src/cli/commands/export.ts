/** `hostproof export <report> --format <name>[,<name>...] [--out <dir>] [--expect <sha256>] [--key <file>...]` */
import { formatContradiction } from "../../evidence/summary-check";
import { formatProblemLine, MANIFEST_PATH } from "../../evidence/manifest";
import { exportReport } from "../../export/export";
import { EXPORT_RECORD_FILE } from "../../export/export-record";
import { ATTESTATION_FILE, describeSignature } from "../../sign/attestation";
import { readTrustedKeys } from "../../sign/keys";
import { shownArg } from "../../util/shell-quote";
import { EXIT, type ExitCode } from "../../model/run";
import { createProgress } from "../display/progress";
import { parse, usageError } from "../args";
import type { Io } from "../io";
import { EXPORT_HELP } from "../usage";
import { printHelp } from "../help-layout";

export async function exportCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { format: { type: "string", short: "f", multiple: true }, out: { type: "string", short: "o" }, expect: { type: "string" }, key: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } }, true);
  if (values.help) {
    printHelp(io, EXPORT_HELP);
    return EXIT.compliant;
  }
  if (positionals.length !== 1) {
    throw usageError(positionals.length === 0 ? "no report folder given" : `one report folder expected, got ${positionals.length}`, "Name the folder hostproof run or merge wrote: hostproof export reports --format hdf");
  }
  const names = (values.format ?? []).flatMap((v) => v.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  if (names.length === 0) throw usageError("--format is required", "Name the format(s) to derive, e.g. --format hdf or --format junit,csv; hostproof export --help lists them.");
  const expect = values.expect?.trim().toLowerCase();
  if (expect !== undefined && !/^[0-9a-f]{64}$/.test(expect)) throw usageError(`--expect '${values.expect}' is not a SHA-256`, "Give the 64 hex digits the run printed as the manifest's SHA-256.");
  const report = positionals[0]!;
  // Before the report is read: a bad key is exit 3 with nothing exported.
  const keys = values.key !== undefined ? values.key.flatMap((file) => readTrustedKeys(file)) : undefined;
  const outcome = await exportReport({
    ...(keys !== undefined ? { keys } : {}),
    report,
    formats: names,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(expect !== undefined ? { expect } : {}),
    ...(io.progress !== undefined ? { progress: createProgress(io.progress) } : {}),
  });
  if (!outcome.ok) {
    for (const p of outcome.problems) io.err(formatProblemLine(p));
    for (const c of outcome.contradictions) io.err(`✘ contradicts ${c.file}: ${formatContradiction(c)}`);
    if (outcome.expected !== undefined) io.err(`✘ manifest    ${MANIFEST_PATH}: SHA-256 ${outcome.manifestSha256}, but ${outcome.expected} was expected: the manifest itself was replaced`);
    if (outcome.signature !== undefined) io.err(`✘ signature   ${outcome.signature.state === "unsigned" ? `the report is not signed (no ${ATTESTATION_FILE}), and --key asks that it be signed by one of the keys given` : describeSignature(outcome.signature)}`);
    io.err(`hostproof: ${report} is not as it was written${outcome.signature !== undefined ? ", or not signed by a key given" : ""} (hostproof verify ${shownArg(report)} says what differs): nothing was exported.`);
    return EXIT.nonCompliant;
  }
  for (const w of outcome.warnings) io.err(`warning: ${w}`);
  const files = outcome.formats.map((f) => f.opens ?? f.files[0]!);
  io.out(`Exported ${outcome.formats.map((f) => f.name).join(", ")} from ${report} (verified) to ${outcome.outDir}/`);
  io.out(`  ${files.join(", ")}`);
  io.out(`  from the report with manifest SHA-256 ${outcome.manifestSha256}; ${outcome.signature.state === "unsigned" ? "the report is not signed" : describeSignature(outcome.signature)}`);
  io.out(`  ${EXPORT_RECORD_FILE} names that report and every file written, SHA-256 ${outcome.exportSha256}; check the export with: hostproof verify ${shownArg(outcome.outDir)} --expect ${outcome.exportSha256}`);
  return EXIT.compliant;
}
