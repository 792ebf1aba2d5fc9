/** `hostproof verify <report dir>`: checks a report folder against its evidence/manifest.json, or an export's folder against its export.json. */
import { followChain } from "../../evidence/chain";
import { formatProblemLine, MANIFEST_PATH, verifyReport } from "../../evidence/manifest";
import { checkUnreplaced } from "../../evidence/stable-check";
import { formatContradiction } from "../../evidence/summary-check";
import { EXIT, type ExitCode } from "../../model/run";
import { parse, usageError } from "../args";
import type { Io } from "../io";
import { ATTESTATION_FILE, checkSignature, describeSignature, SIGN_NAMESPACE } from "../../sign/attestation";
import { readAllowedSigners, readTrustedKeys, type TrustedKey } from "../../sign/keys";
import { matchPatternList } from "../../sign/allowed-signers";
import { isExportFolder, verifyExport } from "../../export/export-check";
import { EXPORT_RECORD_FILE } from "../../export/export-record";
import { shownArg } from "../../util/shell-quote";
import { printHelp } from "../help-layout";

/** Kept here rather than in usage.ts until the command is wired into main.ts. */
export const VERIFY_HELP = `Usage: hostproof verify <report dir> [--key <file>...] [--allowed-signers <file> [--identity <principal>]] [--expect <sha256>] [--shards <dir>...]
       hostproof verify <export dir> [--expect <sha256>] [--source <report dir>] [--key <file>...]

Checks that every file of a report hostproof run wrote is as it was written: each file listed in
${MANIFEST_PATH} must have its recorded SHA-256 (else "modified") and be there (else "missing"),
and nothing else may be anywhere in the folder: a file, folder or symbolic link the manifest does
not list is "unexpected", and a listed file reached through a symbolic link (allure-report/
swapped for a link) is "modified". Links are reported, never followed.

The report must also agree with itself: summary.json's totals, failures per severity, verdict,
exit code (with its --fail-on) and waiver counts are recomputed from its results, each target must
have one result per control, a shard's evidence/shard.json must describe its summary.json, and
the heads of junit.xml and summary.md must state the same totals and verdict. Each file is read
once, and what is checked is what was hashed.

The manifest sits in the folder it describes, so on its own it catches accidents and careless
edits, not someone who rewrites the manifest too. The run prints the manifest's SHA-256; record it
outside the report (CI log, audit ticket) and pass it as --expect to pin the whole folder.

A report signed by run --sign-key holds attestation.intoto.jsonl: an in-toto statement in a DSSE
envelope, signed with Ed25519, whose subjects are the manifest and summary.json (and the
manifest's SSH signature, evidence/manifest.json.sig, written with an OpenSSH key). With --key or
--allowed-signers, verify checks that signature with the keys given, that the attestation is
exactly as the run wrote it, that its subjects are this manifest, this summary.json and this SSH
signature, and the SSH signature itself; then everything above. A consistent forgery (a
verdict edited, the manifest re-hashed to match) is caught there. Without a key, verify says
whether the report is signed and by which keyid, and that the signature was not checked. A
signature proves which key signed the report, not that the facts were true when collected.

A report made by hostproof merge also records each shard's manifest SHA-256. verify follows that
chain: each shard (where merge read it, relative to the report, or as given with --shards) must
verify on its own, have the manifest recorded, and hold byte for byte the snapshots the merged
report holds; with every shard verified, the merged summary.json's results must be the shards'
results, each as written. A shard that is not at hand is reported as not checked; with --shards,
every shard must be found.

A folder hostproof export wrote holds export.json instead of a manifest: the report it was derived
from (by that report's manifest SHA-256), the report's signature as export found it, and the
SHA-256 of every file the export wrote. verify checks each file against it and that nothing else is
in the folder; the report, where export read it (relative to the export) or as given with
--source, must verify on its own and have the manifest recorded, which proves the export came from
it unaltered. A report that is not at hand is reported as not checked; with --source or --key
(which it must then be signed by), it must be found. --expect pins export.json's SHA-256, which
export prints.

Options:
      --key <file>        an Ed25519 public key the report must be signed by: an SPKI PEM
                          (openssl pkey -pubout) or OpenSSH public key lines (repeatable)
      --allowed-signers <file>
                          OpenSSH's allowed_signers file (ssh-keygen(1)): its ssh-ed25519 keys
                          whose namespaces allow "hostproof" and whose validity covers now
      --identity <principal>
                          with --allowed-signers: only the keys of lines whose principals match
                          it, as ssh-keygen -Y verify -I <principal> chooses them
      --expect <sha256>   the manifest's SHA-256 as recorded when the report was made
      --shards <dir>      a shard folder of a merged report (repeatable), wherever it is now
      --source <dir>      for an export's folder: the report it was made from, wherever it is now
  -h, --help              this help

Exit codes:
  0  intact
  1  tampered: a file modified, missing or unexpected, the manifest is not the one expected, the
     report contradicts its own results, a shard of a merged report does not match what was
     merged, or (with --key or --allowed-signers) the report or a shard found is unsigned, signed
     by another key, its signature is bad, or it signs another manifest or summary.json; for an
     export, a file not as export.json lists it, or its report not as recorded
  3  bad usage (a key file that is not an Ed25519 public key, not a folder, no manifest, a manifest that is not one, or one that lists a file
     twice: the same path, two spellings of it, or names that differ only in case), or a folder
     replaced again and again while it was checked (a report replaced once is checked again, whole)

Examples:
  hostproof verify reports
      check the report against the manifest inside it
  hostproof verify reports --expect <sha256>
      also prove the manifest is the one the run made: give the 64 hex digits it printed
  hostproof verify reports --key signing.pub
      also prove the report was signed by that key and not changed since
  hostproof verify reports-hdf --expect <sha256>
      an export: its files as export wrote them, and the report beside it the one it came from
`;

/**
 * The allowed_signers keys, and with --identity only those of lines whose principals match it, as
 * `ssh-keygen -Y verify -I <identity>` chooses them: a report then proves who signed it, not only
 * that someone in the file did.
 */
function signersFor(file: string, identity: string | undefined, now: Date): TrustedKey[] {
  const all = readAllowedSigners(file, SIGN_NAMESPACE, now);
  if (identity === undefined) return all;
  const chosen = all.filter((k) => matchPatternList(identity, (k.principals ?? []).join(",")) === 1);
  if (chosen.length === 0) {
    throw usageError(`no usable line of ${file} names the identity ${JSON.stringify(identity)} among its principals`, `Give the identity the signer's line names (its principals: ${[...new Set(all.flatMap((k) => k.principals ?? []))].slice(0, 5).join(", ")}), or add a line for it.`);
  }
  return chosen;
}

export async function verifyCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { expect: { type: "string" }, shards: { type: "string", multiple: true }, source: { type: "string" }, key: { type: "string", multiple: true }, "allowed-signers": { type: "string" }, identity: { type: "string" }, help: { type: "boolean", short: "h" } }, true);
  if (values.help) {
    printHelp(io, VERIFY_HELP);
    return EXIT.compliant;
  }
  if (positionals.length !== 1) {
    throw usageError(positionals.length === 0 ? "no report folder given" : `one report folder expected, got ${positionals.length}`, "Name the folder hostproof run wrote: hostproof verify reports");
  }
  const expect = values.expect?.trim().toLowerCase();
  if (expect !== undefined && !/^[0-9a-f]{64}$/.test(expect)) {
    throw usageError(`--expect '${values.expect}' is not a SHA-256`, "Give the 64 hex digits the run printed as the manifest's SHA-256.");
  }
  const dir = positionals[0]!;
  if (values.identity !== undefined && values["allowed-signers"] === undefined) throw usageError("--identity was given without --allowed-signers", "Name the allowed_signers file whose principals --identity chooses from: --allowed-signers allowed_signers --identity ci@example.org");
  const signers = values["allowed-signers"] !== undefined ? signersFor(values["allowed-signers"], values.identity, io.now()) : [];
  const keys = values.key === undefined && values["allowed-signers"] === undefined ? undefined : [...(values.key ?? []).flatMap((file) => readTrustedKeys(file)), ...signers];
  if (isExportFolder(dir)) {
    if (values.shards !== undefined) throw usageError("--shards was given for an export's folder", "--shards names the shards of a merged report; an export names its report, which --source gives where it is now.");
    return verifyExportCommand(dir, io, { ...(expect !== undefined ? { expect } : {}), ...(values.source !== undefined ? { source: values.source } : {}), ...(keys !== undefined ? { keys } : {}) });
  }
  if (values.source !== undefined) throw usageError(`--source was given, but ${dir} is not an export's folder (it has no ${EXPORT_RECORD_FILE})`, "--source names the report an export was made from; verify that export's folder with it.");
  // Either the report that was there or the one a rerun put in its place, never half of each.
  const { outcome, chain, signature } = await checkUnreplaced(
    dir,
    async () => {
      const outcome = await verifyReport(dir, dir);
      return { outcome, chain: await followChain(dir, outcome, values.shards, keys), signature: checkSignature(dir, dir, outcome, keys) };
    },
    (note) => io.err(`hostproof: ${note}`),
  );
  for (const p of outcome.problems) io.err(formatProblemLine(p));
  for (const c of outcome.contradictions) io.err(`✘ contradicts ${c.file}: ${formatContradiction(c)}`);
  const pinned = expect === undefined || expect === outcome.manifestSha256;
  if (!pinned) io.err(`✘ manifest    ${MANIFEST_PATH}: SHA-256 ${outcome.manifestSha256}, but ${expect} was expected: the manifest itself was replaced`);

  for (const link of chain) {
    if (link.state === "broken") for (const p of link.problems) io.err(`✘ shard ${link.shard.padEnd(7)} ${link.dir}: ${p}`);
    else if (link.state === "absent") io.err(`${values.shards !== undefined ? "✘" : "·"} shard ${link.shard.padEnd(7)} ${values.shards !== undefined ? "not among the --shards given" : `not at ${link.dir}: not checked (give it with --shards)`}`);
  }
  const signatureBad = keys !== undefined && signature.state !== "verified";
  if (signatureBad) io.err(`✘ signature   ${signature.state === "unsigned" ? `the report is not signed (no ${ATTESTATION_FILE}), and a key was given to check it with` : describeSignature(signature)}`);
  const chainBroken = chain.some((l) => l.state === "broken" || (values.shards !== undefined && l.state === "absent"));
  const chainText = chain.length === 0 ? "" : `; shard chain: ${chain.filter((l) => l.state === "verified").length} of ${outcome.manifest.shards?.length ?? 0} shards verified`;

  const made = `made by hostproof ${outcome.manifest.tool.version} at ${outcome.manifest.createdAt}`;
  // A genuine report of another day or estate verifies as well as today's: say what was signed, so
  // that whoever relies on the check sees which estate, day and verdict the signer vouched for.
  const signatureLines = (): void => {
    io.out(`${signature.state === "verified" ? "✔" : "·"} ${describeSignature(signature)}`);
    if (signature.state !== "verified" || outcome.summary === undefined) return;
    const s = outcome.summary;
    io.out(`  signed report of ${s.estate !== undefined ? `estate ${JSON.stringify(s.estate)}` : `inventory ${JSON.stringify(s.inventoryFile)}`}, as of ${s.asOf}, run started ${s.startedAt}: verdict ${s.verdict}`);
  };
  if (outcome.ok && pinned && !chainBroken && !signatureBad) {
    io.out(`evidence intact: ${outcome.checked} files match the manifest, and the folder holds nothing else (every file, folder and link under ${dir} checked; links not followed) (${made}; manifest SHA-256 ${outcome.manifestSha256}${expect !== undefined ? ", as expected" : ""})${chainText}`);
    signatureLines();
    return EXIT.compliant;
  }
  const counts = (["modified", "missing", "unexpected"] as const)
    .map((k) => [k, outcome.problems.filter((p) => p.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  if (outcome.contradictions.length > 0) counts.push(`${outcome.contradictions.length} contradiction${outcome.contradictions.length === 1 ? "" : "s"} of the report with its own results`);
  if (!pinned) counts.push("manifest replaced");
  if (chainBroken) counts.push("shard chain broken");
  if (signatureBad) counts.push(signature.state === "unsigned" ? "not signed" : "signature not valid");
  io.out(`evidence NOT intact: ${counts.join(", ")}; ${outcome.checked} files listed in the manifest (${made}). Do not rely on this report.`);
  if (!signatureBad) signatureLines();
  return EXIT.nonCompliant;
}

/** An export's folder: its files against export.json, and the report it names, where that is at hand. */
async function verifyExportCommand(dir: string, io: Io, options: { expect?: string; source?: string; keys?: readonly TrustedKey[] }): Promise<ExitCode> {
  const checked = await checkUnreplaced(dir, () => verifyExport(dir, dir, options), (note) => io.err(`hostproof: ${note}`));
  const { record, source } = checked;
  for (const p of checked.problems) io.err(formatProblemLine(p));
  const pinned = options.expect === undefined || options.expect === checked.sha256;
  if (!pinned) io.err(`✘ record      ${EXPORT_RECORD_FILE}: SHA-256 ${checked.sha256}, but ${options.expect} was expected: the export's record itself was replaced`);
  if (source.state === "broken") for (const p of source.problems) io.err(`✘ report      ${source.dir}: ${p}`);
  else if (source.state === "absent") io.err(`${options.source !== undefined || options.keys !== undefined ? "✘" : "·"} report      not at ${source.dir}: ${options.source !== undefined ? "not found" : options.keys !== undefined ? "not at hand, and a key was given to check its signature with" : "not checked (give it with --source)"}`);
  const made = `exported by hostproof ${record.tool.version} at ${record.createdAt}: ${record.formats.join(", ")}, from the report with manifest SHA-256 ${record.source.manifestSha256} (${record.source.estate !== undefined ? `estate ${JSON.stringify(record.source.estate)}` : `inventory ${JSON.stringify(record.source.inventoryFile)}`}, as of ${record.source.asOf}, verdict ${record.source.verdict}; signature when exported: ${record.source.signature.state})`;
  if (checked.ok && pinned) {
    io.out(`export intact: ${checked.checked} files match ${EXPORT_RECORD_FILE}, and the folder holds nothing else (${made}; ${EXPORT_RECORD_FILE} SHA-256 ${checked.sha256}${options.expect !== undefined ? ", as expected" : ""})`);
    if (source.state === "verified") io.out(`✔ report ${source.dir}: verified, and its manifest is the one the export recorded${source.signature.state !== "unsigned" ? `; ${describeSignature(source.signature)}` : ""}`);
    return EXIT.compliant;
  }
  const counts = (["modified", "missing", "unexpected"] as const)
    .map((k) => [k, checked.problems.filter((p) => p.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  if (!pinned) counts.push("record replaced");
  if (source.state !== "verified" && !(source.state === "absent" && options.source === undefined && options.keys === undefined)) counts.push("report not as recorded");
  io.out(`export NOT intact: ${counts.join(", ")}; ${checked.checked} files listed in ${EXPORT_RECORD_FILE} (${made}). Do not rely on this export; export it again from the report (hostproof export ${shownArg(source.dir)}).`);
  return EXIT.nonCompliant;
}
