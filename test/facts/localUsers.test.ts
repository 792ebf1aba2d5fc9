// Fixture: getperf_...txt section w2016/user (ja-JP Server 2016: UserName, AccountDisable, SID per
// user, Format-List) rewritten as the `localUsers` probe's ConvertTo-Json in Windows PowerShell 5.1
// style: Name = UserName, Enabled = not AccountDisable, SID projected to its string.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseLocalUsers } from "../../src/facts/localUsers";
import { failure, formatListSection, problemOf, success, successJson, valueOf } from "../helpers/records";

const GETPERF = "getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt";
const SID = "S-1-5-21-4127652004-385634555-3113667412";

const W2016_USERS = `[
    {
        "Name":  "Administrator",
        "Enabled":  true,
        "SID":  "${SID}-500"
    },
    {
        "Name":  "DefaultAccount",
        "Enabled":  false,
        "SID":  "${SID}-503"
    },
    {
        "Name":  "Guest",
        "Enabled":  false,
        "SID":  "${SID}-501"
    },
    {
        "Name":  "testuser",
        "Enabled":  true,
        "SID":  "${SID}-1000"
    }
]`;

describe("normaliseLocalUsers", () => {
  it("reads every user of the w2016 capture", () => {
    const expected = formatListSection(GETPERF, "w2016/user").map((u) => ({ name: u.UserName, sid: u.SID, enabled: u.AccountDisable === "False" }));
    assert.equal(expected.length, 4);
    assert.deepEqual(valueOf(normaliseLocalUsers(successJson(W2016_USERS))), expected);
  });

  it("reads a single user emitted as an object", () => {
    assert.deepEqual(valueOf(normaliseLocalUsers(success({ Name: "clusadmin", Enabled: true, SID: `${SID}-1001` }))), [{ name: "clusadmin", sid: `${SID}-1001`, enabled: true }]);
  });

  it("reads an unprojected SID object and lower-case property names", () => {
    const [user] = valueOf(normaliseLocalUsers(success([{ name: "Administrator", enabled: "True", sid: { BinaryLength: 28, AccountDomainSid: { Value: SID }, Value: `${SID}-500` } }])));
    assert.deepEqual(user, { name: "Administrator", sid: `${SID}-500`, enabled: true });
  });

  it("reads null output and an empty array as no users", () => {
    assert.deepEqual(valueOf(normaliseLocalUsers(success(null))), []);
    assert.deepEqual(valueOf(normaliseLocalUsers(success([]))), []);
  });

  it("rejects a user without SID or Name rather than dropping it", () => {
    assert.match(problemOf(normaliseLocalUsers(success([{ Name: "Administrator", SID: `${SID}-500` }, { Name: "testuser" }])), "malformed"), /item 2: property SID of testuser is missing/);
    assert.match(problemOf(normaliseLocalUsers(success({ SID: `${SID}-500` })), "malformed"), /Name is missing/);
  });

  it("refuses an Enabled that is no boolean: \"no\" or \"Disabled\" read as not reported would count as enabled", () => {
    for (const enabled of ["no", "Disabled", 2, {}]) {
      assert.match(problemOf(normaliseLocalUsers(success({ Name: "clusadmin", Enabled: enabled, SID: `${SID}-1001` })), "malformed"), /user clusadmin: property Enabled is .*, not a boolean/, JSON.stringify(enabled));
    }
    assert.equal(valueOf(normaliseLocalUsers(success({ Name: "clusadmin", Enabled: null, SID: `${SID}-1001` })))[0]!.enabled, null);
    assert.equal(valueOf(normaliseLocalUsers(success({ Name: "clusadmin", Enabled: "False", SID: `${SID}-1001` })))[0]!.enabled, false);
  });

  it("reports a string and an array of strings as malformed", () => {
    assert.match(problemOf(normaliseLocalUsers(success("Administrator")), "malformed"), /got a string/);
    assert.match(problemOf(normaliseLocalUsers(success(["Administrator"])), "malformed"), /item 1 is a string/);
  });

  it("passes the missing-module error through and says when the probe was not collected", () => {
    const message = "The term 'Get-LocalUser' is not recognized as the name of a cmdlet";
    assert.equal(problemOf(normaliseLocalUsers(failure("not-supported", message)), "not-supported"), message);
    assert.equal(problemOf(normaliseLocalUsers(undefined), "not-collected"), "localUsers was not collected");
  });
});
