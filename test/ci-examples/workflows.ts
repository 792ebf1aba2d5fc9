/** The example CI files (examples/ci) read as data, for the lint, the structure and the run tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";

export const ROOT = join(__dirname, "..", "..");
export const GITHUB_FILE = join(ROOT, "examples", "ci", "github-actions.yml");
export const AZURE_FILE = join(ROOT, "examples", "ci", "azure-pipelines.yml");
export const AZURE_SCHEMA = join(__dirname, "azure-pipelines.schema.json");

/** Parses strictly: a duplicate key or a YAML warning is an error, as on both services. */
export function parseYaml(text: string): any {
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("\n"));
  return doc.toJS();
}

export function readWorkflow(file: string): any {
  return parseYaml(readFileSync(file, "utf8"));
}

export interface GithubStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  shell?: string;
}

export interface GithubJob {
  needs?: string | string[];
  if?: string;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: GithubStep[];
}

export interface AzureStep {
  bash?: string;
  task?: string;
  checkout?: string;
  inputs?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
  name?: string;
  displayName?: string;
  condition?: string;
  continueOnError?: boolean;
}

export interface AzureJob {
  job: string;
  dependsOn?: string | string[];
  condition?: string;
  strategy?: { parallel?: number; matrix?: unknown };
  variables?: Record<string, string>;
  steps: AzureStep[];
}

export function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** The install step: `npm ci`, which the test tree has already done. */
export function isInstall(script: string): boolean {
  return /^\s*(set -euo pipefail\s*)?npm ci\b/.test(script);
}

/** Every shell script of a GitHub workflow (run:) or an Azure pipeline (bash:), with where it is. */
export function githubScripts(wf: any): { where: string; script: string }[] {
  const out: { where: string; script: string }[] = [];
  for (const [name, job] of Object.entries<GithubJob>(wf.jobs)) {
    job.steps.forEach((s, i) => s.run !== undefined && out.push({ where: `jobs.${name}.steps[${i}]`, script: s.run }));
  }
  return out;
}

export function azureScripts(wf: any): { where: string; script: string }[] {
  const out: { where: string; script: string }[] = [];
  for (const job of wf.jobs as AzureJob[]) {
    job.steps.forEach((s, i) => s.bash !== undefined && out.push({ where: `jobs.${job.job}.steps[${i}]`, script: s.bash }));
  }
  return out;
}

/** The workflow with each `owner/action@<sha> # vX.Y.Z` pin rewritten to `@vX`: what actionlint knows the inputs of. */
export function unpinned(text: string): string {
  return text.replace(/@([0-9a-f]{40}) # (v\d+)(\.\d+)*/g, (_m, _sha, major: string) => `@${major}`);
}
