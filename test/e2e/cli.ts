/** Runs the real CLI: as a child process (the bin script) or in-process through main(). */
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main";
import type { Io } from "../../src/cli/io";
import { writeEstate, type EstateSpec, type SystemSpec } from "../helpers/snapshot-builder";
import { planProbes } from "../../src/controls/probe-plan";
import { loadInventory } from "../../src/input/inventory";

export const ROOT = join(__dirname, "..", "..");
export const BIN = join(ROOT, "bin", "hostproof.js");
export const DEMO = join(ROOT, "examples", "demo", "inventory.yaml");
/** How many hosts the demo has, read from its inventory, so that a test follows a host added to it. */
export const DEMO_HOSTS = loadInventory(DEMO).inventory.hosts.length;
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

const made: string[] = [];

/**
 * A fresh folder under the OS temp dir, removed when this test file's process exits (node:test
 * runs each file in a process of its own), so that runs do not pile folders up in /tmp.
 */
export function tempDir(prefix = "hostproof-e2e-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (made.length === 0) process.once("exit", () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  made.push(dir);
  return dir;
}

/** A temporary working folder holding `files` ({ "acme/eos.feature": text }). */
export function workspace(files: Record<string, string>, prefix = "hostproof-features-"): string {
  const cwd = tempDir(prefix);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, path, ".."), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  return cwd;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/**
 * Runs against an --out that already holds a report and expects exit 3 with `patterns` on stderr;
 * checks the earlier report survived and no staging folder was left behind.
 */
export async function expectRejected(inventory: string, patterns: RegExp[], extra: string[] = []): Promise<string> {
  const parent = tempDir();
  const out = join(parent, "reports");
  mkdirSync(out);
  writeFileSync(join(out, "summary.json"), '{"earlier":"report"}');
  writeFileSync(join(out, ".hostproof-report"), "an earlier run\n");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", ...extra]);
  assert.equal(res.code, 3, `exit ${res.code}\n${res.stdout}\n${res.stderr}`);
  for (const p of patterns) assert.match(res.stderr, p);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}', "the earlier report was touched");
  assert.deepEqual(readdirSync(parent), ["reports"], "a staging folder was left behind");
  return res.stderr;
}

/** Group Policy deferring quality updates 14 days: what a host needs for HP-WU-001 to pass. */
export const DEFERRAL_POLICY: SystemSpec = {
  registry: { "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate": { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } },
};

/**
 * An estate whose every host complies with every built-in control a probe can verify: each host
 * defers quality updates, and the snapshots hold the generic probes the built-in controls read, as
 * a collection for them records. Returns the inventory path.
 */
export function writeCompliantEstate(dir: string, spec: EstateSpec): string {
  const hosts = spec.hosts.map((h) => ({ ...h, system: { ...DEFERRAL_POLICY, ...h.system } }));
  return writeEstate(dir, { ...spec, hosts }, { generic: planProbes().generic });
}

/** A valid two-node workgroup cluster, for a test to break in one place. */
export function goodEstate(): { dir: string; inventory: string } {
  const dir = tempDir();
  const inventory = writeCompliantEstate(dir, {
    hosts: [{ name: "n1" }, { name: "n2" }],
    clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }],
  });
  return { dir, inventory };
}

export function editJson(file: string, edit: (v: Record<string, unknown>) => void): void {
  const v = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(v);
  writeFileSync(file, JSON.stringify(v, null, 2));
}

/** Points host `index` of a JSON inventory at another snapshot path. */
export function setSnapshot(inventory: string, index: number, path: string): void {
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[index].snapshot = path));
}

/** A built-in scenario (HP-EOS-001) copied under the organisation's own ID. */
export const ACME_EOS = `@area:acme
Feature: Acme's own controls

  @ACME-EOS-001 @severity:high
  Scenario: No Acme host runs Windows Server 2003
    Rationale: Acme security policy 12 allows no operating system out of support on the network.
    Remediation: Migrate the workload to a supported Windows Server version and decommission the host.
    Source: Acme IT security policy 12.

    Given each host
    Then the host does not run Windows Server 2003
`;

/**
 * The command a run printed for pasting, on the lines under the line ending with `heading`
 * (src/cli/display/command-lines.ts): `pasted` as it stands (continuations included, what a person
 * pastes into sh), `line` with the continuations joined.
 */
export function shownCommand(stdout: string, heading: string): { pasted: string; line: string } | undefined {
  const lines = stdout.split("\n");
  const at = lines.findIndex((l) => l.endsWith(heading));
  if (at < 0) return undefined;
  const command: string[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    command.push(lines[i]!);
    if (!lines[i]!.endsWith(" \\")) break;
  }
  return { pasted: command.join("\n"), line: command.map((l) => l.replace(/ \\$/, "").trim()).join(" ") };
}

/** What a run printed with its wrapped lines joined again (a line's continuations are indented): for matching a sentence. */
export function joinWrapped(stdout: string): string {
  return stdout.replace(/\n {2,}(?=\S)/g, " ");
}
