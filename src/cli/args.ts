/** Argument parsing on node:util, with usage errors as InputErrors (exit 3). */
import TagExpressionParser from "@cucumber/tag-expressions";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors";
import type { FeatureSelection } from "../controls/feature-set";
import { planProbes } from "../controls/probe-plan";
import { loadFeatureCatalogGivingTurns } from "../controls/catalog";

export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw usageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ""), "Run with --help for the options.");
  }
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

/**
 * A selection that matches no control would judge nothing and call the estate compliant (a typo
 * such as @HP-NOPE-999 once replaced a failing report with a green one), so it is a usage error.
 */
export async function checkTagsSelect(expr: string, features: FeatureSelection = {}): Promise<void> {
  checkTagExpression(expr);
  if (planProbes(expr, await loadFeatureCatalogGivingTurns(features)).controls.length === 0) {
    throw usageError(`--tags "${expr}" selects no control`, "Run `hostproof controls` for the IDs and tags (e.g. @HP-NIC-001, @severity:critical, @area:dns); tags are case-sensitive.");
  }
}
