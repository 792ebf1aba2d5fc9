/**
 * Help that helps: a mistyped option, command or value names the nearest known one; a --tags word
 * meant as a severity or a control ID names its tag; --min-severity selects that severity and
 * above, and the report records it; --help is laid out in the terminal's width.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { ControlMeta } from "../../src/model/result";
import { SEVERITIES } from "../../src/model/severity";
import { DEMO, spawnCli, tempDir } from "./cli";

const AS_OF = "2026-11-30";

/** The CLI with its width stated (or, with undefined, not: no terminal, no COLUMNS). */
function cli(args: string[], columns?: number, cwd?: string) {
  const env = { ...process.env };
  delete env.COLUMNS;
  if (columns !== undefined) env.COLUMNS = String(columns);
  return spawnCli(args, cwd, env);
}

function rejected(args: string[], ...patterns: RegExp[]): string {
  const res = cli(args);
  assert.equal(res.code, 3, `${args.join(" ")}: ${res.stdout}${res.stderr}`);
  for (const p of patterns) assert.match(res.stderr, p, args.join(" "));
  assert.doesNotMatch(res.stderr, /at .*\.(ts|js):\d+/, "no stack trace");
  return res.stderr;
}

test("an unknown option names the nearest one the command has, on every command; exit 3", () => {
  const cases: [string[], string, string][] = [
    [["run", "-i", DEMO], "--waiver", "--waivers"],
    [["run", "-i", DEMO], "--waiver=w.yaml", "--waivers"],
    [["run", "-i", DEMO], "--fail-no", "--fail-on"],
    [["run", "-i", DEMO], "--inv", "--inventory"],
    [["collect", "-i", DEMO], "--concurency", "--concurrency"],
    [["validate", DEMO], "--featrues", "--features"],
    [["controls"], "--framwork", "--framework"],
    [["merge", "a", "b"], "--sing-key", "--sign-key"],
    [["verify", "reports"], "--expcet", "--expect"],
    [["export", "reports"], "--fromat", "--format"],
    [["discover"], "--bsae", "--base"],
  ];
  for (const [args, wrong, meant] of cases) {
    const escaped = meant.replace(/-/g, "\\-");
    rejected([...args, wrong], new RegExp(`Unknown option '${wrong.split("=")[0]}'\\. Did you mean ${escaped}\\? Run with --help`));
  }
  // Nothing near: no guess, the usual pointer to --help.
  const far = rejected(["run", "-i", DEMO, "--zzzzzzzz"], /Unknown option '--zzzzzzzz'\. Run with --help for the options/);
  assert.doesNotMatch(far, /Did you mean/);
});

test("an unknown command names the nearest one; an option where a command goes says where it goes", () => {
  assert.match(rejected(["verfy", "reports"]), /unknown command 'verfy'\. Did you mean verify\?/);
  assert.match(rejected(["rnu"]), /unknown command 'rnu'\. Did you mean run\?/);
  assert.match(rejected(["help", "exprot"]), /unknown command 'exprot'\. Did you mean export\?/);
  assert.match(rejected(["-i", DEMO]), /unknown command '-i'\. Options follow a command, e.g\. hostproof run --inventory/);
  assert.doesNotMatch(rejected(["frobnicate"]), /Did you mean/);
});

test("a mistyped option value names the value meant", () => {
  rejected(["run", "-i", DEMO, "--fail-on", "hihg"], /--fail-on 'hihg' is not a severity\. Did you mean high\? Use one of: critical, high, medium, low, any/);
  rejected(["run", "-i", DEMO, "--html", "singel"], /--html 'singel' is not a report style\. Did you mean single\?/);
  rejected(["controls", "--framework", "stg"], /--framework "stg" is not a framework hostproof maps\. Did you mean stig\?/);
});

test("a --tags word that names a severity or a control ID names its tag: exit 3 when it selects nothing (run, collect), a warning when a tag beside it selects something; controls says it too", () => {
  rejected(["run", "-i", DEMO, "--tags", "high"], /--tags "high" selects no control\. Did you mean --tags "@severity:high"\? \(high is a severity: its tag is @severity:high, and --min-severity high selects high and above\.\)/);
  rejected(["run", "-i", DEMO, "--tags", "@critical"], /Did you mean --tags "@severity:critical"\?/);
  rejected(["run", "-i", DEMO, "--tags", "HP-EOS-001"], /--tags "HP-EOS-001" selects no control\. Did you mean --tags "@HP-EOS-001"\? \(HP-EOS-001 is a control ID: its tag is @HP-EOS-001\.\)/);
  rejected(["run", "-i", DEMO, "--tags", "@hp-eos-001 or (medium and not @manual)"], /Did you mean --tags "@HP-EOS-001 or \(@severity:medium and not @manual\)"\?/);
  rejected(["run", "-i", DEMO, "--tags", "@area:dsn"], /Did you mean --tags "@area:dns"\?/);
  rejected(["collect", "-i", DEMO, "-o", join(tempDir(), "snaps"), "--tags", "high"], /Did you mean --tags "@severity:high"\?/);
  // Another prefix is another organisation's control, not a slip; an area no control has is no slip of one that is not near.
  assert.doesNotMatch(rejected(["run", "-i", DEMO, "--tags", "@ACME-EOS-001"]), /Did you mean/);
  assert.doesNotMatch(rejected(["run", "-i", DEMO, "--tags", "@area:nic"]), /Did you mean/);
  // A slip beside a tag that selects something would narrow the run unseen: the run goes on, and says so.
  const partial = cli(["run", "-i", DEMO, "-o", join(tempDir(), "out"), "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero", "--tags", "@severity:critical or high"]);
  assert.equal(partial.code, 0, partial.stderr);
  assert.match(partial.stderr, /warning: --tags "@severity:critical or high" has a word no control carries as a tag\. Did you mean --tags "@severity:critical or @severity:high"\?/);
  const quiet = cli(["run", "-i", DEMO, "-o", join(tempDir(), "out"), "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero", "--tags", "@severity:critical or @severity:high"]);
  assert.doesNotMatch(quiet.stderr, /Did you mean/);
  const listed = cli(["controls", "--tags", "high"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^0 control\(s\)\.$/m);
  assert.match(listed.stderr, /--tags "high" selects no control\. Did you mean --tags "@severity:high"\?/);
});

function controlsJson(...args: string[]): ControlMeta[] {
  const res = cli(["controls", "--json", ...args]);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout) as ControlMeta[];
}

test("--min-severity selects that severity and above, and with --tags the controls both select; a bad level is exit 3 naming the levels", () => {
  const all = controlsJson();
  for (const level of SEVERITIES) {
    const above = SEVERITIES.slice(0, SEVERITIES.indexOf(level) + 1) as readonly string[];
    const ids = controlsJson("--min-severity", level).map((c) => c.id);
    assert.deepEqual(ids, all.filter((c) => above.includes(c.severity)).map((c) => c.id), level);
    assert.ok(ids.length > 0, level);
  }
  const cluster = all.filter((c) => c.tags.includes("@area:cluster"));
  const both = controlsJson("--tags", "@area:cluster", "--min-severity", "high").map((c) => c.id);
  assert.deepEqual(both, cluster.filter((c) => c.severity === "critical" || c.severity === "high").map((c) => c.id));
  assert.ok(both.length > 0 && both.length < cluster.length, "the two narrow each other");
  rejected(["run", "-i", DEMO, "--min-severity", "hihg"], /--min-severity 'hihg' is not a severity\. Did you mean high\? Use one of: critical, high, medium, low/);
  rejected(["controls", "--min-severity", "any"], /--min-severity 'any' is not a severity\. Use one of: critical, high, medium, low/);
  rejected(["run", "-i", DEMO, "--tags", "@area:updates", "--min-severity", "high"], /--tags "@area:updates" with --min-severity high selects no control/);
});

test("a run records what selected its controls (summary.json's tags), verify agrees, and merge refuses shards given other selections", () => {
  const dir = tempDir();
  const common = ["-i", DEMO, "--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"];
  const run = (...args: string[]): void => {
    const res = cli(["run", ...common, ...args], undefined, dir);
    assert.equal(res.code, 0, res.stdout + res.stderr);
  };
  run("--min-severity", "high", "-o", "high");
  const summary = JSON.parse(readFileSync(join(dir, "high", "summary.json"), "utf8")) as { tags?: string; controls: { id: string; severity: string }[]; results: { controlId: string }[] };
  assert.equal(summary.tags, "@severity:critical or @severity:high");
  assert.deepEqual(summary.controls.map((c) => c.id), controlsJson("--min-severity", "high").map((c) => c.id));
  assert.ok(summary.controls.every((c) => c.severity === "critical" || c.severity === "high"));
  assert.equal(cli(["verify", "high"], undefined, dir).code, 0);

  run("--min-severity", "high", "--tags", "not @area:dns", "--shard", "1/2", "-o", "s1");
  run("--min-severity", "high", "--tags", "not @area:dns", "--shard", "2/2", "-o", "s2");
  run("--min-severity", "medium", "--tags", "not @area:dns", "--shard", "2/2", "-o", "m2");
  const shard = JSON.parse(readFileSync(join(dir, "s1", "summary.json"), "utf8")) as { tags?: string };
  assert.equal(shard.tags, "(not @area:dns) and (@severity:critical or @severity:high)");
  const merged = cli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html", "--exit-zero"], undefined, dir);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal((JSON.parse(readFileSync(join(dir, "merged", "summary.json"), "utf8")) as { tags?: string }).tags, shard.tags);
  const refused = cli(["merge", "s1", "m2", "-o", "mixed", "--no-history", "--no-html"], undefined, dir);
  assert.equal(refused.code, 3, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /m2: --tags and --min-severity \(the controls selected\): differs from s1's/);
});

const COMMANDS = [[], ["run"], ["collect"], ["discover"], ["validate"], ["controls"], ["merge"], ["verify"], ["export"]];
/** Columns a line takes; help is ASCII but for × (one column). */
const columnsOf = (line: string): number => [...line].length;

test("--help fits the terminal's width (COLUMNS, else 80; at most 100), broken only between words", () => {
  for (const cmd of COMMANDS) {
    const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== "");
    const wide = cli([...cmd, "--help"], 200).stdout;
    for (const width of [50, undefined]) {
      const help = cli([...cmd, "--help"], width).stdout;
      const limit = Math.min(width ?? 80, 100);
      for (const line of help.split("\n")) assert.ok(columnsOf(line) <= limit, `hostproof ${cmd.join(" ")} --help at ${width}: ${columnsOf(line)} columns: ${line}`);
      // The same words in the same order at every width: no word was cut in two.
      assert.deepEqual(words(help), words(wide), `hostproof ${cmd.join(" ")} --help at ${width}`);
    }
    for (const line of wide.split("\n")) assert.ok(columnsOf(line) <= 100, `hostproof ${cmd.join(" ")} --help at 200: ${line}`);
  }
  // A paragraph uses the width it has, not the 98 columns it was written for.
  const paragraph = (help: string): string[] => help.split("\n\n")[1]!.split("\n");
  assert.ok(paragraph(cli(["run", "--help"], 100).stdout).some((l) => l.length > 90), "wide terminal, long lines");
  assert.ok(paragraph(cli(["run", "--help"], 60).stdout).every((l) => l.length <= 60 && l.length > 40), "narrow terminal, full lines");
});

test("--help's option tables keep their column: each description and its continuation lines start at one column", () => {
  for (const width of [80, 100]) {
    const help = cli(["run", "--help"], width).stdout;
    const options = help.slice(help.indexOf("\nOptions:\n") + 10, help.indexOf("\n\n", help.indexOf("\nOptions:\n") + 10)).split("\n");
    assert.ok(options.length > 30);
    for (const line of options) {
      // An option (its description beside it at column 27, or on the next lines), or a description line at column 27.
      assert.match(line, /^(  -\w, |      )--[a-z-]+( <[^>]+>)?( {2,}\S.*)?$|^ {27}\S/, `${width}: ${line}`);
      const beside = /^( {2}-\w, | {6})--[a-z-]+( <[^>]+>)? {2,}(?=\S)/.exec(line);
      if (beside !== null) assert.equal(beside[0].length, 27, `${width}: ${line}`);
    }
    assert.match(help, /\n {6}--min-severity <level>\n {27}judge only the controls of this severity and above/);
    assert.match(help, /\n {6}--fail-on <level> {4}lowest severity that fails the gate/);
  }
  // Narrower than a table's description column leaves room for: descriptions under their terms.
  const narrow = cli(["--help"], 50).stdout;
  assert.match(narrow, /\n {2}hostproof validate <file>\.\.\.\n {6}check inventory, snapshot, waiver and\n {6}feature files\n/);
});
