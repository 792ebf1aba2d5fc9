/**
 * results.xlsx: the run as an auditor's workbook, written on request (`export --format xlsx`,
 * `run --export xlsx`). Sheets: Summary (verdict, exit code, scope, the run's facts, counts per
 * severity and status), Findings (one row per result that did not pass, filterable, header frozen),
 * Matrix (target by control, each cell coloured by status), Waivers and Controls.
 *
 * Streamed with exceljs's WorkbookWriter: Findings rows are committed as each slice passes, so
 * memory holds one slice's rows, the matrix's status letters (a byte per cell) and the controls.
 * Shared strings are off (they would keep every string of the run in memory).
 *
 * Hostile text: every cell hostproof writes is an inline string (`t="inlineStr"`), the type that
 * is text and nothing else; a host name `=HYPERLINK(…)` stays those characters, never a formula.
 * Characters XML 1.0 cannot carry (C0 controls, lone surrogates) become U+FFFD, and a cell is cut
 * at Excel's 32,767 characters, saying so.
 *
 * The same record gives the same bytes: the workbook's and every zip entry's dates are the run's
 * start (summary.json's startedAt), not the time of writing.
 */
import { waivedText, waivedTotal } from "../bookkeeping/digest";
import { join } from "node:path";
import type ExcelJS from "exceljs";
import type { ControlMeta, Result, ResultStatus } from "../../model/result";
import { SEVERITIES } from "../../model/severity";
import { MAPPING_COLUMNS, NO_MAPPINGS, mappingTexts } from "../../model/mapping";
import { scopeText } from "../../waivers/describe";
import { runFactRows, runFacts } from "../bookkeeping/run-facts";
import { findingText } from "../finding";
import { STATUS_WORDS, targetLabel } from "../text";
import { directoryColumn, targetColumns } from "./csv";
import { writtenFile } from "../output/written-file";
import type { EndView, Format, FormatContext, SliceView } from "./format";

export const XLSX_FILE = "results.xlsx";

/** exceljs, loaded when a workbook is written: it costs every other command 0.3 s to load. */
const excel = (): typeof ExcelJS => require("exceljs") as typeof ExcelJS;

/** Excel's rows per sheet; a sheet past it continues in "Findings 2", "Findings 3", … */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Excel's characters per cell. */
export const EXCEL_MAX_CELL = 32_767;

// "directory" last: added with the directory target (issue 23), after every column a reader may take by position.
export const FINDING_COLUMNS = ["host", "cluster", "control", "title", "severity", "status", "found", "expected", "actual", "reason", "waiver id", "waiver approver", "waiver expires", "collected from", "collected to", "directory"] as const;

/**
 * The Controls sheet's columns. Framework references (NIST SP 800-53, DISA STIG, CIS, CCI) are
 * added to the control metadata by issue 22 item 1 (in progress elsewhere): the last column is kept
 * for them, and is replaced by one column per framework when the metadata carries them.
 */
export const CONTROL_COLUMNS = ["id", "title", "severity", "feature", "origin", "rationale", "remediation", ...MAPPING_COLUMNS] as const;

/** Fill colours by status: the pages' palette, light enough to read black text on. */
const STATUS_FILL: Readonly<Record<ResultStatus, string>> = {
  passed: "FFC6EFCE",
  failed: "FFFFC7CE",
  undetermined: "FFFFEB9C",
  notApplicable: "FFD9D9D9",
  waived: "FFBDD7EE",
};
const STATUS_LETTER: Readonly<Record<ResultStatus, string>> = { passed: "P", failed: "F", undetermined: "U", notApplicable: "N", waived: "W" };
const LETTER_STATUS = new Map(Object.entries(STATUS_LETTER).map(([s, l]) => [l, s as ResultStatus]));

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A cell of text: an inline string, whatever it starts with. */
export function textCell(value: string): ExcelJS.CellRichTextValue {
  let text = value.replace(NOT_XML, "\uFFFD");
  if (text.length > EXCEL_MAX_CELL) {
    const note = ` … [cut at ${EXCEL_MAX_CELL} characters; the whole text is in summary.json]`;
    text = text.slice(0, EXCEL_MAX_CELL - note.length) + note;
  }
  return { richText: [{ text }] };
}

const texts = (cells: readonly string[]): ExcelJS.CellRichTextValue[] => cells.map(textCell);

/** zip-stream's: the entries' times in UTC, so a report made in another time zone has the same bytes. */
const ZIP_OPTIONS = { forceUTC: true } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions["zip"]>;

/** The parts of exceljs's streaming writer this module relies on beyond its typings. */
interface ArchiverInside {
  zip: { _module: { append(source: unknown, data: { date?: Date }, callback: unknown): unknown } };
}

/** A sheet that continues in "Name 2", "Name 3", … past Excel's rows, each with the header again. */
class SplitSheet {
  private sheet: ExcelJS.Worksheet;
  private rows = 0;
  readonly names: string[];

  constructor(
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly name: string,
    private readonly header: readonly string[],
    private readonly widths: readonly number[],
    private readonly maxRows: number,
  ) {
    this.names = [name];
    this.sheet = this.open(name);
  }

  private open(name: string): ExcelJS.Worksheet {
    const sheet = this.wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
    sheet.columns = this.widths.map((width) => ({ width }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: this.header.length } };
    const head = sheet.addRow(texts(this.header));
    head.font = { bold: true };
    head.commit();
    this.rows = 1;
    return sheet;
  }

  add(cells: readonly (string | ExcelJS.CellRichTextValue)[], fill?: (col: number) => string | undefined): void {
    if (this.rows >= this.maxRows) {
      this.sheet.commit();
      const next = `${this.name} ${this.names.length + 1}`;
      this.names.push(next);
      this.sheet = this.open(next);
    }
    const row = this.sheet.addRow(cells.map((c) => (typeof c === "string" ? textCell(c) : c)));
    if (fill !== undefined) {
      row.eachCell((cell, col) => {
        const argb = fill(col);
        if (argb !== undefined) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb } };
      });
    }
    row.commit();
    this.rows += 1;
  }

  commit(): void {
    this.sheet.commit();
  }

  /** How many sheets this one takes. */
  get parts(): number {
    return this.names.length;
  }
}



/** What the workbook takes of the record's end. */
export type XlsxEnd = Pick<EndView, "digest" | "environment" | "executor" | "shards">;

/** The workbook, written as the record streams past. */
export class XlsxWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly summary: ExcelJS.Worksheet;
  private readonly findings: SplitSheet;
  /** Matrix: control columns in the order first met; each target's statuses as one letter per column. */
  private readonly columns = new Map<string, number>();
  private readonly targets: { label: string; letters: string[] }[] = [];
  private readonly targetIndex = new Map<string, number>();
  private readonly controls = new Map<string, ControlMeta>();
  private readonly counts = new Map<string, number>();
  private findingRows = 0;

  /** `maxRows`: rows per sheet, Excel's unless a test splits sooner. */
  constructor(file: string, startedAt: string, private readonly maxRows = EXCEL_MAX_ROWS) {
    const date = new Date(startedAt);
    this.wb = new (excel().stream.xlsx.WorkbookWriter)({ filename: file, useStyles: true, useSharedStrings: false, zip: ZIP_OPTIONS });
    this.wb.creator = "hostproof";
    this.wb.lastModifiedBy = "hostproof";
    this.wb.created = date;
    this.wb.modified = date;
    // exceljs gives no option for the zip entries' dates, and archiver stamps each entry with the
    // time it was appended. Entries are written to the zip a turn after they are queued (the
    // constructor queues the first ones), through the zip module's append, where the date is pinned.
    const zip = (this.wb as unknown as ArchiverInside).zip._module;
    const append = zip.append.bind(zip);
    zip.append = (source, data, callback) => append(source, { ...data, date }, callback);
    this.summary = this.wb.addWorksheet("Summary");
    this.findings = new SplitSheet(this.wb, "Findings", FINDING_COLUMNS, [18, 14, 12, 40, 10, 14, 60, 40, 40, 40, 16, 20, 12, 22, 22, 18], maxRows);
  }

  add(slice: Pick<SliceView, "results" | "lookup" | "windowOf">): void {
    for (const r of slice.results) {
      this.controls.set(r.control.id, r.control);
      const key = `${r.control.severity}\u0000${r.status}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.matrixCell(r);
      if (r.status === "passed") continue;
      const window = slice.windowOf(r, r.evidence.map(slice.lookup));
      const w = r.waiver;
      this.findings.add([
        ...targetColumns(r.target),
        r.control.id,
        r.control.title,
        r.control.severity,
        STATUS_WORDS[r.status],
        r.status === "notApplicable" ? "" : findingText(r),
        r.expected,
        r.actual,
        r.reason?.message ?? "",
        w === undefined ? "" : (w.id ?? `waivers[${w.index}]`),
        w?.approver ?? "",
        w?.expires ?? "",
        window?.from ?? "",
        window?.to ?? "",
        directoryColumn(r.target),
      ], (col) => (col === 6 ? STATUS_FILL[r.status] : undefined));
      this.findingRows += 1;
    }
  }

  private matrixCell(r: Result): void {
    const label = r.target.kind === "host" && r.target.cluster !== undefined ? `${r.target.name} (${r.target.cluster})` : targetLabel(r.target);
    const key = `${r.target.kind}\u0000${r.target.name}`;
    let t = this.targetIndex.get(key);
    if (t === undefined) {
      t = this.targets.length;
      this.targetIndex.set(key, t);
      this.targets.push({ label, letters: [] });
    }
    let c = this.columns.get(r.control.id);
    if (c === undefined) {
      c = this.columns.size;
      this.columns.set(r.control.id, c);
    }
    this.targets[t]!.letters[c] = STATUS_LETTER[r.status];
  }

  async finish(end: XlsxEnd): Promise<void> {
    this.findings.commit();
    this.writeMatrix();
    this.writeWaivers(end);
    this.writeControls(end);
    this.writeSummary(end);
    await this.wb.commit();
  }

  private writeMatrix(): void {
    const ids = [...this.columns.keys()];
    const matrix = new SplitSheet(this.wb, "Matrix", ["target", ...ids], [28, ...ids.map(() => 13)], this.maxRows);
    for (const t of this.targets) {
      const statuses = ids.map((_, i) => LETTER_STATUS.get(t.letters[i] ?? ""));
      matrix.add([t.label, ...statuses.map((s) => (s === undefined ? "" : STATUS_WORDS[s]))], (col) => {
        const s = statuses[col - 2];
        return s === undefined ? undefined : STATUS_FILL[s];
      });
    }
    matrix.commit();
    this.matrixParts = matrix.names;
  }
  private matrixParts: string[] = [];

  private writeWaivers(end: XlsxEnd): void {
    const sheet = new SplitSheet(this.wb, "Waivers", ["#", "id", "control", "scope", "justification", "approver", "reference", "expires", "state", "waived", "what it waived"], [5, 16, 12, 22, 60, 20, 20, 12, 10, 10, 30], this.maxRows);
    const file = end.digest.waivers;
    const asOf = end.digest.asOf;
    file?.waivers.forEach((w, i) => {
      const waived = end.digest.waived.get(i);
      sheet.add([String(i), w.id ?? "", w.controlId, scopeText(w.scope), w.justification, w.approver, w.reference, w.expires, w.expires < asOf ? "expired" : "active", String(waived === undefined ? 0 : waivedTotal(waived)), waived === undefined ? "" : waivedText(waived)]);
    });
    sheet.commit();
  }

  private writeControls(end: XlsxEnd): void {
    const sheet = new SplitSheet(this.wb, "Controls", CONTROL_COLUMNS, [12, 40, 10, 30, 12, 60, 60, 20, 36, 24, 24, 36], this.maxRows);
    const known = new Map(end.digest.controls.map((c) => [c.id, c]));
    for (const [id, c] of this.controls) if (!known.has(id)) known.set(id, c);
    for (const c of known.values()) {
      const m = mappingTexts(c.mappings ?? NO_MAPPINGS);
      sheet.add([c.id, c.title, c.severity, c.feature, c.origin, c.rationale ?? "", c.remediation ?? "", ...MAPPING_COLUMNS.map((k) => m[k])]);
    }
    sheet.commit();
  }

  private writeSummary(end: XlsxEnd): void {
    const s = this.summary;
    s.columns = [{ width: 26 }, { width: 90 }];
    const d = end.digest;
    const row = (label: string, value: string, bold = false): void => {
      const r = s.addRow(texts([label, value]));
      if (bold) r.font = { bold: true };
      r.commit();
    };
    row("hostproof report", d.estate ?? "", true);
    for (const [label, value] of runFactRows(runFacts(end))) row(label, value, label === "verdict");
    row("scope", `${d.hostCount} hosts, ${d.clusterCount} clusters, ${d.controls.length} controls`);
    row("findings", `${this.findingRows} results did not pass: sheet ${this.findings.names.join(", ")}`);
    if (this.findings.parts > 1 || this.matrixParts.length > 1) {
      row("split", `Excel holds ${this.maxRows} rows per sheet: Findings is in ${this.findings.names.join(", ")}; Matrix in ${this.matrixParts.join(", ")}`, true);
    }
    s.addRow([]).commit();
    const statuses = ["failed", "undetermined", "waived", "notApplicable", "passed"] as const;
    const head = s.addRow(texts(["severity", ...statuses.map((st) => STATUS_WORDS[st])]));
    head.font = { bold: true };
    head.commit();
    for (const sev of SEVERITIES) {
      const r = s.addRow([textCell(sev), ...statuses.map((st) => this.counts.get(`${sev}\u0000${st}`) ?? 0)]);
      r.commit();
    }
    s.commit();
  }

  async abort(): Promise<void> {
    // The staging folder goes whole; the writer only needs its file closed.
    await this.wb.commit().catch(() => undefined);
  }
}

/** results.xlsx as a format. */
export const xlsxFormat: Format = {
  name: "xlsx",
  onRequest: true,
  description: "an Excel workbook: summary, findings, host-by-control matrix, waivers, controls",
  files: [XLSX_FILE],
  open(ctx: FormatContext) {
    const file = join(ctx.dir, XLSX_FILE);
    const writer = new XlsxWriter(file, ctx.head.startedAt);
    return {
      add: (slice) => writer.add(slice),
      finish: async (end) => {
        await writer.finish(end);
        ctx.record(XLSX_FILE, await writtenFile(file));
      },
      abort: () => writer.abort(),
    };
  },
};

