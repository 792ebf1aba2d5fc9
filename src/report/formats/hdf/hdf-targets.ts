/**
 * HDF split by target: hdf/hosts/<host>.json and hdf/clusters/<cluster>.json, each a whole HDF
 * document of that target's results, and hdf/index.json listing every file with its target, its
 * counts and its SHA-256. One hdf.json for the estate is 3.4 GB at 100,000 hosts, which no viewer
 * opens; Heimdall loads several files at a time and compares them, the SAF CLI converts one file
 * into one checklist (hdf2ckl: a CKL is per asset), and an assessor asks for one host's results.
 *
 * Each target's file is written when its slice is added: its results are all in that slice (a
 * cluster's own results with the cluster, a host's with the host), so memory holds one slice and
 * the set of file names written so far (one short string per target, to refuse a collision).
 * The mapping of a control and a result is hdf.ts's, as in hdf.json; what differs is the scope:
 * a control's impact and waiver_data are this target's, and the profile holds the controls judged
 * on it. The run's verdict and end are known only when every slice is
 * in: they are in the index, which is written last.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../errors";
import { hostFileName } from "../../../input/host-file-name";
import type { Result, Target } from "../../../model/result";
import type { StatusTotals, Verdict } from "../../../model/run";
import { countStatuses } from "../../../model/totals";
import { verdictOf } from "../../../engine/verdict";
import { giveTurn } from "../../../util/turns";
import { StreamFile, writtenOf } from "../../output/stream-file";
import type { EvidenceLookup, ResultTime } from "../evidence-view";
import type { Format, FormatContext, SliceView } from "../format";
import type { SummaryHead, SummaryTail } from "../summary";
import { byFeature, controlHead, controlImpact, HDF_PROFILE, hdfResult, hdfStatistics, newTally, profileHead, tallyResult, type ControlTally, type HdfResult } from "./hdf";
import { members, openObject } from "./hdf-stream";
import { NO_MAPPINGS, type ControlMappings } from "../../../model/mapping";
import { stigChoiceOf, stigFits, type StigChoice } from "../stig-choice";

export const HDF_TARGETS_DIR = "hdf";
export const HDF_INDEX_FILE = `${HDF_TARGETS_DIR}/index.json`;

/** A target's folder under hdf/: hosts and clusters apart, so a host's file can never be a cluster's. */
const FOLDER = { host: "hosts", cluster: "clusters", directory: "directory" } as const;

/**
 * The file of a target, relative to hdf/: `hosts/<name>.json` or `clusters/<name>.json`, named as
 * evidence/snapshots/ names a host's snapshot (input/host-file-name.ts): the name as it is where
 * it is an ordinary file name, else a readable prefix and a hash of the lower-cased name (a
 * 253-character FQDN, a Windows device name such as `con` or `lpt1.corp`). Names that differ
 * only in case are one target to hostproof, as to DNS and Windows; the writer refuses two such
 * targets rather than let one file hide the other on a case-insensitive file system.
 */
export function targetFileName(target: Pick<Target, "kind" | "name">): string {
  return `${FOLDER[target.kind]}/${hostFileName(target.name)}`;
}

/** One line of index.json's `files`: what a reader needs to pick a file without opening it. */
export interface HdfIndexEntry {
  /** Relative to index.json's folder. */
  file: string;
  kind: Target["kind"];
  target: string;
  /** A node's cluster. */
  cluster?: string;
  /** The target's results alone, judged as the run judges the estate (the run's --fail-on). */
  verdict: Verdict;
  passed: number;
  failed: number;
  undetermined: number;
  notApplicable: number;
  waived: number;
  sha256: string;
  bytes: number;
}

/** A target's results counted, and the verdict they give alone under the run's --fail-on. */
export interface TargetJudged {
  counts: StatusTotals;
  verdict: Verdict;
}

export function judgeTarget(results: readonly Result[], failOn: SummaryHead["failOn"]): TargetJudged {
  return { counts: countStatuses(results), verdict: verdictOf([...results], failOn).verdict };
}

/** A control of one target's document, with that target's results of it. */
interface TargetControl {
  tally: ControlTally;
  results: HdfResult[];
}

/**
 * A control's head as every target's file writes it, kept per control: without a waiver it
 * differs between targets only in impact (0 where the target is out of scope), and making it
 * afresh for each of 100,000 files was a third of the format's time.
 */
export class ControlHeads {
  private readonly made = new Map<string, string>();

  /** `stig`: the STIG the target is assessed by (a host's); a cluster's file keeps every release's rules. */
  of(tally: ControlTally, stig?: StigChoice): string {
    const mappings = stig === undefined ? tally.meta.mappings : ownStig(tally.meta.mappings ?? NO_MAPPINGS, stig);
    if (tally.waivers.size > 0) return openObject(controlHead(tally, mappings));
    const key = `${tally.meta.id}\u0000${controlImpact(tally)}\u0000${stig === undefined ? "" : stig.kind === "platform" ? stig.platform : stig.kind}`;
    let head = this.made.get(key);
    if (head === undefined) {
      head = openObject(controlHead(tally, mappings));
      this.made.set(key, head);
    }
    return head;
  }
}

/**
 * A host's mappings with only the STIG rules of its own release (all of them when its release is
 * unknown, none when no mapped STIG covers it): hdf2ckl makes a checklist of the file, and a WN22
 * rule in a Windows Server 2019 host's checklist is a finding against a STIG it is not assessed
 * by. CCIs are the STIG rules' and go with them.
 */
function ownStig(m: ControlMappings, stig: StigChoice): ControlMappings {
  const kept = m.stig.filter((ref) => stigFits(ref, stig));
  return { ...m, stig: kept, cci: kept.length > 0 ? m.cci : [], conflicts: m.conflicts.filter((k) => k.framework !== "stig" || stigFits(k.ref, stig)) };
}

/**
 * One target's HDF document, laid out as hdf.json is (the document's facts, then a control head
 * per line and a result per line), with one profile, HDF_PROFILE, as hdf.json has.
 * platform's target_id is the target's name and passthrough.metadata.hostname too, which the SAF
 * CLI's hdf2ckl makes the checklist's asset.
 */
export function targetDocument(target: Target, results: readonly Result[], judged: TargetJudged, head: SummaryHead, lookup: EvidenceLookup, timeOf: ResultTime, heads: ControlHeads = new ControlHeads(), stig?: StigChoice): string {
  const controls = new Map<string, TargetControl>();
  for (const r of results) {
    let entry = controls.get(r.control.id);
    if (entry === undefined) {
      entry = { tally: newTally(r.control), results: [] };
      controls.set(r.control.id, entry);
    }
    tallyResult(entry.tally, r);
    const views = r.evidence.map(lookup);
    entry.results.push(hdfResult(r, views, timeOf(r, views), head.startedAt));
  }
  const ordered = byFeature(controls.values(), (e) => e.tally.meta);
  const { counts, verdict } = judged;
  const { tool, estate, inventoryFile, startedAt, asOf, failOn, tags } = head;
  const what = `${target.kind} ${target.name}`;
  const facts = {
    // The directory is no Windows host: no hostname, which hdf2ckl would make a checklist's asset.
    platform: { name: target.kind === "directory" ? "active-directory" : "windows", release: target.kind, target_id: target.name },
    version: tool.version,
    statistics: hdfStatistics(counts),
    passthrough: {
      metadata: target.kind === "directory" ? { directory: target.name, ...(head.directory !== undefined ? { snapshot: head.directory.file, sha256: head.directory.sha256 } : {}) } : { hostname: target.name },
      hostproof: {
        tool,
        ...(estate !== undefined ? { estate } : {}),
        inventoryFile,
        startedAt,
        asOf,
        failOn,
        ...(tags !== undefined ? { tags } : {}),
        target: { kind: target.kind, name: target.name, ...(target.kind === "host" && target.cluster !== undefined ? { cluster: target.cluster } : {}) },
        verdict,
        totals: counts,
      },
    },
  };
  // A member per line, each on one line: a file per target repeats these facts 100,000 times.
  const lines = Object.entries(facts).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const parts: string[] = [`{\n${lines.join(",\n")},\n  "profiles": [`];
  const profile = profileHead(HDF_PROFILE, `hostproof controls on ${what}`, ordered.map((e) => e.tally.meta), tool.version);
  parts.push(`\n    ${openObject(profile)},"controls": [`);
  ordered.forEach((entry, i) => {
    parts.push(`${i === 0 ? "\n" : ",\n"}      ${heads.of(entry.tally, stig)},"results": [`);
    parts.push(entry.results.map((r) => `\n        ${JSON.stringify(r)}`).join(","));
    parts.push(`\n      ]}`);
  });
  parts.push(`\n    ]}\n  `);
  parts.push(`]\n}\n`);
  return parts.join("");
}

/**
 * The targets of a slice with their results, in the order their first result comes. Names as they
 * are: two that differ only in case are two targets here, and the writer refuses the second.
 */
function byTarget(results: readonly Result[]): { target: Target; results: Result[] }[] {
  const groups = new Map<string, { target: Target; results: Result[] }>();
  for (const r of results) {
    const key = `${r.target.kind} ${r.target.name}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { target: r.target, results: [r] });
    else group.results.push(r);
  }
  return [...groups.values()];
}

export class HdfTargetsWriter {
  private readonly index: StreamFile;
  private readonly written = new Map<string, string>();
  private readonly folders = new Set<string>();
  private readonly heads = new ControlHeads();
  private entries = 0;
  /** Files per target kind, for the index's tail. */
  private readonly files = { host: 0, cluster: 0, directory: 0 };

  constructor(private readonly ctx: FormatContext) {
    mkdirSync(join(ctx.dir, HDF_TARGETS_DIR), { recursive: true });
    this.index = new StreamFile(join(ctx.dir, HDF_INDEX_FILE));
    const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn } = ctx.head;
    const first = { schemaVersion: 1, tool, ...(estate !== undefined ? { estate } : {}), inventoryFile, startedAt, asOf, ...(tags !== undefined ? { tags } : {}), failOn };
    this.index.write(`{\n${members(first)},\n  "files": [`);
  }

  async add(slice: SliceView): Promise<void> {
    const hosts = new Map(slice.hosts.map((h) => [h.name, h.snapshot]));
    for (const { target, results } of byTarget(slice.results)) {
      const snapshot = target.kind === "host" ? hosts.get(target.name) : undefined;
      this.write(target, results, slice, snapshot === undefined ? undefined : stigChoiceOf(snapshot).choice);
      await giveTurn();
    }
  }

  private write(target: Target, results: readonly Result[], slice: SliceView, stig: StigChoice | undefined): void {
    const file = targetFileName(target);
    // A target seen twice (the same host in two slices, or two names differing only in case) would
    // overwrite its first file, or land on it where the file system ignores case: refused.
    const key = file.toLowerCase();
    const before = this.written.get(key);
    if (before !== undefined) {
      const where = `${HDF_TARGETS_DIR}/${targetFileName({ kind: target.kind, name: before })}`;
      const who = before === target.name ? `${target.kind} '${before}' comes twice in the results` : `${target.kind} '${target.name}' and ${target.kind} '${before}' are one ${target.kind} (names are compared without regard to case)`;
      throw new InputError({
        file: "the report's results",
        problem: `${who}: its file ${where} is written already, and a ${target.kind}'s results come together`,
        fix: "Give every target one entry in the inventory; a report whose results list a target twice was not written by hostproof.",
      });
    }
    this.written.set(key, target.name);
    const folder = FOLDER[target.kind];
    if (!this.folders.has(folder)) {
      mkdirSync(join(this.ctx.dir, HDF_TARGETS_DIR, folder), { recursive: true });
      this.folders.add(folder);
    }
    const judged = judgeTarget(results, this.ctx.head.failOn);
    const data = Buffer.from(targetDocument(target, results, judged, this.ctx.head, slice.lookup, slice.timeOf, this.heads, stig));
    const rel = `${HDF_TARGETS_DIR}/${file}`;
    this.ctx.queue(join(this.ctx.dir, rel), data);
    const written = writtenOf(data);
    this.ctx.record(rel, written);
    const { counts, verdict } = judged;
    this.files[target.kind] += 1;
    const entry: HdfIndexEntry = {
      file,
      kind: target.kind,
      target: target.name,
      ...(target.kind === "host" && target.cluster !== undefined ? { cluster: target.cluster } : {}),
      verdict,
      passed: counts.passed,
      failed: counts.failed,
      undetermined: counts.undetermined,
      notApplicable: counts.notApplicable,
      waived: counts.waived,
      ...written,
    };
    this.index.write(`${this.entries++ === 0 ? "\n" : ",\n"}    ${JSON.stringify(entry)}`);
  }

  async finish(tail: Pick<SummaryTail, "finishedAt" | "verdict" | "exitCode" | "totals">): Promise<void> {
    const { finishedAt, verdict, exitCode, totals } = tail;
    const last = { hostFiles: this.files.host, clusterFiles: this.files.cluster, directoryFiles: this.files.directory, finishedAt, verdict, exitCode, totals };
    this.index.write(`${this.entries === 0 ? "]" : "\n  ]"},\n${members(last)}\n}\n`);
    this.ctx.record(HDF_INDEX_FILE, this.index.close());
    await this.ctx.drain();
  }

  abort(): void {
    this.index.abandon();
  }
}

/** hdf/ as a format: written on request (it is not among a run's defaults yet). */
export const hdfTargetsFormat: Format = {
  name: "hdf-targets",
  description: "HDF split by target: an HDF file per host and per cluster, and index.json listing each with its counts and SHA-256 (Heimdall opens several at a time; saf hdf2ckl makes a checklist of each); not written by default: hostproof export --format hdf-targets",
  files: [`${HDF_TARGETS_DIR}/`],
  opens: HDF_INDEX_FILE,
  onRequest: true,
  open(ctx) {
    const writer = new HdfTargetsWriter(ctx);
    return {
      add: (slice) => writer.add(slice),
      finish: ({ tail }) => writer.finish(tail),
      abort: () => writer.abort(),
    };
  },
};
