/**
 * Every environment variable hostproof itself reads, with the values it accepts. A setting that
 * is silently ignored is worse than one refused: HOSTPROOF_MAX_INPUT_MB=0.5 once left every limit
 * at its default while the user believed it lowered. A value outside the form is bad input
 * (exit 3) naming the variable, the value and what it takes; an empty value is the same as unset,
 * as CI systems write an unset variable. README, "What hostproof reads, and what it refuses",
 * lists the same table.
 */
import { resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { findOnPath, isExecutableFile } from "../util/executables";

export interface EnvVariable {
  name: string;
  /** What it takes, as the error and README say it. */
  accepts: string;
  /**
   * Checked when every command starts (`start`), or only where it is used (`live`: before the
   * first host is contacted; `sign`: when run or merge reads its signing key, before anything is
   * judged or written).
   */
  checked: "start" | "live" | "sign";
  /** Its value is a secret: no message ever quotes it. */
  secret?: true;
  /** Why the value is wrong, or undefined when it is right. */
  problem(value: string, env: NodeJS.ProcessEnv): string | undefined;
}

/**
 * No input is read past the largest text Node.js can hold (just under 512 MiB): a limit above it
 * would turn a large file into an internal error instead of a refusal.
 */
export const MAX_INPUT_MB_RANGE = { min: 1, max: 511 } as const;

export const MAX_INPUT_MB: EnvVariable = {
  name: "HOSTPROOF_MAX_INPUT_MB",
  accepts: `a whole number of MiB from ${MAX_INPUT_MB_RANGE.min} to ${MAX_INPUT_MB_RANGE.max}`,
  checked: "start",
  problem(value) {
    const n = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    return n >= MAX_INPUT_MB_RANGE.min && n <= MAX_INPUT_MB_RANGE.max ? undefined : "is not a whole number in range";
  },
};

export const REPORT_URL: EnvVariable = {
  name: "HOSTPROOF_REPORT_URL",
  accepts: "an absolute http:// or https:// URL (where the report is published; Allure links its history to it)",
  checked: "start",
  problem(value) {
    if (/[\s\u0000-\u001f\u007f]/.test(value)) return "holds spaces or control characters";
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? undefined : `is a ${url.protocol} URL`;
    } catch {
      return "is not an absolute URL";
    }
  },
};

export const NODE_POWERSHELL: EnvVariable = {
  name: "NODE_POWERSHELL",
  accepts: "the path of the pwsh executable (PowerShell 7.3 or later), or a name found on PATH",
  checked: "live",
  problem(value, env) {
    // Spawned as it is written: a bare name is looked up on PATH, anything else is a path.
    if (!/[/\\]/.test(value)) return findOnPath(value.replace(/\.exe$/i, ""), env) === undefined ? "is not on PATH" : undefined;
    return isExecutableFile(resolve(value)) ? undefined : "is not an executable file";
  },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const AS_OF: EnvVariable = {
  name: "HOSTPROOF_AS_OF",
  accepts: "a day as yyyy-mm-dd (a bare cucumber-js run only)",
  checked: "live",
  problem(value) {
    const day = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
    // Date rolls 2026-02-30 over to March: the day must come back as written.
    return day !== undefined && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value) ? undefined : "is not a day written yyyy-mm-dd";
  },
};

/** Read only by a bare `cucumber-js` run (steps/support/bare-run.ts); loadInventory checks the file. */
export const INVENTORY: EnvVariable = {
  name: "HOSTPROOF_INVENTORY",
  accepts: "the path of an inventory file (a bare cucumber-js run only)",
  checked: "live",
  problem: () => undefined,
};

/** The signing key's file, when --sign-key is not given; src/sign/keys.ts reads and checks it. */
export const SIGN_KEY_FILE: EnvVariable = {
  name: "HOSTPROOF_SIGN_KEY_FILE",
  accepts: "the path of an Ed25519 private key file (PKCS#8 PEM or OpenSSH), for run and merge to sign with",
  checked: "sign",
  problem: () => undefined,
};

/**
 * The signing key itself, for a CI secret store that hands secrets over as variables. Its problems
 * are found by src/sign/keys.ts, which never quotes it, and it is removed from the environment
 * once read so that no child process inherits it.
 */
export const SIGN_KEY: EnvVariable = {
  name: "HOSTPROOF_SIGN_KEY",
  accepts: "the text of an Ed25519 private key (PKCS#8 PEM or OpenSSH; line breaks may be written as \\n), when neither --sign-key nor HOSTPROOF_SIGN_KEY_FILE is given",
  checked: "sign",
  secret: true,
  problem: () => undefined,
};

/**
 * Prints what writing the report cost, by format (report/write-cost.ts), as ESLint's TIMING=1
 * prints its rules' times: a question asked now and then, which a run's options need not carry.
 */
export const TIMINGS: EnvVariable = {
  name: "HOSTPROOF_TIMINGS",
  accepts: "1 (run and merge print what writing each format of the report cost)",
  checked: "start",
  problem: (value) => (value === "1" ? undefined : "is not 1"),
};

/** Judge workers a run may be told to start (engine/judge-pool.ts says why no more). */
export const JUDGE_WORKERS_RANGE = { min: 0, max: 2 } as const;

/** How many worker threads judge slices ahead of the writing (engine/judge-pool.ts), instead of the default. */
export const JUDGE_WORKERS: EnvVariable = {
  name: "HOSTPROOF_JUDGE_WORKERS",
  accepts: `a whole number from ${JUDGE_WORKERS_RANGE.min} to ${JUDGE_WORKERS_RANGE.max}: worker threads that load and judge slices while the main thread writes (0: every slice in the main thread)`,
  checked: "start",
  problem(value) {
    const n = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    return n >= JUDGE_WORKERS_RANGE.min && n <= JUDGE_WORKERS_RANGE.max ? undefined : "is not a whole number in range";
  },
};

export const ENV_VARIABLES: readonly EnvVariable[] = [MAX_INPUT_MB, REPORT_URL, TIMINGS, NODE_POWERSHELL, INVENTORY, AS_OF, SIGN_KEY_FILE, SIGN_KEY, JUDGE_WORKERS];

/** The variable's value as set; undefined when unset or empty. */
export function envValue(v: EnvVariable, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[v.name];
  return raw === undefined || raw === "" ? undefined : raw;
}

export function envProblem(v: EnvVariable, env: NodeJS.ProcessEnv = process.env): InputProblem | undefined {
  const value = envValue(v, env);
  if (value === undefined) return undefined;
  const problem = v.problem(value, env);
  if (problem === undefined) return undefined;
  return {
    file: "environment",
    field: v.name,
    problem: v.secret === true ? `its value ${problem}` : `${JSON.stringify(value)} ${problem}`,
    fix: `Set ${v.name} to ${v.accepts}, or unset it.`,
  };
}

/** Throws one InputError for every bad variable checked at `when`. */
export function checkEnvironment(when: EnvVariable["checked"], env: NodeJS.ProcessEnv = process.env, only?: readonly EnvVariable[]): void {
  const problems = (only ?? ENV_VARIABLES.filter((v) => v.checked === when)).flatMap((v) => envProblem(v, env) ?? []);
  if (problems.length > 0) throw new InputError(problems);
}

/** The variable's value once checked: undefined when unset, an InputError when wrong. */
export function checkedEnv(v: EnvVariable, env: NodeJS.ProcessEnv = process.env): string | undefined {
  checkEnvironment(v.checked, env, [v]);
  return envValue(v, env);
}
