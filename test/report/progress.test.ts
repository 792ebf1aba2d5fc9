import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress } from "../../src/cli/display/progress";
import { estimateHtmlBytes, htmlSizeWarning } from "../../src/report/formats/allure/allure-html";

function fakeStream(isTTY: boolean, columns = 80): { text: () => string; isTTY: boolean; columns: number; write(t: string): boolean } {
  let written = "";
  return { isTTY, columns, write: (t: string) => ((written += t), true), text: () => written };
}

/** A clock the test moves by hand: no real time passes in these tests. */
function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

test("without a terminal: one plain line per phase with the elapsed time, nothing at the end", () => {
  const s = fakeStream(false);
  const c = clock();
  const p = createProgress(s, {}, c.now);
  p.phase("load", "8 hosts, 2 clusters");
  c.advance(1250);
  p.phase("judge", "8 hosts, 2 clusters");
  p.note("warning: big");
  p.end();
  assert.equal(s.text(), "hostproof: load: 8 hosts, 2 clusters (after 0.0 s)\nhostproof: judge: 8 hosts, 2 clusters (after 1.3 s)\nwarning: big\n");
});

test("CI set: plain lines even on a terminal (CI logs keep every redraw)", () => {
  const s = fakeStream(true);
  const p = createProgress(s, { CI: "true" }, clock().now);
  p.phase("write", "76 results");
  p.end();
  assert.doesNotMatch(s.text(), /\r|\u001b/);
  assert.match(s.text(), /^hostproof: write: 76 results \(after 0\.0 s\)\n$/);
});

test("on a terminal: one line redrawn in place, a note above it, erased at the end", () => {
  const s = fakeStream(true);
  const c = clock();
  const p = createProgress(s, {}, c.now);
  p.phase("load", "8 hosts, 2 clusters");
  c.advance(2000);
  p.phase("html", "Allure single-file report of 76 results (Java)");
  p.note("warning: big");
  p.end();
  const ERASE = "\r\u001b[2K";
  assert.equal(
    s.text(),
    `${ERASE}hostproof ▸ load: 8 hosts, 2 clusters · 0.0 s` +
      `${ERASE}hostproof ▸ html: Allure single-file report of 76 results (Java) · 2.0 s` +
      `${ERASE}warning: big\n${ERASE}hostproof ▸ html: Allure single-file report of 76 results (Java) · 2.0 s` +
      ERASE,
  );
});

test("on a narrow terminal the line is cut to fit, so it can still be redrawn in place", () => {
  const s = fakeStream(true, 30);
  const p = createProgress(s, {}, clock().now);
  p.phase("write", "8,676 results into 6 formats and the evidence");
  p.end();
  const line = s.text().split("\r\u001b[2K")[1]!;
  assert.equal([...line].length, 29);
  assert.ok(line.endsWith("…"));
});

test("the HTML size warning: from about 100 MB, with the estimate and the ways out", () => {
  assert.equal(htmlSizeWarning(1_000), undefined);
  assert.equal(estimateHtmlBytes(8_676) > 120_000_000 && estimateHtmlBytes(8_676) < 140_000_000, true, "1,000 hosts measured 125 MB");
  const w = htmlSizeWarning(17_400)!;
  assert.match(w, /^warning: the single-file HTML report of 17,400 results will be about 261 MB/);
  assert.match(w, /--no-html/);
});
