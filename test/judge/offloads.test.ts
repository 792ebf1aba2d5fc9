import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AdapterPropertyFact } from "../../src/model/facts";
import type { OffloadAllowance } from "../../src/model/inventory";
import { judgeOffloadsDisabled } from "../../src/judge/offloads";
import { OFFLOAD_KEYWORDS } from "../../src/judge/offload-keywords";
import { disabledOffloads, expectStatus, hostCtx, hostFacts, inputs, ok, probesOf, unreadable } from "../helpers/host-facts";

/** Both adapters fully disabled, with one property replaced or removed. */
function adapters(edit: (rows: AdapterPropertyFact[]) => AdapterPropertyFact[] = (r) => r): AdapterPropertyFact[] {
  return edit([...disabledOffloads("Ethernet 1"), ...disabledOffloads("Ethernet 2")]);
}

function set(adapter: string, keyword: string, value: string[], displayValue: string | null = "Enabled") {
  return (rows: AdapterPropertyFact[]) =>
    rows.map((r) => (r.adapter === adapter && r.keyword === keyword ? { ...r, value, displayValue } : r));
}

function drop(adapter: string, keyword: string) {
  return (rows: AdapterPropertyFact[]) => rows.filter((r) => !(r.adapter === adapter && r.keyword === keyword));
}

function judge(rows: AdapterPropertyFact[], allowed: OffloadAllowance[] = []) {
  const facts = hostFacts("hv01", { netAdapterAdvancedProperty: ok("netAdapterAdvancedProperty", rows) });
  return judgeOffloadsDisabled(hostCtx(facts, { inputs: inputs({ offloads: { allowed } }) }));
}

describe("offload keyword list", () => {
  it("holds the 16 keywords of windows-facts.md §5 with their disabled values", () => {
    assert.equal(OFFLOAD_KEYWORDS.length, 16);
    assert.equal(OFFLOAD_KEYWORDS.find((k) => k.keyword === "*JumboPacket")?.disabled, "1514");
    assert.ok(OFFLOAD_KEYWORDS.filter((k) => k.keyword !== "*JumboPacket").every((k) => k.disabled === "0"));
  });
});

describe("HP-NIC-001 judgeOffloadsDisabled", () => {
  it("passes when every keyword is disabled on every adapter, with one summary row per adapter", () => {
    const j = expectStatus(judge(adapters()), "passed");
    assert.equal(j.expected, "every standardized offload keyword disabled on every adapter (the inventory allows no exception)");
    assert.deepEqual(
      j.details?.map((d) => [d.subject, d.outcome, d.actual]),
      [
        ["Ethernet 1", "ok", "16 keywords disabled, 0 not present"],
        ["Ethernet 2", "ok", "16 keywords disabled, 0 not present"],
      ],
    );
    assert.deepEqual(probesOf(j), ["hv01/netAdapterAdvancedProperty"]);
  });

  it("fails an enabled VMQ and lists it as 'adapter: keyword = value'", () => {
    const j = expectStatus(judge(adapters(set("Ethernet 2", "*VMQ", ["1"]))), "failed");
    assert.equal(j.actual, "Ethernet 2: *VMQ = 1");
    const row = j.details!.find((d) => d.outcome === "deviation")!;
    assert.equal(row.subject, "Ethernet 2 *VMQ");
    assert.equal(row.expected, "0 (disabled)");
    assert.equal(row.actual, "1 (Enabled)");
  });

  it("fails jumbo frames (9014) and passes 1514", () => {
    const j = expectStatus(judge(adapters(set("Ethernet 1", "*JumboPacket", ["9014"], "9014 Bytes"))), "failed");
    assert.equal(j.actual, "Ethernet 1: *JumboPacket = 9014");
    expectStatus(judge(adapters(set("Ethernet 1", "*JumboPacket", ["1514"]))), "passed");
  });

  it("fails each checksum offload setting other than 0 (1 Tx, 2 Rx, 3 Rx+Tx)", () => {
    for (const v of ["1", "2", "3"]) {
      expectStatus(judge(adapters(set("Ethernet 1", "*TCPChecksumOffloadIPv4", [v]))), "failed");
    }
  });

  it("lists every deviation across adapters", () => {
    const rows = adapters((r) => set("Ethernet 2", "*RSS", ["1"])(set("Ethernet 1", "*VMQ", ["1"])(r)));
    const j = expectStatus(judge(rows), "failed");
    assert.equal(j.actual, "Ethernet 1: *VMQ = 1; Ethernet 2: *RSS = 1");
  });

  it("matches keywords case-insensitively as drivers spell them", () => {
    const rows = adapters((r) => r.map((p) => ({ ...p, keyword: p.keyword.toUpperCase() })));
    expectStatus(judge(rows), "passed");
    const enabled = adapters((r) => r.map((p) => (p.keyword === "*VMQ" ? { ...p, keyword: "*vmq", value: ["1"] } : p)));
    const j = expectStatus(judge(enabled), "failed");
    assert.match(j.actual, /\*VMQ = 1/);
  });

  it("treats a keyword the driver does not expose as not present, neither pass nor failure", () => {
    const j = expectStatus(judge(adapters((r) => drop("Ethernet 1", "*SRIOV")(drop("Ethernet 1", "*PMNSOffload")(r)))), "passed");
    const row = j.details!.find((d) => d.outcome === "not-present")!;
    assert.equal(row.subject, "Ethernet 1");
    assert.match(row.actual, /\*SRIOV/);
    assert.match(row.actual, /\*PMNSOffload/);
    assert.equal(j.details!.find((d) => d.subject === "Ethernet 1" && d.outcome === "ok")!.actual, "14 keywords disabled, 2 not present");
  });

  it("allows an enabled keyword listed in the allow-list, with the reason as note", () => {
    const allowed: OffloadAllowance[] = [{ keyword: "*rss", reason: "RSS verified with the Intel X710 driver 1.16 (CHG-4711)" }];
    const j = expectStatus(judge(adapters((r) => set("Ethernet 1", "*RSS", ["1"])(set("Ethernet 2", "*RSS", ["1"])(r))), allowed), "passed");
    const rows = j.details!.filter((d) => d.outcome === "allowed");
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.note, "RSS verified with the Intel X710 driver 1.16 (CHG-4711)");
    assert.equal(j.expected, "every standardized offload keyword disabled on every adapter, except 1 exception allowed in the inventory");
  });

  it("scopes an allowance to the adapter it names, case-insensitively", () => {
    const allowed: OffloadAllowance[] = [{ keyword: "*VMQ", adapter: "ethernet 2", reason: "VMQ for the VM switch uplink" }];
    const rows = adapters((r) => set("Ethernet 1", "*VMQ", ["1"])(set("Ethernet 2", "*VMQ", ["1"])(r)));
    const j = expectStatus(judge(rows, allowed), "failed");
    assert.equal(j.actual, "Ethernet 1: *VMQ = 1");
    assert.equal(j.details!.find((d) => d.subject === "Ethernet 2 *VMQ")!.outcome, "allowed");
  });

  it("adds an info row for an allowance that matched no enabled keyword", () => {
    const allowed: OffloadAllowance[] = [
      { keyword: "*RSS", reason: "kept for later" },
      { keyword: "*VMQ", adapter: "Ethernet 9", reason: "no such adapter" },
      { keyword: "*FlowControl", reason: "not a checked keyword" },
    ];
    const j = expectStatus(judge(adapters(), allowed), "passed");
    const info = j.details!.filter((d) => d.outcome === "info");
    assert.equal(info.length, 3);
    assert.equal(info[0]!.actual, "allowance for *RSS on every adapter matched no enabled keyword");
    assert.match(info[1]!.actual, /\*VMQ on Ethernet 9/);
    assert.match(info[2]!.note ?? "", /not one of the keywords this control checks/);
  });

  it("accepts a numerically equal value such as '00'", () => {
    expectStatus(judge(adapters(set("Ethernet 1", "*VMQ", ["00"], "Disabled"))), "passed");
  });

  it("is undetermined when a present keyword has no value, unless another deviation fails it", () => {
    const j = expectStatus(judge(adapters(set("Ethernet 1", "*VMQ", []))), "undetermined");
    assert.equal(j.reason?.kind, "malformed");
    assert.equal(j.details!.find((d) => d.subject === "Ethernet 1 *VMQ")!.outcome, "unreadable");
    expectStatus(judge(adapters((r) => set("Ethernet 2", "*RSS", ["1"])(set("Ethernet 1", "*VMQ", [])(r)))), "failed");
  });

  it("groups rows by adapter name case-insensitively", () => {
    const rows = adapters((r) => r.map((p) => (p.adapter === "Ethernet 2" && p.keyword === "*VMQ" ? { ...p, adapter: "ETHERNET 2" } : p)));
    const j = expectStatus(judge(rows), "passed");
    assert.equal(j.details!.filter((d) => d.outcome === "ok").length, 2);
  });

  it("passes an adapter that exposes none of the keywords, and says they are not present", () => {
    const rows: AdapterPropertyFact[] = [{ adapter: "vEthernet (Mgmt)", keyword: "*NetworkAddress", value: [""], displayName: "Network Address", displayValue: null }];
    const j = expectStatus(judge(rows), "passed");
    assert.match(j.details!.find((d) => d.outcome === "not-present")!.actual, /\*VMQ/);
  });

  it("is undetermined (not-verifiable) when no adapter rows were returned", () => {
    const j = expectStatus(judge([]), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
    assert.match(j.reason!.message, /no network adapter properties were returned/);
    assert.deepEqual(probesOf(j), ["hv01/netAdapterAdvancedProperty"]);
  });

  it("is undetermined, never passed, when the probe failed", () => {
    const facts = hostFacts("hv01", { netAdapterAdvancedProperty: unreadable("netAdapterAdvancedProperty", "not-supported", "Get-NetAdapterAdvancedProperty is not recognized") });
    const j = expectStatus(judgeOffloadsDisabled(hostCtx(facts)), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
    assert.match(j.reason!.message, /hv01: probe netAdapterAdvancedProperty/);
    assert.deepEqual(probesOf(j), ["hv01/netAdapterAdvancedProperty"]);
  });
});
