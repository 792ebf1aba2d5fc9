/** Every command's help: what it writes, its exit codes, and 2–4 worked examples at the end. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, spawnCli } from "./cli";

/** The example commands of the trailing "Examples:" section. */
function examples(help: string): string[] {
  const at = help.lastIndexOf("\nExamples:\n");
  assert.ok(at >= 0, `no Examples section:\n${help}`);
  return help
    .slice(at)
    .split("\n")
    .filter((l) => /^  (hostproof|node|npm) /.test(l));
}

function checkHelp(name: string, help: string, command: RegExp): void {
  assert.match(help, /^Usage:/m, name);
  assert.match(help, /\nExit codes( \(run\))?:/, `${name}: exit codes`);
  const list = examples(help);
  assert.ok(list.length >= 2 && list.length <= 4, `${name}: ${list.length} examples`);
  for (const e of list) assert.match(e, command, `${name}: ${e}`);
  assert.ok(help.lastIndexOf("Examples:") > help.lastIndexOf("Exit codes:"), `${name}: examples come last`);
}

test("hostproof and each command: usage, exit codes, and worked examples at the end", () => {
  for (const cmd of [[], ["run"], ["collect"], ["validate"], ["controls"], ["verify"], ["merge"]]) {
    const res = spawnCli([...cmd, "--help"]);
    assert.equal(res.code, 0, cmd.join(" "));
    checkHelp(`hostproof ${cmd.join(" ")}`, res.stdout, /^  hostproof /);
  }
});

test("run --help says what it writes, in sentences that parse, and where history is kept", () => {
  const help = spawnCli(["run", "--help"]).stdout;
  assert.doesNotMatch(help, /writes,\s*\(/, "the garbled sentence");
  for (const what of ["summary.md", "evidence/manifest.json", "hostproof verify", ".hostproof-history/<out name>", "130, 143"]) assert.ok(help.includes(what), what);
});

test("the bench scripts print their usage on --help and exit 3 with it on an unknown option", () => {
  for (const script of ["bench/generate.ts", "bench/run.ts"]) {
    const help = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script), "--help"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    checkHelp(script, help.stdout, /^  (node --import tsx bench\/|npm run bench)/);
    const bad = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, script), "--nope"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(bad.status, 3);
    assert.match(bad.stderr, /Unknown option '--nope'[\s\S]*Usage:/);
  }
});
