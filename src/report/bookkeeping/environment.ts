/**
 * Run metadata for Allure's Environment widget: enough for an auditor to say which controls, which
 * inventory and whose run produced a report, without access to the machine that made it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { hashFile, sha256Hex } from "../../evidence/manifest";

export interface RunEnvironmentInput {
  version: string;
  /** The folder of the .feature files that were run (hostproof's PACKAGE_ROOT/features). */
  featuresDir: string;
  /** The organisation's own feature files that ran (--features): named and hashed apart from the built-in ones. */
  userFeatures?: readonly { path: string; shown: string; origin: string; sha256?: string }[];
  /** false with --no-builtin: the built-in controls did not run. */
  builtin?: boolean;
  inventoryFile: string;
  /** The digest of the inventory as it was read; without it the file is read again. */
  inventorySha256?: string;
  /** SHA-256 of the waiver file as it was read (--waivers). */
  waiversSha256?: string;
  startedAt: string;
  /** When the results were written; the HTML is made after, so it cannot be its end. */
  finishedAt?: string;
}

/** What the function needs from the machine; tests pass their own. */
export interface EnvironmentProbes {
  /** Runs git with `args` in `cwd`; stdout, or undefined when git fails or is not installed. */
  git(args: string[], cwd: string): string | undefined;
  username(): string;
  hostname(): string;
}

export const NOT_A_CHECKOUT = "(not a git checkout)";

export const systemProbes: EnvironmentProbes = {
  git(args, cwd) {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000, windowsHide: true });
    } catch {
      return undefined;
    }
  },
  username() {
    // userInfo() throws where the uid has no passwd entry (containers running as a bare uid).
    try {
      return userInfo().username;
    } catch {
      return process.env.USER ?? process.env.USERNAME ?? "(unknown user)";
    }
  },
  hostname: () => hostname(),
};

/**
 * The features' commit, and whether the features differ from it. The features are only a
 * checkout when git tracks them: hostproof installed under node_modules sits inside the user's
 * repository, whose HEAD says nothing about hostproof's controls.
 */
export function featuresGitState(featuresDir: string, probes: EnvironmentProbes = systemProbes): { commit: string; modified: string } {
  const tracked = probes.git(["ls-files", "--", "."], featuresDir);
  const head = probes.git(["rev-parse", "HEAD"], featuresDir)?.trim();
  if (tracked === undefined || tracked.trim() === "" || head === undefined || !/^[0-9a-f]{40,64}$/.test(head)) {
    return { commit: NOT_A_CHECKOUT, modified: NOT_A_CHECKOUT };
  }
  // Untracked files count: a new .feature file changes the controls as much as an edited one.
  const status = probes.git(["status", "--porcelain", "--untracked-files=all", "--", "."], featuresDir);
  if (status === undefined) return { commit: head, modified: "(git status failed)" };
  const changed = status.split("\n").filter((l) => l.trim() !== "");
  return { commit: head, modified: changed.length === 0 ? "no" : `yes: ${changed.length} file(s) differ from the commit (${changed.slice(0, 5).map((l) => l.slice(3)).join(", ")}${changed.length > 5 ? ", …" : ""})` };
}

/**
 * One digest over every .feature file (name and content): it identifies the controls that were
 * run even where there is no git, e.g. an npm-installed hostproof.
 */
export function featuresDigest(featuresDir: string): string {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(featuresDir, rel), { withFileTypes: true })) {
      const path = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && e.name.endsWith(".feature")) files.push(path);
    }
  };
  walk("");
  files.sort();
  return sha256Hex(files.map((f) => `${hashFile(join(featuresDir, f)).sha256}  ${f}\n`).join(""));
}

function fileDigest(file: string): string {
  try {
    return hashFile(file).sha256;
  } catch (err) {
    return `(unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

/** Key/values for allure-results/environment.properties, in the order the widget shows them. */
export function runEnvironment(input: RunEnvironmentInput, probes: EnvironmentProbes = systemProbes): Record<string, string> {
  const git = featuresGitState(input.featuresDir, probes);
  let features: string;
  try {
    features = featuresDigest(input.featuresDir);
  } catch (err) {
    features = `(unreadable: ${(err as Error).message})`;
  }
  const user = input.userFeatures ?? [];
  return {
    "hostproof.version": input.version,
    ...(input.builtin === false ? { "features.builtin": "not run (--no-builtin)" } : {}),
    "features.commit": git.commit,
    "features.modified": git.modified,
    "features.sha256": features,
    ...(user.length > 0
      ? {
          "features.user.folders": [...new Set(user.map((f) => f.origin))].join(", "),
          // One digest over the user's files as they ran (path as shown, and content), like features.sha256.
          "features.user.sha256": sha256Hex(user.map((f) => `${f.sha256 ?? fileDigest(f.path)}  ${f.shown}\n`).join("")),
        }
      : {}),
    "inventory.sha256": input.inventorySha256 ?? fileDigest(input.inventoryFile),
    ...(input.waiversSha256 !== undefined ? { "waivers.sha256": input.waiversSha256 } : {}),
    "run.by": `${probes.username()}@${probes.hostname()}`,
    "run.started": input.startedAt,
    ...(input.finishedAt !== undefined ? { "run.finished": input.finishedAt } : {}),
  };
}
