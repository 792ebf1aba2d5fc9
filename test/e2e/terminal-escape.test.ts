/** The real CLI on an estate whose name and an OS caption carry terminal escape sequences. */
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { AS_OF, ROOT, joinWrapped, spawnCli, tempDir } from "./cli";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

test("control characters from the inventory and a snapshot reach the terminal escaped", () => {
  const dir = tempDir();
  cpSync(join(ROOT, "examples", "demo"), dir, { recursive: true });
  const inventory = join(dir, "inventory.yaml");
  // YAML double quotes: \e is ESC, \a is BEL, \r is CR.
  writeFileSync(inventory, readFileSync(inventory, "utf8").replace(/^name: .*$/m, 'name: "Contoso\\e]0;owned\\a\\e[2K\\r…\\e[32mCOMPLIANT"'));
  const snapshot = join(dir, "snapshots", "legacy2003.json");
  writeFileSync(snapshot, readFileSync(snapshot, "utf8").replace("Server 2003, Enterprise Edition", "Server 2003\\u001b[2K\\r\\u001b[32mCOMPLIANT"));

  const res = spawnCli(["run", "-i", inventory, "-o", join(dir, "out"), "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  assert.doesNotMatch(res.stdout, CONTROL);
  assert.doesNotMatch(res.stderr, CONTROL);
  assert.match(joinWrapped(res.stdout), /Contoso\\e\]0;owned\\a\\e\[2K\\r…\\e\[32mCOMPLIANT/);
  assert.match(joinWrapped(res.stdout), /✘ critical +legacy2003 .*Server 2003\\e\[2K\\r\\e\[32mCOMPLIANT/);
});
