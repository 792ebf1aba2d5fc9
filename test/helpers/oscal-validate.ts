/**
 * Every OSCAL document a test produces goes through here: ajv 8 (draft-07) with ajv-formats
 * against NIST's OSCAL 1.2.3 assessment-results schema (test/fixtures/oscal/), defaults kept
 * (strict, unicodeRegExp on: the schema's token pattern is `\p{L}`-based), plus what the schema
 * cannot say: every UUID defined once, and every reference (an observation, a risk, a subject,
 * an actor, a party, a component, an `#uuid` href) naming a UUID the document defines.
 *
 * A small document is parsed and validated whole. A large one (10,000 hosts is ~1 GB, past what
 * one JSON.parse of one string takes) is read a line at a time, as hostproof writes it: one member
 * per line in each long array. The document's skeleton (each array cut to its first member) is
 * validated whole, then every member inside that skeleton, in batches, so the root schema checks
 * each of them where it stands.
 *
 * Also a command, for the scale test and a GRC engineer:
 *   node --import tsx test/helpers/oscal-validate.ts <oscal-assessment-results.json>
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const OSCAL_SCHEMA_FILE = join(__dirname, "..", "fixtures", "oscal", "oscal_assessment-results_schema.json");

let compiled: ValidateFunction | undefined;

/** The schema compiled once per process: ajv's defaults, as the reference notes tested them. */
export function oscalSchema(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(OSCAL_SCHEMA_FILE, "utf8")) as object);
  }
  return compiled;
}

function schemaProblems(doc: unknown, where = ""): string[] {
  const validate = oscalSchema();
  if (validate(doc)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `${where}${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params !== undefined ? ` ${JSON.stringify(e.params)}` : ""}`);
}

const REF_KEYS = new Set(["observation-uuid", "risk-uuid", "subject-uuid", "actor-uuid", "party-uuid", "component-uuid", "response-uuid"]);

/** UUIDs defined and referenced, gathered over a document or its parts. */
export class OscalRefs {
  readonly defined = new Set<string>();
  readonly twice: string[] = [];
  private readonly referenced = new Map<string, string>();

  walk(value: unknown, path = ""): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(v, `${path}/${i}`));
      return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "uuid" && typeof v === "string") {
        if (this.defined.has(v)) this.twice.push(`${path}/uuid ${v}`);
        this.defined.add(v);
      } else if (REF_KEYS.has(k) && typeof v === "string") this.referenced.set(v, `${path}/${k}`);
      else if (k === "party-uuids" && Array.isArray(v)) for (const u of v) this.referenced.set(String(u), `${path}/${k}`);
      else if (k === "href" && typeof v === "string" && v.startsWith("#")) this.referenced.set(v.slice(1), `${path}/${k}`);
      else this.walk(v, `${path}/${k}`);
    }
  }

  problems(): string[] {
    const dangling = [...this.referenced].filter(([u]) => !this.defined.has(u)).map(([u, at]) => `${at} names ${u}, which the document does not define`);
    return [...this.twice.map((t) => `${t} is defined twice`), ...dangling].slice(0, 20);
  }
}

export interface OscalCheck {
  problems: string[];
  /** Members of each array, by key: "observations", "findings", … */
  counts: Record<string, number>;
  bytes: number;
}

function countArrays(value: unknown, counts: Record<string, number>): void {
  if (Array.isArray(value)) value.forEach((v) => countArrays(v, counts));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(v)) counts[k] = (counts[k] ?? 0) + v.length;
      countArrays(v, counts);
    }
  }
}

/** A document in memory, validated whole. */
export function checkOscalText(text: string): OscalCheck {
  const doc = JSON.parse(text) as unknown;
  const refs = new OscalRefs();
  refs.walk(doc);
  const counts: Record<string, number> = {};
  countArrays(doc, counts);
  return { problems: [...schemaProblems(doc), ...refs.problems()], counts, bytes: Buffer.byteLength(text) };
}

/** Above this a document is read a line at a time. */
const WHOLE_UP_TO = 64 << 20;
const BATCH = 2000;

/** A document file: whole when small, else line by line (see the module's comment). */
export async function checkOscalFile(path: string, options: { streaming?: boolean } = {}): Promise<OscalCheck> {
  const bytes = statSync(path).size;
  if (options.streaming !== true && bytes <= WHOLE_UP_TO) return checkOscalText(readFileSync(path, "utf8"));

  // Pass 1, the skeleton: every line but the second and later members of an array.
  const skeleton: string[] = [];
  const counts: Record<string, number> = {};
  await eachMember(path, (line) => skeleton.push(line), (key, first, line) => {
    counts[key] = (counts[key] ?? 0) + 1;
    if (first) skeleton.push(line);
  });
  const refs = new OscalRefs();
  const skeletonText = skeleton.join("\n");
  const problems = [...schemaProblems(JSON.parse(skeletonText) as unknown, "skeleton: ")];
  refs.walk(JSON.parse(skeletonText));
  // Pass 2: each batch of later members stands in for the first member of its array, in a copy
  // of the skeleton, so that the root schema checks them where they stand. Memory: one batch.
  const firstAt = new Map<string, number>();
  skeleton.forEach((line, i) => {
    const key = i > 0 ? /"([a-z-]+)": \[$/.exec(skeleton[i - 1]!)?.[1] : undefined;
    if (key !== undefined && !firstAt.has(key) && line.startsWith("{")) firstAt.set(key, i);
  });
  let batch: string[] = [];
  let batchKey = "";
  const flush = (): void => {
    if (batch.length === 0 || problems.length >= 20) return;
    const at = firstAt.get(batchKey)!;
    const text = [...skeleton.slice(0, at), batch.join(",\n"), ...skeleton.slice(at + 1)].join("\n");
    problems.push(...schemaProblems(JSON.parse(text) as unknown, `${batchKey} batch: `));
    for (const m of batch) refs.walk(JSON.parse(m), `/${batchKey}`);
    batch = [];
  };
  await eachMember(path, () => undefined, (key, first, line) => {
    if (first) return;
    if (key !== batchKey || batch.length >= BATCH) flush();
    batchKey = key;
    batch.push(line);
  });
  flush();
  problems.push(...refs.problems());
  return { problems, counts, bytes };
}

/**
 * Reads hostproof's layout a line at a time: a member of a long array is a line that is one
 * object, after the line that opens the array (`"findings": [`) or another member.
 */
async function eachMember(path: string, other: (line: string) => void, member: (key: string, first: boolean, line: string) => void): Promise<void> {
  let key: string | undefined;
  let first = true;
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (key !== undefined && line.startsWith("{") && (line.endsWith("}") || line.endsWith("},"))) {
      member(key, first, line.endsWith(",") ? line.slice(0, -1) : line);
      first = false;
      continue;
    }
    other(line);
    key = /"([a-z-]+)": \[$/.exec(line)?.[1];
    first = true;
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (file === undefined) {
    process.stderr.write("usage: node --import tsx test/helpers/oscal-validate.ts <oscal-assessment-results.json>\n");
    process.exit(3);
  }
  const started = performance.now();
  void checkOscalFile(file).then((check) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const summary = `${check.bytes} bytes; ${Object.entries(check.counts).map(([k, v]) => `${v} ${k}`).join(", ")}; ${seconds} s`;
    if (check.problems.length === 0) process.stdout.write(`valid OSCAL 1.2.3 assessment results: ${summary}\n`);
    else process.stdout.write(`INVALID (${summary}):\n${check.problems.join("\n")}\n`);
    process.exit(check.problems.length === 0 ? 0 : 1);
  });
}

/** For tests: fails unless `file` is valid OSCAL 1.2.3 with every reference resolved. */
export async function assertOscalValid(file: string): Promise<void> {
  const check = await checkOscalFile(file);
  if (check.problems.length > 0) throw new Error(`${file} is not valid OSCAL 1.2.3 assessment results:\n${check.problems.join("\n")}`);
}
