/**
 * ssh through the real driver, real pwsh and a real sshd on loopback: the host-key policy and
 * every way an ssh host can fail, each classified from what ssh and PowerShell really print, all
 * read in one fan-out (one local pwsh), so ssh's untagged lines interleave and must be attributed
 * to their hosts by the address and port they name (src/collect/ssh-lines.ts): every target has
 * an address of its own, except "refused", which shares trusted's address on another port.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import type { DriverTarget } from "../../src/collect/driver";
import { collectHostsFanout } from "../../src/collect/fanout-reader";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";
import { findSshd, startLoopbackSshd } from "./loopback-sshd";

test("ssh: strict host keys by default, accept-new when asked, and every failure with its reason and ssh's own words", { timeout: 180_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, "install openssh-server (apt-get install openssh-server)")) return;
  // One sshd, five addresses: all serve host key 0.
  const estate = await startLoopbackSshd(5, { sshd, pwsh, port: 2203 });
  const silent = createServer(() => undefined).listen(2204, "127.0.0.4");
  try {
    const [h1, hUnknown, hLearn, hChanged, hWrongKey] = estate.hosts;
    const hostKey = (i: number) => readFileSync(join(estate.dir, `host${i}_ed25519.pub`), "utf8").split(" ").slice(0, 2).join(" ");
    const impostor = join(estate.dir, "impostor_ed25519");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", impostor]);
    const impostorKey = readFileSync(`${impostor}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
    const known = join(estate.dir, "known_hosts");
    // changed-key's address is recorded with another key than the one its sshd serves.
    writeFileSync(known, [h1, hUnknown, hLearn, hWrongKey].map((h) => `[${h.address}]:${h.port} ${hostKey(0)}\n`).join("") + `[${hChanged.address}]:${hChanged.port} ${impostorKey}\n`);
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
      target("unknown-key", { address: hUnknown.address, known: empty }),
      target("accept-new", { address: hLearn.address, known: learned, checking: "accept-new" }),
      target("changed-key", { address: hChanged.address }),
      target("wrong-client-key", { address: hWrongKey.address, keyFile: stranger }),
      target("refused", { port: 2299 }),
      target("no-such-name", { address: "no-such-host.invalid" }),
      target("silent", { address: "127.0.0.4", port: 2204 }),
    ];
    // Concurrency 8: every host in flight at once, so their ssh lines interleave.
    const out = await collectHostsFanout(targets, { probes: ["os"], concurrency: 8, timeoutMs: 60_000, collector: { name: "hostproof", version: "test" }, executable: pwsh });
    assert.deepEqual(out.map((c) => c.host), targets.map((t) => t.host), "inventory order");
    const by = new Map(out.map((c) => [c.host, c.failure]));
    assert.equal(by.get("trusted"), undefined, JSON.stringify(by.get("trusted")));
    assert.equal(by.get("accept-new"), undefined, JSON.stringify(by.get("accept-new")));
    // Debian's ssh hashes the host names it records (HashKnownHosts), so only the key is compared.
    assert.ok(readFileSync(learned, "utf8").includes(hostKey(0)), "accept-new records the key it trusted");
    const expected: Array<[string, string, string, RegExp]> = [
      ["unknown-key", "host-key-unknown", "unreachable", new RegExp(`No ED25519 host key is known for \\[${hUnknown.address.replace(/\./g, "\\.")}\\]:2203 .*\\nHost key verification failed\\.`)],
      ["changed-key", "host-key-changed", "unreachable", /REMOTE HOST IDENTIFICATION HAS CHANGED/],
      ["wrong-client-key", "authentication-denied", "access-denied", new RegExp(`@${hWrongKey.address.replace(/\./g, "\\.")}: Permission denied \\(publickey`)],
      ["refused", "refused", "unreachable", new RegExp(`host ${h1.address.replace(/\./g, "\\.")} port 2299: Connection refused`)],
      ["no-such-name", "name-not-resolved", "unreachable", /Could not resolve hostname no-such-host\.invalid/],
      ["silent", "timeout", "timeout", /timed out/],
    ];
    for (const [host, reason, kind, words] of expected) {
      const failure = by.get(host);
      assert.ok(failure, `${host} must fail`);
      assert.equal(failure.reason, reason, `${host}: ${failure.message}`);
      assert.equal(failure.kind, kind, host);
      assert.match(failure.message, words, host);
      // No other host's ssh words: each line went to the host it names (or followed).
      for (const [other, , , otherWords] of expected) if (other !== host) assert.doesNotMatch(failure.message, otherWords, `${host} got ${other}'s lines`);
      assert.match(failure.message, /SSH client session has ended|transport process|PowerShell cannot handle\. A remote session might have ended|pwsh did not notice that ssh had ended/, `${host}: PowerShell's own error is kept after ssh's`);
      const snapshot = out.find((c) => c.host === host)!.snapshot;
      const record = snapshot.probes.os;
      assert.ok(record && "error" in record);
      assert.equal(record.error.kind, kind);
    }
  } finally {
    silent.close();
    estate.dispose();
  }
});
