/**
 * The loopback estate at more than one sshd: addresses, known_hosts with the real keys, stopping
 * one address of a shared sshd, and (with pwsh) each address serving its own simulated host in
 * exactly one session per read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { collectHostsFanout } from "../../src/collect/fanout-reader";
import { findPwsh } from "../../src/powershell/find";
import { toFakeHost, writeFakeHost } from "../pwsh/fake-host";
import { requireTool } from "../helpers/require-tool";
import { findSshd, loopbackAddresses, startLoopbackSshd, type LoopbackEstate, type LoopbackHost } from "./loopback-sshd";

const SSHD_HINT = "install openssh-server (apt-get install openssh-server)";

/** ssh checking host keys strictly against the estate's known_hosts (the real keys). */
function strictSsh(estate: LoopbackEstate, host: LoopbackHost): { status: number | null; stdout: string; stderr: string } {
  const options = ["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${estate.knownHostsFile}`, "-o", "GlobalKnownHostsFile=/dev/null"];
  const res = spawnSync("ssh", ["-i", estate.keyFile, "-p", String(host.port), ...options, `${estate.user}@${host.address}`, "echo reached"], {
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

test("loopback addresses skip .0 and .255 and stay in 127.0.0.0/8", () => {
  assert.deepEqual(loopbackAddresses("127.0.1.253", 4), ["127.0.1.253", "127.0.1.254", "127.0.2.1", "127.0.2.2"]);
  assert.throws(() => loopbackAddresses("10.0.0.1", 1), /not a loopback address/);
});

test("20 hosts on 2 sshds: strict host keys, one address stopped while its neighbours answer", { timeout: 60_000 }, async (t) => {
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, SSHD_HINT)) return;
  const estate = await startLoopbackSshd(20, { sshd, port: 2203, firstAddress: "127.0.2.1" });
  try {
    assert.equal(estate.sshdCount, 2);
    const known = readFileSync(estate.knownHostsFile, "utf8").trim().split("\n");
    assert.equal(known.length, 20);
    assert.match(known[19], /^\[127\.0\.2\.20\]:2203 ssh-ed25519 \S+$/);

    const far = strictSsh(estate, estate.hosts[17]);
    assert.equal(far.status, 0, far.stderr);
    assert.equal(far.stdout.trim(), "reached");
    assert.equal(estate.connections().get("127.0.2.18"), 1);

    await estate.hosts[4].stop();
    assert.match(strictSsh(estate, estate.hosts[4]).stderr, /Connection refused/);
    const neighbour = strictSsh(estate, estate.hosts[5]);
    assert.equal(neighbour.status, 0, neighbour.stderr);
  } finally {
    estate.dispose();
  }
});

test("each address serves its own simulated host, one session per read", { timeout: 180_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const sshd = findSshd();
  if (!requireTool(t, "sshd", sshd, SSHD_HINT)) return;
  const estate = await startLoopbackSshd(3, { sshd, pwsh, port: 2204, firstAddress: "127.0.2.101", perSshd: 2 });
  try {
    const names = ["alpha", "bravo", "charlie"];
    estate.hosts.forEach((h, i) => writeFakeHost(estate.hostFile(h.address), toFakeHost({ name: names[i], clusteringInstalled: false })));
    const out = await collectHostsFanout(
      estate.hosts.map((h, i) => ({ host: names[i], transport: "ssh" as const, address: h.address, port: h.port, username: estate.user, keyFile: estate.keyFile, operationTimeoutSeconds: 60, probeTimeoutSeconds: 30, ssh: { hostKeyChecking: "strict" as const, knownHostsFile: estate.knownHostsFile, connectTimeoutSeconds: 15 } })),
      // One pwsh serves every host in turn: a stand-in left over from the previous host would show.
      { probes: ["computerSystem", "os"], concurrency: 1, timeoutMs: 60_000, collector: { name: "hostproof-collector", version: "test" }, executable: pwsh },
    );
    out.forEach((h, i) => {
      assert.equal(h.failure, undefined, JSON.stringify(h.failure));
      const cs = h.snapshot.probes.computerSystem;
      assert.ok(cs !== undefined && "output" in cs);
      assert.equal((cs.output as { Name: string }).Name, names[i].toUpperCase());
    });
    assert.deepEqual([...estate.sessions().entries()].sort(), estate.hosts.map((h) => [h.address, 1]));
    assert.deepEqual([...estate.connections().entries()].sort(), estate.hosts.map((h) => [h.address, 1]));
  } finally {
    estate.dispose();
  }
});
