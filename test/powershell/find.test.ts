/** Which pwsh a session runs, and that it says where the choice came from. */
import { tempDir } from "../e2e/cli";
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { findOnPath, findPwsh, resolvePwsh } from "../../src/powershell/find";

const PWSH = process.platform === "win32" ? "pwsh.exe" : "pwsh";

/** A PATH of fresh directories; `executables` names the ones that hold a runnable pwsh. */
function fakePath(dirs: string[], executables: string[], notExecutable: string[] = []): string {
  const root = tempDir("hostproof-find-");
  for (const dir of dirs) mkdirSync(join(root, dir));
  for (const dir of executables) writeFileSync(join(root, dir, PWSH), "#!/bin/sh\n", { mode: 0o755 });
  for (const dir of notExecutable) {
    writeFileSync(join(root, dir, PWSH), "data");
    chmodSync(join(root, dir, PWSH), 0o644);
  }
  return dirs.map((d) => join(root, d)).join(delimiter);
}

test("explicit executable, then NODE_POWERSHELL, then pwsh on PATH", () => {
  const PATH = fakePath(["a"], ["a"]);
  const onPath = join(PATH, PWSH);
  assert.deepEqual(resolvePwsh("/opt/x/pwsh", { PATH, NODE_POWERSHELL: "/env/pwsh" }), { path: "/opt/x/pwsh", source: "executable option" });
  assert.deepEqual(resolvePwsh(undefined, { PATH, NODE_POWERSHELL: "/env/pwsh" }), { path: "/env/pwsh", source: "NODE_POWERSHELL" });
  assert.deepEqual(resolvePwsh(undefined, { PATH, NODE_POWERSHELL: "" }), { path: onPath, source: "PATH" });
  assert.equal(findPwsh({ PATH, NODE_POWERSHELL: "/env/pwsh" }), "/env/pwsh");
  assert.equal(findPwsh({ PATH }), onPath);
});

test("PATH lookup takes the first executable pwsh and skips files that are not", { skip: process.platform === "win32" && "POSIX modes" }, () => {
  const PATH = fakePath(["empty", "data", "good", "later"], ["good", "later"], ["data"]);
  assert.equal(findOnPath("pwsh", { PATH }), join(PATH.split(delimiter)[2], PWSH));
});

test("no pwsh anywhere is undefined, not a guess", () => {
  assert.equal(findPwsh({ PATH: fakePath(["x"], []) }), undefined);
  assert.equal(findPwsh({}), undefined);
  assert.equal(resolvePwsh(undefined, { PATH: "" }), undefined);
});
