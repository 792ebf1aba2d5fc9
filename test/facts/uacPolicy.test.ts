// Fixture: getperf_...txt section w2016/user_account_control (Get-ItemProperty of
// ...\Policies\System, Format-List, ja-JP Server 2016) rewritten as the `uacPolicy` probe's
// ConvertTo-Json in Windows PowerShell 5.1 style (Select-Object LocalAccountTokenFilterPolicy, EnableLUA).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseUacPolicy } from "../../src/facts/uacPolicy";
import { failure, formatListSection, problemOf, success, successJson, valueOf } from "../helpers/records";

const GETPERF = "getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt";

const W2016_UAC = `{
    "LocalAccountTokenFilterPolicy":  1,
    "EnableLUA":  1
}`;

const filterPolicy = (output: Parameters<typeof success>[0]) => valueOf(normaliseUacPolicy(success(output))).localAccountTokenFilterPolicy;

describe("normaliseUacPolicy", () => {
  it("reads the w2016 capture's value 1", () => {
    const [capture] = formatListSection(GETPERF, "w2016/user_account_control");
    assert.equal(capture.LocalAccountTokenFilterPolicy, "1");
    assert.deepEqual(valueOf(normaliseUacPolicy(successJson(W2016_UAC))), { localAccountTokenFilterPolicy: 1 });
  });

  it("reads a missing or null value as null (absent, which Windows treats as 0)", () => {
    assert.equal(filterPolicy({ EnableLUA: 1 }), null);
    assert.equal(filterPolicy({ LocalAccountTokenFilterPolicy: null, EnableLUA: 1 }), null);
  });

  it("reads 0 and lower-case names", () => {
    assert.equal(filterPolicy({ LocalAccountTokenFilterPolicy: 0 }), 0);
    assert.equal(filterPolicy({ localaccounttokenfilterpolicy: 1 }), 1);
  });

  it("refuses text: Get-ItemProperty gives a DWORD as a number, so \"1\" is a REG_SZ, which Windows does not read as the policy", () => {
    for (const text of ["1", " 0 ", "0x1"]) {
      assert.match(problemOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: text })), "malformed"), /LocalAccountTokenFilterPolicy is the text .*, not a REG_DWORD/);
    }
  });

  it("rejects a value that is not a whole number instead of reading it as absent", () => {
    assert.match(problemOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: "yes" })), "malformed"), /LocalAccountTokenFilterPolicy/);
    assert.match(problemOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: [1] })), "malformed"), /LocalAccountTokenFilterPolicy/);
  });

  it("reports null output as malformed, not as an absent value", () => {
    assert.match(problemOf(normaliseUacPolicy(success(null)), "malformed"), /no object returned/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseUacPolicy(undefined), "not-collected"), "uacPolicy was not collected");
    assert.equal(problemOf(normaliseUacPolicy(failure("access-denied", "denied")), "access-denied"), "denied");
  });
});
