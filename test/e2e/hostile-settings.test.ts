/**
 * Environment variables set wrong (issue 18): each is refused with exit 3, naming the variable,
 * the value and what it takes, before anything is read or written; never silently ignored.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, DEMO, ROOT, goodEstate, spawnCli, tempDir } from "./cli";

const noStack = (text: string): void => assert.doesNotMatch(text, /\n\s+at |internal error/);

test("HOSTPROOF_MAX_INPUT_MB that is not a whole number of MiB from 1 to 511 is refused by every command", () => {
  const { inventory } = goodEstate();
  for (const value of ["abc", "-1", "0.000001", "0", "512", "1e3", "0x10", " "]) {
    for (const args of [["validate", inventory], ["controls"], ["run", "-i", inventory, "-o", join(tempDir(), "out"), "--no-html", "--as-of", AS_OF]]) {
      const res = spawnCli(args, ROOT, { ...process.env, HOSTPROOF_MAX_INPUT_MB: value });
      assert.equal(res.code, 3, `${value} ${args[0]}: exit ${res.code}\n${res.stdout}\n${res.stderr}`);
      assert.ok(
        res.stderr.includes(`environment: HOSTPROOF_MAX_INPUT_MB: ${JSON.stringify(value)} is not a whole number in range. Set HOSTPROOF_MAX_INPUT_MB to a whole number of MiB from 1 to 511, or unset it.`),
        res.stderr,
      );
      noStack(res.stderr);
    }
  }
});

test("a valid HOSTPROOF_MAX_INPUT_MB changes the limit both ways; an empty one is unset", () => {
  const { dir, inventory } = goodEstate();
  const big = join(dir, "big.json");
  writeFileSync(big, readFileSync(inventory, "utf8") + " ".repeat(2 * 1024 * 1024));
  const lowered = spawnCli(["validate", big], dir, { ...process.env, HOSTPROOF_MAX_INPUT_MB: "1" });
  assert.equal(lowered.code, 3, lowered.stderr);
  assert.match(lowered.stderr, /big\.json: the file is 2\.0 MiB, over the 1\.0 MiB size limit for an input file/);
  for (const value of ["64", " 3 ", ""]) {
    const res = spawnCli(["validate", big], dir, { ...process.env, HOSTPROOF_MAX_INPUT_MB: value });
    assert.equal(res.code, 0, `${JSON.stringify(value)}: ${res.stderr}`);
  }
});

test("HOSTPROOF_REPORT_URL that is not an http(s) URL stops a run before anything is written", () => {
  const parent = tempDir();
  const out = join(parent, "reports");
  mkdirSync(out);
  writeFileSync(join(out, "summary.json"), '{"earlier":"report"}');
  writeFileSync(join(out, ".hostproof-report"), "an earlier run\n");
  for (const value of ["reports.example.com/hostproof", "javascript:alert(1)", "https://x.example/a b", "file:///etc/passwd"]) {
    const res = spawnCli(["run", "-i", DEMO, "-o", out, "--no-html", "--as-of", AS_OF], ROOT, { ...process.env, HOSTPROOF_REPORT_URL: value });
    assert.equal(res.code, 3, `${value}: exit ${res.code}\n${res.stderr}`);
    assert.match(res.stderr, /environment: HOSTPROOF_REPORT_URL: .* Set HOSTPROOF_REPORT_URL to an absolute http:\/\/ or https:\/\/ URL/);
    noStack(res.stderr);
  }
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}');
  assert.deepEqual(readdirSync(parent), ["reports"]);
  const good = spawnCli(["run", "-i", DEMO, "-o", out, "--no-html", "--no-history", "--as-of", AS_OF], ROOT, { ...process.env, HOSTPROOF_REPORT_URL: "https://reports.example.com/hostproof/" });
  assert.equal(good.code, 1, good.stderr);
  const executor = JSON.parse(readFileSync(join(out, "allure-results", "executor.json"), "utf8")) as { reportUrl?: string };
  assert.equal(executor.reportUrl, "https://reports.example.com/hostproof/");
});

test("NODE_POWERSHELL that is not an executable is named as the variable at fault, before any host is contacted", () => {
  const dir = tempDir();
  const inventory = join(dir, "live.yaml");
  writeFileSync(inventory, "version: 1\nhosts:\n  - name: h1\n    transport: ssh\n    address: 127.0.0.1\n    credential: c\ncredentials:\n  - name: c\n    username: u\n    keyFile: /nonexistent/key\n");
  for (const [value, why] of [["/nonexistent/pwsh", "is not an executable file"], [dir, "is not an executable file"], ["no-such-pwsh-here", "is not on PATH"]] as const) {
    const res = spawnCli(["collect", "-i", inventory, "-o", join(dir, "out")], dir, { ...process.env, NODE_POWERSHELL: value });
    assert.equal(res.code, 3, `${value}: exit ${res.code}\n${res.stderr}`);
    assert.ok(res.stderr.includes(`environment: NODE_POWERSHELL: ${JSON.stringify(value)} ${why}. Set NODE_POWERSHELL to the path of the pwsh executable`), res.stderr);
  }
});

test("HOSTPROOF_AS_OF that is not a day stops a bare cucumber-js run, naming the variable", () => {
  const cucumber = join(ROOT, "node_modules", "@cucumber", "cucumber", "bin", "cucumber.js");
  for (const value of ["2026-02-30", "yesterday", "2026-1-5"]) {
    const res = spawnSync(process.execPath, [cucumber, "--tags", "@HP-EOS-001"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, HOSTPROOF_INVENTORY: DEMO, HOSTPROOF_AS_OF: value } });
    assert.notEqual(res.status, 0, res.stdout);
    assert.ok((res.stdout + res.stderr).includes(`HOSTPROOF_AS_OF: ${JSON.stringify(value)} is not a day written yyyy-mm-dd`), res.stdout + res.stderr);
  }
});
