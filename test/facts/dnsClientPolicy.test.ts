// No capture of this policy key is among the reference samples; fixtures follow the probe's
// projection (Select-Object PrimaryDnsSuffix, 'NV PrimaryDnsSuffix') as Windows PowerShell 5.1
// serialises it, and the error Get-ItemProperty -ErrorAction Stop raises for a missing key.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseDnsClientPolicy } from "../../src/facts/dnsClientPolicy";
import { failure, problemOf, success, successJson, valueOf } from "../helpers/records";

const MISSING_KEY = "Cannot find path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient' because it does not exist.";

describe("normaliseDnsClientPolicy", () => {
  it("reads a suffix set by Group Policy", () => {
    const fact = valueOf(normaliseDnsClientPolicy(successJson(`{
    "PrimaryDnsSuffix":  "htb.local",
    "NV PrimaryDnsSuffix":  "htb.local"
}`)));
    assert.deepEqual(fact, { primaryDnsSuffix: "htb.local", nvPrimaryDnsSuffix: "htb.local" });
  });

  it("reads a missing policy key (not-found) as no policy, not as an error", () => {
    const fact = normaliseDnsClientPolicy(failure("not-found", MISSING_KEY));
    assert.deepEqual(valueOf(fact), { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null });
    assert.equal(fact.probe, "dnsClientPolicy");
  });

  it("keeps every other error an error", () => {
    assert.equal(problemOf(normaliseDnsClientPolicy(failure("access-denied", "Access denied")), "access-denied"), "Access denied");
    assert.equal(problemOf(normaliseDnsClientPolicy(failure("other", "boom")), "other"), "boom");
  });

  it("reads an existing key without the values, or with empty values, as no suffix", () => {
    assert.deepEqual(valueOf(normaliseDnsClientPolicy(success({ PrimaryDnsSuffix: null, "NV PrimaryDnsSuffix": "" }))), { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null });
  });

  it("matches property names case-insensitively", () => {
    assert.equal(valueOf(normaliseDnsClientPolicy(success({ "nv primarydnssuffix": "HTB.LOCAL" }))).nvPrimaryDnsSuffix, "HTB.LOCAL");
  });

  it("reads null output (the key exists with no values: Get-ItemProperty emits nothing) as no policy", () => {
    assert.deepEqual(valueOf(normaliseDnsClientPolicy(success(null))), { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null });
  });

  it("reports a scalar as malformed and a missing record as not collected", () => {
    assert.match(problemOf(normaliseDnsClientPolicy(success("x")), "malformed"), /dnsClientPolicy/);
    assert.equal(problemOf(normaliseDnsClientPolicy(undefined), "not-collected"), "dnsClientPolicy was not collected");
  });
});
