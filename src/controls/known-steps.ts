/**
 * Every step phrase hostproof defines, from the same tables the step definitions register from
 * (SCOPES for Given, CHECKS for Then). The control lint matches feature steps against this list;
 * a step library that registers more steps adds its entries here, and the lint knows them.
 */
import { CucumberExpression, ParameterTypeRegistry } from "@cucumber/cucumber-expressions";
import { SCOPES } from "../engine/scope";
import { CHECKS } from "./checks";

export interface KnownStep {
  /**
   * Given steps choose the targets (a scope); Then steps judge them and need a Given before them.
   * Cucumber itself matches a step whatever its keyword; the lint uses this for "Then needs a Given".
   */
  keyword: "Given" | "Then";
  /** A Cucumber Expression (a plain phrase is one) or a regular expression, as registered with Cucumber. */
  pattern: string | RegExp;
}

export function knownSteps(): KnownStep[] {
  return [
    ...Object.keys(SCOPES).map((phrase): KnownStep => ({ keyword: "Given", pattern: phrase })),
    ...CHECKS.map((c): KnownStep => ({ keyword: "Then", pattern: c.phrase })),
  ];
}

export interface StepMatcher {
  /** The known step `text` matches, as Cucumber would match it; undefined when none does. */
  match(text: string): KnownStep | undefined;
  /** The known phrase closest to `text`, for "did you mean"; undefined when nothing is close. */
  closest(text: string): string | undefined;
}

export function stepMatcher(steps: readonly KnownStep[] = knownSteps()): StepMatcher {
  const registry = new ParameterTypeRegistry();
  const compiled = steps.map((step) => ({
    step,
    regexp: typeof step.pattern === "string" ? new CucumberExpression(step.pattern, registry).regexp : step.pattern,
  }));
  return {
    match: (text) => compiled.find((c) => c.regexp.test(text))?.step,
    closest: (text) => closestPhrase(text, steps.map((s) => (typeof s.pattern === "string" ? s.pattern : s.pattern.source))),
  };
}

/**
 * By edit distance over words, case-insensitive: a step differs from its phrase by a word or two
 * ("Windows Server 2019 or later"), and characters would rank a short unrelated phrase too close.
 * A suggestion must share more than half of its words with the step, or it misleads more than it helps.
 */
export function closestPhrase(text: string, phrases: readonly string[]): string | undefined {
  const words = (s: string): string[] => s.toLowerCase().split(/\s+/).filter(Boolean);
  const a = words(text);
  let best: { phrase: string; distance: number } | undefined;
  for (const phrase of phrases) {
    const b = words(phrase);
    const distance = editDistance(a, b);
    if (distance <= Math.max(a.length, b.length) / 2 && (best === undefined || distance < best.distance)) best = { phrase, distance };
  }
  return best?.phrase;
}

function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
