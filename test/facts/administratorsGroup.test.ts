// No Get-LocalGroupMember capture is among the reference samples. Members and SIDs come from
// inspec_test_fixtures_cmd_adsiusers.json.txt (host WIN-CIV7VMLVHLD, whose Administrator, SID
// ending -500, is in Administrators), written as the `administratorsGroup` probe's ConvertTo-Json
// in Windows PowerShell 5.1 style (PrincipalSource as an integer: 1 Local, 2 ActiveDirectory).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseAdministratorsGroup as normalise } from "../../src/facts/administratorsGroup";
import { failure, problemOf, sampleJson, success, successJson, valueOf } from "../helpers/records";

const ADSI = "inspec_test_fixtures_cmd_adsiusers.json.txt";
const SID = "S-1-5-21-1759981009-4135989804-1844563890";

const MEMBERS = `[
    {
        "Name":  "WIN-CIV7VMLVHLD\\\\Administrator",
        "ObjectClass":  "User",
        "SID":  "${SID}-500",
        "PrincipalSource":  1
    },
    {
        "Name":  "HTB\\\\Domain Admins",
        "ObjectClass":  "Group",
        "SID":  "S-1-5-21-3623811015-3361044348-30300820-512",
        "PrincipalSource":  2
    }
]`;

describe("normaliseAdministratorsGroup", () => {
  it("fixture agrees with the ADSI capture it stands for", () => {
    const users = sampleJson(ADSI);
    assert.ok(Array.isArray(users));
    assert.ok(users.some((u) => typeof u === "object" && u !== null && !Array.isArray(u) && u.uid === `${SID}-500` && Array.isArray(u.groups) && u.groups.includes("Administrators")));
  });

  it("reads members with integer PrincipalSource", () => {
    assert.deepEqual(valueOf(normalise(successJson(MEMBERS))), [
      { name: "WIN-CIV7VMLVHLD\\Administrator", sid: `${SID}-500`, objectClass: "User", principalSource: 1 },
      { name: "HTB\\Domain Admins", sid: "S-1-5-21-3623811015-3361044348-30300820-512", objectClass: "Group", principalSource: 2 },
    ]);
  });

  it("reads a single member object with a PrincipalSource name and an unprojected SID object", () => {
    const [member] = valueOf(normalise(success({ name: "WIN-CIV7VMLVHLD\\clusadmin", objectclass: "ユーザー", sid: { Value: `${SID}-1001` }, principalsource: "Local" })));
    assert.deepEqual(member, { name: "WIN-CIV7VMLVHLD\\clusadmin", sid: `${SID}-1001`, objectClass: "ユーザー", principalSource: "Local" });
  });

  it("keeps a member whose SID or PrincipalSource is missing, with nulls", () => {
    assert.deepEqual(valueOf(normalise(success([{ Name: "S-1-5-21-1-2-3-1105" }]))), [{ name: "S-1-5-21-1-2-3-1105", sid: null, objectClass: null, principalSource: null }]);
  });

  it("reads a numeric-string PrincipalSource as a number", () => {
    assert.equal(valueOf(normalise(success({ Name: "h\\a", PrincipalSource: "1" })))[0].principalSource, 1);
  });

  it("reads null output as an empty group and rejects a member without a name", () => {
    assert.deepEqual(valueOf(normalise(success(null))), []);
    assert.match(problemOf(normalise(success([{ SID: `${SID}-500` }])), "malformed"), /item 1: property Name is missing/);
  });

  it("passes the orphaned-SID failure through and says when the probe was not collected", () => {
    const message = "Failed to compare two elements in the array.";
    assert.equal(problemOf(normalise(failure("other", message)), "other"), message);
    assert.equal(problemOf(normalise(undefined), "not-collected"), "administratorsGroup was not collected");
  });
});
