/** The schemas, with bad inputs: every problem names the field and says what to do. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSchema, formatPath } from "../../src/schema/validate";
import type { LoadedDocument } from "../../src/input/read-document";

const doc = (value: unknown): LoadedDocument => ({ file: "t.json", value, lineOf: () => undefined });
const host = { name: "n1", transport: "snapshot", snapshot: "n1.json" };

test("a valid minimal inventory has no problems", () => {
  assert.deepEqual(checkSchema("inventory", doc({ version: 1, hosts: [host] })), []);
});

test("inventory: type errors, enums, unknown fields, patterns and conditional requirements", () => {
  const cases: [unknown, RegExp][] = [
    [{ version: 1, hosts: {} }, /^hosts: expected array, found an object.*Make it a list/],
    [{ version: 1, hosts: [] }, /^hosts: needs at least 1 item/],
    [{ version: 2, hosts: [host] }, /^version: 2 is not allowed.*Use 1/],
    [{ version: 1, hosts: [{ ...host, transport: "rdp" }] }, /^hosts\[0\]\.transport: "rdp" is not allowed.*"snapshot", "local", "winrm", "ssh"/],
    [{ version: 1, hosts: [{ name: "n1", transport: "snapshot" }] }, /^hosts\[0\]\.snapshot: the required field 'snapshot' is missing.*relative to the inventory/],
    [{ version: 1, hosts: [{ ...host, name: "under_score" }] }, /^hosts\[0\]\.name: "under_score" is not in the expected form.*DNS host name/],
    [{ version: 1, hosts: [host], clusters: [{ name: "c", type: "multi-domain", adminAccount: "a", nodes: ["n1"], domains: ["x.test"] }] }, /^clusters\[0\]\.domains: needs at least 2 item/],
    [{ version: 1, hosts: [host], clusters: [{ name: "c", type: "workgroup", nodes: ["n1"] }] }, /^clusters\[0\]\.adminAccount: the required field/],
    [{ version: 1, hosts: [{ ...host, inputs: { offloads: { allowed: [{ keyword: "RSS", reason: "because" }] } } }] }, /keyword: "RSS" is not in the expected form.*starting with '\*'/],
    [{ version: 1, hosts: [{ ...host, inputs: { offloads: { allowed: [{ keyword: "*RSS" }] } } }] }, /allowed\[0\]\.reason: the required field 'reason' is missing/],
    [{ version: 1, hosts: [{ ...host, inputs: { endOfSupport: { warningDays: -1 } } }] }, /warningDays: must be >= 0/],
    [{ version: 1, hosts: [host], extra: true }, /^extra: 'extra' is not a known field/],
  ];
  for (const [value, expected] of cases) {
    const problems = checkSchema("inventory", doc(value));
    assert.ok(problems.length > 0, JSON.stringify(value));
    const lines = problems.map((p) => `${p.field}: ${p.problem}. ${p.fix}`);
    assert.ok(lines.some((l) => expected.test(l)), `${JSON.stringify(value)}\n${lines.join("\n")}`);
    for (const p of problems) assert.equal(p.file, "t.json");
  }
});

test("snapshot: a probe record has output or error, never both or neither", () => {
  const base = { schemaVersion: 1, host: "n1", collectedAt: "2026-11-20T09:00:00Z", collector: { name: "c", version: "1", transport: "winrm" } };
  const rec = { command: "Get-Thing", startedAt: "2026-11-20T09:00:01Z" };
  assert.deepEqual(checkSchema("snapshot", doc({ ...base, probes: { os: { ...rec, output: null } } })), [], "null output is a valid output");
  assert.match(checkSchema("snapshot", doc({ ...base, probes: { os: rec } }))[0].problem, /needs either 'output' or 'error'/);
  assert.ok(checkSchema("snapshot", doc({ ...base, probes: { os: { ...rec, output: {}, error: { kind: "other", message: "x" } } } })).length > 0);
  const unknownProbe = checkSchema("snapshot", doc({ ...base, probes: { registry: { ...rec, output: 1 } } }));
  assert.deepEqual(unknownProbe.map((p) => [p.field, p.problem]), [["probes.registry", "'registry' is not a known probe"]]);
});

test("paths read like code: clusters[0].nodes[2], and odd keys quoted", () => {
  assert.equal(formatPath(["clusters", 0, "nodes", 2]), "clusters[0].nodes[2]");
  assert.equal(formatPath(["probes", "NV Domain"]), 'probes["NV Domain"]');
  assert.equal(formatPath([]), "(top level)");
});

test("inventory: addresses are DNS names or IP addresses; secrets are never written in, nor echoed back", () => {
  const host = { name: "n1", transport: "winrm", credential: "c" };
  const problemsOf = (v: unknown): string[] => checkSchema("inventory", doc(v)).map((p) => `${p.field}: ${p.problem}. ${p.fix}`);
  for (const address of ["10.0.0.11", "fe80::1", "node1.corp.example", "node-1"]) {
    assert.deepEqual(problemsOf({ version: 1, hosts: [{ ...host, address }] }), [], address);
  }
  for (const address of ["10.0.0.300", "node1; Remove-Item C:\\", "$(whoami)", "node 1", "-ComputerName evil"]) {
    const problems = problemsOf({ version: 1, hosts: [{ ...host, address }] });
    assert.equal(problems.length, 1, `${address}: ${problems.join("\n")}`);
    assert.match(problems[0], /^hosts\[0\]\.address: .* is not a DNS name or an IP address\. Use a host name or FQDN/);
  }
  const literal = problemsOf({ version: 1, hosts: [host], credentials: [{ name: "c", username: "u", password: "hunter2-secret" }] });
  assert.equal(literal.length, 1);
  assert.match(literal[0], /credentials\[0\]\.password: a value written into the file is not a secret source/);
  assert.ok(!literal[0].includes("hunter2-secret"), "the password was echoed");
  assert.deepEqual(problemsOf({ version: 1, hosts: [host], credentials: [{ name: "c", username: { env: "HP_USER" }, password: { vault: "SecretStore", secret: "winrm" } }] }), []);
});
