/**
 * The attribution of ssh's untagged lines, on lines OpenSSH 9.2 printed for pwsh's SSH transport
 * (captured from fan-outs over the loopback estate), interleaved in chosen orders. The real
 * interleaving is in test/ssh/host-keys.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SshLineAttributor } from "../../src/collect/ssh-lines";

function attributeAll(a: SshLineAttributor, lines: readonly string[]): Map<number | undefined, string[]> {
  const by = new Map<number | undefined, string[]>();
  for (const line of lines) for (const { index, line: l } of a.attribute(line)) by.set(index, [...(by.get(index) ?? []), l]);
  return by;
}

test("lines naming a host go to it; an unnamed verdict goes to the host named just before", () => {
  const a = new SshLineAttributor();
  a.start({ index: 0, address: "127.0.9.1", port: 2290 });
  a.start({ index: 1, address: "127.0.9.3", port: 2290 });
  a.start({ index: 2, address: "127.0.9.1", port: 2299 });
  a.start({ index: 3, address: "127.0.9.4", port: 2290 });
  const by = attributeAll(a, [
    "No ED25519 host key is known for [127.0.9.4]:2290 and you have requested strict checking.",
    "ssh: connect to host 127.0.9.1 port 2299: Connection refused",
    "Host key verification failed.",
    "root@127.0.9.3: Permission denied (publickey).",
  ]);
  // A possible interleaving (each line is real, this order is made up): the unknown-key host's
  // verdict arrives after another host's line and goes there, the documented limit of the
  // heuristic. Its reason survives because "No … host key is known for [addr]:port" names it.
  assert.deepEqual(by.get(3), ["No ED25519 host key is known for [127.0.9.4]:2290 and you have requested strict checking."]);
  assert.deepEqual(by.get(2), ["ssh: connect to host 127.0.9.1 port 2299: Connection refused", "Host key verification failed."]);
  assert.deepEqual(by.get(1), ["root@127.0.9.3: Permission denied (publickey)."]);
  assert.equal(by.get(0), undefined, "same address, other port: not host 0's");
});

test("the host-key-changed banner is held until the line that names its host", () => {
  const a = new SshLineAttributor();
  a.start({ index: 0, address: "127.0.0.2", port: 2203 });
  a.start({ index: 1, address: "127.0.0.5", port: 2203 });
  const by = attributeAll(a, [
    "ssh: connect to host 127.0.0.2 port 2203: Connection refused",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
    "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
    "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
    "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
    "The fingerprint for the ED25519 key sent by the remote host is",
    "SHA256:Xb2xv9Yl0m5yq6bQ7tqgKx3N1dRkq0n1d2cY8m1Vd0E.",
    "Please contact your system administrator.",
    "Add correct host key in /tmp/hostproof-sshd-x/known_hosts to get rid of this message.",
    "Offending ED25519 key in /tmp/hostproof-sshd-x/known_hosts:5",
    "  remove with:",
    "  ssh-keygen -f '/tmp/hostproof-sshd-x/known_hosts' -R '[127.0.0.5]:2203'",
    "Host key for [127.0.0.5]:2203 has changed and you have requested strict checking.",
    "Host key verification failed.",
  ]);
  assert.deepEqual(by.get(0), ["ssh: connect to host 127.0.0.2 port 2203: Connection refused"]);
  const changed = by.get(1) ?? [];
  assert.equal(changed.length, 13);
  assert.match(changed.join("\n"), /REMOTE HOST IDENTIFICATION HAS CHANGED[\s\S]*Host key verification failed\.$/);
});

test("only hosts in flight are candidates; an unnamed line is an orphan, claimed by a host that fails without ssh lines of its own", () => {
  const a = new SshLineAttributor();
  a.start({ index: 0, address: "h.example", port: undefined });
  a.start({ index: 1, address: "h.example", port: 2222 });
  assert.deepEqual(a.attribute("ssh: Could not resolve hostname h.example: Name or service not known"), [
    { index: 0, line: "ssh: Could not resolve hostname h.example: Name or service not known" },
  ]);
  a.done(0);
  assert.deepEqual(a.attribute("Connection to h.example port 2222 timed out"), [{ index: 1, line: "Connection to h.example port 2222 timed out" }]);
  // Real interleaving: a slow host's banner timeout arrives while another's host-key failure is under way.
  const b = new SshLineAttributor();
  b.start({ index: 0, address: "10.0.0.1", port: 22 });
  b.start({ index: 1, address: "10.0.0.2", port: 22 });
  assert.deepEqual(b.attribute("No ED25519 host key is known for [10.0.0.1]:22 and you have requested strict checking."), [
    { index: 0, line: "No ED25519 host key is known for [10.0.0.1]:22 and you have requested strict checking." },
  ]);
  assert.deepEqual(b.attribute("Connection timed out during banner exchange"), [], "not the host-key host's");
  assert.deepEqual(b.attribute("Host key verification failed."), [{ index: 0, line: "Host key verification failed." }]);
  b.done(0);
  assert.deepEqual(b.claimOrphans(1), ["Connection timed out during banner exchange"]);
  assert.deepEqual(b.claimOrphans(1), [], "claimed once");
  // An orphan from before a host started is not that host's.
  const c = new SshLineAttributor();
  c.start({ index: 0, address: "a", port: 22 });
  c.attribute("Connection timed out during banner exchange");
  c.done(0);
  c.start({ index: 1, address: "b", port: 22 });
  assert.deepEqual(c.claimOrphans(1), []);
});
