/**
 * What an auditor reads about a run before its results, as InSpec's and CIS-CAT's HTML reports open
 * with it: the verdict and exit code, the as-of day, the tool, who ran it (and the CI run), each
 * input by its path and digest, when the hosts were read, and a merged report's shards. Gathered
 * from what every report already records (summary.json's head and tail through the digest,
 * evidence/run.json's environment, executor and shards), so a run and an `export` of it give the
 * same facts, and every format that shows them (pages, Allure, terminal) says the same.
 */
import type { ManifestShard } from "../../evidence/manifest";
import type { ExitCode, Verdict } from "../../model/run";
import type { AllureExecutor } from "../formats/allure/executor";
import type { CollectionWindow, RunDigest } from "./digest";

/** Said of a fact a report made by an earlier hostproof did not record. */
export const NOT_RECORDED = "(not recorded)";

export interface RunFacts {
  verdict: Verdict;
  exitCode: ExitCode;
  failOn: string;
  asOf: string;
  version: string;
  estate?: string;
  startedAt: string;
  finishedAt: string;
  /** `user@machine`, as the run's environment recorded it. */
  runBy?: string;
  /** The CI system and run, where the environment named one (report/bookkeeping/executor.ts). */
  ci?: { name: string; build?: string; url?: string };
  inventory: { path: string; sha256?: string };
  /** The built-in features' digest and git state; the organisation's own (--features) apart. */
  features: { builtin?: string; commit?: string; modified?: string; sha256?: string; userFolders?: string; userSha256?: string };
  waivers?: { path: string; sha256?: string };
  /** Earliest and latest `collectedAt` of the hosts' snapshots. */
  collected?: CollectionWindow;
  shards?: readonly ManifestShard[];
  tags?: string;
}

export interface RunFactsSource {
  digest: Pick<RunDigest, "verdict" | "exitCode" | "failOn" | "asOf" | "tool" | "estate" | "startedAt" | "finishedAt" | "inventoryFile" | "waivers" | "collected" | "tags">;
  environment: Readonly<Record<string, string | undefined>>;
  executor?: AllureExecutor;
  shards?: readonly ManifestShard[];
}

export function runFacts(source: RunFactsSource): RunFacts {
  const { digest: d, environment: env, executor } = source;
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return defined({
    verdict: d.verdict,
    exitCode: d.exitCode,
    failOn: d.failOn,
    asOf: d.asOf,
    version: d.tool.version,
    estate: d.estate,
    startedAt: d.startedAt,
    finishedAt: d.finishedAt,
    runBy: env["run.by"],
    ci: executor !== undefined && executor.type !== "local" ? defined({ name: executor.name, build: executor.buildName, url: executor.buildUrl }) : undefined,
    inventory: defined({ path: d.inventoryFile, sha256: env["inventory.sha256"] }),
    features: defined({
      builtin: env["features.builtin"],
      commit: env["features.commit"],
      modified: env["features.modified"],
      sha256: env["features.sha256"],
      userFolders: env["features.user.folders"],
      userSha256: env["features.user.sha256"],
    }),
    waivers: d.waivers !== undefined ? defined({ path: d.waivers.file, sha256: env["waivers.sha256"] }) : undefined,
    collected: d.collected,
    shards: source.shards !== undefined && source.shards.length > 0 ? source.shards : undefined,
    tags: d.tags,
  });
}

/**
 * The facts as label and text, in reading order: what a format shows, each value literal (a
 * format escapes it for its medium). A URL is text too: a report opened offline links nowhere.
 */
export function runFactRows(f: RunFacts): [label: string, value: string][] {
  const rows: [string, string][] = [
    ["verdict", `${f.verdict.toUpperCase()} (exit code ${f.exitCode}; fails on ${f.failOn})`],
    ["as of", f.asOf],
    ["hostproof", f.version],
    ["run by", f.runBy ?? NOT_RECORDED],
  ];
  if (f.ci !== undefined) rows.push(["CI run", [f.ci.name, f.ci.build, f.ci.url].filter((x) => x !== undefined).join(" · ")]);
  rows.push(["run", `started ${f.startedAt}, results written ${f.finishedAt}`]);
  rows.push(["hosts read", f.collected !== undefined ? `${f.collected.earliest} to ${f.collected.latest}` : "(no host)"]);
  rows.push(["inventory", `${f.inventory.path} · SHA-256 ${f.inventory.sha256 ?? NOT_RECORDED}`]);
  if (f.tags !== undefined) rows.push(["controls selected", f.tags]);
  const b = f.features;
  rows.push([
    "built-in features",
    b.builtin ?? `SHA-256 ${b.sha256 ?? NOT_RECORDED} · git commit ${b.commit ?? NOT_RECORDED}${b.modified !== undefined && b.modified !== "no" ? ` · modified: ${b.modified}` : ""}`,
  ]);
  if (b.userFolders !== undefined) rows.push(["organisation's features", `${b.userFolders} · SHA-256 ${b.userSha256 ?? NOT_RECORDED}`]);
  rows.push(["waivers", f.waivers !== undefined ? `${f.waivers.path} · SHA-256 ${f.waivers.sha256 ?? NOT_RECORDED}` : "(no waiver file)"]);
  for (const s of f.shards ?? []) rows.push([`shard ${s.shard}`, `${s.report} · manifest SHA-256 ${s.manifestSha256}`]);
  return rows;
}
