/**
 * Checks documents against the JSON Schemas in schemas/ and turns ajv's errors into problems a
 * person can act on: which field, what is wrong, what to do.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InputProblem } from "../errors";
import type { LoadedDocument } from "../input/read-document";
import { SCHEMAS_DIR } from "../package-root";

export type SchemaName = "inventory" | "snapshot" | "summary" | "waivers" | "shard" | "run" | "export" | "ansible-vars" | "directory-snapshot";

/** Schemas that $ref another by its $id: that one is compiled (and so registered with ajv) first. */
const REFERENCES: Partial<Record<SchemaName, SchemaName[]>> = { "ansible-vars": ["inventory"] };

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    for (const other of REFERENCES[name] ?? []) validator(other);
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, `${name}.schema.json`), "utf8")) as object;
    fn = ajv.compile(schema);
    compiled.set(name, fn);
  }
  return fn;
}

/** Returns no problems when the document is valid. */
export function checkSchema(name: SchemaName, doc: LoadedDocument): InputProblem[] {
  // A file that is not even a mapping is not a hostproof document (a snapshot path pointing at
  // /etc/passwd parses as one YAML string): say so without showing its content.
  if (doc.value === null || typeof doc.value !== "object" || Array.isArray(doc.value)) {
    const what = doc.value === null ? "empty" : Array.isArray(doc.value) ? "a list" : `a ${typeof doc.value}`;
    return [{ file: doc.file, problem: `this is not a hostproof ${name === "waivers" ? "waiver" : name === "ansible-vars" ? "variable set" : name === "directory-snapshot" ? "directory snapshot" : name} file: its top level is ${what}, not a mapping of fields`, fix: "Check that you named the right file." }];
  }
  const validate = validator(name);
  if (validate(doc.value)) return [];
  return describeErrors(validate.errors ?? [], doc, name);
}

function describeErrors(errors: ErrorObject[], doc: LoadedDocument, schema: SchemaName): InputProblem[] {
  // if/then and oneOf report a summary error on top of the specific ones; the specific ones say more.
  // anyOf/oneOf alternatives each report why they failed; one sentence for the field says more.
  const alternatives = new Set(errors.filter((e) => (e.keyword === "anyOf" || e.keyword === "oneOf") && ALTERNATIVES_FIX[lastSegment(e.instancePath)]).map((e) => e.instancePath));
  const own: InputProblem[] = [...alternatives].map((pointer) => {
    const path = pointerToPath(pointer);
    const last = lastSegment(pointer);
    // A password written into the file is a secret: it is named, never shown.
    const shown = last === "password" ? "a value written into the file" : show(valueAt(doc.value, path));
    return { file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem: `${shown} is not ${ALTERNATIVES_FIX[last][0]}`, fix: ALTERNATIVES_FIX[last][1] };
  });
  let specific = errors.filter((e) => e.keyword !== "if" && e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "not" && ![...alternatives].some((a) => e.instancePath === a || e.instancePath.startsWith(`${a}/`)));
  // A bad key is reported twice (propertyNames, and the enum inside it that cannot name the key).
  const badKeys = new Set(specific.filter((e) => e.keyword === "propertyNames").map((e) => e.instancePath));
  specific = specific.filter((e) => !((e.keyword === "enum" || e.keyword === "pattern") && badKeys.has(e.instancePath)));
  // "output or error": neither branch of the oneOf matched, so both required errors fire.
  const eitherOr = specific.filter((e) => e.keyword === "required" && ["output", "error"].includes(String((e.params as Record<string, unknown>).missingProperty)));
  const eitherOrPaths = new Set(eitherOr.map((e) => e.instancePath).filter((p, i, all) => all.indexOf(p) !== i));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const problems: InputProblem[] = [...own];
  if (specific.length === 0 && own.length > 0) return own;
  for (const e of chosen) {
    if (eitherOrPaths.has(e.instancePath) && e.keyword === "required") {
      const path = pointerToPath(e.instancePath);
      const p: InputProblem = { file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem: "a probe record needs either 'output' or 'error'", fix: "Give the probe's ConvertTo-Json output as 'output', or its failure as 'error' with 'kind' and 'message'." };
      const key = `${p.field}|${p.problem}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(p);
      }
      continue;
    }
    const p = describe(e, doc, schema);
    const key = `${p.field}|${p.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/** Fields whose schema offers alternatives, with what they must be and how to write it. */
const ALTERNATIVES_FIX: Record<string, [string, string]> = {
  address: ["a DNS name or an IP address", "Use a host name or FQDN (letters, digits, hyphens, dots), an IPv4 address or an IPv6 address."],
  username: ["a user name or a secret source", "Use a user name, or { env: VARIABLE } or { vault: <vault>, secret: <name> }."],
  password: ["a secret source", "Passwords never go in the inventory: use { env: VARIABLE } or { vault: <vault>, secret: <name> }."],
  scope: ['a host, a cluster or "all"', "Use { host: <name> }, { cluster: <name> } (the cluster and each of its nodes) or all, with one name."],
};

function lastSegment(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf("/") + 1);
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function formatPath(path: (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(top level)";
}

function describe(e: ErrorObject, doc: LoadedDocument, schema: SchemaName): InputProblem {
  const path = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  let fieldPath = path;
  let problem: string;
  let fix: string;
  switch (e.keyword) {
    case "required":
      fieldPath = [...path, String(params.missingProperty)];
      problem = `the required field '${String(params.missingProperty)}' is missing`;
      fix = `Add '${String(params.missingProperty)}'${hintFor(schema, String(params.missingProperty))}.`;
      break;
    case "additionalProperties":
      fieldPath = [...path, String(params.additionalProperty)];
      problem = `'${String(params.additionalProperty)}' is not a known field`;
      fix = "Remove it or correct its spelling (field names are case-sensitive).";
      break;
    case "enum":
      problem = `${show(valueAt(doc.value, path))} is not allowed`;
      fix = `Use one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`;
      break;
    case "const":
      problem = `${show(valueAt(doc.value, path))} is not allowed`;
      fix = `Use ${JSON.stringify(params.allowedValue)}.`;
      break;
    case "type":
      problem = `expected ${String(params.type)}, found ${kindOf(valueAt(doc.value, path))}`;
      fix = `Make it ${article(String(params.type))}.`;
      break;
    case "pattern":
      problem = `${show(valueAt(doc.value, path))} is not in the expected form`;
      fix = patternFix(path);
      break;
    case "format":
      problem = `${show(valueAt(doc.value, path))} is not a valid ${String(params.format)}`;
      fix =
        params.format === "date-time"
          ? "Use an ISO 8601 date and time with a zone, e.g. 2026-11-20T09:00:00Z."
          : params.format === "date"
            ? "Use a calendar date as yyyy-mm-dd, e.g. 2027-06-30."
            : `Use a valid ${String(params.format)}.`;
      break;
    case "propertyNames":
      fieldPath = [...path, String(params.propertyName)];
      problem = `'${String(params.propertyName)}' is not a known ${schema === "snapshot" ? "probe" : "key"}`;
      fix =
        schema === "snapshot"
          ? "Use the probe names of src/probes/catalog.ts (os, computerSystem, uacPolicy, …; names are case-sensitive), or a generic probe's kind:what (registry:HKLM\\…, service:W32Time, windowsFeature:…, optionalFeature:…, localGroup:…, cim:…)."
          : "Remove it or correct its spelling.";
      break;
    case "minItems":
      problem = `needs at least ${String(params.limit)} item(s)`;
      fix = "Add the missing items.";
      break;
    case "uniqueItems":
      problem = `items ${String(params.j)} and ${String(params.i)} are the same`;
      fix = "List each item once.";
      break;
    case "minLength":
      problem = "must not be empty";
      fix = "Give it a value.";
      break;
    default:
      problem = e.message ?? `fails the '${e.keyword}' rule`;
      fix = `See schemas/${schema}.schema.json.`;
  }
  return { file: doc.file, field: formatPath(fieldPath), line: doc.lineOf(fieldPath), problem, fix };
}

function hintFor(schema: SchemaName, field: string): string {
  const hints: Record<string, string> = {
    snapshot: " (the path of this host's snapshot file, relative to the inventory)",
    adminAccount: " (the local account the cluster was created with, e.g. clusadmin)",
    domains: " (every DNS domain the cluster's nodes belong to, at least two)",
    version: schema !== "summary" ? " with the value 1" : "",
    transport: " (snapshot; local, winrm and ssh come with live collection)",
    ...WAIVER_FIELD_HINTS,
  };
  return hints[field] ?? "";
}

/** What each waiver field holds: the same words serve a missing field and a blank one. */
const WAIVER_FIELD_HINTS: Record<string, string> = {
  controlId: " (the control waived, as `hostproof controls` lists it, e.g. HP-CLU-004)",
  scope: " ({ host: <name> }, { cluster: <name> } or all)",
  justification: " (why the risk is accepted, in words an auditor can read back)",
  approver: " (who accepted the risk: a name and role)",
  reference: " (the ticket or change that records the approval, e.g. CHG-2211)",
  expires: " (the last day the waiver applies, yyyy-mm-dd, UTC)",
};

function patternFix(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === "string" && last in WAIVER_FIELD_HINTS) return `Write it out${WAIVER_FIELD_HINTS[last]}.`;
  if (last === "name" || path.includes("domains")) return "Use a DNS host name or FQDN: letters, digits, hyphens and dots, no spaces or underscores.";
  if (last === "keyword") return "Use a standardized NDIS keyword starting with '*', e.g. *RSS or *VMQ.";
  if (last === "adminAccount") return "Use a local account name without a domain prefix, at most 20 characters.";
  return "See the schema for the expected form.";
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let cur = value;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "the value" : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${show(v)}`;
}

function article(type: string): string {
  const words: Record<string, string> = { object: "an object (key: value pairs)", array: "a list", string: "a string", integer: "a whole number", number: "a number", boolean: "true or false" };
  return words[type] ?? type;
}

/**
 * Whether `value` is one result as summary.json holds it (its `definitions/result`): a reader of
 * a 1.9 GB summary.json checks each result line on its own rather than the whole document.
 */
export function isSummaryResult(value: unknown): boolean {
  if (summaryResult === undefined) {
    validator("summary");
    summaryResult = ajv.getSchema("https://hostproof.dev/schemas/summary.schema.json#/definitions/result");
    if (summaryResult === undefined) throw new Error("summary.schema.json has no definitions/result");
  }
  return summaryResult(value) === true;
}

let summaryResult: ValidateFunction | undefined;
