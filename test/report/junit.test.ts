import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { JUNIT_FILE, renderJunit, writeJunit } from "../../src/report/formats/junit";
import { escapeAttr, escapeText } from "../../src/report/formats/xml";
import { fixtureRunReport, JAPANESE_ADAPTER, JAPANESE_ERROR } from "../helpers/run-report";
import { findAll, parseXml, type XmlElement } from "./mini-xml";
import { scratch } from "./tmp";

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

function props(el: XmlElement): Record<string, string> {
  const list = child(el, "properties")?.children ?? [];
  return Object.fromEntries(list.map((p) => [p.attrs.name!, p.attrs.value!]));
}

function testcase(root: XmlElement, suite: string, controlId: string): XmlElement {
  const s = findAll(root, "testsuite").find((x) => x.attrs.name === suite);
  assert.ok(s, `suite ${suite}`);
  const tc = findAll(s, "testcase").find((x) => x.attrs.name!.startsWith(`${controlId} `));
  assert.ok(tc, `${controlId} in ${suite}`);
  return tc;
}

test("junit.xml is written, parses, and has one suite per target with the right counts", async (t) => {
  const dir = scratch(t);
  const path = await writeJunit(dir, fixtureRunReport());
  assert.equal(path, join(dir, JUNIT_FILE));
  const root = parseXml(readFileSync(path, "utf8"));
  assert.equal(root.name, "testsuites");
  assert.deepEqual(
    { tests: root.attrs.tests, failures: root.attrs.failures, errors: root.attrs.errors, skipped: root.attrs.skipped },
    { tests: "12", failures: "3", errors: "1", skipped: "3" },
  );
  assert.equal(root.attrs.name, "hostproof demo & <lab>");

  const suites = findAll(root, "testsuite");
  assert.deepEqual(
    suites.map((s) => s.attrs.name),
    ["host node1 (cluster wgclus)", "host node2 (cluster wgclus)", "host solo1", "cluster wgclus"],
  );
  for (const s of suites) {
    const cases = findAll(s, "testcase");
    const withChild = (n: string): number => cases.filter((c) => child(c, n) !== undefined).length;
    assert.equal(Number(s.attrs.tests), cases.length, `${s.attrs.name} tests`);
    assert.equal(Number(s.attrs.failures), withChild("failure"), `${s.attrs.name} failures`);
    assert.equal(Number(s.attrs.errors), withChild("error"), `${s.attrs.name} errors`);
    assert.equal(Number(s.attrs.skipped), withChild("skipped"), `${s.attrs.name} skipped`);
  }
  assert.equal(suites.reduce((n, s) => n + Number(s.attrs.tests), 0), 12);
});

test("each status maps to the JUnit element CI tools understand", () => {
  const root = parseXml(renderJunit(fixtureRunReport()));

  const failed = testcase(root, "host node1 (cluster wgclus)", "HP-NIC-001");
  assert.equal(failed.attrs.name, "HP-NIC-001 Offloads that break Hyper-V networking are disabled");
  assert.equal(failed.attrs.classname, "hostproof.wgclus.node1");
  const failure = child(failed, "failure");
  assert.ok(failure);
  assert.equal(failure.attrs.type, "non-compliant");
  assert.equal(failure.attrs.message, "expected VMQ and RSS disabled on every adapter; actual *VMQ is enabled on Ethernet 2");
  assert.match(failure.text, /Ethernet 2 \*VMQ\s+0\s+1\s+deviation/);
  assert.ok(failure.text.includes(JAPANESE_ADAPTER), "Japanese adapter name survives");
  assert.deepEqual(props(failed), { controlId: "HP-NIC-001", severity: "high", feature: "features/network/offloads.feature", status: "failed", rule: "1 GbE adapters" });

  const undetermined = testcase(root, "host node2 (cluster wgclus)", "HP-UPD-001");
  const error = child(undetermined, "error");
  assert.ok(error);
  assert.equal(error.attrs.type, "undetermined");
  assert.equal(error.attrs.message, `Get-HotFix : ${JAPANESE_ERROR}`);
  assert.equal(props(undetermined).reasonKind, "access-denied");

  const na = child(testcase(root, "host node1 (cluster wgclus)", "HP-DNS-001"), "skipped");
  assert.equal(na?.attrs.message, "workgroup cluster nodes need no domain suffix");

  const waivedCase = testcase(root, "host solo1", "HP-NIC-001");
  const waived = child(waivedCase, "skipped");
  assert.equal(waived?.attrs.message, "waived: legacy NIC driver needs VMQ; replacement ordered (approved by Jane Roe, CISO; CHG-5001; expires 2025-06-30)");
  assert.match(waived?.text ?? "", /^Expected: VMQ and RSS disabled on every adapter\nActual: \*VMQ is enabled on Ethernet 1\nWaived \(failed\): /);
  assert.match(waived?.text ?? "", /Ethernet 1 \*VMQ\s+0\s+1\s+deviation/);
  assert.deepEqual(props(waivedCase), {
    controlId: "HP-NIC-001",
    severity: "high",
    feature: "features/network/offloads.feature",
    status: "waived",
    originalStatus: "failed",
    waiverId: "RISK-77",
    waiverApprover: "Jane Roe, CISO",
    waiverReference: "CHG-5001",
    waiverExpires: "2025-06-30",
  });
  assert.equal(testcase(root, "host solo1", "HP-NIC-001").attrs.classname, "hostproof.standalone.solo1");

  const passed = testcase(root, "host node1 (cluster wgclus)", "HP-EOS-001");
  assert.deepEqual(passed.children.map((c) => c.name), ["properties"]);
  assert.equal(props(passed).severity, "critical");

  const cluster = testcase(root, "cluster wgclus", "HP-CLU-001");
  assert.equal(cluster.attrs.classname, "hostproof.wgclus.cluster");
  assert.ok(child(cluster, "failure"));
});

test("markup, quotes, control characters and Japanese text are escaped and survive a round trip", () => {
  const report = fixtureRunReport();
  const nasty = `<script>alert("x") & 'y'</script> ]]> 日本語`;
  const r = report.results[0]!;
  r.control = { ...r.control, title: nasty };
  r.expected = `a "quoted" <value> & more`;
  r.actual = "bell\u0007 esc\u001b[31m nul\u0000 line1\nline2\ttab";
  r.details = [{ subject: "<adapter & co>", expected: "0", actual: "\u0001", outcome: "deviation", note: "ノート" }];

  const xml = renderJunit(report);
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, "no raw forbidden characters");
  const root = parseXml(xml);
  const tc = findAll(root, "testcase")[0]!;
  assert.equal(tc.attrs.name, `HP-NIC-001 ${nasty}`);
  const failure = child(tc, "failure")!;
  // Newline and tab in an attribute survive as character references; forbidden ones are shown.
  assert.equal(failure.attrs.message, `expected a "quoted" <value> & more; actual bell\\u0007 esc\\u001B[31m nul\\u0000 line1\nline2\ttab`);
  assert.ok(failure.text.includes("<adapter & co>"));
  assert.ok(failure.text.includes("ノート"));
  assert.ok(failure.text.includes("\\u0001"));
});

test("escapeText and escapeAttr cover the XML special cases", () => {
  assert.equal(escapeText(`a<b>&c]]>`), "a&lt;b&gt;&amp;c]]&gt;");
  assert.equal(escapeAttr(`"q" 'a'\n\t\r`), "&quot;q&quot; 'a'&#10;&#9;&#13;");
  assert.equal(escapeText("\uD800 lone"), "\\uD800 lone");
  assert.equal(escapeText("😀 pair"), "😀 pair");
  assert.equal(escapeText("\uFFFE"), "\\uFFFE");
});

test("the test parser itself rejects malformed XML (so the checks above mean something)", () => {
  for (const bad of [`<a b="<"/>`, `<a>&</a>`, `<a>&nope;</a>`, `<a></b>`, `<a b="1" b="2"/>`, `<a>\u0007</a>`, `<a>&#7;</a>`, `<a/><b/>`]) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  assert.equal(parseXml(`<a x="1&#10;2&amp;">t&lt;</a>`).attrs.x, "1\n2&");
});
