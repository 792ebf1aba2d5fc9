/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file or folder exists in
 * the repository, and a `#anchor` names a heading of the Markdown file it points into (as GitHub
 * makes heading anchors). The README was split into docs/; a link left pointing at a section that
 * moved is the first thing a reader would trip on.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { anchorsOf, docFiles, linksOf, read, ROOT, slug } from "../helpers/docs";

test("GitHub's heading anchors, as the links use them", () => {
  assert.equal(slug("Your own controls: --features and the control lint"), "your-own-controls---features-and-the-control-lint");
  assert.equal(slug("HDF per target: `hdf/`"), "hdf-per-target-hdf");
  assert.equal(slug("hostproof_ variables"), "hostproof_-variables");
  assert.equal(slug("What `hostproof run` prints"), "what-hostproof-run-prints");
  assert.deepEqual([...anchorsOf("# A\n\n```\n# not a heading\n```\n## A\n")], ["a", "a-1"]);
});

test("every relative link and #anchor in README.md and docs/*.md resolves", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of docFiles()) {
    for (const link of linksOf(file, read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) continue;   // https:, mailto:
      checked++;
      const [path = "", anchor] = link.target.split("#", 2);
      const target = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
      const where = `${file}:${link.line}: ${link.target}`;
      if (target.startsWith("..") || !existsSync(join(ROOT, target))) {
        broken.push(`${where}: ${relative(ROOT, join(ROOT, target))} does not exist`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!target.endsWith(".md")) {
        broken.push(`${where}: an anchor into a file that is not Markdown`);
        continue;
      }
      if (!anchorsOf(read(target)).has(anchor)) broken.push(`${where}: ${target} has no heading with the anchor #${anchor}`);
    }
  }
  assert.ok(checked > 50, `only ${checked} relative links found: is the parser reading the files?`);
  assert.deepEqual(broken, []);
});
