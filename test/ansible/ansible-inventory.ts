/**
 * Runs Debian's real ansible-inventory (package ansible-core) on an inventory source, so that the
 * tests read exactly what users give hostproof. Missing, it skips the test on a developer machine
 * and fails it under HOSTPROOF_REQUIRE_TOOLS (CI lists `ansible`), like sshd and chromium.
 */
import { spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findOnPath } from "../../src/util/executables";
import { requireTool, type SkippableContext } from "../helpers/require-tool";
import { tempDir } from "../e2e/cli";

export const ANSIBLE_HINT = "install ansible-core (apt-get install ansible-core)";

export function findAnsibleInventory(): string | undefined {
  return findOnPath("ansible-inventory");
}

/** False (the test skipped) when ansible-inventory is missing and not required. */
export function haveAnsible(t: SkippableContext): boolean {
  return requireTool(t, "ansible", findAnsibleInventory(), ANSIBLE_HINT);
}

/** Runs `ansible-inventory -i <source> --list [--export] --output <out>`; returns <out>. */
export function ansibleList(source: string, out: string, exportForm = false): string {
  const args = ["-i", source, "--list", ...(exportForm ? ["--export"] : []), "--output", out];
  // ANSIBLE_* settings of the machine running the tests must not change what is printed.
  const env = { PATH: process.env.PATH ?? "", HOME: tempDir("hostproof-ansible-home-"), ANSIBLE_INVENTORY_UNPARSED_FAILED: "true", ANSIBLE_NOCOLOR: "1" };
  const res = spawnSync(findAnsibleInventory()!, args, { encoding: "utf8", env });
  assert.equal(res.status, 0, `ansible-inventory ${args.join(" ")} failed: ${res.stderr}`);
  return out;
}

/**
 * Writes an inventory source (and any group_vars/host_vars files, by relative path) into a fresh
 * folder and runs ansible-inventory on it, in both forms: `list` and `export` are the JSON files,
 * written in that folder so that hostproof_snapshot paths resolve there.
 */
export function ansibleEstate(sourceName: string, files: Record<string, string>): { dir: string; list: string; export: string } {
  const dir = tempDir("hostproof-ansible-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const source = join(dir, sourceName);
  return { dir, list: ansibleList(source, join(dir, "estate.json")), export: ansibleList(source, join(dir, "estate-export.json"), true) };
}

/** A vault-encrypted value as ansible-vault encrypt_string writes it; ansible-inventory prints it without decrypting. */
export const VAULTED = `!vault |
          $ANSIBLE_VAULT;1.1;AES256
          62653331353134313135666563343637323832623436303165646139653935643538313564616139
          3465376534396365363132336235393761323733343566320a313138363733643463653233653739
          34326431663330303239613862373963356235613636343164613062386336396565303564383736
          6639343661353236660a303239623437383933646365313430626563656132333638653238393538
          3130`;
