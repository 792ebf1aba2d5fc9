/**
 * Every step phrase hostproof defines, from the same tables the step definitions register from
 * (SCOPES for Given, CHECKS for Then). The control lint matches feature steps against this list;
 * a step library that registers more steps adds its entries here, and the lint knows them.
 */
import type * as CucumberExpressions from "@cucumber/cucumber-expressions";
import type { TargetKind } from "../model/result";
import { PARAMETERISED_SCOPES, SCOPES } from "../engine/scope";
import { CHECKS } from "./checks";
import { LIBRARY, type LibraryStep } from "./library";
import { closestPhrase } from "../util/closest";

export interface KnownStep {
  /**
   * Given steps choose the targets (a scope); Then steps judge them and need a Given before them.
   * Cucumber itself matches a step whatever its keyword; the lint uses this for "Then needs a Given".
   */
  keyword: "Given" | "Then";
  /** A Cucumber Expression (a plain phrase is one) or a regular expression, as registered with Cucumber. */
  pattern: string | RegExp;
  /**
   * What a Given chooses, or what a Then judges: a host check after a cluster scope would throw in
   * every run and judge nothing, so the lint refuses the pair. Left out, a step goes with either.
   */
  targets?: TargetKind;
  /** For a Then: the facts it reads (probe IDs), for the step list; a Given reads nothing. */
  reads?: readonly string[];
  /** A step of the library (controls/library.ts): its arguments have forms, and it may need a data table. */
  library?: LibraryStep;
}

export function knownSteps(): KnownStep[] {
  return [
    ...Object.entries(SCOPES).map(([phrase, scope]): KnownStep => ({ keyword: "Given", pattern: phrase, targets: scope.kind })),
    ...PARAMETERISED_SCOPES.map(({ phrase }): KnownStep => ({ keyword: "Given", pattern: phrase, targets: "host" })),
    ...CHECKS.map((c): KnownStep => ({ keyword: "Then", pattern: c.phrase, targets: c.kind, reads: [...c.needs, ...(c.generic ?? []).map((g) => g.id)] })),
    ...LIBRARY.map((l): KnownStep => ({ keyword: "Then", pattern: l.phrase, targets: "host", reads: l.reads, library: l })),
  ];
}

export interface StepMatcher {
  /** The known step `text` matches, as Cucumber would match it; undefined when none does. */
  match(text: string): KnownStep | undefined;
  /** Every known step `text` matches: more than one, and Cucumber would refuse it as ambiguous. */
  matches(text: string): KnownStep[];
  /** The arguments Cucumber would pass for `text` ({int} as a number, {string} unquoted); [] for a plain phrase. */
  args(text: string): (string | number)[];
  /** The known phrase closest to `text`, for "did you mean"; undefined when nothing is close. */
  closest(text: string): string | undefined;
}

/** What makes a Cucumber Expression more than its literal text: parameters, optionals, alternatives, escapes. */
const EXPRESSION_SYNTAX = /[(){}/\\]/;

let defaultMatcher: StepMatcher | undefined;

/** Without `steps`, hostproof's own, compiled once per process: the lint, the catalog and the plan each match every step. */
export function stepMatcher(steps?: readonly KnownStep[]): StepMatcher {
  if (steps !== undefined) return compileMatcher(steps);
  return (defaultMatcher ??= compileMatcher(knownSteps()));
}

function compileMatcher(steps: readonly KnownStep[]): StepMatcher {
  // Loaded only for a pattern that needs it: the library costs ~30 ms at every start of
  // `hostproof controls`, and a plain phrase as a Cucumber Expression matches exactly its own text.
  let registry: CucumberExpressions.ParameterTypeRegistry | undefined;
  const expression = (pattern: string): CucumberExpressions.CucumberExpression => {
    const lib = require("@cucumber/cucumber-expressions") as typeof CucumberExpressions;
    registry ??= new lib.ParameterTypeRegistry();
    return new lib.CucumberExpression(pattern, registry);
  };
  const compiled = steps.map((step) => {
    const { pattern } = step;
    if (typeof pattern !== "string") return { step, test: (t: string) => pattern.test(t), args: (): (string | number)[] => [] };
    if (!EXPRESSION_SYNTAX.test(pattern)) return { step, test: (t: string) => t === pattern, args: (): (string | number)[] => [] };
    const e = expression(pattern);
    return { step, test: (t: string) => e.regexp.test(t), args: (t: string) => (e.match(t) ?? []).map((a) => a.getValue(null) as string | number) };
  });
  return {
    match: (text) => compiled.find((c) => c.test(text))?.step,
    matches: (text) => compiled.filter((c) => c.test(text)).map((c) => c.step),
    args: (text) => compiled.find((c) => c.test(text))?.args(text) ?? [],
    closest: (text) => closestPhrase(text, steps.map((s) => (typeof s.pattern === "string" ? s.pattern : s.pattern.source))),
  };
}

