// A node:test reporter that writes one JSON line per skipped test (file, name, reason), beside the
// reporter people read; scripts/run-tests.js sums them up at the end of the run (skip-summary.js).
"use strict";

module.exports = async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { skip, file, name } = event.data;
    if (skip === undefined || skip === false) continue;
    yield `${JSON.stringify({ file: file ?? "", name, reason: typeof skip === "string" ? skip : "" })}\n`;
  }
};
