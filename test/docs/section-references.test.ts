/**
 * Messages hostproof prints send the reader to a section of its documentation (`docs/controls.md,
 * "Adding a control"`). Each such reference in the code, outside comments, names a document that
 * exists and a heading it has: a message pointing at a section that moved is a dead end.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { anchorsOf, read, ROOT, slug } from "../helpers/docs";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith(".ts") ? [full] : [];
  });
}

test("every documentation section a message names exists", () => {
  const problems: string[] = [];
  let found = 0;
  for (const file of sources(join(ROOT, "src"))) {
    readFileSync(file, "utf8").split("\n").forEach((line, k) => {
      if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
      for (const m of line.matchAll(/\b(README(?:\.md)?|docs\/[\w.-]+\.md), \\?"([^"\\]+)\\?"/g)) {
        found++;
        const doc = m[1] === "README" ? "README.md" : m[1]!;
        const where = `${relative(ROOT, file)}:${k + 1}: ${m[0]}`;
        if (!existsSync(join(ROOT, doc))) problems.push(`${where}: no ${doc}`);
        else if (!anchorsOf(read(doc)).has(slug(m[2]!))) problems.push(`${where}: ${doc} has no heading "${m[2]}"`);
      }
    });
  }
  assert.ok(found >= 4, `only ${found} references found`);
  assert.deepEqual(problems, []);
});
