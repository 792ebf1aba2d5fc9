/**
 * Real SSH hops to hosts on this machine (OpenSSH servers on 127.0.0.2 and 127.0.0.3).
 * The first test needs only sshd: the remoting failures hostproof classifies are produced for real.
 * The second needs pwsh too: hostproof collects over ssh through the product path (one pwsh fanning
 * out) and one host is stopped.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { classifyHostFailure } from "../../src/collect/host-failure";
import { collectToFolder } from "../../src/collect/collect-to-folder";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";
import { readJson, tempDir } from "../e2e/cli";
import { findSshd, sshRun, startLoopbackSshd } from "./loopback-sshd";

const SSHD_HINT = "install openssh-server (apt-get install openssh-server)";

test("real OpenSSH failures are classified: a refused login is authentication-denied, a stopped host refused", { timeout: 60_000 }, async (t) => {
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, SSHD_HINT)) return;
  const estate = await startLoopbackSshd(2, { sshd, port: 2201 });
  try {
    const ok = sshRun(estate, estate.hosts[0], "echo reached");
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), "reached");

    const wrongKey = join(estate.dir, "stranger_ed25519");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", wrongKey]);
    const denied = sshRun({ ...estate, keyFile: wrongKey }, estate.hosts[0], "echo no");
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /Permission denied/);
    assert.equal(classifyHostFailure(denied.stderr.trim()).reason, "authentication-denied");

    await estate.hosts[1].stop();
    const down = sshRun(estate, estate.hosts[1], "echo no");
    assert.match(down.stderr, /Connection refused/);
    assert.equal(classifyHostFailure(down.stderr.trim()).reason, "refused");
  } finally {
    estate.dispose();
  }
});

test("collect over ssh from two loopback hosts, one of them stopped: only it is undetermined", { timeout: 180_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL (this machine's NuGet copy serves no PowerShell package)")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, SSHD_HINT)) return;
  const estate = await startLoopbackSshd(2, { sshd, pwsh, port: 2202 });
  try {
    const dir = tempDir();
    const inventory = join(dir, "inventory.json");
    writeFileSync(
      inventory,
      JSON.stringify({
        version: 1,
        credentials: [{ name: "loop", username: estate.user, keyFile: estate.keyFile }],
        // Fresh throwaway servers: trust on first use, into a file of the test's own.
        collection: { ssh: { hostKeyChecking: "accept-new", knownHostsFile: join(dir, "known_hosts") } },
        hosts: estate.hosts.map((h, i) => ({ name: `loop${i + 1}`, address: h.address, transport: "ssh", credential: "loop", ssh: { port: h.port } })),
      }),
    );
    // Stopped before the run: the fan-out's hosts run in one pwsh, so there is no moment between
    // two hosts that Node could act in without racing the next host's start.
    await estate.hosts[1].stop();
    const out = join(dir, "snapshots");
    const result = await collectToFolder({ inventory, out, concurrency: 1, timeoutSeconds: 60, tags: "@area:lifecycle" });
    const [one, two] = result.hosts;
    assert.equal(one.failure, undefined, JSON.stringify(one.failure));
    assert.deepEqual(Object.keys(one.snapshot.probes).sort(), ["computerSystem", "os", "windowsVersion"]);
    assert.ok(two.failure, "the stopped host must fail");
    const kept = readJson<{ probes: Record<string, { error?: { message: string } }> }>(join(out, "snapshots", "loop2.json"));
    assert.match(kept.probes.os.error?.message ?? "", /the host could not be read/);
  } finally {
    estate.dispose();
  }
});
