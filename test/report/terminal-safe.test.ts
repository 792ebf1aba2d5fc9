import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeControls } from "../../src/util/terminal-safe";
import { formatTerminalSummary } from "../../src/cli/display/terminal";
import { fixtureRunReport } from "../helpers/run-report";

const ERASE = "\u001b[2K\r…\u001b[32mCOMPLIANT";
const TITLE = "\u001b]0;owned\u0007";
// Anything a terminal acts on: C0, DEL, C1 (U+009B is a one-character CSI), bidi overrides.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test("escapeControls shows every control character as a visible escape", () => {
  assert.equal(escapeControls(ERASE), "\\e[2K\\r…\\e[32mCOMPLIANT");
  assert.equal(escapeControls(TITLE), "\\e]0;owned\\a");
  assert.equal(escapeControls("a\u009b2Kb\u007fc\u0000d\u202egnp.exe"), "a\\x9b2Kb\\x7fc\\x00d\\u202egnp.exe");
  assert.equal(escapeControls("line1\nline2\ttab"), "line1\\nline2\\ttab");
  assert.equal(escapeControls("C:\\Windows ✔ ノード"), "C:\\Windows ✔ ノード", "backslashes and Unicode text stay");
});

test("at the boundary: line feeds kept, and colour codes only when asked, other sequences never", () => {
  assert.equal(escapeControls(`a\n${ERASE}`, { newline: true }), "a\n\\e[2K\\r…\\e[32mCOMPLIANT");
  assert.equal(escapeControls(`\u001b[31m✘\u001b[0m${TITLE}\u001b[2K`, { newline: true, sgr: true }), "\u001b[31m✘\u001b[0m\\e]0;owned\\a\\e[2K");
});

test("the terminal summary escapes the estate name, host labels and finding text, and keeps its own colours", () => {
  const report = fixtureRunReport();
  report.estate = `lab${TITLE}`;
  const failed = report.results.find((r) => r.status === "failed")!;
  failed.actual = `Windows Server${ERASE}`;
  failed.details = [];
  const plain = formatTerminalSummary(report, { color: false });
  assert.doesNotMatch(plain, CONTROL);
  assert.match(plain, /lab\\e\]0;owned\\a/);
  assert.match(plain, /Windows Server\\e\[2K\\r…\\e\[32mCOMPLIANT/);
  const coloured = formatTerminalSummary(report, { color: true });
  assert.match(coloured, /\u001b\[31m✘\u001b\[0m/);
  assert.doesNotMatch(coloured.replace(/\u001b\[[0-9;]*m/g, ""), CONTROL, "no control character but hostproof's own colour codes");
});

test("invisible and format characters are visible escapes: a zero-width space cannot make one name print as another", () => {
  assert.equal(escapeControls("h\u200bv01"), "h\\u200bv01");
  assert.equal(escapeControls("a\u200cb\u200dc\u2060d\ufeffe\u00adf\u061cg"), "a\\u200cb\\u200dc\\u2060d\\ufeffe\\xadf\\u061cg");
  assert.equal(escapeControls("line\u2028sep\u2029par"), "line\\u2028sep\\u2029par");
  assert.equal(escapeControls("tag\u{e0041}\u{e007f}"), "tag\\u{e0041}\\u{e007f}");
  assert.equal(escapeControls("lone \ud800 \udc00"), "lone \\ud800 \\udc00");
  assert.equal(escapeControls("ｈｖ０１ ✔ ノード 𝔸"), "ｈｖ０１ ✔ ノード 𝔸", "visible characters, wide or astral, stay");
});
