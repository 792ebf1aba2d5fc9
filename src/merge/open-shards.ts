/**
 * The shards a merge is given, opened and checked before anything is written: each must be an
 * intact report (its manifest verifies), made by `run --shard K/N`, and all of them together must
 * be every shard of one run's estate, once: the same estate, features, hostproof, as-of day,
 * tags, --fail-on and waivers, no shard twice, none missing, no host in two. Every problem is
 * reported at once, naming the shard folder and what differs; all of them are exit 3.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { verifyReport } from "../evidence/manifest";
import { nameKey } from "../input/inventory";
import { readDocument } from "../input/read-document";
import { SHARD_RECORD_FILE, type ShardRecord } from "../report/shard-record";
import { checkSchema } from "../schema/validate";

export interface OpenShard {
  dir: string;
  /** As the user named it. */
  shown: string;
  record: ShardRecord;
  manifestSha256: string;
}

const REFUSED_FIX = "Merge the shard folders of one run: every `hostproof run --shard K/N` of the same inventory, features, waivers and --as-of day, made by the same hostproof, each once.";

export function openShards(dirs: readonly { dir: string; shown: string }[]): OpenShard[] {
  const problems: InputProblem[] = [];
  const shards: OpenShard[] = [];
  for (const { dir, shown } of dirs) {
    try {
      const opened = openShard(dir, shown);
      if ("problem" in opened) problems.push(opened);
      else shards.push(opened);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length === 0) problems.push(...belongTogether(shards));
  if (problems.length > 0) throw new InputError(problems);
  return shards.sort((a, b) => a.record.shard.index - b.record.shard.index);
}

function openShard(dir: string, shown: string): OpenShard | InputProblem {
  // verifyReport throws (exit 3) for a folder with no manifest, or one that is not a report.
  const verified = verifyReport(dir, shown);
  if (!verified.ok) {
    const first = verified.problems.slice(0, 3).map((p) => `${p.kind} ${p.path}`);
    return {
      file: shown,
      problem: `the shard is not as it was written: ${verified.problems.length} file(s) differ from its manifest (${first.join(", ")}${verified.problems.length > 3 ? ", …" : ""})`,
      fix: `Run \`hostproof verify ${shown}\` for the list, then get the shard again from where its job stored it, or run that shard again.`,
    };
  }
  const file = join(dir, SHARD_RECORD_FILE);
  if (!existsSync(file)) {
    return { file: shown, problem: `this report is not a shard: it has no ${SHARD_RECORD_FILE}, so it was made by a run without --shard`, fix: "Give merge the folders of `hostproof run --shard K/N` (one per K); a run over the whole estate needs no merge." };
  }
  const doc = readDocument(file, `${shown}/${SHARD_RECORD_FILE}`);
  const problems = checkSchema("shard", doc);
  if (problems.length > 0) throw new InputError(problems);
  return { dir, shown, record: doc.value as ShardRecord, manifestSha256: verified.manifestSha256 };
}

/** What every shard must agree on, with words for the user when one does not. */
const SAME: readonly [string, (r: ShardRecord) => unknown][] = [
  ["hostproof version", (r) => r.head.tool.version],
  ["estate (the inventory as read)", (r) => r.estate.sha256],
  ["number of shards", (r) => r.shard.count],
  ["as-of day", (r) => r.head.asOf],
  ["built-in features", (r) => [r.environment["features.sha256"], r.environment["features.builtin"]]],
  ["organisation's features", (r) => r.environment["features.user.sha256"]],
  ["controls", (r) => r.controls.map((c) => [c.id, c.title, c.severity])],
  ["--tags", (r) => r.head.tags],
  ["--fail-on", (r) => r.head.failOn],
  ["waivers", (r) => r.waivers && { waivers: r.waivers.waivers, warnDays: r.waivers.warnDays }],
  ["hosts per slice", (r) => r.estate.sliceHosts],
];

function belongTogether(shards: readonly OpenShard[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const first = shards[0];
  if (first === undefined) return problems;
  for (const [what, get] of SAME) {
    const expected = JSON.stringify(get(first.record));
    for (const s of shards.slice(1)) {
      const actual = JSON.stringify(get(s.record));
      if (actual !== expected) problems.push({ file: s.shown, field: what, problem: `differs from ${first.shown}'s (${brief(actual)} against ${brief(expected)}): the two shards are not of the same run`, fix: REFUSED_FIX });
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
  const owner = new Map<string, string>();
  for (const s of shards) {
    for (const h of s.record.hosts) {
      const key = nameKey(h.name);
      const other = owner.get(key);
      if (other !== undefined && other !== s.shown) problems.push({ file: s.shown, field: `hosts (${h.name})`, problem: `host ${h.name} is also in ${other}: the shards overlap`, fix: REFUSED_FIX });
      owner.set(key, s.shown);
    }
  }
  const hosts = shards.reduce((n, s) => n + s.record.hosts.length, 0);
  if (problems.length === 0 && missing.length === 0 && hosts !== first.record.estate.hosts) {
    problems.push({ file: "command line", field: "shards", problem: `the shards hold ${hosts} hosts, but their estate has ${first.record.estate.hosts}`, fix: REFUSED_FIX });
  }
  return problems;
}

function brief(json: string | undefined): string {
  if (json === undefined) return "none";
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}
