/**
 * junit.xml for CI systems (GitLab, Jenkins, Azure DevOps, GitHub test reporters). One
 * <testsuite> per target so that CI groups results by host; one <testcase> per result.
 *
 * Mapping: failed → <failure> (non-compliant), undetermined → <error> (the check could not be
 * made, which CI should not show as a plain pass), notApplicable and waived → <skipped>. A
 * waived result's <skipped> carries the justification and approval in its message (what CI
 * shows) and what the control found in its body, so the accepted risk stays readable.
 */
import { join } from "node:path";
import { Spool, StreamFile, type Written } from "../output/stream-file";
import type { RunReport, StatusTotals } from "../../model/run";
import { countStatuses } from "../../model/totals";
import { TARGET_KIND_ORDER, type Result, type Target } from "../../model/result";
import { auditorMessage, detailsText, statusOf, targetTitle, waiverText } from "../text";
import { attrs, escapeText } from "./xml";
import type { Format } from "./format";
import { giveTurn } from "../../util/turns";

export const JUNIT_FILE = "junit.xml";

export interface Suite {
  target: Target;
  results: Result[];
}

/** Groups results by target in first-seen order, hosts before cluster suites of the same run. */
function suitesOf(results: readonly Result[]): Suite[] {
  const suites = new Map<string, Suite>();
  for (const r of results) {
    const key = `${r.target.kind}\u0000${r.target.name}`;
    let suite = suites.get(key);
    if (suite === undefined) {
      suite = { target: r.target, results: [] };
      suites.set(key, suite);
    }
    suite.results.push(r);
  }
  return [...suites.values()].sort((a, b) => TARGET_KIND_ORDER.indexOf(a.target.kind) - TARGET_KIND_ORDER.indexOf(b.target.kind));
}

/** `hostproof.<cluster or standalone>.<target>`, `hostproof.directory.<domain>`: CI tools split class names on dots into a tree. */
function className(target: Target): string {
  const group = target.kind === "cluster" ? target.name : target.kind === "directory" ? "directory" : (target.cluster ?? "standalone");
  const leaf = target.kind === "cluster" ? "cluster" : target.name;
  // Dots inside host FQDNs would add tree levels that mean nothing.
  return ["hostproof", group, leaf].map((p, i) => (i === 0 ? p : p.replace(/\./g, "_"))).join(".");
}

function outcomeElement(r: Result): string {
  switch (statusOf(r)) {
    case "passed":
      return "";
    case "failed": {
      const body = [auditorMessage(r), detailsText(r.details ?? [])].filter((s) => s !== "").join("\n\n");
      return `      <failure${attrs({ message: `expected ${r.expected}; actual ${r.actual}`, type: "non-compliant" })}>${escapeText(body)}</failure>\n`;
    }
    case "undetermined": {
      const message = r.reason?.message ?? "the control could not be checked";
      const body = [auditorMessage(r), detailsText(r.details ?? [])].filter((s) => s !== "").join("\n\n");
      return `      <error${attrs({ message, type: "undetermined" })}>${escapeText(body)}</error>\n`;
    }
    case "notApplicable":
      return `      <skipped${attrs({ message: r.reason?.message ?? "not applicable" })}/>\n`;
    case "waived": {
      const body = [auditorMessage(r), detailsText(r.details ?? [])].filter((s) => s !== "").join("\n\n");
      return `      <skipped${attrs({ message: `waived: ${waiverText(r)}` })}>${escapeText(body)}</skipped>\n`;
    }
  }
}

function waiverProperties(r: Result): string[][] {
  const w = r.waiver;
  if (w === undefined) return [];
  return [
    ["originalStatus", w.originalStatus],
    ...(w.id !== undefined ? [["waiverId", w.id]] : []),
    ["waiverApprover", w.approver],
    ["waiverReference", w.reference],
    ["waiverExpires", w.expires],
  ];
}

function testcase(r: Result): string {
  const properties = [
    ["controlId", r.control.id],
    ["severity", r.control.severity],
    ["feature", r.control.feature],
    ["status", r.status],
    ...(r.rule !== undefined ? [["rule", r.rule]] : []),
    ...(r.reason !== undefined ? [["reasonKind", r.reason.kind]] : []),
    ...waiverProperties(r),
  ]
    .map(([name, value]) => `        <property${attrs({ name, value })}/>\n`)
    .join("");
  return (
    `    <testcase${attrs({ name: `${r.control.id} ${r.control.title}`, classname: className(r.target), time: 0 })}>\n` +
    `      <properties>\n${properties}      </properties>\n` +
    outcomeElement(r) +
    `    </testcase>\n`
  );
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** CI's four counts from the statuses: waived and not applicable are both skipped. */
function countsOf(t: StatusTotals): Counts {
  return { tests: t.total, failures: t.failed, errors: t.undetermined, skipped: t.notApplicable + t.waived };
}

function count(results: readonly Result[]): Counts {
  return countsOf(countStatuses(results));
}

function suiteXml(suite: Suite, startedAt: string): string {
  const { target } = suite;
  const parts = [
    `  <testsuite${attrs({
      name: targetTitle(target),
      ...count(suite.results),
      time: 0,
      timestamp: startedAt,
      hostname: target.kind === "host" ? target.name : undefined,
    })}>\n`,
    `    <properties>\n` +
      `      <property${attrs({ name: "targetKind", value: target.kind })}/>\n` +
      (target.cluster !== undefined ? `      <property${attrs({ name: "cluster", value: target.cluster })}/>\n` : "") +
      `    </properties>\n`,
  ];
  for (const r of suite.results) parts.push(testcase(r));
  parts.push(`  </testsuite>\n`);
  return parts.join("");
}

/**
 * junit.xml written as the run streams past. The root element carries the totals, known only at
 * the end, so the suites wait in a spool beside it and are appended behind the root's start tag.
 * A slice holds every result of its targets, so each suite is whole when written.
 */
export class JunitStream {
  private readonly total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };

  constructor(
    private readonly spool: Spool,
    private readonly startedAt: string,
  ) {}

  add(results: readonly Result[]): void {
    for (const suite of JunitStream.suites(results)) this.addSuite(suite);
  }

  /** A slice's results as the suites add() writes, for a caller that writes them one at a time. */
  static suites(results: readonly Result[]): Suite[] {
    return suitesOf(results);
  }

  addSuite(suite: Suite): void {
    this.spool.write(suiteXml(suite, this.startedAt));
    const c = count(suite.results);
    this.total.tests += c.tests;
    this.total.failures += c.failures;
    this.total.errors += c.errors;
    this.total.skipped += c.skipped;
  }

  abandon(): void {
    this.spool.discard();
  }

  async finish(file: StreamFile, estate: string | undefined): Promise<Written> {
    file.write(documentStart(estate, this.total));
    await file.append(this.spool);
    file.write(DOCUMENT_END);
    return file.close();
  }
}

/** The first lines of junit.xml, which carry the totals: what verify compares with the totals recomputed from summary.json. */
export function junitHead(estate: string | undefined, totals: StatusTotals): string {
  return documentStart(estate, countsOf(totals));
}

function documentStart(estate: string | undefined, total: Counts): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attrs({ name: estate !== undefined ? `hostproof ${estate}` : "hostproof", ...total, time: 0 })}>\n`;
}

const DOCUMENT_END = `</testsuites>\n`;

/** Writes `junit.xml` for a whole report into `dir` and returns its path. */
export async function writeJunit(dir: string, report: RunReport): Promise<string> {
  const path = join(dir, JUNIT_FILE);
  const stream = new JunitStream(new Spool(`${path}.suites`), report.startedAt);
  stream.add(report.results);
  await stream.finish(new StreamFile(path), report.estate);
  return path;
}

/** junit.xml of a whole report, as text: what JunitStream writes for it in one slice. */
export function renderJunit(report: RunReport): string {
  return documentStart(report.estate, count(report.results)) + suitesOf(report.results).map((s) => suiteXml(s, report.startedAt)).join("") + DOCUMENT_END;
}

/** junit.xml as a format: a slice's suites as each is whole, a target's suite at a time (util/turns.ts). */
export const junitFormat: Format = {
  name: "junit",
  atScale: true,
  description: "one test suite per host or cluster, one test case per control",
  files: [JUNIT_FILE],
  open(ctx) {
    const stream = new JunitStream(new Spool(join(ctx.dir, `.${JUNIT_FILE}.suites`)), ctx.head.startedAt);
    return {
      async add(slice) {
        for (const suite of JunitStream.suites(slice.results)) {
          stream.addSuite(suite);
          await giveTurn();
        }
      },
      finish: async () => ctx.record(JUNIT_FILE, await stream.finish(new StreamFile(join(ctx.dir, JUNIT_FILE)), ctx.head.estate)),
      abort: () => stream.abandon(),
    };
  },
};
