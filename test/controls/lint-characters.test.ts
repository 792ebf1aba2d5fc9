/**
 * The control lint's one rule for step arguments: no character PowerShell's tokenizer reads as a
 * quote, a dash or white space (src/powershell/quote.ts, from PowerShell's CharTraits.cs), other
 * than the ASCII hyphen and space. One case per character, through the real lint, for an argument
 * in the step's text, a free-text argument and a data-table row.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readFeatureFile } from "../../src/controls/feature-set";
import { lintFeatures } from "../../src/controls/lint";
import { powerShellSyntaxCharacters } from "../../src/powershell/quote";
import { tempDir } from "../e2e/cli";

const dir = tempDir();
let n = 0;

function lint(steps: string): string[] {
  const path = join(dir, `c${++n}.feature`);
  const description = "    Rationale: r\n    Remediation: m\n    Source: s\n\n";
  writeFileSync(path, `Feature: f\n  @HP-TST-001 @severity:low\n  Scenario: s\n${description}    Given each host\n${steps}`);
  return lintFeatures([readFeatureFile(path, `c${n}.feature`, "test")]).problems.map((p) => `${p.line}: ${p.problem}`);
}

const hex = (c: string): string => `U+${c.codePointAt(0)!.toString(16).padStart(4, "0").toUpperCase()}`;
/** As a Gherkin step's quoted argument holds it; a line break cannot be written there. */
const inStep = (c: string): string | undefined => (c === "\n" || c === "\r" ? undefined : c === '"' ? '\\"' : c);
/** As a table cell holds it: Gherkin's escapes for a newline and a backslash. */
const inCell = (c: string): string | undefined => (c === "\n" ? "\\n" : c === "\r" ? undefined : c);

const refused = powerShellSyntaxCharacters().filter((c) => c !== "-" && c !== " ");

test("the set is PowerShell's: five single quotes, four double quotes, four dashes, and its white space", () => {
  const set = new Set(powerShellSyntaxCharacters());
  for (const c of ["'", "\u2018", "\u2019", "\u201A", "\u201B", '"', "\u201C", "\u201D", "\u201E", "\u2013", "\u2014", "\u2015", "\u00A0", "\u0085", "\u2028", "\u3000", "\t"]) {
    assert.ok(set.has(c), hex(c));
  }
  for (const c of ["a", "$", "`", "\u2010", "\u200B", "\u201F"]) assert.ok(!set.has(c), hex(c));
});

for (const c of refused) {
  test(`a step argument holding ${hex(c)} is refused, in every form`, () => {
    const step = inStep(c);
    const cell = inCell(c);
    const lines = [
      ...(step !== undefined
        ? [
            `    Then the local group "Adm${step}ins" has the member "x"`,
            `    Then the CIM property "P" of "C" in "root\\cimv2" equals "a${step}b"`,
            `    Then the service "W32${step}Time" is running`,
          ]
        : []),
      ...(cell !== undefined ? ["    Then the local group \"Administrators\" has these members:", `      | Adm${cell}ins |`] : []),
    ];
    const problems = lint(`${lines.join("\n")}\n`);
    const expected = (step !== undefined ? 3 : 0) + (cell !== undefined ? 1 : 0);
    const named = problems.filter((p) => p.includes(`contains ${/[!-~]/.test(c) ? `'${c}'` : /[\u0000-\u001f\u007f-\u009f]/.test(c) ? `control character ${hex(c)}` : hex(c)}, which PowerShell reads as`));
    assert.equal(named.length, expected, `${hex(c)}:\n${problems.join("\n")}`);
  });
}

test("the ASCII hyphen and space stay where a form allows them", () => {
  assert.deepEqual(lint('    Then the local group "Remote Desktop Users" has the member "x"\n    Then the Windows feature "PowerShell-V2" is not installed\n'), []);
});
