// Fixture: inspec_test_fixtures_cmd_kb4019215_Get-HotFix.txt (Get-HotFix -Id KB4019215, default
// table: Description "Security Update", InstalledOn 6/5/2017 12:00:00 AM) rewritten as the
// `hotfixes` probe's ConvertTo-Json in the forms it takes: Windows PowerShell 5.1's
// `{"value":"\/Date(ms)\/","DateTime":...}` and bare `\/Date(ms)\/`, PowerShell 7's ISO text and
// WMI's US text.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { installedOnDate, normaliseHotfixes } from "../../src/facts/hotfixes";
import { failure, problemOf, readSample, success, successJson, valueOf } from "../helpers/records";

const KB4019215_51 = `{
    "HotFixID":  "KB4019215",
    "Description":  "Security Update",
    "InstalledOn":  {
                        "value":  "\\/Date(1496620800000)\\/",
                        "DateTime":  "Monday, June 5, 2017 12:00:00 AM"
                    }
}`;

const hotfixes = (output: Parameters<typeof success>[0]) => valueOf(normaliseHotfixes(success(output)));

describe("normaliseHotfixes", () => {
  it("reads the captured update (5.1 object form of InstalledOn)", () => {
    assert.match(readSample("inspec_test_fixtures_cmd_kb4019215_Get-HotFix.txt"), /Security Update\s+KB4019215\s.*6\/5\/2017 12:00:00 AM/);
    assert.deepEqual(valueOf(normaliseHotfixes(successJson(KB4019215_51))), [{ id: "KB4019215", description: "Security Update", installedOn: "2017-06-05" }]);
  });

  it("reads every InstalledOn form as yyyy-mm-dd", () => {
    assert.equal(installedOnDate("/Date(1496620800000)/"), "2017-06-05");
    assert.equal(installedOnDate("\\/Date(1496620800000)\\/"), "2017-06-05");
    assert.equal(installedOnDate("2017-06-05T00:00:00"), "2017-06-05");
    assert.equal(installedOnDate("2017-06-05T00:00:00+09:00"), "2017-06-05");
    assert.equal(installedOnDate("6/5/2017 12:00:00 AM"), "2017-06-05");
    assert.equal(installedOnDate("6/5/2017"), "2017-06-05");
    assert.equal(installedOnDate({ DateTime: "Monday, June 5, 2017 12:00:00 AM" }), "2017-06-05");
  });

  it("recovers the local date of a local-midnight /Date()/ from hosts east and west of UTC", () => {
    // 2017-06-05 00:00 in Tokyo (UTC+9) is 2017-06-04 15:00 UTC; in New York (UTC-4) 04:00 UTC.
    assert.equal(installedOnDate("/Date(1496588400000)/"), "2017-06-05");
    assert.equal(installedOnDate("/Date(1496635200000)/"), "2017-06-05");
    assert.equal(installedOnDate("/Date(1496588400000+0900)/"), "2017-06-05");
  });

  it("reads null, empty, localised and nonsense dates as null", () => {
    assert.equal(installedOnDate(null), null);
    assert.equal(installedOnDate(""), null);
    assert.equal(installedOnDate({ value: null, DateTime: "2017年6月5日 0:00:00" }), null);
    assert.equal(installedOnDate("13/45/2017"), null);
    assert.equal(installedOnDate(1496620800000), null);
  });

  it("upper-cases and trims IDs, keeps a repeated ID once and drops rows without an ID (empty, null, 'File 1')", () => {
    const result = hotfixes([
      { HotFixID: " kb5031361 ", Description: "Security Update", InstalledOn: "10/10/2023" },
      { HotFixID: "KB5031361", Description: "Security Update", InstalledOn: null },
      { HotFixID: "", Description: "Update", InstalledOn: null },
      { HotFixID: "File 1", Description: "", InstalledOn: null },
      { HotFixID: null, Description: "Update", InstalledOn: null },
      { hotfixid: "KB890830", description: null, installedon: "" },
    ]);
    assert.deepEqual(result, [
      { id: "KB5031361", description: "Security Update", installedOn: "2023-10-10" },
      { id: "KB890830", description: null, installedOn: null },
    ]);
  });

  it("reads null output as no updates", () => {
    assert.deepEqual(hotfixes(null), []);
  });

  it("reports output that is not objects as malformed", () => {
    assert.match(problemOf(normaliseHotfixes(success("KB4019215")), "malformed"), /got a string/);
    assert.match(problemOf(normaliseHotfixes(success([{ HotFixID: "KB1" }, 7])), "malformed"), /item 2 is a number/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseHotfixes(undefined), "not-collected"), "hotfixes was not collected");
    assert.equal(problemOf(normaliseHotfixes(failure("timeout", "probe timed out after 60 s")), "timeout"), "probe timed out after 60 s");
  });
});
