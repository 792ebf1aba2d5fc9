/**
 * verify --allowed-signers against OpenSSH's own reading of the same file: a line hostproof
 * trusts must be one with which the real `ssh-keygen -Y verify` accepts a signature for some
 * identity (the dangerous direction: trusting a key OpenSSH would not).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/errors";
import { readAllowedSigners } from "../../src/sign/keys";
import { haveTools, must, run, scratch, sshKey } from "./keytools";

const NOW = new Date();

test("a line hostproof trusts is one ssh-keygen -Y verify accepts for some identity: negated principals and over-long patterns", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const key = sshKey(dir, "signer");
  const pub = readFileSync(`${key}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ");
  const message = join(dir, "manifest.json");
  writeFileSync(message, '{"files":[]}\n');
  must("ssh-keygen", ["-q", "-Y", "sign", "-f", key, "-n", "hostproof", message]);
  const fits = "x".repeat(1022);
  const tooLong = "x".repeat(1023);
  // Each line, and the identities under which ssh-keygen is asked to verify with it.
  const cases: { line: string; identities: string[]; trusted: boolean }[] = [
    { line: `alice ${pub}`, identities: ["alice"], trusted: true },
    { line: `!bob,* ${pub}`, identities: ["alice"], trusted: true },
    { line: `!* ${pub}`, identities: ["alice", "!*", "*"], trusted: false },
    { line: `alice,!* ${pub}`, identities: ["alice"], trusted: false },
    { line: `"!alice,!bob" ${pub}`, identities: ["alice", "bob", "carol"], trusted: false },
    { line: `alice namespaces="hostproof,${fits}" ${pub}`, identities: ["alice"], trusted: true },
    { line: `alice namespaces="hostproof,${tooLong}" ${pub}`, identities: ["alice"], trusted: false },
    { line: `alice namespaces="${tooLong},hostproof" ${pub}`, identities: ["alice"], trusted: false },
    { line: `alice,${tooLong} ${pub}`, identities: ["alice", tooLong], trusted: false },
  ];
  for (const { line, identities, trusted } of cases) {
    const file = join(dir, "allowed_signers");
    writeFileSync(file, `${line}\n`);
    const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    const openssh = identities.some((id) => run("ssh-keygen", ["-Y", "verify", "-f", file, "-I", id, "-n", "hostproof", "-s", `${message}.sig`], readFileSync(message)).status === 0);
    assert.equal(openssh, trusted, `ssh-keygen on ${shown}`);
    let keys = 0;
    try {
      keys = readAllowedSigners(file, "hostproof", NOW).length;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      assert.match(err.message, /no line can verify a hostproof signature/, shown);
    }
    assert.equal(keys > 0, trusted, `hostproof on ${shown}`);
  }
});
