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

test("hostile host names, waivers and findings in a narrow terminal: escaped, literal, and every line within the width", () => {
  const displayWidth = (s: string): number => [...s.replace(/\u001b\[[0-9;]*m/g, "")].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
  const report = fixtureRunReport();
  const failed = report.results.find((r) => r.status === "failed" && r.target.kind === "host")!;
  const rtl = "evil\u202egnp.exe";
  // A name made to erase the line and retitle the window, one that reorders text, one far wider than any terminal, one in wide characters.
  const names = [`n1${ERASE}`, rtl, `long-${"x".repeat(3000)}`, "ノード".repeat(40)];
  const extra = names.map((name) => ({ ...failed, target: { kind: "host" as const, name }, details: [], actual: `found ${TITLE} on ${name}` }));
  report.results = [...report.results, ...extra];
  report.hosts = [...report.hosts, ...names.map((name) => ({ ...report.hosts[0]!, name }))];
  report.waivers!.waivers[0]!.justification = `accepted ${ERASE} ${"j".repeat(2000)}`;
  for (const width of [20, 40, 80, 200]) {
    for (const color of [false, true]) {
      const text = formatTerminalSummary(report, { color, width });
      const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
      assert.doesNotMatch(plain, CONTROL, `width ${width}: no raw control character`);
      for (const line of text.replace(/\n$/, "").split("\n")) {
        // The one exception: a path (the waiver file's) is one word, never cut; it stands alone on its line.
        const path = !/\s/.test(line.trim()) && line.includes("examples/demo/waivers.yaml");
        assert.ok(displayWidth(line) <= width || path, `width ${width}: a line of ${displayWidth(line)} columns: ${line}`);
      }
      if (width >= 80) {
        // Short enough to stay on a line: the escapes are shown literally, as text.
        assert.match(plain, /n1\\e\[2K\\r…\\e\[32mCOMPLIANT/, `width ${width}`);
        assert.match(plain, /evil\\u202egnp\.exe/);
      }
      // A long name is shortened in the findings' head column, never spread over many lines.
      assert.ok(plain.includes("long-xxxxxxxx"), "the long name starts as given");
      assert.ok(plain.split("\n").length < 200, `width ${width}: ${plain.split("\n").length} lines`);
    }
  }
});
