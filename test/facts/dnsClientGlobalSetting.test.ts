// No capture of Get-DnsClientGlobalSetting is among the reference samples; fixtures follow the
// probe's projection as Windows PowerShell 5.1 serialises it, including the `{"value":[...],"Count":n}`
// form 5.1 gives some collections, and PowerShell 7's plain array.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseDnsClientGlobalSetting } from "../../src/facts/dnsClientGlobalSetting";
import { failure, problemOf, success, successJson, valueOf } from "../helpers/records";

const suffixes = (output: Parameters<typeof success>[0]) => valueOf(normaliseDnsClientGlobalSetting(success(output))).suffixSearchList;

describe("normaliseDnsClientGlobalSetting", () => {
  it("reads an array, keeping order (the first is the primary suffix)", () => {
    const fact = valueOf(normaliseDnsClientGlobalSetting(successJson(`{
    "SuffixSearchList":  [
                             "htb.local",
                             "corp.example"
                         ],
    "UseSuffixSearchList":  true,
    "UseDevolution":  true,
    "DevolutionLevel":  0
}`)));
    assert.deepEqual(fact, { suffixSearchList: ["htb.local", "corp.example"], useSuffixSearchList: true, useDevolution: true });
  });

  it("reads the 5.1 {value,Count} wrapper", () => {
    assert.deepEqual(suffixes({ SuffixSearchList: { value: ["htb.local", "HTB.LOCAL"], Count: 2 } }), ["htb.local", "HTB.LOCAL"]);
    assert.deepEqual(suffixes({ SuffixSearchList: { Value: [], count: 0 } }), []);
  });

  it("reads a single string, null, a missing property and empty items", () => {
    assert.deepEqual(suffixes({ SuffixSearchList: "htb.local" }), ["htb.local"]);
    assert.deepEqual(suffixes({ SuffixSearchList: null }), []);
    assert.deepEqual(suffixes({ UseDevolution: false }), []);
    assert.deepEqual(suffixes({ SuffixSearchList: ["", "htb.local", null] }), ["htb.local"]);
  });

  it("matches property names case-insensitively and leaves unknown booleans null", () => {
    const fact = valueOf(normaliseDnsClientGlobalSetting(success({ suffixsearchlist: ["a.example"], usesuffixsearchlist: "False" })));
    assert.deepEqual(fact, { suffixSearchList: ["a.example"], useSuffixSearchList: false, useDevolution: null });
  });

  it("refuses a boolean that is none (\"yes\", 2), rather than reading it as not reported", () => {
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success({ SuffixSearchList: [], UseSuffixSearchList: "yes" })), "malformed"), /property UseSuffixSearchList is "yes", not a boolean/);
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success({ SuffixSearchList: [], UseDevolution: 2 })), "malformed"), /property UseDevolution is 2, not a boolean/);
  });

  it("reports a list holding objects, null output and a string output as malformed", () => {
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success({ SuffixSearchList: [{ Name: "x" }] })), "malformed"), /SuffixSearchList/);
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success({ SuffixSearchList: { Length: 3 } })), "malformed"), /SuffixSearchList/);
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success(null)), "malformed"), /no object returned/);
    assert.match(problemOf(normaliseDnsClientGlobalSetting(success("htb.local")), "malformed"), /expected an object/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseDnsClientGlobalSetting(undefined), "not-collected"), "dnsClientGlobalSetting was not collected");
    const message = "The term 'Get-DnsClientGlobalSetting' is not recognized as the name of a cmdlet";
    assert.equal(problemOf(normaliseDnsClientGlobalSetting(failure("not-supported", message)), "not-supported"), message);
  });
});
