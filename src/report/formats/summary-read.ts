/**
 * summary.json read back a line at a time, in the layout SummaryStream writes (summary.ts): the
 * run's facts, `"results": [` with one result per line, `],` and the rest (controls, hosts,
 * verdict, totals...). The results are handed out one by one and never held; the rest, whose size
 * grows with the hosts and not the results, is parsed whole at the end. A file in any other
 * layout is not one hostproof wrote: refused rather than guessed at.
 */
import { InputError } from "../../errors";
import { checkSchema, isSummaryResult } from "../../schema/validate";
import type { ControlMeta, Result } from "../../model/result";
import type { Summary, SummaryResult } from "./summary";

/** summary.json without its results: everything it states about them. */
export type SummaryRest = Omit<Summary, "results">;

const OPEN = '"results": [';
const EMPTY = '"results": [],';
const CLOSE = "],";

export class SummaryParser {
  private state: "head" | "results" | "tail" = "head";
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  /** Results read so far. */
  count = 0;

  /** `shown`: the file as the user knows it; `fix`: what to do when it is not a summary hostproof wrote. */
  constructor(
    private readonly shown: string,
    private readonly fix: string,
  ) {}

  /** Takes the next line of the file; returns the result it holds, when it is one. */
  line(text: string): SummaryResult | undefined {
    const line = text.trim();
    if (this.state === "head") {
      if (line === OPEN) this.state = "results";
      else if (line === EMPTY) this.state = "tail";
      else this.head.push(text);
      return undefined;
    }
    if (this.state === "results") {
      if (line.startsWith("{")) return this.parse(line.endsWith(",") ? line.slice(0, -1) : line);
      if (line !== CLOSE) throw this.notOurs(`results[${this.count}]`, "ends the results list with something that is neither a result nor its end");
      this.state = "tail";
      return undefined;
    }
    this.tail.push(text);
    return undefined;
  }

  /** Once every line was given: the summary without its results, checked against its schema. */
  rest(): SummaryRest {
    if (this.state !== "tail") throw this.notOurs(undefined, this.state === "head" ? "it has no results list" : "its results list never ends");
    let value: unknown;
    try {
      value = JSON.parse(`${this.head.join("\n")}\n  "results": [],\n${this.tail.join("\n")}`);
    } catch {
      throw this.notOurs(undefined, "it is not valid JSON around its results");
    }
    const problems = checkSchema("summary", { file: this.shown, value, lineOf: () => undefined });
    if (problems.length > 0) throw new InputError(problems.map((p) => ({ ...p, fix: this.fix })));
    const { results: _none, ...rest } = value as Summary;
    return rest;
  }

  private parse(text: string): SummaryResult {
    const field = `results[${this.count}]`;
    this.count += 1;
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch {
      r = undefined;
    }
    if (!isSummaryResult(r)) throw this.notOurs(field, "is not a result as hostproof writes it");
    return r as SummaryResult;
  }

  private notOurs(field: string | undefined, problem: string): InputError {
    return new InputError({ file: this.shown, ...(field !== undefined ? { field } : {}), problem: field !== undefined ? problem : `not a summary.json as hostproof writes it: ${problem}`, fix: this.fix });
  }
}

/** A result as summary.json holds it, back in the form the formats take, given its control. */
export function resultFromSummary(r: SummaryResult, control: ControlMeta): Result {
  const result: Result = { status: r.status, control, target: r.target, expected: r.expected, actual: r.actual, details: r.details, evidence: r.evidence.map((e) => ({ host: e.host, probe: e.probe })) };
  if (r.rule !== undefined) result.rule = r.rule;
  if (r.reason !== undefined) result.reason = r.reason;
  if (r.waiver !== undefined) result.waiver = r.waiver;
  return result;
}
