/** Argument parsing on node:util, with usage errors as InputErrors (exit 3). */
import TagExpressionParser from "@cucumber/tag-expressions";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors";
import type { FeatureSelection } from "../controls/feature-set";
import { planProbes } from "../controls/probe-plan";
import { loadFeatureCatalogGivingTurns } from "../controls/catalog";
import { ID_FAMILY } from "../controls/meta";
import type { ControlMeta } from "../model/result";
import { atOrAbove, isSeverity, SEVERITIES, type Severity } from "../model/severity";
import { closestWord, didYouMean } from "../util/closest";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Every command's options are parsed here: an unknown one is exit 3 with the nearest known one. */
export function parse<T extends Options>(argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/, "");
    const unknown = (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /^Unknown option '([^']+)'/.exec(message)?.[1] : undefined;
    const hint = unknown !== undefined ? didYouMean(unknown.split("=")[0]!, optionNames(options)) : "";
    throw usageError(message, `${hint}Run with --help for the options.`);
  }
}

/** `--name` of every option, and `-x` of those with a short form. */
function optionNames(options: Options): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short !== undefined ? [`-${o.short}`] : [])]);
}

export function usageError(problem: string, fix: string): InputError {
  return new InputError({ file: "command line", problem, fix });
}

/** A Cucumber tag expression, or a usage error saying how to write one. */
export function checkTagExpression(expr: string): void {
  try {
    TagExpressionParser(expr);
  } catch (err) {
    throw usageError(`--tags "${expr}" is not a valid tag expression (${(err as Error).message})`, 'Use Cucumber tag syntax, e.g. "@area:dns and not @manual".');
  }
}

/** `--features <dir>` (repeatable) and `--no-builtin`: the options of every command that selects controls. */
export const FEATURE_OPTIONS = {
  features: { type: "string", multiple: true },
  "no-builtin": { type: "boolean" },
} as const;

export function featureSelection(values: { features?: string[]; "no-builtin"?: boolean }): FeatureSelection {
  return { folders: values.features ?? [], builtin: values["no-builtin"] !== true };
}

/** `--tags` and `--min-severity`: the options of every command that selects controls. */
export const SELECTION_OPTIONS = {
  tags: { type: "string", short: "t" },
  "min-severity": { type: "string" },
} as const;

/** What `--tags` and `--min-severity` asked for, as given. */
export interface SelectionAsked {
  tags?: string;
  minSeverity?: string;
}

export function selectionAsked(values: { tags?: string; "min-severity"?: string }): SelectionAsked {
  return { tags: values.tags?.trim() || undefined, minSeverity: values["min-severity"] };
}

/**
 * The one tag expression that selects the controls: `--tags` and-ed with the severity tags
 * `--min-severity` stands for. It is what the run records (summary.json's `tags`), so a report says
 * what selected its controls, `--tags` alone reproduces the selection, and merge compares shards'
 * selections as one string. Every control carries exactly one @severity tag (controls/meta.ts),
 * so the expression selects exactly the controls at or above the level.
 */
export function selectionExpression(asked: SelectionAsked): string | undefined {
  if (asked.tags !== undefined) checkTagExpression(asked.tags);
  if (asked.minSeverity === undefined) return asked.tags;
  const min = parseMinSeverity(asked.minSeverity);
  const levels = SEVERITIES.filter((s) => atOrAbove(s, min)).map((s) => `@severity:${s}`);
  if (asked.tags === undefined) return levels.join(" or ");
  return `(${asked.tags}) and ${levels.length === 1 ? levels[0] : `(${levels.join(" or ")})`}`;
}

function parseMinSeverity(value: string): Severity {
  if (isSeverity(value)) return value;
  throw usageError(`--min-severity '${value}' is not a severity`, `${didYouMean(value.toLowerCase(), SEVERITIES)}Use one of: ${SEVERITIES.join(", ")} (most severe first); the level and those above it are selected.`);
}

/** `--tags "…"`, `--min-severity …` or both, as the user wrote them: what an error names. */
function askedShown(asked: SelectionAsked): string {
  return [asked.tags !== undefined ? `--tags "${asked.tags}"` : undefined, asked.minSeverity !== undefined ? `--min-severity ${asked.minSeverity}` : undefined].filter(Boolean).join(" with ");
}

/**
 * The selection's expression, checked: a selection that matches no control would judge nothing
 * and call the estate compliant (a typo such as @HP-NOPE-999 once replaced a failing report with a
 * green one), so it is a usage error, which names the tag a mistyped word meant (tagHints).
 */
export async function checkSelection(asked: SelectionAsked, features: FeatureSelection = {}): Promise<Selection> {
  const expression = selectionExpression(asked);
  if (expression === undefined) return {};
  const catalog = await loadFeatureCatalogGivingTurns(features);
  const hint = asked.tags !== undefined ? tagHints(asked.tags, catalog.controls) : undefined;
  if (planProbes(expression, catalog).controls.length === 0) {
    throw usageError(`${askedShown(asked)} selects no control`, `${hint !== undefined ? `${hint} ` : ""}Run \`hostproof controls\` for the IDs and tags (e.g. @HP-NIC-001, @severity:critical, @area:dns); tags are case-sensitive.`);
  }
  // A slip beside a tag that selects something narrows the run unseen (`@severity:critical or high`
  // judges no high control): said, not refused, since a tag no control carries (`not @draft`) is fine.
  return { expression, ...(hint !== undefined ? { warning: `--tags "${asked.tags}" has a word no control carries as a tag. ${hint}` } : {}) };
}

/** The selection's one expression (undefined: every control), and what to warn of a word in --tags that looks like a slip. */
export interface Selection {
  expression?: string;
  warning?: string;
}

/** The tags of a tag expression, each where it stands in the text (as Cucumber's lexer reads it: a backslash escapes a space or a parenthesis). */
function tagWords(expr: string): { word: string; start: number; end: number }[] {
  const words: { word: string; start: number; end: number }[] = [];
  let start = -1;
  const end = (at: number): void => {
    if (start < 0) return;
    const word = expr.slice(start, at);
    if (!["and", "or", "not"].includes(word)) words.push({ word, start, end: at });
    start = -1;
  };
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === "\\") {
      if (start < 0) start = i;
      i += 1;
    } else if (/\s|\(|\)/.test(ch)) end(i);
    else if (start < 0) start = i;
  }
  end(expr.length);
  return words;
}

/**
 * Of a family's tags (`@area:…`), the one whose value is nearest: `@area:dsn` is @area:dns, but
 * `@area:nic` is no slip of `@area:uac`, however alike the shared `@area:` makes them look.
 */
function closestTag(tag: string, known: readonly string[]): string | undefined {
  const family = /^@[^:]*:/.exec(tag)?.[0];
  if (family === undefined) return closestWord(tag, known);
  const values = known.filter((k) => k.toLowerCase().startsWith(family)).map((k) => k.slice(family.length));
  const value = closestWord(tag.slice(family.length), values);
  return value !== undefined ? known.find((k) => k.toLowerCase().startsWith(family) && k.slice(family.length) === value) : undefined;
}

/**
 * The tag a word of `--tags` that no control carries was meant to be: a severity written bare
 * (`high` for @severity:high), a control ID without its @ or in another case (`HP-EOS-001`), a tag
 * without its @, or one a slip away (`@area:dsn`). A control ID is only ever matched whole: another
 * prefix is another organisation's control, not a slip. Undefined when no word is a likely slip.
 */
export function tagHints(expr: string, controls: readonly ControlMeta[]): string | undefined {
  const known = [...new Set(controls.flatMap((c) => c.tags))];
  const ids = new Map(controls.map((c) => [c.id.toLowerCase(), `@${c.id}`]));
  const notes: string[] = [];
  let fixed = expr;
  for (const { word, start, end } of tagWords(expr).reverse()) {
    if (known.includes(word)) continue;
    const bare = word.replace(/^@/, "").toLowerCase();
    let meant: string | undefined;
    let note: string | undefined;
    if (isSeverity(bare)) {
      meant = `@severity:${bare}`;
      note = `${word} is a severity: its tag is ${meant}, and --min-severity ${bare} selects ${bare} and above`;
    } else if (ids.has(bare)) {
      meant = ids.get(bare)!;
      note = `${word} is a control ID: its tag is ${meant}`;
    } else if (!ID_FAMILY.loose.test(`@${bare}`)) {
      meant = known.find((k) => k.toLowerCase() === `@${bare}`) ?? closestTag(`@${bare}`, known);
    }
    if (meant === undefined) continue;
    fixed = fixed.slice(0, start) + meant + fixed.slice(end);
    if (note !== undefined) notes.unshift(note);
  }
  if (fixed === expr) return undefined;
  return `Did you mean --tags "${fixed}"?${notes.length > 0 ? ` (${notes.join("; ")}.)` : ""}`;
}
