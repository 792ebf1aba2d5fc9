/** What a driver invocation printed, split into the collector's document or the host's failure. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DRIVER_ERROR_PREFIX } from "../../src/collect/driver";
import { collectorOutputOf } from "../../src/collect/driver-output";
import { classifyHostFailure, HostReadError } from "../../src/collect/host-failure";

const DOC = '{"collectedAt":"2026-11-29T20:00:00.000Z","powershell":"5.1","computerName":"N1","probes":{}}';
const OPEN_ERROR = `${DRIVER_ERROR_PREFIX}[{"id":"2100,PSSessionStateBroken","message":"[127.0.0.9] The SSH client session has ended with error message: The SSH transport process has abruptly terminated causing this remote session to break."}]`;

function failure(stdout: string, stderr = "") {
  try {
    collectorOutputOf(stdout, stderr);
  } catch (err) {
    assert.ok(err instanceof HostReadError, String(err));
    return classifyHostFailure(err);
  }
  return assert.fail("expected the host to fail");
}

test("the document is found after ssh's notices, and errors beside it do not cost the host", () => {
  assert.ok(collectorOutputOf(`Warning: Permanently added '[127.0.0.9]:2299' (ED25519) to the list of known hosts.\n${DOC}`, "").endsWith(DOC));
  assert.ok(collectorOutputOf(`${DOC}\n${OPEN_ERROR}`, "").endsWith(DOC));
});

test("ssh's words come first and decide the reason; PowerShell's error follows, whole", () => {
  const refused = failure(`ssh: connect to host 127.0.0.9 port 2300: Connection refused\n${OPEN_ERROR}`);
  assert.equal(refused.reason, "refused");
  assert.equal(refused.message, "ssh: connect to host 127.0.0.9 port 2300: Connection refused\n[127.0.0.9] The SSH client session has ended with error message: The SSH transport process has abruptly terminated causing this remote session to break.");
  assert.equal(failure(`No ED25519 host key is known for [127.0.0.9]:2299 and you have requested strict checking.\nHost key verification failed.\n${OPEN_ERROR}`).reason, "host-key-unknown");
});

test("a driver error of its own (a secret that is not set) is kept whole", () => {
  const f = failure(`${DRIVER_ERROR_PREFIX}{"id":"RuntimeException","message":"hostproof: environment variable HP_PASS is not set"}`);
  assert.equal(f.reason, "other");
  assert.equal(f.message, "hostproof: environment variable HP_PASS is not set");
});

test("output that is neither a document nor an error is the collector's output problem, quoted", () => {
  const f = failure("Welcome to the jump host!\nLast login: never");
  assert.equal(f.reason, "collector-output");
  assert.match(f.message, /document is missing; it printed: Welcome to the jump host!\nLast login: never/);
  assert.equal(failure("").reason, "collector-output");
});
