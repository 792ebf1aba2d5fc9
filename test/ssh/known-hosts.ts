/**
 * A known_hosts file with the loopback hosts' real keys, which the inventory's
 * `collection.ssh.knownHostsFile` (the driver's UserKnownHostsFile) checks strictly. Nothing in the
 * user's ~/.ssh is read or written.
 */
import { readFileSync, writeFileSync } from "node:fs";

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
