/**
 * The shards a merge is given, opened and checked before any result is read: each must be made by
 * `run --shard K/N`, and all of them together must be every shard of one run's estate, once: the
 * same estate, features, hostproof, as-of day, tags, --fail-on and waivers, no shard twice, none
 * missing, no host in two. Every problem is reported at once, naming the shard folder and what
 * differs; all of them are exit 3. Each shard's files are checked against its manifest as the
 * merge goes (evidence/listed-files.ts): a shard not as it was written is refused before anything is put in place.
 */
import { join } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { checkListedFile } from "../evidence/manifest";
import { ListedFiles } from "../evidence/listed-files";
import type { FilePool } from "../evidence/file-pool";
import { KeepBytes } from "../evidence/read-once";
import { hostFileName } from "../input/host-file-name";
import { nameKey } from "../input/inventory";
import { MESSAGES_FILE, SNAPSHOTS_DIR } from "../report/run-writer";
import { parseDocumentBytes } from "../input/read-document";
import { SUMMARY_FILE } from "../report/formats/summary";
import { DIRECTORY_EVIDENCE_DIR } from "../engine/run-directory";
import { SHARD_RECORD_FILE, type ShardRecord } from "../report/bookkeeping/shard-record";
import { checkSchema } from "../schema/validate";
import { shownArg } from "../util/shell-quote";
import { checkSignature, describeSignature } from "../sign/attestation";
import type { TrustedKey } from "../sign/keys";
import { notAsWritten } from "./shard-files";

export interface OpenShard {
  dir: string;
  /** As the user named it. */
  shown: string;
  record: ShardRecord;
  manifestSha256: string;
  /**
   * The shard's files against its manifest: those merge reads (summary.json, the Cucumber
   * messages, the snapshots) are checked as they are read, the rest in worker threads meanwhile.
   */
  files: ListedFiles;
  /** With merge --key: the keyid that signed the shard. */
  signedBy?: string;
}

const REFUSED_FIX = "Merge the shard folders of one run: every `hostproof run --shard K/N` of the same inventory, features, waivers and --as-of day, made by the same hostproof, each once.";

/** The files of a shard that merge reads: each is hashed as it is read. */
const usedByMerge = (p: string): boolean => p === SUMMARY_FILE || p === MESSAGES_FILE || p.startsWith(`${SNAPSHOTS_DIR}/`) || p.startsWith(`${DIRECTORY_EVIDENCE_DIR}/`);

/**
 * Opens every shard: its manifest and evidence/shard.json read and checked, its signature with
 * --key, and every file it lists set to be checked in `pool` as the merge goes (ListedFiles). The
 * files merge reads must be there as regular files before it starts.
 */
export async function openShards(dirs: readonly { dir: string; shown: string }[], pool: FilePool, keys?: readonly TrustedKey[]): Promise<OpenShard[]> {
  const problems: InputProblem[] = [];
  const shards: OpenShard[] = [];
  const tampered: ListedFiles[] = [];
  for (const { dir, shown } of dirs) {
    try {
      const opened = await openShard(dir, shown, pool, keys);
      if ("problem" in opened) problems.push(opened);
      else if (opened instanceof ListedFiles) tampered.push(opened);
      else shards.push(opened);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  }
  for (const s of shards) if ((await s.files.usedThere()).length > 0) tampered.push(s.files);
  // One shard's entries read again at a time: each holds the paths its shard lists until its walk is done.
  let after: Promise<unknown> = Promise.resolve();
  for (const s of shards) after = s.files.checkRest(after);
  // A shard not as it was written is named with everything that differs, as verify would list it.
  for (const files of tampered) {
    files.checkUnread();
    problems.push(notAsWritten(files.shown, await files.problems()));
  }
  if (problems.length === 0) problems.push(...belongTogether(shards));
  if (problems.length > 0) throw new InputError(problems);
  return shards.sort((a, b) => a.record.shard.index - b.record.shard.index);
}

async function openShard(dir: string, shown: string, pool: FilePool, keys: readonly TrustedKey[] | undefined): Promise<OpenShard | InputProblem | ListedFiles> {
  // Throws (exit 3) for a folder with no manifest, or one that is not a report. Only the entries of the files merge reads are held.
  const { files, head, raw } = await ListedFiles.open(dir, shown, pool, { used: usedByMerge, checked: new Set([SHARD_RECORD_FILE]), keep: keys !== undefined });
  const { manifestSha256 } = files;
  // Signed by a key the merge trusts, over the manifest read: else the shard could be anyone's. The manifest pins every other file.
  let signedBy: string | undefined;
  if (keys !== undefined) {
    const summary = files.entry(SUMMARY_FILE);
    const signature = checkSignature(dir, shown, { manifest: { ...head, files: summary !== undefined ? [summary] : [] }, manifestSha256, manifestBytes: raw! }, keys);
    if (signature.state !== "verified") {
      return {
        file: shown,
        problem: signature.state === "unsigned" ? "the shard is not signed, and --key asks that every shard be signed by one of the keys given" : describeSignature(signature),
        fix: `Run \`hostproof verify ${shownArg(shown)} --key <key>\` for the detail; sign each shard's run with --sign-key, and give merge the public key of that signing key.`,
      };
    }
    signedBy = signature.key.keyid;
  }
  // The record is kept as it was hashed: read again, it could be another file.
  const recordEntry = files.entry(SHARD_RECORD_FILE);
  if (recordEntry === undefined) {
    return { file: shown, problem: `this report is not a shard: it has no ${SHARD_RECORD_FILE}, so it was made by a run without --shard`, fix: "Give merge the folders of `hostproof run --shard K/N` (one per K); a run over the whole estate needs no merge." };
  }
  const keeper = new KeepBytes(recordEntry.bytes);
  const recordProblem = await checkListedFile(dir, recordEntry, keeper);
  files.found(SHARD_RECORD_FILE, recordProblem);
  if (recordProblem !== undefined) {
    files.checkUsedThere();
    files.checkRest();
    return files;
  }
  // Its digest matched, so it is no longer than listed: kept whole.
  const doc = parseDocumentBytes(keeper.bytes()!, join(dir, SHARD_RECORD_FILE), `${shown}/${SHARD_RECORD_FILE}`);
  const problems = checkSchema("shard", doc);
  if (problems.length > 0) throw new InputError(problems);
  const shard = { dir, shown, record: doc.value as ShardRecord, manifestSha256, files, ...(signedBy !== undefined ? { signedBy } : {}) };
  const wrong = selfContradictions(shard.record, files.paths(`${SNAPSHOTS_DIR}/`));
  if (wrong.length > 0) {
    return { ...inconsistent({ shown }, `${wrong.slice(0, 3).join("; ")}${wrong.length > 3 ? `; and ${wrong.length - 3} more` : ""}`).problems[0]!, field: SHARD_RECORD_FILE };
  }
  files.checkUsedThere();
  return shard;
}

/**
 * What a shard's record must say of itself for the merge to place every result: its places in the
 * inventory within the estate and each once, its slices adding up to its hosts and clusters, each
 * cluster with its nodes, and a kept snapshot (listed in its manifest) for each host and no other.
 * A record written by a run always agrees; one edited by hand, manifest and all, need not.
 */
function selfContradictions(r: ShardRecord, listedSnapshots: readonly string[]): string[] {
  const wrong: string[] = [];
  const places = (what: string, items: readonly { index: number; name: string }[], size: number): void => {
    const seen = new Set<number>();
    for (const { index, name } of items) {
      if (index >= size) wrong.push(`${what} ${name} stands at ${index}, but the estate has ${size} ${what}s`);
      else if (seen.has(index)) wrong.push(`${what} ${name} stands at ${index}, as another ${what} of the shard does`);
      seen.add(index);
    }
  };
  places("host", r.hosts, r.estate.hosts);
  places("cluster", r.clusters, r.estate.clusters);
  const sum = (k: "hosts" | "clusters"): number => r.slices.reduce((n, s) => n + s[k], 0);
  if (sum("hosts") !== r.hosts.length) wrong.push(`its slices hold ${sum("hosts")} hosts, but it lists ${r.hosts.length}`);
  if (sum("clusters") !== r.clusters.length) wrong.push(`its slices hold ${sum("clusters")} clusters, but it lists ${r.clusters.length}`);
  const hosts = new Set(r.hosts.map((h) => nameKey(h.name)));
  for (const c of r.clusters) {
    const away = c.nodes.filter((n) => !hosts.has(nameKey(n)));
    if (away.length > 0) wrong.push(`cluster ${c.name}'s node${away.length === 1 ? "" : "s"} ${away.join(", ")} ${away.length === 1 ? "is" : "are"} not among its hosts`);
  }
  const snapshots = new Set(listedSnapshots);
  for (const h of r.hosts) {
    if (!snapshots.delete(`${SNAPSHOTS_DIR}/${hostFileName(h.name)}`)) wrong.push(`host ${h.name} has no snapshot in ${SNAPSHOTS_DIR}/`);
  }
  for (const p of snapshots) wrong.push(`${p} is the snapshot of no host it lists`);
  return wrong;
}

/** What every shard must agree on, with words for the user when one does not. */
const SAME: readonly [string, (r: ShardRecord) => unknown][] = [
  ["hostproof version", (r) => r.head.tool.version],
  ["estate (the inventory as read)", (r) => r.estate.sha256],
  ["number of shards", (r) => r.shard.count],
  ["as-of day", (r) => r.head.asOf],
  ["built-in features", (r) => [r.environment["features.sha256"], r.environment["features.builtin"]]],
  ["organisation's features", (r) => r.userFeatures],
  ["controls", (r) => r.controls.map((c) => [c.id, c.title, c.severity])],
  // --min-severity is recorded inside the tag expression (cli/args.ts selectionExpression), so one comparison holds both.
  ["--tags and --min-severity (the controls selected)", (r) => r.head.tags],
  ["--fail-on", (r) => r.head.failOn],
  ["waivers", (r) => r.waivers && { waivers: r.waivers.waivers, warnDays: r.waivers.warnDays }],
  ["hosts per slice", (r) => r.estate.sliceHosts],
  // Every shard judges its hosts against the same directory (HP-DIR-003); shard 1 alone judges it as a target.
  ["directory snapshot (its SHA-256)", (r) => r.head.directory?.sha256],
];

function belongTogether(shards: readonly OpenShard[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const first = shards[0];
  if (first === undefined) return problems;
  for (const [what, get] of SAME) {
    const expected = JSON.stringify(get(first.record));
    for (const s of shards.slice(1)) {
      const actual = JSON.stringify(get(s.record));
      if (actual !== expected) problems.push({ file: s.shown, field: what, problem: `differs from ${first.shown}'s (${difference(actual, expected)}): the two shards are not of the same run`, fix: REFUSED_FIX });
    }
  }
  if (problems.length > 0) return problems;

  const count = first.record.shard.count;
  const byIndex = new Map<number, OpenShard>();
  for (const s of shards) {
    const other = byIndex.get(s.record.shard.index);
    if (other !== undefined) problems.push({ file: s.shown, field: "shard", problem: `shard ${s.record.shard.index}/${count} is given twice (also ${other.shown}): the shards overlap`, fix: "Give each shard's folder once." });
    else byIndex.set(s.record.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    problems.push({
      file: "command line",
      field: "shards",
      problem: `shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${count}`).join(", ")} of ${count} ${missing.length === 1 ? "is" : "are"} missing: the merged report would leave ${missing.length === 1 ? "its" : "their"} hosts out`,
      fix: "Give every shard's folder (a shard job that failed must be run again first); merge never reports part of an estate as the whole.",
    });
  }
  // Each host and cluster once, by name and by place in the inventory, in one shard or across them.
  const owner = new Map<string, string>();
  for (const s of byIndex.values()) {
    for (const [what, items] of [["host", s.record.hosts], ["cluster", s.record.clusters]] as const) {
      for (const { index, name } of items) {
        for (const [key, said] of [[`${what} ${nameKey(name)}`, `${what} ${name} is also in`], [`${what} #${index}`, `${what} ${name} stands at ${index} of the inventory, as a ${what} of`]] as const) {
          const other = owner.get(key);
          if (other !== undefined) problems.push({ file: s.shown, field: `${what}s (${name})`, problem: `${said} ${other}: the shards overlap`, fix: REFUSED_FIX });
          owner.set(key, s.shown);
        }
      }
    }
  }
  const clusters = shards.reduce((n, s) => n + s.record.clusters.length, 0);
  if (problems.length === 0 && missing.length === 0 && clusters !== first.record.estate.clusters) {
    problems.push({ file: "command line", field: "shards", problem: `the shards hold ${clusters} clusters, but their estate has ${first.record.estate.clusters}`, fix: REFUSED_FIX });
  }
  const hosts = shards.reduce((n, s) => n + s.record.hosts.length, 0);
  if (problems.length === 0 && missing.length === 0 && hosts !== first.record.estate.hosts) {
    problems.push({ file: "command line", field: "shards", problem: `the shards hold ${hosts} hosts, but their estate has ${first.record.estate.hosts}`, fix: REFUSED_FIX });
  }
  return problems;
}

/** Both values around where they first differ: two waiver lists can share their first 80 characters. */
function difference(actual: string | undefined, expected: string | undefined): string {
  if (actual === undefined || expected === undefined) return `${actual ?? "none"} against ${expected ?? "none"}`;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at += 1;
  const from = Math.max(0, at - 30);
  const around = (text: string): string => `${from > 0 ? "…" : ""}${text.slice(from, at + 50)}${text.length > at + 50 ? "…" : ""}`;
  return `${around(actual)} against ${around(expected)}`;
}

/** A shard whose parts contradict each other: edited, or made by another hostproof. */
export function inconsistent(shard: Pick<OpenShard, "shown">, what: string): InputError {
  return new InputError({ file: shard.shown, problem: `the shard does not agree with itself: ${what}`, fix: "Run that shard again with this hostproof, then merge." });
}
