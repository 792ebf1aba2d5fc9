/**
 * The control lint against features written to make a control silently stop counting (issue 18,
 * class 1): each is refused, with its file:line and what to write, identically by `validate`,
 * `controls` and `run` (the built-in controls loaded beside them), and `run` writes nothing. A run
 * whose selection can judge nothing exits 3, and what the lint accepts is still judged.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, DEMO, readJson, spawnCli, tempDir, workspace, writeCompliantEstate, type CliOutcome } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

/** A control's description lines, which every scenario needs; the lines below count on its 3 lines. */
const ABOUT = `    Rationale: Acme policy.
    Remediation: Fix it.
    Source: Acme policy 1.
`;

/** `head` then a scenario; line 1 is `head`'s first line. */
const control = (id: string, tags: string, steps: string, head = "Feature: Acme\n\n"): string => `${head}  @${id} ${tags}\n  Scenario: ${id}\n${ABOUT}\n${steps}`;
const JUDGE = "    Given each host\n    Then the host does not run Windows Server 2003\n";

/** One folder, one way of losing a control per file; `[file, expected problem line]`. */
const REFUSED: Record<string, { text: string; problems: string[] }> = {
  "doc-then.feature": {
    text: control("ACME-DOC-001", "@severity:critical", `${JUDGE}      """\n      anything\n      """\n`),
    problems: [
      "acme/doc-then.feature:10: step 'Then the host does not run Windows Server 2003': it has a doc string (\"\"\" … \"\"\"), which no hostproof step reads. Remove it: Cucumber would fail the step before it judges anything. A list goes in a one-column data table under a step ending in ':'.",
    ],
  },
  "doc-given.feature": {
    text: control("ACME-DOC-002", "@severity:critical", `    Given each host\n      """\n      anything\n      """\n    Then the host does not run Windows Server 2003\n`),
    problems: [
      "acme/doc-given.feature:9: step 'Given each host': it has a doc string (\"\"\" … \"\"\"), which no hostproof step reads. Remove it: Cucumber would fail the step before it judges anything. A list goes in a one-column data table under a step ending in ':'.",
    ],
  },
  "table-given.feature": {
    text: control("ACME-TAB-001", "@severity:critical", `    Given each host\n      | legacy2003 |\n    Then the host does not run Windows Server 2003\n      | 2003 |\n`),
    problems: [
      "acme/table-given.feature:9: step 'Given each host': it has a data table, which this step does not read. Remove the table: only the list steps (those ending in ':') read one, and Cucumber would fail this step before it judges anything.",
      "acme/table-given.feature:11: step 'Then the host does not run Windows Server 2003': it has a data table, which this step does not read. Remove the table: only the list steps (those ending in ':') read one, and Cucumber would fail this step before it judges anything.",
    ],
  },
  "given-only.feature": {
    text: control("ACME-GIV-001", "@severity:critical", "    Given each host\n    And each cluster node\n"),
    problems: [
      "acme/given-only.feature:4: Scenario 'ACME-GIV-001': it has no Then step of its own, so it judges nothing. Add a Then step after its Given (docs/controls.md, \"The steps you can write\", lists them): a scenario with no check is no control.",
    ],
  },
  "background-then.feature": {
    text: control("ACME-BGT-001", "@severity:critical", "    Given each host\n", "Feature: Acme\n\n  Background:\n    Given each host\n    Then the host does not run Windows Server 2003\n\n"),
    problems: [
      "acme/background-then.feature:5: step 'Then the host does not run Windows Server 2003': it judges in a Background, which every scenario below shares and none owns. Keep only Given steps in a Background, and put each check in the scenario of the control it belongs to.",
      "acme/background-then.feature:8: Scenario 'ACME-BGT-001': it has no Then step of its own, so it judges nothing. Add a Then step after its Given (docs/controls.md, \"The steps you can write\", lists them): a scenario with no check is no control.",
    ],
  },
  "rule-background-then.feature": {
    text: `Feature: Acme\n\n  Rule: Hosts\n    Background:\n      Given each host\n      Then the host does not run Windows Server 2003\n\n    @ACME-RBG-001 @severity:critical\n    Scenario: ACME-RBG-001\n${ABOUT}\n      Given each host\n`,
    problems: [
      "acme/rule-background-then.feature:6: step 'Then the host does not run Windows Server 2003': it judges in a Background, which every scenario below shares and none owns. Keep only Given steps in a Background, and put each check in the scenario of the control it belongs to.",
      "acme/rule-background-then.feature:9: Scenario 'ACME-RBG-001': it has no Then step of its own, so it judges nothing. Add a Then step after its Given (docs/controls.md, \"The steps you can write\", lists them): a scenario with no check is no control.",
    ],
  },
  "given-after-then.feature": {
    text: control("ACME-GAT-001", "@severity:critical", `${JUDGE}    Given each cluster\n`),
    problems: [
      "acme/given-after-then.feature:11: step 'Given each cluster': it chooses targets after the scenario's last Then step, so nothing judges them. Move it before the Then steps that judge them, or remove it.",
    ],
  },
  "two-severities.feature": {
    text: control("ACME-SEV-001", "@severity:critical @severity:low", JUDGE),
    problems: [
      "acme/two-severities.feature:4: Scenario 'ACME-SEV-001': has 2 severity tags (@severity:critical at line 3, @severity:low at line 3). Keep exactly one severity per scenario: on the scenario, or on its Feature or Rule for all of its scenarios, not both.",
    ],
  },
  "feature-severity.feature": {
    text: control("ACME-SEV-002", "@severity:low", JUDGE, "@severity:critical\nFeature: Acme\n\n"),
    problems: [
      "acme/feature-severity.feature:5: Scenario 'ACME-SEV-002': has 2 severity tags (@severity:critical at line 1, @severity:low at line 4). Keep exactly one severity per scenario: on the scenario, or on its Feature or Rule for all of its scenarios, not both.",
    ],
  },
  "same-tag-twice.feature": {
    text: control("ACME-SEV-003", "@severity:high @severity:high @area:x", JUDGE, "@area:x\nFeature: Acme\n\n"),
    problems: [
      "acme/same-tag-twice.feature:5: Scenario 'ACME-SEV-003': has 2 severity tags (@severity:high at line 4, @severity:high at line 4). Keep exactly one severity per scenario: on the scenario, or on its Feature or Rule for all of its scenarios, not both.",
      "acme/same-tag-twice.feature:5: Scenario 'ACME-SEV-003': has 2 area tags (@area:x at line 1, @area:x at line 4). Keep exactly one area per scenario: on the scenario, or on its Feature or Rule for all of its scenarios, not both.",
    ],
  },
  "case.feature": {
    text: `${control("ACME-CAS-001", "@severity:high", JUDGE)}\n  @acme-cas-001 @Severity:high @AREA:x\n  Scenario: lower case\n${ABOUT}\n${JUDGE}\n  @ACME-CAS-002 @acme-cas-002 @severity:high\n  Scenario: both cases\n${ABOUT}\n${JUDGE}`,
    problems: [
      "acme/case.feature:21: Scenario 'both cases': '@acme-cas-002' is a control ID tag in the wrong case. Write @ACME-CAS-002: --tags and waivers match tags exactly, so another case would be another tag.",
      "acme/case.feature:22: Scenario 'both cases': has 2 control ID tags (@ACME-CAS-002 at line 21, @acme-cas-002 at line 21). Keep exactly one control ID per scenario.",
      "acme/case.feature:12: Scenario 'lower case': '@acme-cas-001' is a control ID tag in the wrong case. Write @ACME-CAS-001: --tags and waivers match tags exactly, so another case would be another tag.",
      "acme/case.feature:12: Scenario 'lower case': '@Severity:high' is a severity tag in the wrong case. Write @severity:high: --tags and waivers match tags exactly, so another case would be another tag.",
      "acme/case.feature:12: Scenario 'lower case': '@AREA:x' is an area tag in the wrong case. Write @area:x: --tags and waivers match tags exactly, so another case would be another tag.",
    ],
  },
  "examples.feature": {
    text: control(
      "ACME-EXA-001",
      "@severity:high",
      "    Given each host\n    Then the host does not run Windows Server <version>\n\n    @ACME-EXA-002 @skip\n    Examples:\n      | version |\n      | 2003    |\n\n    Examples:\n      | version |\n",
    ).replace("Scenario:", "Scenario Outline:"),
    problems: [
      "acme/examples.feature:12: Scenario 'ACME-EXA-001': its Examples table has tags (@ACME-EXA-002, @skip). Put tags on the Scenario Outline: its Examples rows are checks of one control, which --tags selects whole or not at all.",
      "acme/examples.feature:17: Scenario 'ACME-EXA-001': its Examples table has no rows, so it adds no check. Give the Examples table a header row naming the <placeholders>, then one row per check, or remove it.",
    ],
  },
  "no-scenario.feature": {
    text: "Feature: Acme\n\n  Scenaro: a misspelt keyword makes the rest a description\n",
    problems: [
      "acme/no-scenario.feature:1: the file holds no scenario, so it adds no control. Write each control as a Scenario: with its tags on the line above (see docs/controls.md, \"Adding a control\"), or move the file out of the features folder.",
    ],
  },
  // Text a reviewer sees otherwise than Gherkin reads it (src/controls/lint-text.ts).
  "hidden-step.feature": {
    // The CR shows as a line break in an editor, a terminal and a diff; to Gherkin the And is part of the comment.
    text: control("ACME-HID-001", "@severity:critical", `${JUDGE}    # and its PowerShell 2.0\r    And the Windows PowerShell 2.0 engine is removed or disabled\n`),
    problems: [
      "acme/hidden-step.feature:11: the line holds a carriage return (U+000D) not followed by a line feed: a reviewer sees the text around it otherwise than Gherkin reads it (a step after a hidden line break is part of the line before, a comment's, to Gherkin). Rewrite the line with plain line breaks (LF or CRLF) and without bidirectional controls.",
    ],
  },
  "bidi.feature": {
    text: control("ACME-HID-002", "@severity:critical", `    # \u202e ;)\n${JUDGE}`),
    problems: [
      "acme/bidi.feature:9: the line holds U+202E, a bidirectional control that reorders what is shown: a reviewer sees the text around it otherwise than Gherkin reads it (a step after a hidden line break is part of the line before, a comment's, to Gherkin). Rewrite the line with plain line breaks (LF or CRLF) and without bidirectional controls.",
    ],
  },
  "invisible-tag.feature": {
    text: control("ACME-HID-003", "@severity:critical @sev\u200berity:low", JUDGE),
    problems: [
      'acme/invisible-tag.feature:3: tag "@sev\\u200berity:low": it holds U+200B, an invisible character: it reads as "@severity:low", but --tags, waivers and the lint see another tag. Retype the tag without the invisible character.',
    ],
  },
  "invisible-argument.feature": {
    text: control("ACME-HID-004", "@severity:critical", '    Given each host\n    Then the local group "Administrators" does not have the member "Every\u200bone"\n'),
    problems: [
      "acme/invisible-argument.feature:10: step 'the local group \"Administrators\" does not have the member \"Everyone\"': it holds U+200B, an invisible character: what it reads is not what it compares with a host's facts. Retype the step (and its table) without the invisible character.",
    ],
  },
};

/** The `✘` lines of stderr, without their mark. */
const problemLines = (res: CliOutcome): string[] =>
  res.stderr
    .split("\n")
    .filter((l) => /^\s*✘ /.test(l))
    .map((l) => l.replace(/^\s*✘ /, ""))
    .sort();

test("validate, controls and run refuse every way of losing a control, with the same file:line problems; run writes nothing", () => {
  const cwd = workspace(Object.fromEntries(Object.entries(REFUSED).map(([name, { text }]) => [`acme/${name}`, text])));
  const expected = Object.values(REFUSED).flatMap((r) => r.problems).sort();
  const validate = spawnCli(["validate", "acme"], cwd);
  const controls = spawnCli(["controls", "--features", "acme"], cwd);
  const run = spawnCli(["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--features", "acme", "--fail-on", "high"], cwd);
  for (const [name, res] of [["validate", validate], ["controls", controls], ["run", run]] as const) {
    assert.equal(res.code, 3, `${name}: exit ${res.code}\n${res.stdout}\n${res.stderr}`);
    assert.deepEqual(problemLines(res), expected, `${name}:\n${res.stderr}`);
  }
  assert.match(validate.stdout, /^1 of 1 file\(s\) invalid\.$/m);
  assert.match(run.stderr, new RegExp(`cannot run: ${expected.length} problem\\(s\\) in the input; nothing was written`));
  assert.equal(existsSync(join(cwd, "out")), false, "a report was written");
});

test("each way of losing a control is refused on its own, too (no problem hides behind another)", () => {
  for (const [name, { text, problems }] of Object.entries(REFUSED)) {
    const res = spawnCli(["validate", "acme", "--no-builtin"], workspace({ [`acme/${name}`]: text }));
    assert.equal(res.code, 3, `${name}: exit ${res.code}\n${res.stdout}\n${res.stderr}`);
    assert.deepEqual(problemLines(res), [...problems].sort(), name);
  }
});

test("what the lint accepts is judged: any keyword, a Background Given, Rule tags, an outline's rows, a severity on the Feature alone", () => {
  const cwd = workspace({
    "acme/accepted.feature": `@area:acme @severity:critical
Feature: Acme

  Background:
    Given each host

  @ACME-KEY-001
  Scenario: Steps are matched by their text, whatever the keyword
${ABOUT}
    * each host
    When the host does not run Windows Server 2003

  Rule: Lifecycle
    @ACME-OUT-001
    Scenario Outline: An outline's rows are checks of one control
${ABOUT}
      Then the host does not run Windows Server <version>

      Examples:
        | version |
        | 2003    |
`,
  });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--features", "acme", "--no-builtin"], cwd);
  assert.equal(res.code, 1, res.stderr);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.deepEqual(summary.controls.map((c) => [c.id, c.severity]), [["ACME-KEY-001", "critical"], ["ACME-OUT-001", "critical"]]);
  for (const id of ["ACME-KEY-001", "ACME-OUT-001"]) {
    const results = summary.results.filter((r) => r.controlId === id);
    assert.equal(results.length, summary.hosts.length, id);
    assert.deepEqual(results.filter((r) => r.status === "failed").map((r) => r.target.name), ["legacy2003"], id);
  }
});

test("a run whose selection can judge no target exits 3 before anything is written: cluster checks on an estate without clusters", () => {
  const dir = tempDir();
  const inventory = writeCompliantEstate(dir, { hosts: [{ name: "h1" }, { name: "h2" }] });
  const res = spawnCli(["run", "-i", inventory, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--tags", "@HP-CLU-003 or @HP-CLU-008"], dir);
  assert.equal(res.code, 3, `exit ${res.code}\n${res.stdout}\n${res.stderr}`);
  assert.ok(
    res.stderr.includes(
      'command line: --tags: the 2 selected control(s) judge only clusters, and the inventory has none, so the run would judge nothing. Select controls that judge hosts too (`hostproof controls` lists them), or add the clusters to the inventory; a run that judges nothing is not compliant.',
    ),
    res.stderr,
  );
  assert.doesNotMatch(res.stdout, /Verdict/);
  assert.equal(existsSync(join(dir, "out")), false, "a report was written");
  // The same estate with a host control selected beside them is judged.
  const both = spawnCli(["run", "-i", inventory, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--tags", "@HP-CLU-003 or @HP-CLU-008 or @HP-EOS-001"], dir);
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stdout, /Verdict: COMPLIANT/);
});
