import type { Fact, HotfixFact } from "../model/facts";
import type { JsonObject, JsonValue } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { isObject, mapRows, normaliseRecord, objectList, parsed, prop, text, type Parsed } from "./shape";

/**
 * Get-HotFix. IDs are upper-cased so that nodes compare as sets; a repeated ID is kept once (the
 * first occurrence wins). Rows without a real ID are dropped because there is nothing to compare
 * them by: an empty HotFixID, and the "File 1", "File 2"... placeholders Win32_QuickFixEngineering
 * shows for those entries. An unreadable InstalledOn gives null: the date is evidence, never
 * what a control decides on.
 */
export function normaliseHotfixes(record: ProbeRecord | undefined): Fact<HotfixFact[]> {
  return normaliseRecord("hotfixes", record, (output) => {
    const rows = objectList(output);
    if (!rows.ok) return rows;
    const hotfixes = mapRows(rows.value, readHotfix);
    return hotfixes.ok ? parsed(firstOfEachId(hotfixes.value)) : hotfixes;
  });
}

const NO_ID_PLACEHOLDER = /^File \d+$/i;

function readHotfix(row: JsonObject): Parsed<HotfixFact | null> {
  const id = text(prop(row, "HotFixID"));
  if (id === null || NO_ID_PLACEHOLDER.test(id)) return parsed(null);
  return parsed({
    id: id.toUpperCase(),
    description: text(prop(row, "Description")),
    installedOn: installedOnDate(prop(row, "InstalledOn")),
  });
}

function firstOfEachId(hotfixes: HotfixFact[]): HotfixFact[] {
  const seen = new Set<string>();
  return hotfixes.filter((h) => {
    if (seen.has(h.id)) return false;
    seen.add(h.id);
    return true;
  });
}

/**
 * InstalledOn as yyyy-mm-dd from every form it takes: `/Date(ms)/` (Windows PowerShell 5.1),
 * ISO text (PowerShell 7), US text "6/5/2017 12:00:00 AM" (WMI), or 5.1's
 * `{"value":"/Date(ms)/","DateTime":"Monday, June 5, 2017 12:00:00 AM"}`.
 */
export function installedOnDate(value: JsonValue | undefined): string | null {
  if (isObject(value)) return installedOnDate(prop(value, "value")) ?? installedOnDate(prop(value, "DateTime"));
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return fromMsDate(trimmed) ?? fromIso(trimmed) ?? fromUs(trimmed) ?? fromEnglishLong(trimmed);
}

const DAY_MS = 86_400_000;

/**
 * `/Date(ms)/` is UTC, but InstalledOn is a date-only value at local midnight, which lands on the
 * previous UTC day east of Greenwich. With an explicit offset (`/Date(ms+0900)/`) the local date is
 * exact; without one, rounding to the nearest UTC midnight recovers the local date for every
 * offset from -11:00 to +12:00.
 */
function fromMsDate(value: string): string | null {
  const match = /^\\?\/Date\((-?\d+)(?:([+-])(\d{2})(\d{2}))?\)\\?\/$/.exec(value);
  if (match === null) return null;
  const ms = Number(match[1]);
  if (match[2] !== undefined) {
    const offsetMs = (Number(match[3]) * 60 + Number(match[4])) * 60_000 * (match[2] === "-" ? -1 : 1);
    return isoDay(new Date(ms + offsetMs));
  }
  return isoDay(new Date(Math.round(ms / DAY_MS) * DAY_MS));
}

/** The date as written: the time and offset that follow it are the host's, so no conversion. */
function fromIso(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  return match === null ? null : ymd(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** WMI's InstalledOn text is month/day/year whatever the host's locale. */
function fromUs(value: string): string | null {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s.*)?$/.exec(value);
  return match === null ? null : ymd(Number(match[3]), Number(match[1]), Number(match[2]));
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Only the companion DateTime text of the 5.1 object form reaches here; other locales give null. */
function fromEnglishLong(value: string): string | null {
  const match = /^(?:[A-Za-z]+,\s*)?([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\b/.exec(value);
  if (match === null) return null;
  const month = MONTHS.indexOf(match[1].toLowerCase()) + 1;
  return month === 0 ? null : ymd(Number(match[3]), month, Number(match[2]));
}

function ymd(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? isoDay(date) : null;
}

function isoDay(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}
