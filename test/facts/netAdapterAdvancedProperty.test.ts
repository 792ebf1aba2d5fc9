// No Get-NetAdapterAdvancedProperty capture is among the reference samples. Adapter names come
// from inspec_test_fixtures_cmd_Get-NetAdapter.json.txt (Ethernet0 and a vEthernet adapter);
// rows are written as the probe's ConvertTo-Json in Windows PowerShell 5.1 style, RegistryValue
// being a string array as on Windows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseNetAdapterAdvancedProperty as normalise } from "../../src/facts/netAdapterAdvancedProperty";
import { failure, problemOf, sampleJson, success, successJson, valueOf } from "../helpers/records";

const ETHERNET0_ROWS = `[
    {
        "Name":  "Ethernet0",
        "DisplayName":  "Virtual Machine Queues",
        "DisplayValue":  "Disabled",
        "RegistryKeyword":  "*VMQ",
        "RegistryValue":  [
                              "0"
                          ]
    },
    {
        "Name":  "Ethernet0",
        "DisplayName":  "ジャンボ パケット",
        "DisplayValue":  "無効",
        "RegistryKeyword":  "*JumboPacket",
        "RegistryValue":  [
                              "1514"
                          ]
    },
    {
        "Name":  "Ethernet0",
        "DisplayName":  "Network Address",
        "DisplayValue":  "",
        "RegistryKeyword":  "NetworkAddress",
        "RegistryValue":  null
    }
]`;

const rows = (output: Parameters<typeof success>[0]) => valueOf(normalise(success(output)));

describe("normaliseNetAdapterAdvancedProperty", () => {
  it("fixture names an adapter of the Get-NetAdapter capture", () => {
    const adapters = sampleJson("inspec_test_fixtures_cmd_Get-NetAdapter.json.txt");
    assert.ok(Array.isArray(adapters) && adapters.some((a) => typeof a === "object" && a !== null && !Array.isArray(a) && a.Name === "Ethernet0"));
  });

  it("reads string-array values and keeps localised display text only as text", () => {
    assert.deepEqual(valueOf(normalise(successJson(ETHERNET0_ROWS))), [
      { adapter: "Ethernet0", keyword: "*VMQ", value: ["0"], displayName: "Virtual Machine Queues", displayValue: "Disabled" },
      { adapter: "Ethernet0", keyword: "*JumboPacket", value: ["1514"], displayName: "ジャンボ パケット", displayValue: "無効" },
      { adapter: "Ethernet0", keyword: "NetworkAddress", value: [], displayName: "Network Address", displayValue: null },
    ]);
  });

  it("wraps a scalar RegistryValue (number or string) into an array of strings", () => {
    assert.deepEqual(rows({ Name: "Ethernet0", RegistryKeyword: "*RSS", RegistryValue: 1 })[0].value, ["1"]);
    assert.deepEqual(rows({ Name: "Ethernet0", RegistryKeyword: "*RSS", RegistryValue: "0" })[0].value, ["0"]);
    assert.deepEqual(rows({ Name: "Ethernet0", RegistryKeyword: "*RSS", RegistryValue: { value: ["3"], Count: 1 } })[0].value, ["3"]);
  });

  it("keeps the keyword's spelling and matches property names case-insensitively", () => {
    assert.deepEqual(rows([{ name: "NIC1", registrykeyword: "*vmq", registryvalue: ["1"] }]), [{ adapter: "NIC1", keyword: "*vmq", value: ["1"], displayName: null, displayValue: null }]);
  });

  it("drops rows without a RegistryKeyword", () => {
    assert.deepEqual(rows([{ Name: "Ethernet0", DisplayName: "Speed & Duplex", RegistryKeyword: null }, { Name: "Ethernet0", RegistryKeyword: "" }]), []);
  });

  it("reads null output as no properties", () => {
    assert.deepEqual(rows(null), []);
  });

  it("rejects a row without an adapter name and a RegistryValue holding objects", () => {
    assert.match(problemOf(normalise(success([{ RegistryKeyword: "*VMQ", RegistryValue: ["0"] }])), "malformed"), /item 1: property Name is missing/);
    assert.match(problemOf(normalise(success([{ Name: "Ethernet0", RegistryKeyword: "*VMQ", RegistryValue: [{ a: 1 }] }])), "malformed"), /RegistryValue/);
    assert.match(problemOf(normalise(success(42)), "malformed"), /got a number/);
  });

  it("passes the missing-cmdlet error through and says when the probe was not collected", () => {
    assert.equal(problemOf(normalise(failure("not-supported", "NetAdapter module missing")), "not-supported"), "NetAdapter module missing");
    assert.equal(problemOf(normalise(undefined), "not-collected"), "netAdapterAdvancedProperty was not collected");
  });
});
