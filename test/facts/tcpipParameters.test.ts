// No capture of this key is among the reference samples; fixtures follow the probe's projection
// (Select-Object Hostname, Domain, 'NV Domain') as Windows PowerShell 5.1 serialises it. The host
// name is the one of getperf's w2016 capture (test/fixtures/samples/getperf_...txt).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseTcpipParameters } from "../../src/facts/tcpipParameters";
import { failure, problemOf, success, successJson, valueOf } from "../helpers/records";

describe("normaliseTcpipParameters", () => {
  it("reads a pending change of the primary DNS suffix", () => {
    const fact = valueOf(normaliseTcpipParameters(successJson(`{
    "Hostname":  "WIN-JKSSMTI1TM6",
    "Domain":  "htb.local",
    "NV Domain":  "corp.htb.local"
}`)));
    assert.deepEqual(fact, { hostname: "WIN-JKSSMTI1TM6", domain: "htb.local", nvDomain: "corp.htb.local" });
  });

  it("reads empty and whitespace-only values as null (no suffix set)", () => {
    const fact = valueOf(normaliseTcpipParameters(success({ Hostname: "WIN-JKSSMTI1TM6", Domain: "", "NV Domain": "  " })));
    assert.deepEqual(fact, { hostname: "WIN-JKSSMTI1TM6", domain: null, nvDomain: null });
  });

  it("matches 'NV Domain' case-insensitively and treats a missing value as null", () => {
    assert.equal(valueOf(normaliseTcpipParameters(success({ hostname: "h", "nv domain": "htb.local" }))).nvDomain, "htb.local");
    assert.equal(valueOf(normaliseTcpipParameters(success({ Hostname: "h" }))).nvDomain, null);
  });

  it("reports null output and a string as malformed", () => {
    assert.match(problemOf(normaliseTcpipParameters(success(null)), "malformed"), /no object returned/);
    assert.match(problemOf(normaliseTcpipParameters(success("htb.local")), "malformed"), /expected an object/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseTcpipParameters(undefined), "not-collected"), "tcpipParameters was not collected");
    assert.equal(problemOf(normaliseTcpipParameters(failure("access-denied", "Requested registry access is not allowed.")), "access-denied"), "Requested registry access is not allowed.");
  });
});
