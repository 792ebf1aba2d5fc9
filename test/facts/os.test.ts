// Fixtures: getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt (sections
// w2016/os and w2019/os, Format-List from ja-JP Server 2016/2019 Evaluation VMs) rewritten as the
// `os` probe's ConvertTo-Json in Windows PowerShell 5.1 style. The capture has no Version or
// BuildNumber; those are the release values of Server 2016 (10.0.14393) and 2019 (10.0.17763, as
// MicrosoftDocs-windowsserverdocs_Get-ComputerInfo_ServerCore2019.txt shows for OsVersion).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseOs } from "../../src/facts/os";
import { failure, formatListSection, problemOf, readSample, success, successJson, valueOf } from "../helpers/records";

const GETPERF = "getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt";

const W2016_OS = `{
    "Caption":  "Microsoft Windows Server 2016 Standard Evaluation",
    "Version":  "10.0.14393",
    "BuildNumber":  "14393",
    "ProductType":  3,
    "OSArchitecture":  "64 ビット",
    "CSDVersion":  null
}`;

const W2019_OS = `{"Caption":"Microsoft Windows Server 2019 Standard Evaluation","Version":"10.0.17763","BuildNumber":"17763","ProductType":3,"OSArchitecture":"64 ビット","CSDVersion":null}`;

describe("normaliseOs", () => {
  it("fixtures agree with the captures they stand for", () => {
    const [w2016] = formatListSection(GETPERF, "w2016/os");
    const fixture = JSON.parse(W2016_OS) as Record<string, unknown>;
    assert.equal(fixture.Caption, w2016.Caption);
    assert.equal(fixture.OSArchitecture, w2016.OSArchitecture);
    assert.equal(String(fixture.ProductType), w2016.ProductType);
    assert.match(readSample("MicrosoftDocs-windowsserverdocs_Get-ComputerInfo_ServerCore2019.txt"), /OsVersion\s+: 10\.0\.17763/);
  });

  it("reads a ja-JP Server 2016 and keeps the localised architecture as text", () => {
    assert.deepEqual(valueOf(normaliseOs(successJson(W2016_OS))), {
      caption: "Microsoft Windows Server 2016 Standard Evaluation",
      version: "10.0.14393",
      major: 10,
      minor: 0,
      build: 14393,
      productType: 3,
      // The capture predates the probe reading OperatingSystemSKU: as in an old snapshot, null.
      sku: null,
      architecture: "64 ビット",
    });
  });

  it("reads OperatingSystemSKU as a number, and as a numeric string", () => {
    assert.equal(valueOf(normaliseOs(success({ Version: "10.0.19045", ProductType: 1, OperatingSystemSKU: 48 }))).sku, 48);
    assert.equal(valueOf(normaliseOs(success({ Version: "10.0.14393", ProductType: 3, OperatingSystemSKU: "143" }))).sku, 143);
  });

  it("reports a non-numeric OperatingSystemSKU as malformed", () => {
    assert.match(problemOf(normaliseOs(success({ Version: "10.0.19045", OperatingSystemSKU: "Professional" })), "malformed"), /OperatingSystemSKU/);
  });

  it("reads compressed output (the probe runs ConvertTo-Json -Compress)", () => {
    const os = valueOf(normaliseOs(successJson(W2019_OS)));
    assert.deepEqual([os.major, os.minor, os.build], [10, 0, 17763]);
  });

  it("reads Server 2003 without OSArchitecture and with a service pack", () => {
    const os = valueOf(normaliseOs(success({ Caption: "Microsoft(R) Windows(R) Server 2003, Standard Edition", Version: "5.2.3790", BuildNumber: "3790", ProductType: 3, CSDVersion: "Service Pack 2" })));
    assert.deepEqual([os.major, os.minor, os.build, os.architecture], [5, 2, 3790, null]);
  });

  it("matches property names case-insensitively", () => {
    const os = valueOf(normaliseOs(success({ caption: "x", VERSION: "6.3.9600", buildnumber: "9600", producttype: "3" })));
    assert.deepEqual([os.version, os.build, os.productType], ["6.3.9600", 9600, 3]);
  });

  it("takes the build from BuildNumber when Version has none", () => {
    assert.equal(valueOf(normaliseOs(success({ Caption: "x", Version: "10.0", BuildNumber: "20348" }))).build, 20348);
  });

  it("accepts an array of one object (PowerShell 7 -AsArray)", () => {
    assert.equal(valueOf(normaliseOs(success([{ Caption: "x", Version: "10.0.26100" }]))).build, 26100);
  });

  it("reports a missing Version as malformed, naming it", () => {
    assert.match(problemOf(normaliseOs(success({ Caption: "x", BuildNumber: "14393" })), "malformed"), /Version is missing/);
  });

  it("reports an unparseable Version and a version without any build as malformed", () => {
    assert.match(problemOf(normaliseOs(success({ Version: "ten" })), "malformed"), /Version/);
    assert.match(problemOf(normaliseOs(success({ Version: "10.0" })), "malformed"), /BuildNumber/);
  });

  it("reports null output, a string and a list of several as malformed", () => {
    assert.match(problemOf(normaliseOs(success(null)), "malformed"), /no object returned/);
    assert.match(problemOf(normaliseOs(success("Microsoft Windows Server 2016")), "malformed"), /got a string/);
    assert.match(problemOf(normaliseOs(success([{ Version: "10.0.1" }, { Version: "10.0.2" }])), "malformed"), /array of 2/);
  });

  it("reports a non-numeric ProductType as malformed", () => {
    assert.match(problemOf(normaliseOs(success({ Version: "10.0.14393", ProductType: "Server" })), "malformed"), /ProductType/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseOs(undefined), "not-collected"), "os was not collected");
    assert.equal(problemOf(normaliseOs(failure("access-denied", "Access is denied.")), "access-denied"), "Access is denied.");
  });
});
