/**
 * Real keys for the signing tests, made by the real tools (openssl, ssh-keygen) in a scratch
 * folder, and the secrets of a key file that no message may quote.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { findOnPath } from "../../src/util/executables";
import { requireTool } from "../helpers/require-tool";

/** True when openssl and ssh-keygen are here; otherwise the test is skipped, or fails under HOSTPROOF_REQUIRE_TOOLS. */
export function haveTools(t: TestContext): boolean {
  return (
    requireTool(t, "openssl", findOnPath("openssl"), "apt-get install openssl") &&
    requireTool(t, "ssh-keygen", findOnPath("ssh-keygen"), "apt-get install openssh-client")
  );
}

export function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-sign-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Ran {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(command: string, args: string[], input?: Buffer | string, cwd?: string): Ran {
  const res = spawnSync(command, args, { input, cwd, maxBuffer: 256 * 1024 * 1024 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr.toString("utf8") };
}

/** Runs a tool that must succeed, returning its stdout. */
export function must(command: string, args: string[], input?: Buffer | string, cwd?: string): Buffer {
  const res = run(command, args, input, cwd);
  assert.equal(res.status, 0, `${command} ${args.join(" ")} failed: ${res.stderr}`);
  return res.stdout;
}

/** `openssl genpkey -algorithm <algorithm>` into dir/name; returns the path. */
export function opensslKey(dir: string, name: string, algorithm = "ed25519", options: string[] = []): string {
  const path = join(dir, name);
  must("openssl", ["genpkey", "-algorithm", algorithm, ...options.flatMap((o) => ["-pkeyopt", o]), "-out", path]);
  return path;
}

/** `ssh-keygen -t <type> -N <passphrase>` into dir/name (and name.pub); returns the path. */
export function sshKey(dir: string, name: string, type = "ed25519", passphrase = "", comment = "signer@example"): string {
  const path = join(dir, name);
  must("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path]);
  return path;
}

/**
 * What must never appear in a message about `keyFile`: every 16-character run of its PEM body
 * (so no line, no part of a line, and not the body joined), and for a key node can read, the
 * private scalar or seed in hex, base64 and base64url.
 */
export function secretsOf(keyFile: string, passphrase?: string): string[] {
  const text = readFileSync(keyFile, "latin1");
  const body = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "" && !l.startsWith("-----"))
    .join("");
  const secrets = new Set<string>();
  for (let i = 0; i + 16 <= body.length; i++) secrets.add(body.slice(i, i + 16));
  try {
    const jwk = createPrivateKey(passphrase === undefined ? text : { key: text, passphrase }).export({ format: "jwk" });
    for (const field of ["d", "p", "q"] as const) {
      const value = jwk[field];
      if (typeof value !== "string") continue;
      const bytes = Buffer.from(value, "base64url");
      for (const form of [bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url")]) secrets.add(form.slice(0, 24));
    }
  } catch {
    // An OpenSSH or encrypted key: node cannot read it; its body runs above cover it.
  }
  return [...secrets];
}

/** The seed of an OpenSSH Ed25519 key, read by this test's own parse of the file (hex, base64). */
export function openSshSeedForms(keyFile: string): string[] {
  const body = Buffer.from(
    readFileSync(keyFile, "latin1")
      .split(/\r?\n/)
      .filter((l) => !l.startsWith("-----"))
      .join(""),
    "base64",
  );
  // The private section ends with string(64-byte secret), string(comment), padding; the secret's
  // first 32 bytes are the seed. Find the 64-byte string whose second half is the public key.
  const pubAt = body.indexOf(Buffer.from("ssh-ed25519"));
  const pub = body.subarray(pubAt + 11 + 4, pubAt + 11 + 4 + 32);
  for (let i = 0; i + 68 <= body.length; i++) {
    if (body.readUInt32BE(i) === 64 && body.subarray(i + 4 + 32, i + 4 + 64).equals(pub)) {
      const seed = body.subarray(i + 4, i + 4 + 32);
      return [seed.toString("hex"), seed.toString("base64").slice(0, 24), seed.toString("base64url").slice(0, 24)];
    }
  }
  throw new Error("no Ed25519 secret found in the OpenSSH key");
}

export function assertNoSecret(message: string, secrets: readonly string[], what: string): void {
  for (const s of secrets) assert.ok(!message.includes(s), `${what}: the message quotes key material (${s.slice(0, 4)}…): ${message}`);
}
