/**
 * What a signed report says about itself: an in-toto Statement v1 whose subjects are the two files
 * that pin the report (the manifest, which lists every other file's digest, and summary.json, which
 * a gate reads the verdict from), with the test-result predicate: the verdict, the controls by
 * outcome, the inputs the run was made from and the CI run that made it. Tools outside hostproof
 * (in-toto, Sigstore's policy engines, a GRC importer) read it without knowing hostproof.
 */
import { createHash } from "node:crypto";
import type { Verdict } from "../model/run";
import type { ControlCounts } from "../report/bookkeeping/digest";
import { executorFromEnv } from "../report/bookkeeping/executor";
import { MANIFEST_PATH } from "../evidence/manifest";
import { SUMMARY_FILE } from "../report/formats/summary";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const TEST_RESULT_PREDICATE = "https://in-toto.io/attestation/test-result/v0.1";
export const INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** in-toto's ResourceDescriptor, with the fields hostproof fills. */
export interface ResourceDescriptor {
  name: string;
  uri?: string;
  digest: { sha256: string };
  annotations?: Record<string, string | number>;
}

export type TestResult = "PASSED" | "WARNED" | "FAILED";

export interface TestResultPredicate {
  result: TestResult;
  configuration: ResourceDescriptor[];
  url?: string;
  passedTests: string[];
  warnedTests: string[];
  failedTests: string[];
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: TestResultPredicate;
}

/**
 * The verdict in the predicate's words. Undetermined is WARNED: nothing failed, but something could
 * not be read, and a policy that accepts only PASSED then refuses it, as the exit code 2 does.
 */
export const RESULT_OF: Readonly<Record<Verdict, TestResult>> = { compliant: "PASSED", "non-compliant": "FAILED", undetermined: "WARNED" };

/**
 * Each control once, by its worst result over every target: failed if any target failed, warned if
 * none failed and one could not be determined, else passed (passed, not applicable and waived; a
 * waiver is the organisation's accepted exception, and is in summary.json with its justification).
 * A failure below --fail-on still lists its control as failed: the lists are what happened, the
 * result is the verdict the run's policy made of it.
 */
export function testsByOutcome(perControl: readonly ControlCounts[]): Pick<TestResultPredicate, "passedTests" | "warnedTests" | "failedTests"> {
  const out = { passedTests: [] as string[], warnedTests: [] as string[], failedTests: [] as string[] };
  for (const c of perControl) {
    if (c.counts.failed > 0) out.failedTests.push(c.id);
    else if (c.counts.undetermined > 0) out.warnedTests.push(c.id);
    else out.passedTests.push(c.id);
  }
  return out;
}

/** The CI run that made the report, where the environment names one (GitHub Actions, Azure Pipelines, GitLab, Jenkins). */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const executor = executorFromEnv(env, {});
  return executor.type === "local" ? undefined : (executor.buildUrl ?? undefined);
}

export function buildStatement(options: { manifestSha256: string; summarySha256: string; verdict: Verdict; perControl: readonly ControlCounts[]; configuration: ResourceDescriptor[]; url: string | undefined }): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      { name: MANIFEST_PATH, digest: { sha256: options.manifestSha256 } },
      { name: SUMMARY_FILE, digest: { sha256: options.summarySha256 } },
    ],
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: RESULT_OF[options.verdict],
      configuration: options.configuration,
      ...(options.url !== undefined ? { url: options.url } : {}),
      ...testsByOutcome(options.perControl),
    },
  };
}

/**
 * A folder of feature files as one digest an auditor can reproduce with coreutils alone: the
 * SHA-256 of `sha256sum`'s output over its files, by their paths within the folder in byte order,
 *   cd <folder> && find . -name '*.feature' -type f | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum
 * Each file's digest is of the bytes the run read and judged by, not of the file as it is now.
 */
export function folderDigest(files: readonly { sha256: string; within: string }[]): string {
  const lines = [...files].sort((a, b) => (Buffer.compare(Buffer.from(a.within), Buffer.from(b.within)))).map((f) => `${f.sha256}  ${f.within}\n`);
  return createHash("sha256").update(lines.join("")).digest("hex");
}
