/**
 * results.csv: one row per result, for a spreadsheet or a CMDB import. Written with
 * csv-stringify: RFC 4180 quoting (quotes, commas, newlines) and, with `escape_formulas`, the
 * OWASP "CSV injection" defence: a cell starting with =, +, -, @, tab or carriage return (and
 * their full-width forms, which some spreadsheets fold into them) gets a leading single quote, so
 * a host name, an adapter name or a probe's error message read from a host can never run as a
 * formula in Excel or LibreOffice. Every cell is text from hostproof's results; nothing is typed
 * as a number, so `-` is always escaped.
 *
 * Encoding: UTF-8 with a byte-order mark, which is what makes Excel read UTF-8 (host names,
 * Japanese adapter names) instead of the machine's ANSI code page; rows end in CRLF (RFC 4180).
 */
import { stringify } from "csv-stringify/sync";
import type { ControlMeta, Result } from "../../model/result";
import { MAPPING_COLUMNS, NO_MAPPINGS, mappingTexts } from "../../model/mapping";
import type { CollectionWindow, EvidenceLookup, ResultWindow } from "./evidence-view";
import { join } from "node:path";
import { StreamFile, type Written } from "../output/stream-file";
import type { Format } from "./format";
import { inParts } from "./parts";

export const CSV_FILE = "results.csv";

export const CSV_COLUMNS = [
  "host",
  "cluster",
  "control",
  "title",
  "severity",
  "status",
  "expected",
  "actual",
  "waiver id",
  "waiver justification",
  "waiver approver",
  "waiver reference",
  "waiver expires",
  "original status",
  "collected from",
  "collected to",
  ...MAPPING_COLUMNS,
  // Last: added with the directory target (issue 23), after every column a reader may take by position.
  "directory",
] as const;

const OPTIONS = { escape_formulas: true, record_delimiter: "windows" } as const;

/**
 * A cluster's own result has an empty host and the cluster's name; a node's has both; a
 * standalone host's an empty cluster; the directory's (issue 23) only the directory's name, in the
 * last column, its own, so that no filter on host or cluster takes it for either. status is summary.json's (passed, failed, undetermined,
 * notApplicable, waived). The waiver columns are filled on waived rows only, each its own
 * column so that a spreadsheet filters on approver or expiry: the id (or `waivers[n]` for a
 * waiver without one), the waiver file's justification, approver and reference as written,
 * the expiry day (yyyy-mm-dd, through the end of that day UTC) and the status the control itself
 * gave (failed or undetermined). collected from / to: when the facts were read, two plain ISO
 * 8601 times rather than one `start/end` interval, because Excel's Power Query and pandas
 * (parse_dates) type each as a date-time to sort or filter on, and neither parses an interval,
 * which is text that must be split first. A host row's is the first and last start of the probes it cites
 * (its snapshot's collectedAt when it cites none); a cluster row's is its nodes' window, the
 * earliest and latest collectedAt of their snapshots.
 */
/** The host and cluster columns of a row (csv and the workbook's Findings); the directory has a column of its own, the last. */
export function targetColumns(target: Result["target"]): [host: string, cluster: string] {
  return [target.kind === "host" ? target.name : "", target.cluster ?? ""];
}

export function directoryColumn(target: Result["target"]): string {
  return target.kind === "directory" ? target.name : "";
}

export function csvRow(r: Result, window: CollectionWindow | undefined): string[] {
  const w = r.waiver;
  return [
    ...targetColumns(r.target),
    r.control.id,
    r.control.title,
    r.control.severity,
    r.status,
    r.expected,
    r.actual,
    w === undefined ? "" : (w.id ?? `waivers[${w.index}]`),
    w?.justification ?? "",
    w?.approver ?? "",
    w?.reference ?? "",
    w?.expires ?? "",
    w?.originalStatus ?? "",
    window?.from ?? "",
    window?.to ?? "",
    ...mappingCells(r.control),
    directoryColumn(r.target),
  ];
}

/** Per control, not per row: at 100,000 hosts the same few strings are reused. */
const mappingCellsOf = new WeakMap<ControlMeta, string[]>();
function mappingCells(c: ControlMeta): string[] {
  let cells = mappingCellsOf.get(c);
  if (cells === undefined) {
    const texts = mappingTexts(c.mappings ?? NO_MAPPINGS);
    cells = MAPPING_COLUMNS.map((k) => texts[k]);
    mappingCellsOf.set(c, cells);
  }
  return cells;
}

export class CsvStream {
  constructor(private readonly file: StreamFile) {
    file.write(`\uFEFF${stringify([[...CSV_COLUMNS]], OPTIONS)}`);
  }

  add(results: readonly Result[], lookup: EvidenceLookup, windowOf: ResultWindow): void {
    if (results.length === 0) return;
    this.file.write(stringify(results.map((r) => csvRow(r, windowOf(r, r.evidence.map(lookup)))), OPTIONS));
  }

  finish(): Written {
    return this.file.close();
  }

  abandon(): void {
    this.file.abandon();
  }
}

/** results.csv as a format. */
export const csvFormat: Format = {
  name: "csv",
  atScale: true,
  description: "one row per result, safe to open in a spreadsheet",
  files: [CSV_FILE],
  open(ctx) {
    const stream = new CsvStream(new StreamFile(join(ctx.dir, CSV_FILE)));
    return {
      add: (slice) => inParts(slice.results, (part) => stream.add(part, slice.lookup, slice.windowOf)),
      finish: () => ctx.record(CSV_FILE, stream.finish()),
      abort: () => stream.abandon(),
    };
  },
};
