/**
 * summary.md as GitHub shows it (a job summary, a PR comment): rendered by cmark-gfm, GitHub's
 * own Markdown engine (Debian's package), with the extensions GitHub turns on. Host text that
 * carries Markdown, HTML, URLs, an e-mail address, backticks, pipes and a line break becomes no
 * link, image, tag or table cell, and reads exactly as the host wrote it (a line break as ⏎).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { renderSummaryMarkdown } from "../../src/report/formats/summary-md";
import { findOnPath } from "../../src/util/executables";
import { fixtureRunReport } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";

const HOSTILE = [
  "![x](http://127.0.0.1:9/md)",
  "<img src=http://127.0.0.1:9/img>",
  "<script>alert(1)</script>",
  "[link](javascript:alert(1))",
  "http://evil.example/a",
  "https://evil.example/b",
  "www.evil.example",
  "me@evil.example",
  "`code` ``two``",
  "a | b",
  "~~del~~ *em* __strong__",
  "&amp; &lt;b&gt;",
  "<!-- c -->",
].join(" ");

function html(md: string, cmark: string): string {
  const res = spawnSync(cmark, ["-e", "table", "-e", "autolink", "-e", "tagfilter", "-e", "strikethrough"], { input: md, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
}

/** What a reader sees: tags and comments gone, entities decoded. */
function visible(rendered: string): string {
  return rendered
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

test("host text in summary.md, rendered by cmark-gfm, is no link, image, tag or cell, and reads as written", (t) => {
  const cmark = findOnPath("cmark-gfm");
  if (!requireTool(t, "cmark-gfm", cmark, "apt-get install cmark-gfm")) return;
  const report = fixtureRunReport();
  report.estate = `estate ${HOSTILE}`;
  const failed = report.results.find((r) => r.status === "failed" && r.target.kind === "host")!;
  // A finding is cut at 160 characters: a short one, with a line break.
  const finding = "![i](http://e.example/x) me@e.example `c` | <b>";
  failed.details = [{ subject: `nic ${finding}`, expected: "0", actual: `1\n${finding}`, outcome: "deviation" }];
  const rendered = html(renderSummaryMarkdown(report), cmark);
  for (const tag of ["<a ", "<img", "<script", "<code", "<del", "<em", "<iframe"]) assert.ok(!rendered.includes(tag), `${tag} in:\n${rendered}`);
  // The table keeps its columns: a pipe from a host is no cell boundary.
  const header = /<thead>\s*<tr>([\s\S]*?)<\/tr>/.exec(rendered)![1]!.match(/<th/g)!.length;
  for (const row of rendered.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)) for (const tr of row[1]!.split("</tr>").slice(0, -1)) assert.equal(tr.match(/<td/g)?.length, header, tr);
  const seen = visible(rendered);
  assert.ok(seen.includes(`hostproof: estate ${HOSTILE}`), seen);
  assert.ok(seen.includes(`nic ${finding}: 1 ⏎ ${finding}`), seen);
});

test("control, bidirectional and invisible characters from a host are visible escapes in summary.md, raw in neither the file nor its rendering", (t) => {
  const cmark = findOnPath("cmark-gfm");
  if (!requireTool(t, "cmark-gfm", cmark, "apt-get install cmark-gfm")) return;
  const report = fixtureRunReport();
  // `cat summary.md` in a terminal or a CI log: a title set, a hyperlink, a line erased; on GitHub,
  // text reordered; a zero-width space makes "h<ZWSP>v01" read as "hv01".
  report.estate = "lab\u001b]0;owned\u0007 \u001b]8;;http://127.0.0.1:9/\u001b\\x\u001b]8;;\u001b\\ \u202eRTL h\u200bv01 \u0000 \u009b31m \u2028 \ud800";
  const md = renderSummaryMarkdown(report);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(md, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u2028\u202e]|[\ud800-\udbff](?![\udc00-\udfff])/);
  const seen = visible(html(md, cmark));
  assert.ok(seen.includes("hostproof: lab\\e]0;owned\\a \\e]8;;http\\://127.0.0.1:9/\\e\\x\\e]8;;\\e\\ \\u202eRTL h\\u200bv01 \\x00 \\x9b31m \\u2028 \\ud800".replace(/\\:/g, ":")), seen);
});
