/**
 * What `export` derives a report's formats from, beside the results (checked-report.ts reads
 * those): summary.json's facts around its results, and the run record (evidence/run.json; a
 * shard made before it existed has the same in its evidence/shard.json). A report with neither was
 * made by a hostproof that did not record the controls' texts, Allure's environment or the slices:
 * it is refused, with why and what to do, rather than exported with those parts made up.
 */
import { join } from "node:path";
import { InputError } from "../errors";
import { parseDocumentBytes } from "../input/read-document";
import type { WaiverReport } from "../model/waiver";
import { allureEnvironment } from "../report/formats/allure/allure-results";
import type { SummaryHead } from "../report/formats/summary";
import type { SummaryRest } from "../report/formats/summary-read";
import { RUN_RECORD_FILE, type RunRecord } from "../report/bookkeeping/run-record";
import { SHARD_RECORD_FILE, type ShardRecord } from "../report/bookkeeping/shard-record";
import { checkSchema } from "../schema/validate";
import { NOT_OURS_FIX } from "./checked-report";

export interface ReportSource {
  dir: string;
  /** As the user named it. */
  shown: string;
}

/** The facts summary.json opens with, as the formats are opened with them. */
export function summaryHead(rest: SummaryRest): SummaryHead {
  const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn, directory } = rest;
  return { tool, ...(estate !== undefined ? { estate } : {}), inventoryFile, startedAt, asOf, ...(tags !== undefined ? { tags } : {}), failOn, ...(directory !== undefined ? { directory } : {}) };
}

/** The waiver file as the run used it, back from summary.json's waivers section. */
export function waiverReport(rest: SummaryRest): WaiverReport | undefined {
  const w = rest.waivers;
  if (w === undefined) return undefined;
  return { file: w.file, warnDays: w.warnDays, waivers: w.waivers.map(({ index: _i, state: _s, applied: _a, ...waiver }) => waiver), notices: w.notices };
}

/**
 * The run record from the bytes verify kept: evidence/run.json, else a shard's evidence/shard.json
 * (a shard made before run.json), else refused. It must agree with summary.json: the slices add up
 * to its hosts and results, and name only its clusters.
 */
export function readRunRecord(source: ReportSource, kept: ReadonlyMap<string, Buffer>, rest: SummaryRest): RunRecord {
  const record = runRecordOf(source, kept, rest);
  const wrong: string[] = [];
  const sum = (pick: (s: RunRecord["slices"][number]) => number): number => record.slices.reduce((n, s) => n + pick(s), 0);
  if (sum((s) => s.hosts) !== rest.hosts.length) wrong.push(`its slices hold ${sum((s) => s.hosts)} hosts, summary.json ${rest.hosts.length}`);
  if (sum((s) => s.results) !== rest.totals.total) wrong.push(`its slices hold ${sum((s) => s.results)} results, summary.json ${rest.totals.total}`);
  const clusters = new Set(rest.clusters.map((c) => c.name));
  const named = record.slices.flatMap((s) => s.clusters);
  if (named.some((c) => !clusters.has(c)) || new Set(named).size !== named.length || named.length !== clusters.size) wrong.push("its slices do not name each cluster of summary.json once");
  const controls = new Set(record.controls.map((c) => c.id));
  if (rest.controls.some((c) => !controls.has(c.id))) wrong.push("it lacks a control summary.json names");
  if (wrong.length > 0) throw new InputError({ file: `${source.shown}/${kept.has(RUN_RECORD_FILE) ? RUN_RECORD_FILE : SHARD_RECORD_FILE}`, problem: `the run record contradicts summary.json: ${wrong.join("; ")}`, fix: NOT_OURS_FIX });
  return record;
}

function runRecordOf(source: ReportSource, kept: ReadonlyMap<string, Buffer>, rest: SummaryRest): RunRecord {
  const run = kept.get(RUN_RECORD_FILE);
  if (run !== undefined) {
    const doc = parseDocumentBytes(run, join(source.dir, RUN_RECORD_FILE), `${source.shown}/${RUN_RECORD_FILE}`);
    const problems = checkSchema("run", doc);
    if (problems.length > 0) throw new InputError(problems);
    return doc.value as RunRecord;
  }
  const shard = kept.get(SHARD_RECORD_FILE);
  if (shard !== undefined) {
    const doc = parseDocumentBytes(shard, join(source.dir, SHARD_RECORD_FILE), `${source.shown}/${SHARD_RECORD_FILE}`);
    const problems = checkSchema("shard", doc);
    if (problems.length > 0) throw new InputError(problems);
    const r = doc.value as ShardRecord;
    let c = 0;
    const slices = r.slices.map((s) => ({ hosts: s.hosts, clusters: r.clusters.slice(c, (c += s.clusters)).map((x) => x.name), results: s.results }));
    const waivers = waiverReport(rest);
    // As the run composed Allure's Environment panel (engine/output-session.ts); it wrote no executor there.
    const environment = { ...allureEnvironment({ ...summaryHead(rest), ...(waivers !== undefined ? { waivers } : {}) }), ...r.environment };
    return { schemaVersion: 1, controls: r.controls, environment, slices };
  }
  throw noRunRecord(source.shown);
}

/**
 * A report made before export existed: its manifest lists neither record, so this is known from
 * the manifest alone, before any file is read.
 */
export function noRunRecord(shown: string): InputError {
  return new InputError({
    file: shown,
    problem: `the report has no ${RUN_RECORD_FILE}: it was made by a hostproof before 'export' existed, which did not record the controls' texts, Allure's environment and the slices that the formats are made of`,
    fix: "Run the estate (or merge the shards) again with this hostproof, then export from that report. Its own formats are still as they were written, and `hostproof verify` checks them.",
  });
}
