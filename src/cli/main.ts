/** Entry point: dispatches to a command and maps errors to exit codes. */
import { fileSystemRefusal, formatRefusal } from "../environment-error";
import { formatProblem, InputError } from "../errors";
import { EXIT, type ExitCode } from "../model/run";
import { escapeControls } from "../report/terminal-safe";
import { VERSION } from "../version";
import { collectCommand } from "./commands/collect";
import { controlsCommand } from "./commands/controls";
import { runCommand } from "./commands/run";
import { validateCommand } from "./commands/validate";
import { verifyCommand } from "./commands/verify";
import { processIo, type Io } from "./io";
import { MAIN_HELP } from "./usage";

const COMMANDS: Record<string, (argv: string[], io: Io) => Promise<ExitCode>> = {
  run: runCommand,
  collect: collectCommand,
  validate: validateCommand,
  verify: verifyCommand,
  controls: controlsCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      if (command === "help" && rest[0] && COMMANDS[rest[0]]) return await COMMANDS[rest[0]](["--help"], io);
      io.out(MAIN_HELP);
      return command === undefined ? EXIT.badInput : EXIT.compliant;
    }
    if (command === "--version" || command === "-V") {
      io.out(VERSION);
      return EXIT.compliant;
    }
    const fn = COMMANDS[command];
    if (!fn) {
      io.err(`hostproof: unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(", ")}. See hostproof --help.`);
      return EXIT.badInput;
    }
    return await fn(rest, io);
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`hostproof: cannot ${command === "run" ? "run" : "go on"}: ${err.problems.length} problem(s) in the input; nothing was written.`);
      // A problem quotes input (a value, a key): one line each, whatever the input held.
      for (const p of err.problems.slice(0, 50)) io.err(`  ✘ ${escapeControls(formatProblem(p))}`);
      if (err.problems.length > 50) io.err(`  ... and ${err.problems.length - 50} more`);
      return EXIT.badInput;
    }
    const refusal = fileSystemRefusal(err);
    if (refusal !== undefined) {
      for (const line of formatRefusal(refusal)) io.err(line);
      return EXIT.environment;
    }
    io.err(`hostproof: internal error (please report it): ${(err as Error).stack ?? String(err)}`);
    return EXIT.internal;
  }
}
