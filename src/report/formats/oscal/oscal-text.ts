/**
 * Text as the OSCAL schema's datatypes accept it, whatever a host, an inventory or a waiver file
 * put in it. JSON itself carries any string (JSON.stringify escapes it); what can break the
 * document is a field whose datatype has a pattern, and a GRC tool that renders markup:
 *
 * - markup-line and markup-multiline are Markdown (CommonMark) to every OSCAL tool. Text from a
 *   host or a file is escaped as summary.md escapes it for GitHub (markdownText, below), so that a
 *   renderer shows its characters, never an image, a link or HTML: `![x](http://…)` stays those
 *   characters. A markup-line holds no line break (its pattern is `^[^\n]+$`), so breaks fold to a space.
 * - string (props' values, names) has no leading or trailing whitespace and no line break (its
 *   pattern is `^\S(.*\S)?$`, and `.` matches no line terminator): breaks fold to a space and the
 *   ends are trimmed; an empty value leaves the prop out.
 * - token (ids, prop names, reasons) and uuid are never made from such text here: they are ours,
 *   or derived (a v5 UUID of the text, a NIST id that passed nistTargets' parse).
 * - date-time needs a zone and a year from 1900 to 2999: a time that is not one is left out, and
 *   the caller says so.
 *
 * Everywhere, characters XML 1.0 cannot carry (C0 controls but tab, line feed and carriage return;
 * lone surrogates; U+FFFE, U+FFFF) become U+FFFD: GRC tools convert OSCAL JSON to XML, and a
 * control character would break that conversion, not the JSON.
 */

import { mdText } from "../summary-md";

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** What the schema's `.` does not match, under the Unicode flag ajv compiles its patterns with. */
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029]/g;

/** Text that XML can carry: the one step every text field takes. */
export function carried(text: string): string {
  return text.replace(NOT_XML, "\uFFFD");
}

/** What starts a block at the start of a line: a heading, a list item, a rule, a setext underline (mdText escapes the rest). */
const BLOCK_START = /^([ \t]*)(#|[-+=]|\d+[.)])/;

const escapeBlock = (_m: string, indent: string, mark: string): string => `${indent}${mark.replace(/([#\-+=.)])$/, "\\$1")}`;

/**
 * Text from a host or a file as Markdown that renders as these characters: each line as summary.md
 * escapes host text for GitHub (mdText: no emphasis, code, link, image, tag, table cell or
 * autolink; control and invisible characters as visible escapes), and a line that would start a
 * block (a heading, a list, a rule) escaped at its start. `startsLine`: the text begins a line of
 * the markup; else it follows words of ours, where a `1.` or `#` starts nothing.
 */
export function markdownText(text: string, startsLine = false): string {
  return carried(
    text
      .split(/\r\n|[\n\r\u2028\u2029]/)
      .map((line, i) => {
        const md = mdText(line);
        return i > 0 || startsLine ? md.replace(BLOCK_START, escapeBlock) : md;
      })
      .join("\n"),
  );
}

/** A markup-line: one line, never empty. */
export function markupLine(text: string): string {
  const line = markdownText(text.replace(LINE_BREAKS, " "), true);
  return line.trim() === "" ? "(empty)" : line;
}

/** A markup-multiline made of our own words (Markdown allowed) and escaped text from elsewhere. */
export function markupMulti(text: string): string {
  return carried(text).replace(/\r\n?/g, "\n");
}

/** A string datatype's value, or undefined when nothing is left (the field is then left out). */
export function stringValue(text: string | undefined | null): string | undefined {
  if (text === undefined || text === null) return undefined;
  const value = carried(text).replace(LINE_BREAKS, " ").trim();
  return value === "" ? undefined : value;
}

/** The schema's DateTimeWithTimezoneDatatype pattern, years 1900 to 2999 and the zones it lists. */
const OSCAL_DATE_TIME =
  /^(((2000|2400|2800|(19|2[0-9](0[48]|[2468][048]|[13579][26])))-02-29)|(((19|2[0-9])[0-9]{2})-02-(0[1-9]|1[0-9]|2[0-8]))|(((19|2[0-9])[0-9]{2})-(0[13578]|10|12)-(0[1-9]|[12][0-9]|3[01]))|(((19|2[0-9])[0-9]{2})-(0[469]|11)-(0[1-9]|[12][0-9]|30)))T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|(-((0[0-9]|1[0-2]):00|0[39]:30)|\+((0[0-9]|1[0-4]):00|(0[34569]|10):30|(0[58]|12):45)))$/;

/**
 * A time as OSCAL takes it: as written when the schema accepts it, else the same instant in UTC
 * (an offset the schema's list lacks, a lower-case `z`), else undefined (no zone, out of range,
 * not a time).
 */
export function oscalDateTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (OSCAL_DATE_TIME.test(text)) return text;
  // A time without a zone is not an instant: Date.parse would read it as local time.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  const t = Date.parse(text);
  if (Number.isNaN(t) || !realDay(text)) return undefined;
  const utc = new Date(t).toISOString();
  return OSCAL_DATE_TIME.test(utc) ? utc : undefined;
}

/** Whether the text's yyyy-mm-dd is a day of the calendar: Date.parse rolls February 30th into March. */
function realDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The last instant of a yyyy-mm-dd day in UTC (a waiver applies through the end of its day), or undefined. */
export function endOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  // The schema's pattern alone: Date.parse would roll February 30th into March.
  const end = `${day}T23:59:59Z`;
  return OSCAL_DATE_TIME.test(end) ? end : undefined;
}

/** A path relative to the report as a URI reference: each segment percent-encoded. */
export function pathHref(path: string): string {
  return path
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}
