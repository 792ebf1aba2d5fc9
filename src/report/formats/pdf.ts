/**
 * report.pdf: the report an auditor files, written on request (`export --format pdf`,
 * `run --export pdf`). A cover (verdict, scope, as-of day, the run's facts), the counts per
 * severity and per control, the worst findings with what was found and what was expected, the
 * waivers, the controls with rationale, remediation and framework mappings, and an evidence appendix for the findings
 * listed (each probe's command, when it ran, its output cut with a pointer to the kept snapshot).
 *
 * Bounded: at most PDF_FINDINGS findings (the digest's order: severity, control, target), each
 * with at most PDF_EVIDENCE_CHARS of output per probe, so 10 hosts and 100,000 give a PDF of the
 * same order of size; the counts are whole, and the PDF says where the other findings are.
 *
 * Written with pdfkit (plain text drawn in DejaVu Sans, Debian's fonts-dejavu-core): text from a
 * host is drawn as characters, never interpreted. DejaVu has no CJK glyphs: such characters are
 * drawn as U+FFFD (never an error, and the cover says so); the text itself is whole in
 * summary.json, results.csv and results.xlsx. Without the fonts the format says so and is not
 * written; the other formats are.
 *
 * The same record gives the same bytes: the document's dates (and so its ID) are the run's start.
 */
import { waivedText } from "../bookkeeping/digest";
import { existsSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import type PDFDocumentType from "pdfkit";
import type { JsonValue } from "../../model/json";
import type { Result, ResultStatus } from "../../model/result";
import { NO_MAPPINGS, cisShown, nistShown, stigShown } from "../../model/mapping";
import { SEVERITIES } from "../../model/severity";
import { scopeText } from "../../waivers/describe";
import { runFactRows, runFacts } from "../bookkeeping/run-facts";
import { findingText } from "../finding";
import { STATUS_WORDS, targetTitle } from "../text";
import type { EndView, Format, FormatOutcome, SliceView } from "./format";
import { writtenFile } from "../output/written-file";

/** pdfkit, loaded when a PDF is written: it costs every other command 0.2 s to load. */
const pdfkit = (): typeof PDFDocumentType => require("pdfkit") as typeof PDFDocumentType;

export const PDF_FILE = "report.pdf";
/** Findings the PDF lists; the rest are counted, and listed in the other formats. */
export const PDF_FINDINGS = 100;
/** Characters of a probe's output shown in the appendix. */
export const PDF_EVIDENCE_CHARS = 1500;

export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
const FONTS = { body: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", mono: "DejaVuSansMono.ttf" } as const;

/** A probe read as the appendix shows it. */
interface EvidenceEntry {
  host: string;
  probe: string;
  title: string;
  command: string;
  startedAt?: string;
  output: string;
  cut: boolean;
  snapshot?: { file: string; sha256: string };
}

const keyOf = (r: Pick<Result, "control" | "target">): string => `${r.control.id}\u0000${r.target.kind}\u0000${r.target.name}`;
const isFinding = (r: Result): boolean => r.status === "failed" || r.status === "undetermined";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** pdfkit's font as loaded: fontkit's, which knows the glyphs it has. */
interface FontInside {
  _font: { font: { hasGlyphForCodePoint(codePoint: number): boolean } };
}

/**
 * Text as drawn in `font`: control characters (a drawn \f or \b means nothing to a reader) and
 * characters the font has no glyph for (CJK in DejaVu) become U+FFFD, which it has, so a reader
 * sees that something is there; without it they would be an empty box that text extraction drops.
 */
function drawable(doc: PDFKit.PDFDocument, font: string): (text: string) => string {
  doc.font(font);
  const loaded = (doc as unknown as FontInside)._font.font;
  const has = new Map<number, boolean>();
  const covered = (cp: number): boolean => {
    let known = has.get(cp);
    if (known === undefined) has.set(cp, (known = cp === 0x0a || loaded.hasGlyphForCodePoint(cp)));
    return known;
  };
  return (text) => Array.from(text.replace(CONTROL, "\uFFFD"), (ch) => (covered(ch.codePointAt(0)!) ? ch : "\uFFFD")).join("");
}

function outputText(value: JsonValue | { error: unknown }): string {
  return JSON.stringify(value, null, 1) ?? "null";
}

export class PdfWriter {
  /**
   * Evidence of the findings that may be listed: per control, its first PDF_FINDINGS findings in
   * the estate's order, which holds every one the digest's first PDF_FINDINGS can name.
   */
  private readonly evidence = new Map<string, EvidenceEntry[]>();
  private readonly perControl = new Map<string, number>();
  private readonly bySeverity = new Map<string, number>();

  private plain: (text: string) => string = (text) => text;
  private mono: (text: string) => string = (text) => text;

  /** `signer`: the keyid the report is signed with (FormatContext's), named on the cover. */
  constructor(
    private readonly file: string,
    private readonly startedAt: string,
    private readonly signer?: string,
  ) {}

  add(slice: Pick<SliceView, "results" | "lookup" | "kept">): void {
    for (const r of slice.results) {
      const key = `${r.control.severity}\u0000${r.status}`;
      this.bySeverity.set(key, (this.bySeverity.get(key) ?? 0) + 1);
      if (!isFinding(r)) continue;
      const n = this.perControl.get(r.control.id) ?? 0;
      this.perControl.set(r.control.id, n + 1);
      if (n >= PDF_FINDINGS) continue;
      this.evidence.set(keyOf(r), r.evidence.map((ref) => {
        const view = slice.lookup(ref);
        const record = view.record;
        const whole = record === undefined ? "(the snapshot holds no record of this probe)" : outputText("error" in record ? { error: record.error } : record.output);
        const cut = whole.length > PDF_EVIDENCE_CHARS;
        const kept = slice.kept(ref.host);
        return {
          host: ref.host,
          probe: ref.probe,
          title: view.title,
          command: view.command !== "" ? view.command : `(not a command hostproof ships) ${view.unshippedCommand ?? ""}`,
          ...(record !== undefined ? { startedAt: record.startedAt } : {}),
          output: cut ? whole.slice(0, PDF_EVIDENCE_CHARS) : whole,
          cut,
          ...(kept !== undefined ? { snapshot: kept } : {}),
        };
      }));
    }
  }

  async finish(end: Pick<EndView, "digest" | "environment" | "executor" | "shards">): Promise<FormatOutcome> {
    const missing = Object.values(FONTS).filter((f) => !existsSync(join(FONT_DIR, f)));
    if (missing.length > 0) return { ok: false, reason: `the PDF's fonts are not installed (${missing.join(", ")} in ${FONT_DIR}): install Debian's fonts-dejavu-core` };
    const date = new Date(this.startedAt);
    const doc = new (pdfkit())({ size: "A4", margin: 50, bufferPages: false, info: { Title: "hostproof compliance report", Creator: "hostproof", Producer: "hostproof", CreationDate: date, ModDate: date } });
    const out = createWriteStream(this.file);
    const done = new Promise<void>((resolve, reject) => {
      out.on("finish", resolve);
      out.on("error", reject);
    });
    doc.pipe(out);
    doc.registerFont("body", join(FONT_DIR, FONTS.body));
    doc.registerFont("bold", join(FONT_DIR, FONTS.bold));
    doc.registerFont("mono", join(FONT_DIR, FONTS.mono));
    this.plain = drawable(doc, "body");
    this.mono = drawable(doc, "mono");
    this.draw(doc, end);
    doc.end();
    await done;
    return { ok: true };
  }

  private draw(doc: PDFKit.PDFDocument, end: Pick<EndView, "digest" | "environment" | "executor" | "shards">): void {
    const d = end.digest;
    const plain = this.plain;
    const h1 = (text: string): void => {
      doc.font("bold").fontSize(16).fillColor("black").text(text);
      doc.moveDown(0.5);
    };
    const h2 = (text: string): void => {
      doc.font("bold").fontSize(11).fillColor("black").text(plain(text));
    };
    const para = (text: string, size = 9.5): void => {
      doc.font("body").fontSize(size).fillColor("black").text(plain(text));
    };
    const label = (text: string): void => {
      doc.font("bold").fontSize(9.5).fillColor("black").text(`${text}:`);
    };
    const field = (label: string, value: string): void => {
      doc.font("bold").fontSize(9.5).fillColor("black").text(`${label}: `, { continued: true });
      doc.font("body").text(plain(value));
    };

    // Cover.
    doc.font("bold").fontSize(24).text("hostproof compliance report");
    if (d.estate !== undefined) doc.font("body").fontSize(14).text(plain(d.estate));
    doc.moveDown(1.5);
    const colour = d.verdict === "compliant" ? "#1a7f37" : d.verdict === "non-compliant" ? "#b42318" : "#9a6700";
    doc.font("bold").fontSize(30).fillColor(colour).text(d.verdict.toUpperCase());
    doc.fillColor("black").moveDown(0.5);
    field("scope", `${d.hostCount} hosts, ${d.clusterCount} clusters, ${d.controls.length} controls`);
    field("as of", d.asOf);
    field("signed", this.signer !== undefined ? `by keyid ${this.signer}; check it with: hostproof verify <report> --key <its public key>` : "no");
    for (const [label, value] of runFactRows(runFacts(end))) if (label !== "as of") field(label, value);
    doc.moveDown();
    para("Characters this PDF's font cannot draw (Chinese, Japanese or Korean text read from a host) are shown as \uFFFD; every text is whole in summary.json, results.csv and results.xlsx.", 8);

    // Summary.
    doc.addPage();
    h1("Summary");
    h2("Results per severity");
    const statuses: readonly ResultStatus[] = ["failed", "undetermined", "waived", "notApplicable", "passed"];
    this.table(doc, ["severity", ...statuses.map((s) => STATUS_WORDS[s])], SEVERITIES.map((sev) => [sev, ...statuses.map((st) => String(this.bySeverity.get(`${sev}\u0000${st}`) ?? 0))]), [90, 80, 80, 80, 90, 70]);
    doc.moveDown();
    h2("Results per control");
    const counts = (c: (typeof d.perControl)[number]): string[] => statuses.map((s) => String(c.counts[s]));
    this.table(doc, ["control", ...statuses.map((s) => STATUS_WORDS[s])], d.perControl.map((c) => [c.id, ...counts(c)]), [90, 80, 80, 80, 90, 70]);

    // Findings.
    doc.addPage();
    h1("Findings");
    const total = d.totals.failed + d.totals.undetermined;
    const listed = d.findings.slice(0, PDF_FINDINGS);
    para(
      listed.length < total
        ? `${total} results failed or were undetermined. The ${listed.length} below come first by severity, control and target; every one is in summary.json, results.csv and results.xlsx (hostproof export <report> --format xlsx).`
        : `${total} results failed or were undetermined; all are below, by severity, control and target.`,
    );
    doc.moveDown(0.5);
    listed.forEach((r, i) => {
      h2(`F${i + 1}. [${r.control.severity}] ${r.control.id} ${r.control.title}`);
      field("target", targetTitle(r.target));
      field("status", STATUS_WORDS[r.status]);
      field("found", findingText(r));
      field("expected", r.expected);
      field("actual", r.actual);
      const ev = this.evidence.get(keyOf(r)) ?? [];
      if (ev.length > 0) field("evidence", ev.map((_, j) => `E${i + 1}.${j + 1}`).join(", "));
      doc.moveDown(0.5);
    });

    // Waivers.
    doc.addPage();
    h1("Waivers");
    const waivers = d.waivers?.waivers ?? [];
    if (waivers.length === 0) para(d.waivers === undefined ? "The run was given no waiver file." : "The waiver file holds no waiver.");
    waivers.forEach((w, i) => {
      const waived = d.waived.get(i);
      const applied = waived === undefined ? "none" : waivedText(waived);
      h2(`${w.id ?? `waivers[${i}]`}: ${w.controlId} on ${scopeText(w.scope)}`);
      field("justification", w.justification);
      field("approved by", `${w.approver}; ${w.reference}`);
      field("expires", `${w.expires}${w.expires < d.asOf ? " (expired: it waived nothing)" : ""}`);
      field("waived", applied);
      doc.moveDown(0.5);
    });

    // Controls.
    doc.addPage();
    h1("Controls");
    for (const c of d.controls) {
      h2(`${c.id} ${c.title}`);
      field("severity", c.severity);
      field("feature", c.feature);
      if (c.rationale !== undefined) field("rationale", c.rationale);
      if (c.remediation !== undefined) field("remediation", c.remediation);
      const m = c.mappings ?? NO_MAPPINGS;
      if (m.nist.length > 0) field("NIST SP 800-53", m.nist.map(nistShown).join("; "));
      if (m.stig.length > 0) field("DISA STIG", m.stig.map(stigShown).join("; "));
      if (m.cci.length > 0) field("CCI", m.cci.join("; "));
      if (m.cis.length > 0) field("CIS", m.cis.map(cisShown).join("; "));
      if (m.conflicts.length > 0) field("contradicts on purpose", m.conflicts.map((k) => (k.framework === "stig" ? `DISA STIG ${stigShown(k.ref)}` : cisShown(k.ref))).join("; "));
      doc.moveDown(0.5);
    }

    // Evidence appendix.
    doc.addPage();
    h1("Evidence appendix");
    para(`What each finding above relied on: the command hostproof ran, when, and its output (the first ${PDF_EVIDENCE_CHARS} characters; the whole record is in the kept snapshot named).`);
    doc.moveDown(0.5);
    listed.forEach((r, i) => {
      (this.evidence.get(keyOf(r)) ?? []).forEach((e, j) => {
        h2(`E${i + 1}.${j + 1} ${e.title} on host ${e.host} (F${i + 1}, ${r.control.id})`);
        field("read at", e.startedAt ?? "(not read)");
        label("command");
        doc.font("mono").fontSize(7.5).text(this.mono(e.command));
        label("output");
        doc.font("mono").fontSize(7.5).text(this.mono(e.output));
        if (e.cut) para(`… cut at ${PDF_EVIDENCE_CHARS} characters; the whole record is in ${e.snapshot !== undefined ? `${e.snapshot.file} (SHA-256 ${e.snapshot.sha256})` : "the host's snapshot"}.`, 8.5);
        else if (e.snapshot !== undefined) para(`Kept in ${e.snapshot.file} (SHA-256 ${e.snapshot.sha256}).`, 8.5);
        doc.moveDown(0.5);
      });
    });
  }

  /** Rows of short cells at fixed widths, a new page when the page is full. */
  private table(doc: PDFKit.PDFDocument, head: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[]): void {
    const x0 = doc.page.margins.left;
    const line = (cells: readonly string[], font: string): void => {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
      const y = doc.y;
      let x = x0;
      doc.font(font).fontSize(9);
      cells.forEach((c, i) => {
        doc.text(this.plain(c), x, y, { width: widths[i]! - 4, lineBreak: false, ellipsis: true });
        x += widths[i]!;
      });
      doc.x = x0;
      doc.y = y + 13;
    };
    line(head, "bold");
    for (const r of rows) line(r, "body");
  }

  abort(): void {
    // Nothing is open before finish: the document is drawn and written there.
  }
}

/** report.pdf as a format. */
export const pdfFormat: Format = {
  name: "pdf",
  onRequest: true,
  description: "a PDF an auditor files: verdict, counts, the worst findings with their evidence, waivers, controls",
  files: [PDF_FILE],
  open(ctx) {
    const file = join(ctx.dir, PDF_FILE);
    const writer = new PdfWriter(file, ctx.head.startedAt, ctx.signer);
    return {
      add: (slice) => writer.add(slice),
      finish: async (end) => {
        const outcome = await writer.finish(end);
        if (outcome.ok) ctx.record(PDF_FILE, await writtenFile(file));
        return outcome;
      },
      abort: () => writer.abort(),
    };
  },
};
