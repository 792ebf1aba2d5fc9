import { test } from "node:test";
import assert from "node:assert/strict";
import { CollectorOutputError, parseCollectorOutput, readCollectorDocument } from "../../src/collect/parse";
import { COLLECTOR_NAME } from "../../src/collect/script";
import { normaliseSnapshot } from "../../src/facts";
import { isProbeFailure, type ProbeRecord, type Snapshot } from "../../src/model/snapshot";
import { PROBE_IDS, PROBES, type ProbeId } from "../../src/probes/catalog";
import { buildSnapshot } from "../helpers/snapshot-builder";

const META = { host: "node1.corp.contoso.test", transport: "winrm" as const, collectorVersion: "0.1.0" };
const AT = "2026-11-20T09:00:00.120Z";

interface DocRecord {
  command: string;
  startedAt: string;
  durationMs?: number;
  parameters?: Record<string, string>;
  json?: string;
  error?: { kind: string; message: string };
}

/** A document as the script writes it: one line, every probe's raw ConvertTo-Json text as a string. */
function doc(probes: Record<string, DocRecord>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ collectedAt: "2026-11-20T09:00:00.000Z", powershell: "5.1.17763.6414", computerName: "NODE1", probes, ...extra });
}

function rec(id: ProbeId, json: string, command = PROBES[id].command): DocRecord {
  return { command, startedAt: AT, durationMs: 42, json };
}

function record(s: Snapshot, id: ProbeId): ProbeRecord {
  const r = s.probes[id];
  assert.ok(r, `${id} has a record`);
  return r;
}

test("a successful probe keeps its command and timing, and its JSON text parsed as emitted", () => {
  // Windows PowerShell 5.1's own text: two spaces after the colon would only appear uncompressed,
  // but "\/Date()\/" and integer enums are what -Compress still writes.
  const hotfixJson = String.raw`[{"HotFixID":"KB5044277","Description":"Security Update","InstalledOn":"\/Date(1728345600000)\/"}]`;
  const s = parseCollectorOutput(doc({ hotfixes: rec("hotfixes", hotfixJson), os: rec("os", `{"Caption":"Microsoft Windows Server 2019 Datacenter","Version":"10.0.17763","BuildNumber":"17763","ProductType":3,"OSArchitecture":"64-bit","CSDVersion":null}`) }), META);
  assert.deepEqual(Object.keys(s.probes), ["os", "hotfixes"], "catalog order");
  assert.equal(s.host, META.host);
  assert.equal(s.collectedAt, "2026-11-20T09:00:00.000Z");
  assert.deepEqual(s.collector, { name: COLLECTOR_NAME, version: "0.1.0", transport: "winrm", powershell: "5.1.17763.6414" });
  assert.deepEqual(record(s, "hotfixes"), {
    command: PROBES.hotfixes.command,
    startedAt: AT,
    durationMs: 42,
    output: [{ HotFixID: "KB5044277", Description: "Security Update", InstalledOn: "/Date(1728345600000)/" }],
  });
  const facts = normaliseSnapshot(s);
  assert.ok(facts.hotfixes.ok && facts.hotfixes.value[0].installedOn === "2024-10-08");
  assert.ok(facts.os.ok && facts.os.value.build === 17763);
});

test("an error record is kept as the script classified it", () => {
  const message = "The term 'Get-NetAdapterAdvancedProperty' is not recognized as the name of a cmdlet.";
  const s = parseCollectorOutput(doc({ netAdapterAdvancedProperty: { command: PROBES.netAdapterAdvancedProperty.command, startedAt: AT, durationMs: 3, error: { kind: "not-supported", message } } }), META);
  assert.deepEqual(record(s, "netAdapterAdvancedProperty"), { command: PROBES.netAdapterAdvancedProperty.command, startedAt: AT, durationMs: 3, error: { kind: "not-supported", message } });
  const fact = normaliseSnapshot(s).netAdapterAdvancedProperty;
  assert.ok(!fact.ok && fact.problem.kind === "not-supported");
});

test("the command recorded is the fallback that ran, and its output normalises like the primary's", () => {
  const fallback = PROBES.localUsers.fallbacks?.[0] ?? "";
  const json = `[{"Name":"Administrator","Enabled":true,"SID":"S-1-5-21-1-2-3-500"},{"Name":"Guest","Enabled":false,"SID":"S-1-5-21-1-2-3-501"}]`;
  const s = parseCollectorOutput(doc({ localUsers: rec("localUsers", json, fallback) }), META);
  assert.equal(record(s, "localUsers").command, fallback);
  const users = normaliseSnapshot(s).localUsers;
  assert.ok(users.ok);
  assert.deepEqual(users.value.map((u) => [u.name, u.enabled]), [["Administrator", true], ["Guest", false]]);
});

test("output that is not JSON fails that probe only, as other, naming the probe and the parse error", () => {
  const s = parseCollectorOutput(doc({ os: rec("os", `{"Caption":"Windows`), uacPolicy: rec("uacPolicy", `{"LocalAccountTokenFilterPolicy":1,"EnableLUA":1}`) }), META);
  const os = record(s, "os");
  assert.ok(isProbeFailure(os));
  assert.equal(os.error.kind, "other");
  assert.match(os.error.message, /^os: the command's output is not valid JSON \(.+\): "\{\\"Caption\\":\\"Windows"$/);
  assert.equal(os.command, PROBES.os.command);
  assert.ok(!isProbeFailure(record(s, "uacPolicy")));
});

test("a host's output nested past what a snapshot file may hold fails that probe only; a snapshot file holding it would be refused", () => {
  const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
  const s = parseCollectorOutput(doc({ os: rec("os", deep), uacPolicy: rec("uacPolicy", `{"LocalAccountTokenFilterPolicy":1,"EnableLUA":1}`) }), META);
  const os = record(s, "os");
  assert.ok(isProbeFailure(os));
  assert.match(os.error.message, /^os: the command's output is nested more than 61 levels deep/);
  assert.ok(!isProbeFailure(record(s, "uacPolicy")));
  // Right at the limit is still output.
  const edge = `${"[".repeat(61)}${"]".repeat(61)}`;
  assert.ok(!isProbeFailure(record(parseCollectorOutput(doc({ os: rec("os", edge) }), META), "os")));
});

test("an empty pipeline (json null) is output null, which list probes read as empty", () => {
  const s = parseCollectorOutput(doc({ hotfixes: rec("hotfixes", "null") }), META);
  assert.deepEqual(record(s, "hotfixes"), { command: PROBES.hotfixes.command, startedAt: AT, durationMs: 42, output: null });
  const fact = normaliseSnapshot(s).hotfixes;
  assert.ok(fact.ok && fact.value.length === 0);
});

test("probes the document does not mention are absent, and read as not collected", () => {
  const s = parseCollectorOutput(doc({ uacPolicy: rec("uacPolicy", `{"LocalAccountTokenFilterPolicy":null,"EnableLUA":1}`) }), META);
  assert.deepEqual(Object.keys(s.probes), ["uacPolicy"]);
  const facts = normaliseSnapshot(s);
  assert.ok(!facts.os.ok && facts.os.problem.kind === "not-collected");
  assert.ok(facts.uacPolicy.ok);
});

test("escaped non-ASCII text comes back as the host wrote it", () => {
  // The script writes every non-ASCII character as \uXXXX, inside a JSON string holding JSON.
  const line = String.raw`{"collectedAt":"2026-11-20T09:00:00.000Z","powershell":"5.1.14393.7428","computerName":"WIN-JKSSMTI1TM6","probes":{"os":{"command":"c","startedAt":"2026-11-20T09:00:00.120Z","durationMs":12,"json":"{\"Caption\":\"Microsoft Windows Server 2016 Standard Evaluation\",\"Version\":\"10.0.14393\",\"BuildNumber\":\"14393\",\"ProductType\":3,\"OSArchitecture\":\"64 \u30d3\u30c3\u30c8\",\"CSDVersion\":null}"}}}`;
  const s = parseCollectorOutput(line, META);
  const fact = normaliseSnapshot(s).os;
  assert.ok(fact.ok);
  assert.equal(fact.value.architecture, "64 ビット");
  assert.equal(readCollectorDocument(line).computerName, "WIN-JKSSMTI1TM6");
});

test("a stray line before the document is skipped; the document is the last line", () => {
  const stdout = `WARNING: something a profile printed\r\n${doc({ uacPolicy: rec("uacPolicy", `{"LocalAccountTokenFilterPolicy":0,"EnableLUA":1}`) })}\r\n\r\n`;
  assert.ok(parseCollectorOutput(stdout, META).probes.uacPolicy);
});

test("a PowerShell version the script could not read is left out, not recorded as empty", () => {
  const s = parseCollectorOutput(doc({}, { powershell: "" }), META);
  assert.equal(s.collector.powershell, undefined);
  assert.deepEqual(s.probes, {});
});

test("output that is not the collector's document fails the host with CollectorOutputError", () => {
  const bad: Array<[string, RegExp]> = [
    ["", /wrote nothing/],
    ["   \n", /wrote nothing/],
    ["Get-CimInstance : Access is denied", /last line is not JSON/],
    ["[]", /not an object/],
    [JSON.stringify({ probes: {} }), /no collectedAt/],
    [JSON.stringify({ collectedAt: "2026-11-20T09:00:00.000Z" }), /no probes object/],
    [doc({ nope: rec("os", "null") }), /unknown probe 'nope'/],
    [doc({ os: { command: "", startedAt: AT, json: "null" } }), /probe os has no command/],
    [doc({ os: { command: "c", startedAt: AT } }), /exactly one of json and error/],
    [doc({ os: { command: "c", startedAt: AT, json: "null", error: { kind: "other", message: "m" } } }), /exactly one of json and error/],
    [doc({ os: { command: "c", startedAt: AT, error: { kind: "broken", message: "m" } } }), /error needs a kind/],
    [doc({ os: { command: "c", startedAt: AT, durationMs: -1, json: "null" } }), /durationMs/],
    [doc({ os: { command: "c", startedAt: "yesterday", json: "null" } }), /not a valid date-time/],
    [doc({}, { collectedAt: "20 Nov 2026" }), /collectedAt.*not a valid date-time/],
  ];
  for (const [stdout, message] of bad) {
    assert.throws(() => parseCollectorOutput(stdout, META), (err: unknown) => err instanceof CollectorOutputError && message.test(err.message), stdout);
  }
});

test("a document carrying a built snapshot's outputs normalises to the same facts as the snapshot", () => {
  // What the script would write for a host whose real outputs are the builder's 5.1 shapes.
  const built = buildSnapshot({ name: "node1.corp.contoso.test", cluster: { name: "clus1", type: "single-domain" } });
  const probes: Record<string, DocRecord> = {};
  // Every record: the catalog's, and the generic ones the built-in checks read, with their parameters.
  for (const [id, r] of Object.entries(built.probes)) {
    assert.ok(r, id);
    const base = { command: r.command, startedAt: r.startedAt, durationMs: r.durationMs, ...(r.parameters ? { parameters: r.parameters } : {}) };
    probes[id] = isProbeFailure(r) ? { ...base, error: r.error } : { ...base, json: JSON.stringify(r.output) };
  }
  assert.ok(PROBE_IDS.every((id) => id in probes));
  const parsed = parseCollectorOutput(doc(probes, { collectedAt: built.collectedAt }), { host: built.host, transport: "winrm", collectorVersion: built.collector.version });
  assert.deepEqual(parsed.probes, built.probes);
  assert.deepEqual(normaliseSnapshot(parsed), normaliseSnapshot(built));
});

test("issue 18: a host's output with two keys differing only in case costs that probe, and a generic record must agree with its id", () => {
  const s = parseCollectorOutput(doc({ uacPolicy: rec("uacPolicy", '{"LocalAccountTokenFilterPolicy":1,"localaccounttokenfilterpolicy":0}') }), META);
  const uac = record(s, "uacPolicy");
  assert.ok(isProbeFailure(uac));
  assert.match(uac.error.message, /uacPolicy: the command's output holds the keys "LocalAccountTokenFilterPolicy" and "localaccounttokenfilterpolicy", which differ only in case/);

  const reader = { command: "(reader)", startedAt: AT, durationMs: 3, json: "[]" };
  assert.throws(
    () => readCollectorDocument(doc({ "service:W32Time": { ...reader, parameters: { Name: "Spooler" } } })),
    (e: unknown) => e instanceof CollectorOutputError && /record 'service:W32Time' does not agree with itself: its parameters \(Name = "Spooler"\) are those of 'service:Spooler'/.test(e.message),
  );
  assert.throws(
    () => readCollectorDocument(doc({ "service:W32Time": { ...reader, parameters: { Name: "W32Time" } }, "service:w32time": { ...reader, parameters: { Name: "w32time" } } })),
    (e: unknown) => e instanceof CollectorOutputError && /probe ids 'service:W32Time' and 'service:w32time'/.test(e.message),
  );
  // An error the collector recorded before it could read the probe's parameters holds no fact.
  assert.doesNotThrow(() => readCollectorDocument(doc({ "service:W32Time": { command: "(none)", startedAt: AT, error: { kind: "other", message: "hostproof collector failed" } } })));
});
