/**
 * Collection across hosts: bounded fan-out, and one failing host makes only that host undetermined.
 * The reader here stands in for the PowerShell round trip; what is under test is the orchestration.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { collectHosts, type HostReader } from "../../src/collect/collect-hosts";
import { classifyHostFailure } from "../../src/collect/host-failure";
import type { DriverTarget } from "../../src/collect/driver";
import { normaliseSnapshot } from "../../src/facts";
import { buildSnapshot } from "../helpers/snapshot-builder";

const target = (host: string): DriverTarget => ({ host, transport: "ssh", address: `${host}.lab.test`, username: "auditor", operationTimeoutSeconds: 30 });
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
  assert.equal(by.get("down")!.failure?.kind, "other");
  assert.equal(by.get("denied")!.failure?.kind, "access-denied");
  assert.equal(by.get("hung")!.failure?.kind, "timeout");
  const facts = normaliseSnapshot(by.get("denied")!.snapshot);
  assert.equal(facts.uacPolicy.ok, false);
  if (!facts.uacPolicy.ok) {
    assert.equal(facts.uacPolicy.problem.kind, "access-denied");
    assert.match(facts.uacPolicy.problem.message, /the host could not be read: .*Permission denied/);
  }
  assert.deepEqual(Object.keys(by.get("hung")!.snapshot.probes), ["os", "computerSystem", "uacPolicy"]);
});

test("remoting errors are classified by what an auditor filters on", () => {
  assert.equal(classifyHostFailure("Connecting to remote server n1 failed with the following error message : Access is denied."), "access-denied");
  assert.equal(classifyHostFailure("The WinRM client cannot complete the operation within the time specified."), "timeout");
  assert.equal(classifyHostFailure("The WS-Management service cannot process the request. This user is allowed a maximum number of 5 concurrent shells, which has been exceeded."), "other");
  assert.equal(classifyHostFailure("ssh: Could not resolve hostname n9: Name or service not known"), "other");
});
