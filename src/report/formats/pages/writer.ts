/**
 * The browsable report (pages/): hostproof's own static HTML for estates too large for Allure's
 * single file, written slice by slice like every other output, with no Java and nothing held in
 * memory beyond a slice and a few counters. Pages hold only what the reader came for:
 *
 * - index.html: verdict, totals, one row per control with its counts;
 * - targets.html: every cluster and standalone host, linked to its section;
 * - t/<n>.html: a cluster (its cluster-wide checks and each node) or up to 50 standalone hosts:
 *   every result of every host, and for each result that did not pass, its evidence (the command,
 *   when it ran, its raw output or error); for the rest, where the host's raw snapshot is in the
 *   report and its SHA-256, as text;
 * - findings.html: every failed and undetermined result, most severe first, linked to its host;
 * - control-<n>.html: a control's texts and its failed, undetermined and waived results;
 * - waivers.html: every waiver, its justification, approval and days to expiry, and the results it
 *   waived with the status each would have had.
 *
 * pages/ links only within itself, so the folder can be copied alone: the snapshots stay where the
 * evidence keeps them (copying them in would double the report's largest part), named by their
 * place in the report and their SHA-256, which the manifest vouches for.
 *
 * From the landing page a host is two clicks away (Hosts and clusters, the host), a finding's
 * evidence three (its control, the finding, the evidence), a waiver one.
 */
import { cisShown, NO_MAPPINGS, nistShown, stigShown, type ControlMappings } from "../../../model/mapping";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hostIdentity } from "../../../evidence/identity";
import type { InventoryCluster } from "../../../model/inventory";
import type { ControlMeta, Result, ResultStatus } from "../../../model/result";
import { RESULT_STATUSES } from "../../../model/result";
import type { DirectoryRecord, HostRecord } from "../../../model/run";
import type { WaiverReport } from "../../../model/waiver";
import { approvalText, scopeText, waiverLabel } from "../../../waivers/describe";
import { evidenceText } from "../allure/allure-results";
import type { RunDigest } from "../../bookkeeping/digest";
import { runFactRows, runFacts } from "../../bookkeeping/run-facts";
import { daysLeft } from "../../../waivers/expiry";
import { SEVERITIES } from "../../../model/severity";
import type { EvidenceLookup } from "../evidence-view";
import { Spool } from "../../output/stream-file";
import { reasonSaid, STATUS_WORDS, statusOf, targetLabel } from "../../text";
import { anchor, badge, esc, page } from "./html";
import type { EndView, Format, SliceView } from "../format";
import { giveTurn } from "../../../util/turns";

export const PAGES_DIR = "pages";
const HOSTS_PER_PAGE = 50;
const NOT_PASSING: readonly ResultStatus[] = ["failed", "undetermined", "waived"];

type Counts = Record<ResultStatus, number>;
const zero = (): Counts => Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Counts;

export class PagesWriter {
  private readonly root: string;
  private pageCount = 0;
  private readonly targets: Spool;
  private readonly findings: Spool;
  private readonly byControl = new Map<string, { meta: ControlMeta; counts: Counts; rows: Spool; file: string }>();
  private readonly byWaiver = new Map<number, Spool>();

  constructor(
    reportDir: string,
    /** Writes a file whole, relative to the report folder, and records it for the manifest. */
    private readonly writeSmall: (rel: string, text: string) => void,
    /** The directory snapshot the run judged, when it was given one (summary.json's `directory`). */
    private readonly directory?: DirectoryRecord,
  ) {
    this.root = join(reportDir, PAGES_DIR);
    // t/ is made with the first page: a shard with no hosts keeps no empty folder the manifest would call unexpected.
    mkdirSync(this.root, { recursive: true });
    this.targets = new Spool(join(reportDir, `.${PAGES_DIR}.targets`));
    this.findings = new Spool(join(reportDir, `.${PAGES_DIR}.findings`));
  }

  /** A page at a time, with a turn of the event loop between (util/turns.ts). */
  async add(slice: Pick<SliceView, "hosts" | "clusters" | "results" | "lookup" | "kept">): Promise<void> {
    const { hosts, clusters, results } = slice;
    const byTarget = new Map<string, Result[]>();
    for (const r of results) {
      const key = anchor(r.target.kind, r.target.name);
      const list = byTarget.get(key) ?? [];
      list.push(r);
      byTarget.set(key, list);
    }
    const hostByName = new Map(hosts.map((h) => [h.name.toLowerCase(), h]));
    const inCluster = new Set<string>();
    for (const c of clusters) {
      const nodes = c.nodes.map((n) => hostByName.get(n.toLowerCase())).filter((h): h is HostRecord => h !== undefined);
      for (const n of nodes) inCluster.add(n.name.toLowerCase());
      this.writePage(`Cluster ${c.name}`, [{ kind: "cluster", cluster: c, nodes }, ...nodes.map((h) => ({ kind: "host" as const, host: h }))], byTarget, slice);
      await giveTurn();
    }
    // The estate's directory (judged in one slice): a page of its own, named by its domain.
    const directory = results.find((r) => r.target.kind === "directory")?.target.name;
    if (directory !== undefined) this.writePage(`Directory ${directory}`, [{ kind: "directory", name: directory }], byTarget, slice);
    const standalone = hosts.filter((h) => !inCluster.has(h.name.toLowerCase()));
    for (let i = 0; i < standalone.length; i += HOSTS_PER_PAGE) {
      const group = standalone.slice(i, i + HOSTS_PER_PAGE);
      const title = group.length === 1 ? `Host ${group[0]!.name}` : `Standalone hosts ${group[0]!.name} … ${group[group.length - 1]!.name}`;
      this.writePage(title, group.map((h) => ({ kind: "host" as const, host: h })), byTarget, slice);
      await giveTurn();
    }
  }

  private writePage(title: string, sections: Section[], byTarget: Map<string, Result[]>, slice: Pick<SliceView, "lookup" | "kept">): void {
    if (this.pageCount === 0) mkdirSync(join(this.root, "t"), { recursive: true });
    const file = `t/${++this.pageCount}.html`;
    const body: string[] = [];
    for (const s of sections) {
      const name = s.kind === "cluster" ? s.cluster.name : s.kind === "directory" ? s.name : s.host.name;
      const id = anchor(s.kind, name);
      const results = byTarget.get(id) ?? [];
      this.targets.write(
        `<tr><td>${s.kind === "cluster" ? "cluster" : s.kind === "directory" ? "directory" : s.host.cluster !== undefined ? `node of ${esc(s.host.cluster)}` : "standalone host"}</td>` +
          `<td><a href="${file}#${id}">${esc(name)}</a></td>${countCells(results)}</tr>\n`,
      );
      body.push(s.kind === "cluster" ? clusterHead(s.cluster, id) : s.kind === "directory" ? directoryHead(s.name, id, this.directory) : hostHead(s.host, id, slice.kept(s.host.name)));
      body.push(resultsTable(results, slice.lookup));
      for (const r of results) this.count(r, `${file}#${id}`);
    }
    this.writeFile(file, page(title, 1, body.join("\n")));
  }

  private count(r: Result, href: string): void {
    let control = this.byControl.get(r.control.id);
    if (control === undefined) {
      const n = this.byControl.size + 1;
      control = { meta: r.control, counts: zero(), rows: new Spool(join(this.root, `.control-${n}`)), file: `control-${n}.html` };
      this.byControl.set(r.control.id, control);
    }
    const status = statusOf(r);
    control.counts[status] += 1;
    if (!NOT_PASSING.includes(status)) return;
    const row = findingRow(r, href);
    control.rows.write(row);
    // Keyed for the sort at the end (severity, control, target), one JSON line each: rows may hold newlines.
    if (status !== "waived") this.findings.write(`${JSON.stringify([SEVERITIES.indexOf(r.control.severity), r.control.id, r.target.name, row])}\n`);
    if (r.waiver !== undefined) {
      let spool = this.byWaiver.get(r.waiver.index);
      if (spool === undefined) {
        spool = new Spool(join(this.root, `.waiver-${r.waiver.index}`));
        this.byWaiver.set(r.waiver.index, spool);
      }
      spool.write(row);
    }
  }

  /** Writes the pages only known at the end; `end.digest` gives the run's totals, `end` as a whole its facts (run-facts.ts). */
  finish(end: Pick<EndView, "digest" | "environment" | "executor" | "shards">): void {
    const digest = end.digest;
    const controls = [...this.byControl.values()].sort((a, b) => digest.columns.indexOf(a.meta.id) - digest.columns.indexOf(b.meta.id));
    for (const c of controls) this.writeFile(c.file, page(`${c.meta.id}: ${c.meta.title}`, 0, controlBody(c.meta, c.counts, c.rows)));
    this.writeFile("targets.html", page(`Hosts and clusters (${digest.hostCount.toLocaleString("en-US")} hosts, ${digest.clusterCount.toLocaleString("en-US")} clusters)`, 0, `${TARGETS_HEAD}${spooled(this.targets)}</table>`));
    this.writeFile("findings.html", page(`Findings: ${(digest.totals.failed + digest.totals.undetermined).toLocaleString("en-US")} failed or undetermined results`, 0, `<p>Most severe first, then by control and by host or cluster.</p>${FINDINGS_HEAD}${sortedFindings(this.findings)}</table>`));
    this.writeFile("waivers.html", page("Waivers", 0, waiversBody(digest, this.byWaiver)));
    this.writeFile("index.html", page(`hostproof: ${digest.estate ?? digest.inventoryFile}`, 0, indexBody(end, controls)));
  }

  discard(): void {
    for (const s of [this.targets, this.findings, ...this.byWaiver.values(), ...[...this.byControl.values()].map((c) => c.rows)]) s.discard();
  }

  private writeFile(rel: string, text: string): void {
    this.writeSmall(`${PAGES_DIR}/${rel}`, text);
  }
}

type Section = { kind: "cluster"; cluster: InventoryCluster; nodes: readonly HostRecord[] } | { kind: "host"; host: HostRecord } | { kind: "directory"; name: string };

const RANK: readonly ResultStatus[] = ["failed", "undetermined", "waived", "passed", "notApplicable"];

function worstOf(results: readonly Result[]): ResultStatus | undefined {
  let worst: ResultStatus | undefined;
  for (const r of results) if (worst === undefined || RANK.indexOf(statusOf(r)) < RANK.indexOf(worst)) worst = statusOf(r);
  return worst;
}

/** A target's row counts every result by status, and its failures by severity, not only the worst. */
const TARGETS_HEAD =
  `<table class="counts"><tr><th>kind</th><th>name</th><th>worst result</th>${RESULT_STATUSES.map((s) => `<th>${esc(STATUS_WORDS[s])}</th>`).join("")}<th>results</th>` +
  `${SEVERITIES.map((s) => `<th>failed ${s}</th>`).join("")}</tr>\n`;

function countCells(results: readonly Result[]): string {
  const counts = zero();
  const failed = new Map(SEVERITIES.map((s) => [s, 0]));
  for (const r of results) {
    const status = statusOf(r);
    counts[status] += 1;
    if (status === "failed") failed.set(r.control.severity, failed.get(r.control.severity)! + 1);
  }
  const worst = worstOf(results);
  return `<td>${worst !== undefined ? badge(worst) : ""}</td>${RESULT_STATUSES.map((s) => `<td>${counts[s]}</td>`).join("")}<td>${results.length}</td>${SEVERITIES.map((s) => `<td>${failed.get(s)}</td>`).join("")}`;
}

/**
 * The findings, most severe first, then by control ID and target name (numbers in names in
 * numeric order), in run order within that. Read back whole like every spooled page.
 */
function sortedFindings(spool: Spool): string {
  const collate = new Intl.Collator("en", { numeric: true }).compare;
  const rows = spooled(spool)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as [number, string, string, string]);
  rows.sort((a, b) => a[0] - b[0] || collate(a[1], b[1]) || collate(a[2], b[2]));
  return rows.map((r) => r[3]).join("");
}

/** A spool's text, read back whole: the pages it fills are meant to be opened whole. */
function spooled(spool: Spool): string {
  spool.finish();
  const text = readFileSync(spool.path, "utf8");
  spool.discard();
  return text;
}

/** The directory and the snapshot judged: the query, when it ran, and the file by its place in the report and digest. */
function directoryHead(name: string, id: string, d: DirectoryRecord | undefined): string {
  const facts =
    d !== undefined
      ? `<p class="meta">${esc(d.base)} at ${esc(d.url)} · ${d.objects.toLocaleString("en-US")} computer objects · read ${esc(d.collectedAt)} to ${esc(d.finishedAt)}</p><p class="meta">directory snapshot: ${esc(d.file)} in the report folder, SHA-256 ${esc(d.sha256)}</p>`
      : `<p class="meta">no directory snapshot was given</p>`;
  return `<section class="target" id="${id}"><h2>Directory ${esc(name)}</h2>${facts}`;
}

function hostHead(h: HostRecord, id: string, kept: { file: string; sha256: string } | undefined): string {
  const who = hostIdentity(h.snapshot);
  const facts = [
    h.cluster !== undefined ? `node of cluster ${esc(h.cluster)}` : "standalone host",
    `FQDN ${esc(who.fqdn ?? "unknown")}`,
    `${esc(who.osCaption ?? "operating system unknown")}${who.osBuild !== null ? ` (${esc(who.osBuild)})` : ""}`,
    `read ${esc(who.collectedAt)}`,
  ];
  // The snapshot by its place in the report and digest, not a link: pages/ travels alone.
  const snapshot = kept !== undefined ? `<p class="meta">raw snapshot: ${esc(kept.file)} in the report folder, SHA-256 ${esc(kept.sha256)}</p>` : "";
  return `<section class="target" id="${id}"><h2>${esc(h.name)}</h2><p class="meta">${facts.join(" · ")}</p>${snapshot}`;
}

function clusterHead(c: InventoryCluster, id: string): string {
  return `<section class="target" id="${id}"><h2>Cluster ${esc(c.name)}</h2><p class="meta">${esc(c.type)} cluster of ${c.nodes.map((n) => `<a href="#${anchor("host", n)}">${esc(n)}</a>`).join(", ")}</p>`;
}

/**
 * What was found, said once. A result with a reason (undetermined, not applicable, or waived when
 * it was undetermined) carries its account twice: the actual is the short form of the reason. The
 * reason is the fuller one, so it stands in for the actual; its kind is named unless the message
 * or the status already says it.
 */
function found(r: Result): string {
  const lines = [r.reason !== undefined && r.status !== "passed" ? esc(reasonSaid(r.reason)) : esc(r.actual)];
  for (const d of r.details ?? []) if (d.outcome !== "ok") lines.push(`${esc(d.subject)}: ${esc(d.actual)} (${esc(d.outcome)}${d.note !== undefined ? `: ${esc(d.note)}` : ""})`);
  return lines.join("<br>");
}

/** A waived result's status says what it would have been: the waiver hides a failure, not the fact of it. */
function statusCell(r: Result): string {
  const status = statusOf(r);
  return r.waiver !== undefined && status === "waived" ? `${badge(status)} was ${badge(r.waiver.originalStatus)}` : badge(status);
}

function waiverCell(r: Result): string {
  const w = r.waiver;
  if (w === undefined) return "";
  return `waived (was ${esc(STATUS_WORDS[w.originalStatus])}): ${esc(w.justification)}; ${esc(approvalText(w))}`;
}

function resultsTable(results: readonly Result[], lookup: EvidenceLookup): string {
  if (results.length === 0) return `<p>No result.</p></section>`;
  const rows = results.map((r) => {
    const status = statusOf(r);
    const evidence =
      NOT_PASSING.includes(status) && r.evidence.length > 0
        ? `<details><summary>evidence (${r.evidence.length})</summary>${r.evidence.map((ref) => `<pre tabindex="0">${esc(evidenceText(lookup(ref)))}</pre>`).join("")}</details>`
        : "";
    return `<tr><td>${esc(r.control.id)}</td><td>${esc(r.control.title)}</td><td>${esc(r.control.severity)}</td><td>${statusCell(r)}</td><td>${esc(r.expected)}</td><td>${found(r)}${evidence}</td><td>${waiverCell(r)}</td></tr>`;
  });
  return `<table><tr><th>control</th><th>title</th><th>severity</th><th>status</th><th>expected</th><th>found</th><th>waiver</th></tr>\n${rows.join("\n")}\n</table></section>`;
}

const FINDINGS_HEAD = `<table><tr><th>target</th><th>control</th><th>severity</th><th>status</th><th>expected</th><th>found</th></tr>\n`;

function findingRow(r: Result, href: string): string {
  return `<tr><td><a href="${href}">${esc(targetLabel(r.target))}</a></td><td>${esc(r.control.id)}</td><td>${esc(r.control.severity)}</td><td>${statusCell(r)}</td><td>${esc(r.expected)}</td><td>${found(r)}</td></tr>\n`;
}


/** The control's framework references, one row per framework it maps; none for a control that maps none. */
function mappingFacts(m: ControlMappings): [string, string | undefined][] {
  const list = (items: string[]): string | undefined => (items.length > 0 ? items.join("; ") : undefined);
  return [
    ["NIST SP 800-53 rev5", list(m.nist.map(nistShown))],
    ["DISA STIG", list(m.stig.map(stigShown))],
    ["CCI", list(m.cci)],
    ["CIS Benchmark", list(m.cis.map(cisShown))],
    [
      "contradicts on purpose",
      list(m.conflicts.map((k) => `${k.framework === "stig" ? `DISA STIG ${stigShown(k.ref)}` : cisShown(k.ref)}: a host that follows this control is an open finding there, which needs a waiver`)),
    ],
  ];
}

function controlBody(meta: ControlMeta, counts: Counts, rows: Spool): string {
  const facts = [
    ["severity", meta.severity],
    ["feature", `${meta.featureName} (${meta.feature})`],
    ["rationale", meta.rationale],
    ["remediation", meta.remediation],
    ["source", meta.source],
    ...mappingFacts(meta.mappings ?? NO_MAPPINGS),
  ].filter((f): f is [string, string] => f[1] !== undefined);
  return (
    `<table>${facts.map(([k, v]) => `<tr><th>${k}</th><td>${k === "remediation" ? `<pre tabindex="0">${esc(v)}</pre>` : esc(v)}</td></tr>`).join("")}</table>` +
    `<h2>Results</h2><p>${RESULT_STATUSES.map((s) => `${badge(s)} ${counts[s].toLocaleString("en-US")}`).join(" · ")}</p>` +
    `<h2>Failed, undetermined and waived</h2>${FINDINGS_HEAD}${spooled(rows)}</table>`
  );
}

/** `48 days after the as-of day 2026-11-22`, `its last day is the as-of day`, `expired 3 days before …`. */
function expiryText(expires: string, asOf: string): string {
  const left = daysLeft(expires, new Date(`${asOf}T00:00:00Z`));
  const days = (n: number): string => `${n.toLocaleString("en-US")} day${n === 1 ? "" : "s"}`;
  if (left > 0) return `${days(left)} to expiry (last day ${esc(expires)}; as of ${esc(asOf)})`;
  if (left === 0) return `the as-of day ${esc(asOf)} is its last day`;
  return `expired ${days(-left)} before the as-of day ${esc(asOf)} (last day ${esc(expires)})`;
}

function waiversBody(digest: Pick<RunDigest, "waivers" | "waived" | "asOf">, byWaiver: Map<number, Spool>): string {
  const report: WaiverReport | undefined = digest.waivers;
  if (report === undefined) return "<p>No waiver file was given to this run.</p>";
  const parts = [`<p>Waiver file: ${esc(report.file)}; a waiver is reported as expiring ${report.warnDays} days or fewer before its last day. A waived result shows the status it would have had.</p>`];
  report.waivers.forEach((w, index) => {
    const spool = byWaiver.get(index);
    const waived = digest.waived.get(index);
    const would = waived !== undefined && waived.failed + waived.undetermined > 0 ? (["failed", "undetermined"] as const).filter((s) => waived[s] > 0).map((s) => `${badge(s)} ${waived[s].toLocaleString("en-US")}`).join(" · ") : "none";
    // Directory objects are accepted inside an estate-wide result, which keeps its own status: named here, shown in that result's rows.
    const objects = waived !== undefined && waived.objects > 0 ? `<p>It accepted ${waived.objects.toLocaleString("en-US")} directory object${waived.objects === 1 ? "" : "s"}, each a row of the ${esc(w.controlId)} result on the directory that names this waiver.</p>` : "";
    parts.push(
      `<h2 id="waiver-${index}">${esc(waiverLabel(w, index))}</h2><table>` +
        `<tr><th>control</th><td>${esc(w.controlId)}</td></tr><tr><th>scope</th><td>${esc(scopeText(w.scope))}</td></tr>` +
        `<tr><th>justification</th><td>${esc(w.justification)}</td></tr><tr><th>approval</th><td>${esc(approvalText(w))}</td></tr>` +
        `<tr><th>expiry</th><td>${expiryText(w.expires, digest.asOf)}</td></tr><tr><th>original status of the results it waived</th><td>${would}</td></tr></table>` +
        objects +
        (spool !== undefined ? `${FINDINGS_HEAD}${spooled(spool)}</table>` : objects !== "" ? "" : "<p>It waived no result in this run.</p>"),
    );
  });
  for (const n of report.notices) parts.push(`<p><b>${esc(n.kind)}</b>: ${esc(n.message)}</p>`);
  return parts.join("\n");
}

function indexBody(end: Pick<EndView, "digest" | "environment" | "executor" | "shards">, controls: { meta: ControlMeta; counts: Counts; file: string }[]): string {
  const d = end.digest;
  const t = d.totals;
  const facts = runFactRows(runFacts(end));
  const head =
    `<table class="facts" id="run">${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>` +
    `<p>${RESULT_STATUSES.map((s) => `${badge(s)} ${t[s].toLocaleString("en-US")}`).join(" · ")} (${t.total.toLocaleString("en-US")} results; ${d.hostCount.toLocaleString("en-US")} hosts, ${d.clusterCount.toLocaleString("en-US")} clusters)</p>` +
    `<p><a href="targets.html">Hosts and clusters</a> · <a href="findings.html">${(t.failed + t.undetermined).toLocaleString("en-US")} findings</a> · <a href="waivers.html">${t.waived.toLocaleString("en-US")} waived results</a></p>`;
  const rows = controls.map(
    (c) => `<tr><td><a href="${c.file}">${esc(c.meta.id)}</a></td><td>${esc(c.meta.title)}</td><td>${esc(c.meta.severity)}</td>${RESULT_STATUSES.map((s) => `<td class="n">${c.counts[s].toLocaleString("en-US")}</td>`).join("")}</tr>`,
  );
  return `${head}<h2>Controls</h2><table><tr><th>control</th><th>title</th><th>severity</th>${RESULT_STATUSES.map((s) => `<th>${esc(STATUS_WORDS[s])}</th>`).join("")}</tr>\n${rows.join("\n")}</table>`;
}

/** The browsable report as a format: pages/index.html and the pages it links to. */
export const pagesFormat: Format = {
  name: "pages",
  description: "the browsable report (--html pages; auto above 2,000 hosts)",
  files: [`${PAGES_DIR}/`],
  opens: `${PAGES_DIR}/index.html`,
  html: "pages",
  open(ctx) {
    const pages = new PagesWriter(ctx.dir, (rel, text) => ctx.writeSmall(rel, text), ctx.head.directory);
    return {
      add: (slice) => pages.add(slice),
      finish: (end) => pages.finish(end),
      abort: () => pages.discard(),
    };
  },
};
