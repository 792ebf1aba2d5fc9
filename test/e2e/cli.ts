/** Runs the real CLI: as a child process (the bin script) or in-process through main(). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import type { Io } from "../../src/cli/io";

export const ROOT = join(__dirname, "..", "..");
export const BIN = join(ROOT, "bin", "hostproof.js");
export const DEMO = join(ROOT, "examples", "demo", "inventory.yaml");
export const AS_OF = "2026-11-22";

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], cwd: string = ROOT, env: NodeJS.ProcessEnv = process.env): CliOutcome {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1" } });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

export async function runCli(args: string[]): Promise<CliOutcome> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    out: (t) => (stdout += t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith("\n") ? t : `${t}\n`),
    color: false,
    now: () => new Date(`${AS_OF}T12:00:00Z`),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export function tempDir(prefix = "hostproof-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
