/**
 * ssh through the real driver, real pwsh and a real sshd on loopback: the host-key policy and
 * every way an ssh host can fail, each classified from what ssh and PowerShell really print.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { collectHosts } from "../../src/collect/collect-hosts";
import type { DriverTarget } from "../../src/collect/driver";
import { pwshReader } from "../../src/collect/pwsh-reader";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";
import { findSshd, startLoopbackSshd } from "./loopback-sshd";

test("ssh: strict host keys by default, accept-new when asked, and every failure with its reason and ssh's own words", { timeout: 180_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, "install openssh-server (apt-get install openssh-server)")) return;
  // One sshd per host: each has its own host key.
  const estate = await startLoopbackSshd(2, { sshd, pwsh, port: 2203, perSshd: 1 });
  const silent = createServer(() => undefined).listen(2204, "127.0.0.4");
  const reader = pwshReader({ collectorVersion: "test", executable: pwsh });
  try {
    const [h1, h2] = estate.hosts;
    const hostKey = (i: number) => readFileSync(join(estate.dir, `host${i}_ed25519.pub`), "utf8").split(" ").slice(0, 2).join(" ");
    const known = join(estate.dir, "known_hosts");
    writeFileSync(known, `[${h1.address}]:${h1.port} ${hostKey(0)}\n[${h2.address}]:${h2.port} ${hostKey(0)}\n`);
    const empty = join(estate.dir, "empty_known_hosts");
    writeFileSync(empty, "");
    const learned = join(estate.dir, "learned_known_hosts");
    writeFileSync(learned, "");
    const stranger = join(estate.dir, "stranger_ed25519");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);

    const target = (host: string, over: Partial<DriverTarget> & { known?: string; checking?: "strict" | "accept-new" }): DriverTarget => ({
      host,
      transport: "ssh",
      address: h1.address,
      port: h1.port,
      username: estate.user,
      keyFile: estate.keyFile,
      operationTimeoutSeconds: 60,
      probeTimeoutSeconds: 30,
      ssh: { hostKeyChecking: over.checking ?? "strict", knownHostsFile: over.known ?? known, connectTimeoutSeconds: 3 },
      ...over,
    });
    const targets = [
      target("trusted", {}),
      target("unknown-key", { known: empty }),
      target("accept-new", { known: learned, checking: "accept-new" }),
      target("changed-key", { address: h2.address, port: h2.port }),
      target("wrong-client-key", { keyFile: stranger }),
      target("refused", { port: 2299 }),
      target("no-such-name", { address: "no-such-host.invalid" }),
      target("silent", { address: "127.0.0.4", port: 2204 }),
    ];
    const out = await collectHosts(targets, reader.read, { probes: ["os"], concurrency: 4, timeoutMs: 60_000, collector: { name: "hostproof", version: "test" } });
    const by = new Map(out.map((c) => [c.host, c.failure]));
    assert.equal(by.get("trusted"), undefined, JSON.stringify(by.get("trusted")));
    assert.equal(by.get("accept-new"), undefined, JSON.stringify(by.get("accept-new")));
    // Debian's ssh hashes the host names it records (HashKnownHosts), so only the key is compared.
    assert.ok(readFileSync(learned, "utf8").includes(hostKey(0)), "accept-new records the key it trusted");
    const expected: Array<[string, string, string, RegExp]> = [
      ["unknown-key", "host-key-unknown", "unreachable", /No ED25519 host key is known for .*\nHost key verification failed\./],
      ["changed-key", "host-key-changed", "unreachable", /REMOTE HOST IDENTIFICATION HAS CHANGED/],
      ["wrong-client-key", "authentication-denied", "access-denied", /Permission denied \(publickey/],
      ["refused", "refused", "unreachable", /port 2299: Connection refused/],
      ["no-such-name", "name-not-resolved", "unreachable", /Could not resolve hostname no-such-host\.invalid/],
      ["silent", "timeout", "timeout", /timed out/],
    ];
    for (const [host, reason, kind, words] of expected) {
      const failure = by.get(host);
      assert.ok(failure, `${host} must fail`);
      assert.equal(failure.reason, reason, `${host}: ${failure.message}`);
      assert.equal(failure.kind, kind, host);
      assert.match(failure.message, words, host);
      assert.match(failure.message, /SSH client session has ended|transport process/, `${host}: PowerShell's own error is kept after ssh's`);
      const snapshot = out.find((c) => c.host === host)!.snapshot;
      const record = snapshot.probes.os;
      assert.ok(record && "error" in record);
      assert.equal(record.error.kind, kind);
    }
  } finally {
    silent.close();
    await reader.dispose();
    estate.dispose();
  }
});
