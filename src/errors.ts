/**
 * Bad input a user can fix. The CLI prints every InputError as "file: field: problem. fix" and
 * exits 3; anything else that escapes is a bug (exit 4).
 */
export interface InputProblem {
  /** The file at fault, as the user named it (or "command line"). */
  file: string;
  /** Where in the file, e.g. `clusters[0].nodes[2]`, with a line number when known. */
  field?: string;
  line?: number;
  problem: string;
  fix: string;
}

export class InputError extends Error {
  readonly problems: InputProblem[];

  constructor(problems: InputProblem | InputProblem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join("\n"));
    this.name = "InputError";
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const where = [p.file + (p.line !== undefined ? `:${p.line}` : ""), p.field].filter(Boolean).join(": ");
  return `${where}: ${p.problem}. ${p.fix}`;
}
