/**
 * Runs the example CI files here, job by job and step by step, as the two services would: each
 * job in a fresh workspace holding this tree, each script step's own text run with bash and the
 * variables the service sets, artifacts and caches copied between jobs the way upload/download
 * and cache restore/save copy them, secrets handed over as each service hands them over (GitHub:
 * `${{ secrets.X }}` expressions; Azure: `$(X)` macros, never mapped into a script's environment
 * unless a step's env: names them). Step output is kept as it was printed, with no masking of
 * secrets as the services do, so a test sees whatever a script or hostproof would have leaked.
 * Only the actions and tasks the files use are known: anything
 * else, and any expression or condition not listed here, throws, so that a change to the files
 * that this stand-in does not cover fails the test instead of being skipped.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT, isInstall, list, readWorkflow, type AzureJob, type AzureStep, type GithubJob, type GithubStep } from "./workflows";

/**
 * Files of the repository at the commit a run checks out, where they differ from this tree: what a
 * team commits when it adopts an example (its public signing key), path → text. Only under
 * examples/, the one folder a workspace copies rather than links.
 */
export type Committed = Record<string, string>;

/** What a job's workspace holds of this tree: links, except examples/ (copied: snapshot paths must resolve inside it). */
function makeWorkspace(dir: string, committed: Committed = {}): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of ["bin", "dist", "node_modules", "features", "schemas", "steps", "src", "package.json", "cucumber.js"]) {
    symlinkSync(join(ROOT, entry), join(dir, entry));
  }
  cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true });
  for (const [path, text] of Object.entries(committed)) {
    if (!/^examples\/(?!.*(^|\/)\.\.(\/|$))/.test(path)) throw new Error(`committed file outside examples/: ${path}`);
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The environment of a step: this process's, less what would tell hostproof it runs in some other CI. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1" };
  for (const k of Object.keys(env)) if (/^(GITHUB_|RUNNER_|TF_BUILD|SYSTEM_|BUILD_|AGENT_|GITLAB_|JENKINS_)/.test(k)) delete env[k];
  return env;
}

/** Called after each step that ran, with the job's workspace: where a test plays someone who edits files between two steps. */
export type AfterStep = (job: string, step: string, workspace: string) => void;

export interface StepLog {
  job: string;
  step: string;
  code: number | "skipped";
  stdout: string;
  stderr: string;
}

function runBash(args: string[], script: string, cwd: string, env: NodeJS.ProcessEnv, tmp: string): { code: number; stdout: string; stderr: string } {
  const file = join(mkdtempSync(join(tmp, "step-")), "script.sh");
  writeFileSync(file, script);
  const res = spawnSync("bash", [...args, file], { cwd, env, encoding: "utf8" });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Copies a folder as an artifact: hidden files (a name starting with ".") left out unless asked for. */
function copyTree(from: string, to: string, includeHidden = true): void {
  cpSync(from, to, { recursive: true, filter: (src) => includeHidden || !relative(from, src).split("/").some((p) => p.startsWith(".")) });
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

export interface GithubStore {
  /** Cache entries in the order they were saved: key → folder. */
  caches: Map<string, string>;
}

export interface GithubRun {
  logs: StepLog[];
  /** Job id (with the matrix value for a matrix job) → "success" | "failure" | "skipped". */
  results: Map<string, string>;
  /** Every job's step summaries, in order. */
  stepSummary: string;
  artifacts: Map<string, string>;
  /** Each job's result and outputs, as needs.<job> sees them. */
  jobs: Record<string, { result: string; outputs: Record<string, string> }>;
  /** Each job's workspace (a matrix job's: per instance). */
  workspaces: Map<string, string>;
}

export interface GithubOptions {
  tmp: string;
  store: GithubStore;
  runId: number;
  /** Jobs ("shards (3)") whose runner is lost: no step of theirs runs, the job fails. */
  lost?: string[];
  /** The repository's Actions secrets; one that is not set reads as "", as on GitHub. */
  secrets?: Record<string, string>;
  /** Per job ("shards (2)"): the secrets it sees instead, as a job bound to an environment sees that environment's. */
  jobSecrets?: Record<string, Record<string, string>>;
  committed?: Committed;
  afterStep?: AfterStep;
}

type Ctx = Record<string, unknown>;

function lookup(ctx: Ctx, path: string): unknown {
  let v: unknown = ctx;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || !(part in (v as Ctx))) throw new Error(`unknown expression context ${path}`);
    v = (v as Ctx)[part];
  }
  return v;
}

/** ${{ a.b.c }} (property paths only) substituted; anything else is refused. */
function expand(text: string, ctx: Ctx): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
    if (!/^[A-Za-z_][\w.-]*$/.test(expr)) throw new Error(`expression not supported here: ${expr}`);
    const secret = /^secrets\.(\w+)$/.exec(expr);
    if (secret) return (ctx.secrets as Record<string, string>)[secret[1]] ?? "";
    const v = lookup(ctx, expr);
    return v === undefined || v === null ? "" : String(v);
  });
}

/** The conditions the workflow uses, by their text. */
function githubCondition(cond: string | undefined, failed: boolean, ctx: Ctx): boolean {
  const text = cond?.replace(/^\$\{\{\s*|\s*\}\}$/g, "").trim();
  if (text === undefined) return !failed;
  if (text === "!cancelled()" || text === "always()") return true;
  if (text === "!cancelled() && needs.plan.result == 'success'") return lookup(ctx, "needs.plan.result") === "success";
  const m = /^!cancelled\(\) && contains\(fromJSON\('(\[.*\])'\), steps\.([\w-]+)\.outputs\.([\w-]+)\)$/.exec(text);
  if (m) return (JSON.parse(m[1]) as string[]).includes(String((lookup(ctx, `steps.${m[2]}.outputs`) as Ctx)[m[3]] ?? ""));
  throw new Error(`condition not supported here: ${cond}`);
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([\w-]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
    else if (line.trim() !== "") throw new Error(`GITHUB_OUTPUT line not supported here: ${line}`);
  }
  return out;
}

export function runGithub(file: string, opts: GithubOptions): GithubRun {
  const wf = readWorkflow(file);
  const run: GithubRun = { logs: [], results: new Map(), stepSummary: "", artifacts: new Map(), jobs: {}, workspaces: new Map() };
  const jobOutputs = run.jobs;
  const order = Object.keys(wf.jobs);
  for (const name of order) {
    const job: GithubJob = wf.jobs[name];
    const needs = list(job.needs);
    for (const n of needs) if (!(n in jobOutputs)) throw new Error(`${name} needs ${n}, which comes later in the file`);
    const needsCtx = Object.fromEntries(needs.map((n) => [n, jobOutputs[n]]));
    const shards = (job.strategy?.matrix as { shard?: number[] } | undefined)?.shard;
    if (job.strategy?.matrix && Object.keys(job.strategy.matrix).some((k) => k !== "shard")) throw new Error("matrix dimensions other than shard are not supported here");
    const instances = shards ? shards.map((v) => ({ matrix: { shard: v }, strategy: { "job-total": shards.length, "job-index": shards.indexOf(v) } })) : [{ matrix: {}, strategy: { "job-total": 1, "job-index": 0 } }];
    const jobCtx: Ctx = { needs: needsCtx, github: { run_id: String(opts.runId), run_attempt: "1" } };
    const anyNeedFailed = needs.some((n) => jobOutputs[n].result !== "success");
    if (job.if === undefined ? anyNeedFailed : !githubCondition(job.if, anyNeedFailed, jobCtx)) {
      jobOutputs[name] = { result: "skipped", outputs: {} };
      run.results.set(name, "skipped");
      continue;
    }
    const results: string[] = [];
    let outputs: Record<string, string> = {};
    for (const inst of instances) {
      const id = shards ? `${name} (${(inst.matrix as { shard: number }).shard})` : name;
      const ws = join(opts.tmp, `gh-${opts.runId}-${id.replace(/\W+/g, "-")}`);
      makeWorkspace(ws, opts.committed);
      run.workspaces.set(id, ws);
      const ctx: Ctx = { ...jobCtx, ...inst, steps: {}, secrets: opts.jobSecrets?.[id] ?? opts.secrets ?? {} };
      let failed = false;
      if (opts.lost?.includes(id)) {
        run.results.set(id, "failure");
        results.push("failure");
        continue;
      }
      job.steps.forEach((step: GithubStep, i) => {
        const label = step.name ?? step.uses ?? `step ${i}`;
        if (!githubCondition(step.if, failed, ctx)) {
          run.logs.push({ job: id, step: label, code: "skipped", stdout: "", stderr: "" });
          return;
        }
        const code = githubStep(step, ctx, ws, wf, job, opts, run, id);
        run.logs.push({ job: id, step: label, ...code });
        if (code.code !== 0) failed = true;
        opts.afterStep?.(id, label, ws);
      });
      if (job.outputs) outputs = Object.fromEntries(Object.entries(job.outputs).map(([k, v]) => [k, expand(v, ctx)]));
      run.results.set(id, failed ? "failure" : "success");
      results.push(failed ? "failure" : "success");
    }
    jobOutputs[name] = { result: results.every((r) => r === "success") ? "success" : "failure", outputs };
  }
  return run;
}

function githubStep(step: GithubStep, ctx: Ctx, ws: string, wf: any, job: GithubJob, opts: GithubOptions, run: GithubRun, id: string): { code: number; stdout: string; stderr: string } {
  const ok = { code: 0, stdout: "", stderr: "" };
  const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), ctx)]));
  if (step.run !== undefined) {
    if (isInstall(step.run)) return ok; // this tree is installed and built already
    if ((step.shell ?? wf.defaults?.run?.shell) !== "bash") throw new Error(`${step.name}: only shell: bash is supported here`);
    const env: NodeJS.ProcessEnv = { ...baseEnv() };
    for (const e of [wf.env, job.env, step.env]) for (const [k, v] of Object.entries<string>(e ?? {})) env[k] = expand(String(v), ctx);
    const output = join(mkdtempSync(join(opts.tmp, "out-")), "output");
    const summary = join(mkdtempSync(join(opts.tmp, "summary-")), "summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    Object.assign(env, { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: ws, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_RUN_ID: String(opts.runId), RUNNER_TEMP: opts.tmp });
    // What GitHub runs for shell: bash.
    const res = runBash(["--noprofile", "--norc", "-eo", "pipefail"], step.run, ws, env, opts.tmp);
    if (step.id) (ctx.steps as Ctx)[step.id] = { outputs: readOutputs(output) };
    run.stepSummary += readFileSync(summary, "utf8");
    return res;
  }
  const action = (step.uses ?? "").replace(/@.*$/, "");
  switch (action) {
    case "actions/checkout": // the workspace holds this tree
    case "actions/setup-node": // this process's node
      return ok;
    case "actions/upload-artifact": {
      const from = join(ws, w.path);
      if (!existsSync(from)) return { ...ok, stderr: `warning: no files at ${w.path}` }; // if-no-files-found: warn
      if (run.artifacts.has(w.name)) return { code: 1, stdout: "", stderr: `an artifact named ${w.name} exists already` };
      const to = join(opts.tmp, `artifact-${opts.runId}-${w.name}`);
      copyTree(from, to, w["include-hidden-files"] === "true");
      run.artifacts.set(w.name, to);
      return ok;
    }
    case "actions/download-artifact": {
      const re = globToRegExp(w.pattern);
      for (const [name, dir] of run.artifacts) if (re.test(name)) copyTree(dir, join(ws, w.path, name));
      return ok;
    }
    case "actions/cache/restore": {
      const keys = [...opts.store.caches.keys()];
      const exact = keys.find((k) => k === w.key);
      const prefixes = (w["restore-keys"] ?? "").split("\n").filter(Boolean);
      const hit = exact ?? prefixes.map((p) => keys.filter((k) => k.startsWith(p)).pop()).find((k) => k !== undefined);
      if (hit !== undefined) copyTree(opts.store.caches.get(hit)!, join(ws, w.path));
      return { ...ok, stdout: hit ? `restored ${hit}` : "cache not found" };
    }
    case "actions/cache/save": {
      if (opts.store.caches.has(w.key)) return { ...ok, stderr: `cache ${w.key} exists already: not saved` };
      if (!existsSync(join(ws, w.path))) return { ...ok, stderr: `no files at ${w.path}: not saved` };
      const to = join(opts.tmp, `cache-${w.key}`);
      copyTree(join(ws, w.path), to);
      opts.store.caches.set(w.key, to);
      return ok;
    }
    default:
      throw new Error(`${id}: action ${step.uses} is not supported here`);
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Pipelines

export interface AzureRun {
  logs: StepLog[];
  results: Map<string, string>;
  /** The files ##vso[task.uploadsummary] named, read when the command was given. */
  summaries: string[];
  artifacts: Map<string, string>;
  /** junit.xml files PublishTestResults@2 found. */
  testResults: string[];
  jobs: Record<string, { result: string; outputs: Record<string, string> }>;
  /** Each job's $(Pipeline.Workspace). */
  workspaces: Map<string, string>;
}

export interface AzureOptions {
  tmp: string;
  buildId: number;
  /** The previous run of this pipeline on this branch, for buildType: specific, latestFromBranch. */
  previous?: AzureRun;
  lost?: string[];
  /** The pipeline's secret variables: expanded by $(X) macros, never mapped into the environment by themselves. One not set stays "$(X)", as the agent leaves it. */
  secrets?: Record<string, string>;
  /** Per job ("shard (2)"): the secret variables it sees instead. */
  jobSecrets?: Record<string, Record<string, string>>;
  committed?: Committed;
  afterStep?: AfterStep;
}

/** $(Name) macros of defined variables replaced; others left as they are, as the agent does. */
function macro(text: string, vars: Record<string, string>): string {
  let out = text;
  for (let i = 0; i < 5; i++) out = out.replace(/\$\(([A-Za-z0-9_.]+)\)/g, (m, n: string) => (n in vars ? vars[n] : m));
  return out;
}

function azureCondition(cond: string | undefined, failed: boolean, vars: Record<string, string>, deps: Record<string, { result: string }>): boolean {
  if (cond === undefined || cond === "succeeded()") return !failed;
  if (cond === "succeededOrFailed()" || cond === "always()") return true;
  if (cond === "and(not(canceled()), eq(dependencies.plan.result, 'Succeeded'))") return deps.plan?.result === "Succeeded";
  const m = /^and\(succeededOrFailed\(\), in\(variables\.(\w+), ((?:'[^']*'(?:, )?)+)\)\)$/.exec(cond);
  if (m) return [...m[2].matchAll(/'([^']*)'/g)].map((x) => x[1]).includes(vars[m[1]] ?? "");
  throw new Error(`condition not supported here: ${cond}`);
}

export function runAzure(file: string, opts: AzureOptions): AzureRun {
  const wf = readWorkflow(file);
  const run: AzureRun = { logs: [], results: new Map(), summaries: [], artifacts: new Map(), testResults: [], jobs: {}, workspaces: new Map() };
  const deps = run.jobs;
  for (const job of wf.jobs as AzureJob[]) {
    const dependsOn = list(job.dependsOn);
    for (const d of dependsOn) if (!(d in deps)) throw new Error(`${job.job} depends on ${d}, which comes later in the file`);
    const anyFailed = dependsOn.some((d) => deps[d].result !== "Succeeded");
    if (!azureCondition(job.condition, anyFailed, {}, deps)) {
      deps[job.job] = { result: "Skipped", outputs: {} };
      run.results.set(job.job, "Skipped");
      continue;
    }
    const n = job.strategy?.parallel ?? 1;
    if (job.strategy?.matrix !== undefined) throw new Error("strategy: matrix is not supported here");
    const results: string[] = [];
    const outputs: Record<string, string> = {};
    for (let k = 1; k <= n; k++) {
      const id = n > 1 ? `${job.job} (${k})` : job.job;
      const pw = join(opts.tmp, `ado-${opts.buildId}-${id.replace(/\W+/g, "-")}`);
      const src = join(pw, "s");
      makeWorkspace(src, opts.committed);
      mkdirSync(join(pw, "a"));
      run.workspaces.set(id, pw);
      const vars: Record<string, string> = {
        "Pipeline.Workspace": pw,
        "Build.SourcesDirectory": src,
        "System.DefaultWorkingDirectory": src,
        "Build.ArtifactStagingDirectory": join(pw, "a"),
        "Build.BuildId": String(opts.buildId),
        "Build.SourceBranch": "refs/heads/main",
        "System.TeamProjectId": "00000000-0000-0000-0000-000000000000",
        "System.DefinitionId": "7",
        "System.JobPositionInPhase": String(k),
        "System.TotalJobsInPhase": String(n),
      };
      for (const scope of [wf.variables, job.variables]) {
        for (const [key, value] of Object.entries<string>(scope ?? {})) {
          const runtime = /^\$\[\s*dependencies\.(\w+)\.outputs\['(\w+)\.(\w+)'\]\s*\]$/.exec(String(value));
          if (runtime) vars[key] = deps[runtime[1]]?.outputs[`${runtime[2]}.${runtime[3]}`] ?? "";
          else if (String(value).startsWith("$[")) throw new Error(`runtime expression not supported here: ${value}`);
          else vars[key] = macro(String(value), vars);
        }
      }
      if (opts.lost?.includes(id)) {
        run.results.set(id, "Failed");
        results.push("Failed");
        continue;
      }
      let failed = false;
      let issues = false;
      job.steps.forEach((step: AzureStep, i) => {
        const label = step.displayName ?? step.task ?? step.checkout ?? `step ${i}`;
        if (!azureCondition(step.condition, failed, vars, deps)) {
          run.logs.push({ job: id, step: label, code: "skipped", stdout: "", stderr: "" });
          return;
        }
        const res = azureStep(step, vars, opts.jobSecrets?.[id] ?? opts.secrets ?? {}, src, opts, run, id);
        run.logs.push({ job: id, step: label, ...res });
        if (res.code !== 0) {
          if (step.continueOnError) issues = true;
          else failed = true;
        }
        for (const m of res.stdout.matchAll(/^##vso\[task\.setvariable variable=(\w+)(;isOutput=true)?\](.*)$/gm)) {
          if (m[2] && step.name) outputs[`${step.name}.${m[1]}`] = m[3];
          else vars[m[1]] = m[3];
        }
        for (const m of res.stdout.matchAll(/^##vso\[task\.uploadsummary\](.*)$/gm)) run.summaries.push(readFileSync(m[1], "utf8"));
        opts.afterStep?.(id, label, pw);
      });
      const result = failed ? "Failed" : issues ? "SucceededWithIssues" : "Succeeded";
      run.results.set(id, result);
      results.push(result);
    }
    deps[job.job] = { result: results.every((r) => r === "Succeeded") ? "Succeeded" : results.includes("Failed") ? "Failed" : "SucceededWithIssues", outputs };
  }
  return run;
}

function azureStep(step: AzureStep, vars: Record<string, string>, secrets: Record<string, string>, src: string, opts: AzureOptions, run: AzureRun, id: string): { code: number; stdout: string; stderr: string } {
  const ok = { code: 0, stdout: "", stderr: "" };
  if (step.checkout !== undefined) return ok; // the workspace holds this tree
  // Macros see secret variables as well as the others.
  const known = { ...secrets, ...vars };
  if (step.bash !== undefined) {
    if (isInstall(step.bash)) return ok;
    const env: NodeJS.ProcessEnv = { ...baseEnv(), TF_BUILD: "True" };
    // The agent maps every variable but the secret ones to the environment: upper case, "." as "_".
    for (const [k, v] of Object.entries(vars)) env[k.toUpperCase().replace(/\./g, "_")] = v;
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = macro(String(v), known);
    // The Bash task runs the script, its macros expanded, as bash --noprofile --norc <file>.
    return runBash(["--noprofile", "--norc"], macro(step.bash, known), src, env, opts.tmp);
  }
  const inputs = Object.fromEntries(Object.entries(step.inputs ?? {}).map(([k, v]) => [k, macro(String(v), known)]));
  switch (step.task) {
    case "UseNode@1":
      return ok;
    case "PublishPipelineArtifact@1": {
      if (!existsSync(inputs.targetPath)) return { code: 1, stdout: "", stderr: `Path does not exist: ${inputs.targetPath}` };
      if (run.artifacts.has(inputs.artifact)) return { code: 1, stdout: "", stderr: `artifact ${inputs.artifact} exists already` };
      const to = join(opts.tmp, `ado-artifact-${opts.buildId}-${inputs.artifact}`);
      copyTree(inputs.targetPath, to);
      run.artifacts.set(inputs.artifact, to);
      return ok;
    }
    case "DownloadPipelineArtifact@2": {
      if (inputs.buildType === "current") {
        // No artifactName: every artifact into a folder of its name, filtered by itemPattern.
        const first = inputs.itemPattern.split("/")[0];
        if (!/^[^*]*\*?[^*]*$/.test(first) || !inputs.itemPattern.endsWith("/**")) throw new Error(`itemPattern not supported here: ${inputs.itemPattern}`);
        const re = globToRegExp(first);
        for (const [name, dir] of run.artifacts) if (re.test(name)) copyTree(dir, join(inputs.targetPath, name));
        return ok;
      }
      if (inputs.buildType === "specific" && inputs.buildVersionToDownload === "latestFromBranch" && inputs.allowFailedBuilds === "true") {
        const dir = opts.previous?.artifacts.get(inputs.artifactName);
        if (dir === undefined) return { code: 1, stdout: "", stderr: `no earlier run has an artifact ${inputs.artifactName}` };
        copyTree(dir, inputs.targetPath);
        return ok;
      }
      throw new Error(`${id}: DownloadPipelineArtifact inputs not supported here: ${JSON.stringify(inputs)}`);
    }
    case "PublishTestResults@2": {
      if (existsSync(inputs.testResultsFiles)) run.testResults.push(readFileSync(inputs.testResultsFiles, "utf8"));
      return ok; // failTaskOnMissingResultsFile is false: a warning only
    }
    default:
      throw new Error(`${id}: task ${step.task} is not supported here`);
  }
}

/** A fresh folder for one emulated run's workspaces, artifacts and caches. */
export function emulationDir(prefix: string): string {
  return mkdtempSync(join(require("node:os").tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
