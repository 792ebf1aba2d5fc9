/**
 * Throwaway OpenSSH servers on loopback addresses (127.0.0.2, 127.0.0.3 …), each with its own host
 * key, config and authorized key, and PowerShell as its `powershell` subsystem: the hosts that
 * hostproof's ssh transport reaches in the tests. Only loopback addresses are used.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { findOnPath } from "../../src/powershell/find";

export const SSHD_CANDIDATES = ["/usr/sbin/sshd", "/usr/bin/sshd"];

export function findSshd(): string | undefined {
  for (const p of SSHD_CANDIDATES) if (spawnSync(p, ["-V"], { encoding: "utf8" }).error === undefined) return p;
  return findOnPath("sshd");
}

export interface LoopbackHost {
  address: string;
  port: number;
  stop(): void;
}

export interface LoopbackEstate {
  dir: string;
  user: string;
  keyFile: string;
  hosts: LoopbackHost[];
  dispose(): void;
}

/** Starts `count` sshd instances; `pwsh` (when given) becomes their powershell subsystem. */
export async function startLoopbackSshd(count: number, options: { sshd: string; pwsh?: string; port?: number }): Promise<LoopbackEstate> {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-sshd-"));
  chmodSync(dir, 0o755);
  const keyFile = join(dir, "client_ed25519");
  keygen(keyFile);
  const authorized = join(dir, "authorized_keys");
  writeFileSync(authorized, readFileSync(`${keyFile}.pub`));
  chmodSync(authorized, 0o600);
  mkdirSync("/run/sshd", { recursive: true });
  const port = options.port ?? 2222;
  const hosts: LoopbackHost[] = [];
  const procs: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const address = `127.0.0.${i + 2}`;
    const hostKey = join(dir, `host${i}_ed25519`);
    keygen(hostKey);
    const config = join(dir, `sshd${i}.conf`);
    writeFileSync(
      config,
      [
        `ListenAddress ${address}:${port}`,
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, `sshd${i}.pid`)}`,
        `AuthorizedKeysFile ${authorized}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "LogLevel ERROR",
        ...(options.pwsh ? [`Subsystem powershell ${options.pwsh} -sshs -NoLogo -NoProfile`] : []),
        "",
      ].join("\n"),
    );
    const proc = spawn(options.sshd, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    procs.push(proc);
    hosts.push({ address, port, stop: () => void proc.kill("SIGTERM") });
  }
  for (const h of hosts) await waitForPort(h.address, h.port, 10_000);
  return {
    dir,
    user: userInfo().username,
    keyFile,
    hosts,
    dispose() {
      for (const p of procs) p.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function keygen(file: string): void {
  const res = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
}

async function waitForPort(address: string, port: number, ms: number): Promise<void> {
  const net = await import("node:net");
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: address, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd on ${address}:${port} did not start`);
}

/** A plain ssh command to a loopback host, for checking the servers themselves. */
export function sshRun(estate: LoopbackEstate, host: LoopbackHost, command: string): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(
    "ssh",
    ["-i", estate.keyFile, "-p", String(host.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", `${estate.user}@${host.address}`, command],
    { encoding: "utf8", timeout: 20_000 },
  );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
