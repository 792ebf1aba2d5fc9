/**
 * GitHub refuses a job summary over 1 MiB (issue 21): summary.md stays under it at 100,000 hosts
 * however hostile the names in it, each name as long as it likes and made of the characters that
 * escaping makes longest (`@` becomes `<!-- -->@`, `&` becomes `&amp;`). The results stream through
 * the run's own digest in slices, as a run of 100,000 hosts does; nothing here is timed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DigestBuilder } from "../../src/report/bookkeeping/digest";
import { MATRIX_COLUMNS, renderSummaryMarkdown } from "../../src/report/formats/summary-md";
import type { ControlMeta, Result } from "../../src/model/result";
import { CONTROLS, fixtureRunReport, largeRunReport } from "../helpers/run-report";

const GITHUB_LIMIT = 1024 * 1024;
const HOSTS = 100_000;
/** Escapes to the most bytes per character, and a wide character. */
const WORST = "@&<|\u202eノ";
const long = (n: number, tag: string): string => `${tag}${WORST.repeat(Math.ceil(n / WORST.length))}`;
const TEXT = { expected: long(5000, "e-"), actual: long(5000, "a-"), subject: long(3000, "s-"), x: long(3000, "x-"), y: long(3000, "y-"), cluster: long(3000, "cl-") };

/** `controls` hostile controls; the first `fullHosts` hosts fail every one, every other host fails one. */
function hostileDigest(controls: number, fullHosts: number) {
  const metas: ControlMeta[] = Array.from({ length: controls }, (_, i) => ({ ...CONTROLS.nic, id: long(500, `C${i}-`), title: long(1000, `T${i}-`), severity: (["critical", "high", "medium", "low"] as const)[i % 4]! }));
  const builder = new DigestBuilder(HOSTS);
  const SLICE = 1000;
  for (let start = 0; start < HOSTS; start += SLICE) {
    // Only the first rows can be drawn: the rest need no long names for the bound, and would cost memory.
    const hosts = Array.from({ length: SLICE }, (_, i) => ({ name: start + i < 2000 ? long(3000, `h${start + i}-`) : `h${start + i}`, cluster: TEXT.cluster }));
    const results: Result[] = [];
    hosts.forEach((h, i) => {
      const n = start + i;
      const failing = n < fullHosts ? metas : [metas[n % controls]!];
      for (const control of failing) {
        results.push({ control, target: { kind: "host", name: h.name, cluster: h.cluster }, status: "failed", expected: TEXT.expected, actual: TEXT.actual, details: [{ subject: TEXT.subject, expected: TEXT.x, actual: TEXT.y, outcome: "deviation" }], evidence: [] });
      }
    });
    builder.add({ hosts, clusters: [], results });
  }
  const { results: _r, hosts: _h, clusters: _c, ...rest } = fixtureRunReport();
  return builder.finish({ ...rest, estate: long(100_000, "estate-"), totals: builder.totals }, { hosts: HOSTS, clusters: 0 }, metas.map((c) => c.id));
}

test("100,000 hosts with a matrix as wide as summary.md draws, every name hostile and thousands of characters long: under 1 MiB", (t) => {
  const md = renderSummaryMarkdown(hostileDigest(MATRIX_COLUMNS, 1000));
  const bytes = Buffer.byteLength(md);
  t.diagnostic(`summary.md: ${bytes.toLocaleString("en-US")} bytes`);
  assert.ok(bytes < GITHUB_LIMIT, `${bytes} bytes`);
  assert.match(md, /^\| target \|/m, "the matrix is drawn");
  assert.match(md, /_99,800 more rows with failed, undetermined or waived results not shown/);
});

test("100,000 hosts over 10,000 hostile controls: counts per control instead of a matrix, under 1 MiB", (t) => {
  const md = renderSummaryMarkdown(hostileDigest(10_000, 0));
  const bytes = Buffer.byteLength(md);
  t.diagnostic(`summary.md: ${bytes.toLocaleString("en-US")} bytes`);
  assert.ok(bytes < GITHUB_LIMIT, `${bytes} bytes`);
  assert.doesNotMatch(md, /^\| target \|/m);
  assert.match(md, /No host × control matrix: 10,000 controls are more than 40 columns can show\./);
  assert.match(md, /^\| control \| ❌ failed \| ❔ undetermined \| W waived \| ➖ not applicable \| ✅ passed \| title \|$/m);
  assert.match(md, /_9,900 more controls not shown/);
});

test("a plain estate of 100,000 hosts: far under the limit", (t) => {
  const bytes = Buffer.byteLength(renderSummaryMarkdown(largeRunReport(HOSTS)));
  t.diagnostic(`summary.md: ${bytes.toLocaleString("en-US")} bytes`);
  assert.ok(bytes < 64 * 1024, `${bytes} bytes`);
});
