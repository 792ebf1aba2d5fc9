/** Schema validators for the testkit's own checks (the product has its own loader in src/). */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

function compile(file: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(root, "schemas", file), "utf8")));
}

export const validateSnapshot = compile("snapshot.schema.json");
export const validateInventory = compile("inventory.schema.json");

/** Readable ajv errors for assertion messages; empty when the value is valid. */
export function schemaErrors(validate: ValidateFunction, value: unknown): string {
  if (validate(value)) return "";
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`).join("; ");
}

/**
 * The property names a catalog command projects, in order: `Select-Object A, 'B C', @{Name='D';...}`.
 * Tests compare them with the keys of built outputs so the builder cannot drift from the catalog.
 */
export function projectedProperties(command: string): string[] {
  const match = /Select-Object (.*?) \| ConvertTo-Json/.exec(command);
  if (!match) throw new Error(`no Select-Object projection in: ${command}`);
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of match[1]) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts.map((p) => {
    const calculated = /^@\{Name='([^']+)'/.exec(p);
    if (calculated) return calculated[1];
    return p.replace(/^'(.*)'$/, "$1");
  });
}
export const validateDirectorySnapshot = compile("directory-snapshot.schema.json");
