/**
 * The control lint's rule for text a reviewer cannot see: a feature file must read to a person as
 * it reads to Gherkin and to the runner. Gherkin breaks lines only at LF (and CRLF): a lone CR, a
 * vertical tab, a form feed, NEL, or the Unicode line and paragraph separators show as a line
 * break in editors, terminals and diffs, so a step written after one (`# note<CR>    And the
 * service "W32Time" has start type "Automatic"`) is shown to a reviewer and is part of a comment
 * to Gherkin: the check silently does not run. Unicode's bidirectional embedding, override and
 * isolate controls reorder what is shown ("Trojan Source", CVE-2021-42574). Anywhere in the file,
 * both are refused.
 *
 * In tags and steps, invisible format characters (zero-width spaces and joiners, soft hyphens, a
 * byte order mark: Unicode's Cf) are refused too: a step is compared with what a host reports
 * (`does not have the member "Every<ZWSP>one"` passes whoever is a member, while a reviewer reads
 * "Everyone") and a tag with what --tags and waivers name (`@sev<ZWSP>erity:low` beside
 * `@severity:medium` reads as a second severity and is none). Descriptions, comments and titles
 * keep them: scripts that need a zero-width joiner write prose there, and no check reads it.
 */
import type { GherkinDocument, Pickle, Tag } from "@cucumber/messages";
import type { InputProblem } from "../errors";
import type { FeatureFile } from "./feature-set";

/** Line breaks other than LF and CRLF, and the bidirectional controls that reorder text. */
const HIDDEN_ANYWHERE = /\r(?!\n)|[\u000b\u000c\u0085\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = /\p{Cf}/u;

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).padStart(4, "0").toUpperCase()}`;

function name(c: string): string {
  if (c === "\r") return "a carriage return (U+000D) not followed by a line feed";
  if (/[\u000b\u000c\u0085\u2028\u2029]/u.test(c)) return `${codePoint(c)}, a line break to editors and terminals`;
  if (/[\u202a-\u202e\u2066-\u2069]/u.test(c)) return `${codePoint(c)}, a bidirectional control that reorders what is shown`;
  return `${codePoint(c)}, an invisible character`;
}

export function hiddenTextProblems(file: FeatureFile, doc: GherkinDocument | undefined, pickles: readonly Pickle[]): InputProblem[] {
  const problems: InputProblem[] = [];
  // A byte order mark at the very start is the encoding's, not the text's.
  const text = file.text.startsWith("\ufeff") ? file.text.slice(1) : file.text;
  text.split("\n").forEach((line, i) => {
    const m = HIDDEN_ANYWHERE.exec(line.endsWith("\r") ? line.slice(0, -1) : line);
    if (m === null) return;
    problems.push({
      file: file.shown,
      line: i + 1,
      problem: `the line holds ${name(m[0])}: a reviewer sees the text around it otherwise than Gherkin reads it (a step after a hidden line break is part of the line before, a comment's, to Gherkin)`,
      fix: "Rewrite the line with plain line breaks (LF or CRLF) and without bidirectional controls",
    });
  });
  if (doc === undefined) return problems;

  const tags: Tag[] = [...(doc.feature?.tags ?? [])];
  for (const child of doc.feature?.children ?? []) {
    const scenarios = [child.scenario, ...(child.rule?.children.map((c) => c.scenario) ?? [])];
    tags.push(...(child.rule?.tags ?? []));
    for (const s of scenarios) if (s !== undefined) tags.push(...s.tags, ...s.examples.flatMap((e) => e.tags));
  }
  for (const t of tags) {
    const c = INVISIBLE.exec(t.name)?.[0];
    if (c === undefined) continue;
    problems.push({
      file: file.shown,
      line: t.location.line,
      field: `tag ${JSON.stringify(t.name)}`,
      problem: `it holds ${name(c)}: it reads as ${JSON.stringify(t.name.replace(/\p{Cf}/gu, ""))}, but --tags, waivers and the lint see another tag`,
      fix: "Retype the tag without the invisible character",
    });
  }

  const lines = new Map<string, number>();
  for (const child of doc.feature?.children ?? []) {
    const all = [child.background, child.scenario, ...(child.rule?.children.flatMap((c) => [c.background, c.scenario]) ?? [])];
    for (const part of all) for (const step of part?.steps ?? []) lines.set(step.id, step.location.line);
  }
  for (const pickle of pickles) {
    for (const step of pickle.steps) {
      const cells = step.argument?.dataTable?.rows.flatMap((r) => r.cells.map((c) => c.value)) ?? [];
      const c = [step.text, ...cells].map((t) => INVISIBLE.exec(t)?.[0]).find((x) => x !== undefined);
      if (c === undefined) continue;
      problems.push({
        file: file.shown,
        line: lines.get(step.astNodeIds[0]!),
        field: `step '${step.text.replace(/\p{Cf}/gu, "")}'`,
        problem: `it holds ${name(c)}: what it reads is not what it compares with a host's facts`,
        fix: "Retype the step (and its table) without the invisible character",
      });
    }
  }
  return problems;
}
