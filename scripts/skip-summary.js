// What `npm test` skipped, grouped by the tool each test said it lacked (test/helpers/require-tool.ts
// skips with "<tool> not found: <how to get it>"), and the one command that installs them all.
"use strict";
const { relative } = require("node:path");

const INSTALL = "scripts/install-test-tools.sh";
const MISSING_TOOL = /^(\S+) not found: /;

/**
 * @param {string} jsonLines what scripts/skip-reporter.js wrote
 * @param {string} root the folder test file names are shown relative to
 * @returns {string} the summary, or "" when nothing was skipped
 */
function skipSummary(jsonLines, root) {
  const byTool = new Map();
  const other = [];
  for (const line of jsonLines.split("\n")) {
    if (line.trim() === "") continue;
    const skip = JSON.parse(line);
    const file = skip.file === "" ? "" : relative(root, skip.file).split("\\").join("/");
    const tool = MISSING_TOOL.exec(skip.reason)?.[1];
    if (tool === undefined) {
      other.push(`  ${file}: ${skip.name}${skip.reason === "" ? "" : ` (${skip.reason})`}`);
      continue;
    }
    const group = byTool.get(tool) ?? { tests: 0, files: new Set(), how: skip.reason.slice(tool.length + " not found: ".length) };
    group.tests++;
    if (file !== "") group.files.add(file);
    byTool.set(tool, group);
  }
  if (byTool.size === 0 && other.length === 0) return "";
  const total = other.length + [...byTool.values()].reduce((n, g) => n + g.tests, 0);
  const out = [`${total} test(s) skipped:`];
  for (const [tool, g] of [...byTool].sort((a, b) => b[1].tests - a[1].tests || a[0].localeCompare(b[0]))) {
    out.push(`  ${tool} missing: ${g.tests} test(s) in ${[...g.files].sort().join(", ")}`);
    out.push(`    (${g.how})`);
  }
  if (other.length > 0) out.push("  skipped for other reasons:", ...other);
  if (byTool.size > 0) out.push(`Install every tool the tests use with one command: ${INSTALL} (Debian or Ubuntu; apt through sudo), then run npm test again.`);
  return out.join("\n");
}

module.exports = { skipSummary, INSTALL };
