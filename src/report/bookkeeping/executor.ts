/**
 * Which CI build made the report, read from the CI's own variables (else who ran it, where): what
 * Allure's executor.json holds (formats/allure/executor.ts) and the signed statement's run URL.
 */
import type { AllureExecutor } from "../formats/allure/executor";
import { systemProbes } from "./environment";

export type { AllureExecutor } from "../formats/allure/executor";
export { EXECUTOR_FILE, writeExecutor } from "../formats/allure/executor";

export interface ExecutorOptions {
  /** Shown with the build; the estate's name is a good one. */
  reportName?: string;
  /** Where the report will be published; Allure links each history item to it. */
  reportUrl?: string;
  /** For a local run: the run's number in the trend (see nextBuildOrder in history.ts). */
  localBuildOrder?: number;
  /** For a local run: who and where (default the OS user and host name). */
  localWho?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function set(env: Env, key: string): string | undefined {
  const v = env[key];
  return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
}

/** A CI run number is a positive integer; anything else is left out rather than sorted wrongly. */
function order(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function join2(a: string | undefined, b: string | undefined, sep = " "): string | undefined {
  return a !== undefined && b !== undefined ? `${a}${sep}${b}` : (a ?? b);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Drops keys whose value is undefined, so the JSON holds only what is known. */
function compact(e: AllureExecutor): AllureExecutor {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as AllureExecutor;
}

function github(env: Env): AllureExecutor | undefined {
  if (set(env, "GITHUB_ACTIONS") !== "true") return undefined;
  const server = set(env, "GITHUB_SERVER_URL") ?? "https://github.com";
  const repo = set(env, "GITHUB_REPOSITORY");
  const runId = set(env, "GITHUB_RUN_ID");
  const number = set(env, "GITHUB_RUN_NUMBER");
  const repoUrl = repo !== undefined ? `${trimSlash(server)}/${repo}` : undefined;
  return {
    name: "GitHub Actions",
    type: "github",
    url: repoUrl ?? server,
    buildOrder: order(number),
    buildName: join2(set(env, "GITHUB_WORKFLOW"), number !== undefined ? `#${number}` : undefined),
    buildUrl: repoUrl !== undefined && runId !== undefined ? `${repoUrl}/actions/runs/${runId}` : undefined,
  };
}

function azure(env: Env): AllureExecutor | undefined {
  if (set(env, "TF_BUILD")?.toLowerCase() !== "true") return undefined;
  const collection = set(env, "SYSTEM_COLLECTIONURI");
  const project = set(env, "SYSTEM_TEAMPROJECT");
  const buildId = set(env, "BUILD_BUILDID");
  return {
    name: "Azure Pipelines",
    type: "azure",
    url: collection,
    buildOrder: order(buildId),
    buildName: join2(set(env, "BUILD_DEFINITIONNAME"), set(env, "BUILD_BUILDNUMBER")),
    buildUrl:
      collection !== undefined && project !== undefined && buildId !== undefined
        ? `${trimSlash(collection)}/${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}`
        : undefined,
  };
}

function gitlab(env: Env): AllureExecutor | undefined {
  if (set(env, "GITLAB_CI") !== "true") return undefined;
  const iid = set(env, "CI_PIPELINE_IID");
  return {
    name: "GitLab CI",
    type: "gitlab",
    url: set(env, "CI_PROJECT_URL"),
    buildOrder: order(iid),
    buildName: join2(set(env, "CI_JOB_NAME"), iid !== undefined ? `#${iid}` : undefined),
    buildUrl: set(env, "CI_PIPELINE_URL"),
  };
}

function jenkins(env: Env): AllureExecutor | undefined {
  const url = set(env, "JENKINS_URL");
  if (url === undefined) return undefined;
  const number = set(env, "BUILD_NUMBER");
  return {
    name: "Jenkins",
    type: "jenkins",
    url,
    buildOrder: order(number),
    buildName: join2(set(env, "JOB_NAME"), number !== undefined ? `#${number}` : undefined),
    buildUrl: set(env, "BUILD_URL"),
  };
}

/**
 * The executor for the CI system the environment shows, else a local one. The first match wins,
 * in this order, because a Jenkins agent can run inside another CI's job but not the reverse.
 */
export function executorFromEnv(env: Env, options: ExecutorOptions = {}): AllureExecutor {
  const ci = github(env) ?? azure(env) ?? gitlab(env) ?? jenkins(env);
  const base: AllureExecutor = ci ?? {
    name: "hostproof (local run)",
    type: "local",
    buildOrder: options.localBuildOrder,
    buildName: options.localWho ?? `${systemProbes.username()}@${systemProbes.hostname()}`,
  };
  return compact({ ...base, reportName: options.reportName, reportUrl: options.reportUrl });
}
