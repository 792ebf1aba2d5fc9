/**
 * `collect` stopped while its pwsh is reading hosts: by Ctrl-C, or killed outright (SIGKILL runs
 * no handler). Before, a SIGKILL left that pwsh and its ssh clients reading the estate for nobody,
 * and either way its temporary folder (scripts, the list of hosts) stayed in the temp folder. The
 * host is a TCP listener on loopback that never answers, so ssh waits on it; the test signals once
 * ssh runs below the CLI, and asserts what is left once every process below it has ended.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findPwsh } from "../../src/powershell/find";
import { descendants } from "../../src/powershell/process-tree";
import { requireTool } from "../helpers/require-tool";
import { findOnPath } from "../../src/util/executables";
import { BIN, tempDir } from "../e2e/cli";

const skip = process.platform !== "linux" ? "reads /proc" : false;

const cmdline = (pid: number): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\u0000");
  } catch {
    return [];
  }
};

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; ; i++) {
    const v = probe();
    if (v !== undefined) return v;
    if (i > 6000) assert.fail(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const signal of ["SIGKILL", "SIGINT"] as const) {
  test(`collect ${signal === "SIGKILL" ? "killed outright" : "interrupted"} while ssh waits on a host: nothing reads on, no temporary folder is left`, { skip, timeout: 180_000 }, async (t) => {
    const pwsh = findPwsh();
    if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
    if (!requireTool(t, "ssh", findOnPath("ssh"), "apt-get install openssh-client")) return;
    const sockets: import("node:net").Socket[] = [];
    const silent: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const dir = tempDir("hostproof-collect-killed-");
      spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "key")]);
      writeFileSync(join(dir, "known_hosts"), "");
      const port = (silent.address() as AddressInfo).port;
      writeFileSync(
        join(dir, "estate.yaml"),
        `version: 1\ncollection:\n  ssh:\n    knownHostsFile: known_hosts\ncredentials:\n  - name: audit\n    username: audit\n    keyFile: key\nhosts:\n  - name: silent1\n    address: 127.0.0.1\n    transport: ssh\n    credential: audit\n    ssh: { port: ${port} }\n`,
      );
      const cli = spawn(process.execPath, [BIN, "collect", "-i", "estate.yaml", "-o", "snaps"], { cwd: dir, env: { ...process.env, NODE_POWERSHELL: pwsh }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      cli.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const exited = new Promise<number | null>((r) => cli.on("close", (code) => r(code)));
      // ssh below the CLI, connected to the silent host: the fan-out is reading.
      const below = await until("ssh waiting on the host", () => {
        const pids = descendants(cli.pid!);
        return pids.some((p) => cmdline(p)[0]?.endsWith("ssh") === true) ? pids : undefined;
      });
      const targets = below.map(cmdline).flat().find((a) => a.endsWith("targets.txt"));
      assert.ok(targets !== undefined, "the fan-out's list of hosts is in its temporary folder");
      const temp = dirname(targets);
      assert.ok(existsSync(temp));
      cli.kill(signal);
      const code = await exited;
      if (signal === "SIGINT") {
        assert.equal(code, 130, stderr);
        assert.match(stderr, /stopped PowerShell \(reading hosts\)/);
      }
      await until("every process below the CLI gone", () => (below.some(alive) ? undefined : true));
      assert.equal(existsSync(temp), false, `${temp} was left behind`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
}
