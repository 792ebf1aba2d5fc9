/**
 * The product's reader over real SSH: one local pwsh reads hosts with different outcomes at once,
 * and each host gets its own snapshot or its own reason, streamed as it finishes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CollectedHost } from "../../src/collect/collect-hosts";
import type { DriverTarget } from "../../src/collect/driver";
import { collectHostsFanout } from "../../src/collect/fanout-reader";
import { findPwsh } from "../../src/powershell/find";
import { toFakeHost, writeFakeHost } from "../pwsh/fake-host";
import { requireTool } from "../helpers/require-tool";
import { findSshd, startLoopbackSshd } from "./loopback-sshd";

test("one fan-out: ok, stopped, unknown host key, wrong client key and a hung probe, each with its own result", { timeout: 240_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, "install openssh-server (apt-get install openssh-server)")) return;
  const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
  const estate = await startLoopbackSshd(names.length, { sshd, pwsh, port: 2205, firstAddress: "127.0.3.1" });
  try {
    estate.hosts.forEach((h, i) =>
      writeFakeHost(
        estate.hostFile(h.address),
        // foxtrot's CIM and WMI never answer: its collector hangs past the per-host limit.
        toFakeHost({ name: names[i], clusteringInstalled: false }, names[i] === "foxtrot" ? { "Get-CimInstance": "hang", "Get-WmiObject": "hang" } : {}),
      ),
    );
    await estate.stop(estate.hosts[2].address);
    const empty = join(estate.dir, "empty_known_hosts");
    writeFileSync(empty, "");
    const stranger = join(estate.dir, "stranger_ed25519");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
    const targets: DriverTarget[] = estate.hosts.map((h, i) => ({
      host: names[i],
      transport: "ssh",
      address: h.address,
      port: h.port,
      username: estate.user,
      keyFile: names[i] === "echo" ? stranger : estate.keyFile,
      operationTimeoutSeconds: 60,
      // Longer than the host's limit, so that the host limit is what ends foxtrot.
      probeTimeoutSeconds: 600,
      ssh: { hostKeyChecking: "strict", knownHostsFile: names[i] === "delta" ? empty : estate.knownHostsFile, connectTimeoutSeconds: 15 },
    }));
    const streamed: Array<[number, CollectedHost]> = [];
    const out = await collectHostsFanout(targets, {
      probes: ["computerSystem", "os"],
      concurrency: names.length,
      timeoutMs: 25_000,
      collector: { name: "hostproof-collector", version: "test" },
      executable: pwsh,
      onHost: (host, index) => streamed.push([index, host]),
    });
    assert.deepEqual(out.map((h) => h.host), names, "inventory order");
    assert.deepEqual(streamed.map(([i]) => i).sort(), [0, 1, 2, 3, 4, 5], "each host streamed once");
    for (const [i, h] of streamed) assert.equal(h, out[i]);
    for (const ok of [0, 1]) {
      const h = out[ok];
      assert.equal(h.failure, undefined, `${h.host}: ${JSON.stringify(h.failure)}`);
      const cs = h.snapshot.probes.computerSystem;
      assert.ok(cs !== undefined && "output" in cs);
      assert.equal((cs.output as { Name: string }).Name, names[ok].toUpperCase(), "its own host's snapshot");
    }
    const expected: Array<[number, string, RegExp]> = [
      [2, "refused", new RegExp(`host ${estate.hosts[2].address.replace(/\./g, "\\.")} port 2205: Connection refused`)],
      [3, "host-key-unknown", /No ED25519 host key is known for \[127\.0\.3\.4\]:2205/],
      [4, "authentication-denied", /@127\.0\.3\.5: Permission denied \(publickey/],
      [5, "timeout", /timed out after 25 s reading foxtrot/],
    ];
    for (const [i, reason, words] of expected) {
      const f = out[i].failure;
      assert.ok(f, `${names[i]} must fail`);
      assert.equal(f.reason, reason, `${names[i]}: ${f.message}`);
      assert.match(f.message, words, names[i]);
      const record = out[i].snapshot.probes.os;
      assert.ok(record && "error" in record, names[i]);
    }
    // One session per host that got one (foxtrot's began before it hung); none where ssh failed.
    const sessions = estate.sessions();
    assert.deepEqual(
      names.map((_, i) => sessions.get(estate.hosts[i].address) ?? 0),
      [1, 1, 0, 0, 0, 1],
    );
  } finally {
    estate.dispose();
  }
});
