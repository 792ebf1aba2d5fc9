/**
 * The record of a run: its results (summary.json, the record's format), the evidence (the
 * snapshots as judged, the manifest, a shard's evidence/shard.json) and Cucumber's message stream.
 * Every other output is a format derived from it (./formats/). The message stream is recorded, not
 * derived: it is what Cucumber emitted while it judged, which no function of the results gives back.
 */
import { REGISTRY } from "./formats";
import type { Format } from "./formats/format";
import { REPORT_MARKER } from "./output/output-dir";

export const MESSAGES_FILE = "cucumber-messages.ndjson";
export const SNAPSHOTS_DIR = "evidence/snapshots";
/** The record's own parts, as the list a run prints names them after its formats. */
export const RECORD_SHOWN: readonly string[] = [MESSAGES_FILE, "evidence/"];

/**
 * What a report's manifest covers: the evidence, every format of the registry (a folder entry ends
 * in `/`: every file under it is listed), the message stream and the report's marker. Formats a
 * run did not write are covered all the same: a file planted where one would be is unexpected.
 */
export function reportCoverage(formats: readonly Pick<Format, "files">[]): string[] {
  return ["evidence/", ...formats.flatMap((f) => f.files), MESSAGES_FILE, REPORT_MARKER];
}

export const REPORT_COVERAGE: readonly string[] = reportCoverage(REGISTRY.formats);
