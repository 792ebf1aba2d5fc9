/**
 * Collection across hosts: bounded fan-out, and one failing host makes only that host undetermined.
 * The reader here stands in for the PowerShell round trip; what is under test is the orchestration.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { collectHosts, type HostReader } from "../../src/collect/collect-hosts";
import { classifyHostFailure } from "../../src/collect/host-failure";
import { PowerShellTimeoutError } from "../../src/powershell/errors";
import type { DriverTarget } from "../../src/collect/driver";
import { normaliseSnapshot } from "../../src/facts";
import { buildSnapshot } from "../helpers/snapshot-builder";

const target = (host: string): DriverTarget => ({ host, transport: "ssh", address: `${host}.lab.test`, username: "auditor", operationTimeoutSeconds: 30, probeTimeoutSeconds: 30 });
const options = { probes: ["os", "computerSystem", "uacPolicy"] as const, concurrency: 3, timeoutMs: 200, collector: { name: "hostproof", version: "0.1.0" } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("never more than `concurrency` hosts at once, results in inventory order", async () => {
  let running = 0;
  let peak = 0;
  const read: HostReader = async (t) => {
    running++;
    peak = Math.max(peak, running);
    await sleep(10 + (t.host.length % 3) * 5);
    running--;
    return buildSnapshot({ name: t.host });
  };
  const hosts = Array.from({ length: 10 }, (_, i) => `h${i}`);
  const out = await collectHosts(hosts.map(target), read, { ...options, probes: [...options.probes] });
  assert.equal(peak, 3);
  assert.deepEqual(out.map((c) => c.host), hosts);
  assert.ok(out.every((c) => c.failure === undefined));
});

test("an unreachable host, a refused login and a hung host fail alone, each with its reason", async () => {
  const read: HostReader = async (t) => {
    if (t.host === "down") throw new Error("ssh: connect to host down.lab.test port 22: Connection refused");
    if (t.host === "denied") throw new Error("auditor@denied.lab.test: Permission denied (publickey).");
    if (t.host === "hung") return new Promise(() => {});
    return buildSnapshot({ name: t.host });
  };
  const out = await collectHosts(["ok1", "down", "denied", "hung", "ok2"].map(target), read, { ...options, probes: [...options.probes], timeoutMs: 50 });
  const by = new Map(out.map((c) => [c.host, c]));
  assert.equal(by.get("ok1")!.failure, undefined);
  assert.equal(by.get("ok2")!.failure, undefined);
  assert.equal(by.get("down")!.failure?.kind, "unreachable");
  assert.equal(by.get("down")!.failure?.reason, "refused");
  assert.equal(by.get("denied")!.failure?.kind, "access-denied");
  assert.equal(by.get("hung")!.failure?.kind, "timeout");
  const facts = normaliseSnapshot(by.get("denied")!.snapshot);
  assert.equal(facts.uacPolicy.ok, false);
  if (!facts.uacPolicy.ok) {
    assert.equal(facts.uacPolicy.problem.kind, "access-denied");
    assert.match(facts.uacPolicy.problem.message, /the host could not be read \(authentication was refused\): .*Permission denied \(publickey\)\.$/);
  }
  assert.deepEqual(Object.keys(by.get("hung")!.snapshot.probes), ["os", "computerSystem", "uacPolicy"]);
});

test("remoting errors are classified by what an operator acts on, from real ssh, PowerShell and WinRM wording", () => {
  const cases: Array<[string, string, string]> = [
    // ssh's own lines as pwsh 7.6.9 let them through to stdout (captured against a loopback sshd).
    ["No ED25519 host key is known for [127.0.0.9]:2299 and you have requested strict checking.\nHost key verification failed.", "host-key-unknown", "unreachable"],
    ["@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.", "host-key-changed", "unreachable"],
    ["ssh: connect to host 127.0.0.9 port 2300: Connection refused", "refused", "unreachable"],
    ["root@127.0.0.9: Permission denied (publickey,keyboard-interactive).", "authentication-denied", "access-denied"],
    ["ssh: Could not resolve hostname nonexistent.invalid: Name or service not known", "name-not-resolved", "unreachable"],
    ["Connection timed out during banner exchange\nConnection to 127.0.0.9 port 2301 timed out", "timeout", "timeout"],
    ["Connecting to remote server n1 failed with the following error message : Access is denied.", "authentication-denied", "access-denied"],
    ["The WinRM client cannot complete the operation within the time specified.", "timeout", "timeout"],
    ["The WS-Management service cannot process the request. This user is allowed a maximum number of 5 concurrent shells, which has been exceeded.", "other", "other"],
  ];
  for (const [message, reason, kind] of cases) {
    const got = classifyHostFailure(new Error(message));
    assert.deepEqual([got.reason, got.kind], [reason, kind], message);
    const meaningful = message.split("\n").map((l) => l.trim()).filter((l) => !/^@+$/.test(l));
    assert.equal(got.message, meaningful.join("\n"), "the whole message is kept, but for ssh's @@@ rules");
  }
});

test("the session's own timeout error is a timeout, in the words it really uses", () => {
  const got = classifyHostFailure(new PowerShellTimeoutError(25_000));
  assert.equal(got.kind, "timeout");
  assert.match(got.message, /did not finish the script within 25000 ms/);
  // Its words alone are enough too, e.g. when they reach us as text.
  assert.equal(classifyHostFailure(new PowerShellTimeoutError(25_000).message).kind, "timeout");
});

test("a long message keeps its head and its tail and says how many lines it left out", () => {
  const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
  const { message } = classifyHostFailure(new Error(`Warning: Permanently added '[h]:22' (ED25519) to the list of known hosts.\n${text}`));
  assert.equal(message, "line 1\nline 2\nline 3\nline 4\n(13 lines left out)\nline 18\nline 19\nline 20");
});
