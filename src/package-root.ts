/**
 * hostproof's own folder: the one holding its package.json, beside features/ and schemas/. Found by
 * walking up from this module, because the code runs from two depths: src/ (TypeScript through tsx,
 * as the tests do) and dist/src/ (the compiled JavaScript the CLI ships). Every path into the
 * package is made from PACKAGE_ROOT, never from a module's own __dirname.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface PackageJson {
  name: string;
  version: string;
}

function findPackage(start: string): { root: string; json: PackageJson } {
  for (let dir = start; ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, "package.json"), "utf8");
    } catch {
      // No package.json here: look one folder up.
    }
    // A package.json of another name (say, one a tool put in dist/) is not hostproof's.
    if (text !== undefined) {
      const json = JSON.parse(text) as PackageJson;
      if (json.name === "hostproof") return { root: dir, json };
    }
    if (dirname(dir) === dir) throw new Error(`hostproof's package.json was not found above ${start}`);
  }
}

const found = findPackage(__dirname);

export const PACKAGE_ROOT: string = found.root;
export const PACKAGE_JSON: Readonly<PackageJson> = found.json;
export const FEATURES_DIR: string = join(PACKAGE_ROOT, "features");
export const SCHEMAS_DIR: string = join(PACKAGE_ROOT, "schemas");
