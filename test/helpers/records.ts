/**
 * Probe records and captured outputs for normaliser tests. Records get a fixed command and start
 * time so that a test states only the output (or error) it is about.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Fact, FactProblemKind } from "../../src/model/facts";
import type { JsonValue } from "../../src/model/json";
import type { ProbeErrorKind, ProbeFailure, ProbeSuccess } from "../../src/model/snapshot";

const COMMAND = "(test fixture)";
const STARTED_AT = "2025-06-02T09:00:00.000Z";
const SAMPLES = join(__dirname, "..", "fixtures", "samples");

export function success(output: JsonValue): ProbeSuccess {
  return { command: COMMAND, startedAt: STARTED_AT, output };
}

export function failure(kind: ProbeErrorKind, message: string): ProbeFailure {
  return { command: COMMAND, startedAt: STARTED_AT, error: { kind, message } };
}

/** A record built from ConvertTo-Json text exactly as PowerShell wrote it (5.1 `\/Date()\/` and all). */
export function successJson(jsonText: string): ProbeSuccess {
  return success(JSON.parse(jsonText) as JsonValue);
}

export function readSample(file: string): string {
  return readFileSync(join(SAMPLES, file), "utf8");
}

/** The JSON body of a capture: the lines after its leading `#` comments, up to the next `#` line. */
export function sampleJson(file: string): JsonValue {
  const lines = readSample(file).split(/\r?\n/);
  const start = lines.findIndex((line) => !line.startsWith("#"));
  const length = lines.slice(start).findIndex((line) => line.startsWith("#"));
  const body = lines.slice(start, length < 0 ? undefined : start + length).join("\n");
  return JSON.parse(body) as JsonValue;
}

/**
 * The records of one `# ===== <name>` section of a Format-List capture, as text. A record ends
 * where a property name repeats (getperf's captures have no blank lines between records); indented
 * lines continue the previous value (Format-List wraps long values).
 */
export function formatListSection(file: string, section: string): Record<string, string>[] {
  const lines = readSample(file).split(/\r?\n/);
  const start = lines.indexOf(`# ===== ${section}`);
  assert.ok(start >= 0, `section ${section} not found in ${file}`);
  const records: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  let lastKey: string | null = null;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("#")) break;
    const match = /^(\S[^:]*?)\s*:\s?(.*)$/.exec(line);
    if (match === null) {
      if (lastKey !== null && /^\s+\S/.test(line)) current[lastKey] += line.trim();
      continue;
    }
    const [, key, value] = match;
    if (key in current) {
      records.push(current);
      current = {};
    }
    current[key] = value.trim();
    lastKey = key;
  }
  if (Object.keys(current).length > 0) records.push(current);
  return records;
}

/** Asserts the fact holds a value and returns it. */
export function valueOf<T>(fact: Fact<T>): T {
  if (!fact.ok) assert.fail(`expected a value, got ${fact.problem.kind}: ${fact.problem.message}`);
  return fact.value;
}

/** Asserts the fact could not be read for the given reason and returns its message. */
export function problemOf<T>(fact: Fact<T>, kind: FactProblemKind): string {
  if (fact.ok) assert.fail(`expected a ${kind} problem, got a value: ${JSON.stringify(fact.value)}`);
  assert.equal(fact.problem.kind, kind, fact.problem.message);
  return fact.problem.message;
}
