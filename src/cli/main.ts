/** Entry point: dispatches to a command and maps errors to exit codes. */
import { fileSystemRefusal, formatRefusal } from "../environment-error";
import { formatProblem, InputError } from "../errors";
import { checkEnvironment, SIGN_KEY } from "../input/env-vars";
import { EXIT, type ExitCode } from "../model/run";
import { escapeControls } from "../util/terminal-safe";
import { didYouMean } from "../util/closest";
import { VERSION } from "../version";
import { processIo, type Io } from "./io";
import { MAIN_HELP } from "./usage";
import { printHelp } from "./help-layout";

type Command = (argv: string[], io: Io) => Promise<ExitCode>;

/**
 * Each command's code is loaded only when that command runs: `run` pulls in Cucumber, Allure and
 * the report writers, which `--version`, `controls` or `verify` have no use for.
 */
// require, not import(): compiled (dist/, CommonJS) it is Node's own require; from source (the
// tests, through tsx) tsx's loader handles require of a TypeScript file but leaves a dynamic
// import() to Node's own resolver, which cannot find one.
const COMMANDS: Record<string, () => Command> = {
  run: () => (require("./commands/run") as typeof import("./commands/run")).runCommand,
  collect: () => (require("./commands/collect") as typeof import("./commands/collect")).collectCommand,
  validate: () => (require("./commands/validate") as typeof import("./commands/validate")).validateCommand,
  merge: () => (require("./commands/merge") as typeof import("./commands/merge")).mergeCommand,
  verify: () => (require("./commands/verify") as typeof import("./commands/verify")).verifyCommand,
  export: () => (require("./commands/export") as typeof import("./commands/export")).exportCommand,
  discover: () => (require("./commands/discover") as typeof import("./commands/discover")).discoverCommand,
  controls: () => (require("./commands/controls") as typeof import("./commands/controls")).controlsCommand,
};

export async function main(argv: string[], io: Io = processIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      if (command === "help" && rest[0] !== undefined) {
        if (COMMANDS[rest[0]]) return await COMMANDS[rest[0]]()(["--help"], io);
        return unknownCommand(rest[0], io);
      }
      printHelp(io, MAIN_HELP);
      return command === undefined ? EXIT.badInput : EXIT.compliant;
    }
    if (command === "--version" || command === "-V") {
      io.out(VERSION);
      return EXIT.compliant;
    }
    const load = COMMANDS[command];
    if (!load) return unknownCommand(command, io);
    // The signing key held in the environment is for run and merge, which take it out of the
    // environment before they start anything (sign/keys.ts); every other command drops it at once,
    // so that no process hostproof starts (collect's pwsh and ssh) inherits it.
    if (command !== "run" && command !== "merge") delete process.env[SIGN_KEY.name];
    // Before the command reads anything: a variable set wrong is refused, never quietly ignored.
    if (!rest.includes("--help") && !rest.includes("-h")) checkEnvironment("start");
    return await load()(rest, io);
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

/** Exit 3, naming the command a slip meant (`verfy`), or where the options go when one came first (`hostproof -i x`). */
function unknownCommand(command: string, io: Io): ExitCode {
  const names = Object.keys(COMMANDS);
  const hint = command.startsWith("-") ? "Options follow a command, e.g. hostproof run --inventory estate.yaml. " : didYouMean(command, names);
  io.err(`hostproof: unknown command '${escapeControls(command)}'. ${hint}Commands: ${names.join(", ")}. See hostproof --help.`);
  return EXIT.badInput;
}
