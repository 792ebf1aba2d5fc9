/**
 * Strict host-key checking against the loopback hosts' real keys.
 *
 * PowerShell's SSH remoting runs the `ssh` it finds on PATH and passes no -o options of ours (the
 * driver gives HostName, Port, UserName and KeyFilePath only), and OpenSSH finds ~/.ssh through
 * the password database, not $HOME, so neither a flag nor HOME can point it at a test known_hosts.
 * A one-line `ssh` earlier on PATH can: it execs the real ssh with StrictHostKeyChecking=yes and
 * our known_hosts (exec, so it adds no process). Nothing in the user's ~/.ssh is read or written.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { findOnPath } from "../../src/powershell/find";

export interface KnownHost {
  address: string;
  port: number;
  /** The host's public key file (`<type> <base64> [comment]`). */
  publicKeyFile: string;
}

/** One `[address]:port <type> <key>` line per host. */
export function writeKnownHosts(file: string, hosts: readonly KnownHost[]): void {
  const keys = new Map<string, string>();
  const lines = hosts.map((h) => {
    let key = keys.get(h.publicKeyFile);
    if (key === undefined) keys.set(h.publicKeyFile, (key = readFileSync(h.publicKeyFile, "utf8").trim().split(/\s+/).slice(0, 2).join(" ")));
    return `[${h.address}]:${h.port} ${key}`;
  });
  writeFileSync(file, `${lines.join("\n")}\n`);
}

/** Writes `<binDir>/ssh` that checks host keys strictly against `knownHosts`; returns binDir. */
export function writeStrictSsh(binDir: string, knownHosts: string, env: NodeJS.ProcessEnv = process.env): string {
  const ssh = findOnPath("ssh", env);
  if (ssh === undefined) throw new Error("ssh (the OpenSSH client) is not on PATH");
  mkdirSync(binDir, { recursive: true });
  const shim = join(binDir, "ssh");
  writeFileSync(
    shim,
    `#!/bin/sh\nexec '${ssh}' -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=${knownHosts}' -o GlobalKnownHostsFile=/dev/null "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return binDir;
}

/** `base` with binDir first on PATH. */
export function withBinDir(binDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PATH: [binDir, base.PATH ?? ""].filter((p) => p !== "").join(delimiter) };
}
