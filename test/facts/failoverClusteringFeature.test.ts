// Fixtures: inspec_test_fixtures_cmd_get-windows-feature.txt (a real 5.1 ConvertTo-Json of
// Get-WindowsFeature: Installed false, InstallState 0, and the stderr when the cmdlet is missing)
// and getperf_...feature section (Format-List, ja-JP Server 2016: InstallState shown by name,
// localised DisplayName), rewritten as the probe's ConvertTo-Json. The Get-WindowsOptionalFeature
// shape is the collector's fallback where ServerManager is missing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseFailoverClusteringFeature as normalise, readFeatureRow } from "../../src/facts/failoverClusteringFeature";
import type { JsonObject } from "../../src/model/json";
import { failure, formatListSection, problemOf, readSample, sampleJson, success, successJson, valueOf } from "../helpers/records";

const INSPEC = "inspec_test_fixtures_cmd_get-windows-feature.txt";
const GETPERF = "getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt";

describe("normaliseFailoverClusteringFeature", () => {
  it("reads the captured 5.1 output as is (integer InstallState, extra properties)", () => {
    // The capture is of another feature (DHCP): read as a row, not as the Failover-Clustering probe's answer.
    const capture = sampleJson(INSPEC);
    assert.deepEqual(readFeatureRow(capture as JsonObject), { ok: true, value: { name: "DHCP", installed: false, installState: 0 } });
    assert.deepEqual(valueOf(normalise(success({ ...(capture as JsonObject), Name: "Failover-Clustering" }))), { name: "Failover-Clustering", installed: false, installState: 0 });
  });

  it("reads Failover-Clustering installed, 5.1 style", () => {
    const fact = valueOf(normalise(successJson(`{
    "Name":  "Failover-Clustering",
    "DisplayName":  "フェールオーバー クラスタリング",
    "Installed":  true,
    "InstallState":  1
}`)));
    assert.deepEqual(fact, { name: "Failover-Clustering", installed: true, installState: 1 });
  });

  it("keeps an InstallState name as emitted (PowerShell 7 -EnumsAsStrings, as the getperf capture shows it)", () => {
    const [webServer] = formatListSection(GETPERF, "w2016/feature (first 2 of 35 entries)");
    assert.equal(webServer.InstallState, "Installed");
    const row = readFeatureRow({ Name: webServer.Name!, DisplayName: webServer.DisplayName!, Installed: true, InstallState: webServer.InstallState! });
    assert.deepEqual(row, { ok: true, value: { name: "Web-Server", installed: true, installState: "Installed" } });
    const fact = valueOf(normalise(success({ Name: "Failover-Clustering", Installed: true, InstallState: webServer.InstallState })));
    assert.deepEqual(fact, { name: "Failover-Clustering", installed: true, installState: "Installed" });
  });

  it("refuses an Installed that is no boolean, rather than deciding on InstallState alone", () => {
    assert.match(problemOf(normalise(success({ Name: "Failover-Clustering", Installed: "yes", InstallState: 1 })), "malformed"), /property Installed is "yes", not a boolean/);
  });

  it("refuses a row naming another feature: the probe asks for Failover-Clustering (FailoverCluster-FullServer to DISM) by name", () => {
    assert.match(problemOf(normalise(success({ Name: "Web-Server", Installed: true, InstallState: 1 })), "malformed"), /names the feature "Web-Server", but the probe reads Failover-Clustering/);
    assert.match(problemOf(normalise(success({ FeatureName: "TelnetClient", State: 2 })), "malformed"), /"TelnetClient"/);
    assert.equal(valueOf(normalise(success({ Name: "failover-clustering", InstallState: 1 }))).installed, true, "names ignore case");
  });

  it("derives installed from InstallState when Installed is missing, by integer or name in any case", () => {
    assert.equal(valueOf(normalise(success({ Name: "Failover-Clustering", InstallState: 1 }))).installed, true);
    assert.equal(valueOf(normalise(success({ Name: "Failover-Clustering", InstallState: "installed" }))).installed, true);
    assert.equal(valueOf(normalise(success({ Name: "Failover-Clustering", InstallState: 2 }))).installed, false);
    assert.equal(valueOf(normalise(success({ Name: "Failover-Clustering", installstate: "Removed" }))).installed, false);
  });

  it("reads the Get-WindowsOptionalFeature shape (State 2 or Enabled is installed)", () => {
    assert.deepEqual(valueOf(normalise(success({ FeatureName: "FailoverCluster-FullServer", State: 2 }))), { name: "FailoverCluster-FullServer", installed: true, installState: 1 });
    assert.deepEqual(valueOf(normalise(success({ FeatureName: "FailoverCluster-FullServer", State: "Enabled" }))), { name: "FailoverCluster-FullServer", installed: true, installState: 1 });
    assert.deepEqual(valueOf(normalise(success({ FeatureName: "FailoverCluster-FullServer", State: 0 }))), { name: "FailoverCluster-FullServer", installed: false, installState: 0 });
    assert.deepEqual(valueOf(normalise(success({ featurename: "FailoverCluster-FullServer", state: "DisabledWithPayloadRemoved" }))), { name: "FailoverCluster-FullServer", installed: false, installState: 4 });
  });

  it("reports output without Name, without any install state, or with an unknown state as malformed", () => {
    assert.match(problemOf(normalise(success({ Installed: true })), "malformed"), /Name is missing/);
    assert.match(problemOf(normalise(success({ Name: "Failover-Clustering" })), "malformed"), /Installed/);
    assert.match(problemOf(normalise(success({ Name: "Failover-Clustering", InstallState: 9 })), "malformed"), /InstallState/);
    assert.match(problemOf(normalise(success({ FeatureName: "FailoverCluster-FullServer" })), "malformed"), /State is missing/);
  });

  it("reports null output (no such feature) as malformed", () => {
    assert.match(problemOf(normalise(success(null)), "malformed"), /no object returned/);
  });

  it("passes the missing-cmdlet error through and says when the probe was not collected", () => {
    const stderr = readSample(INSPEC).split("\n").find((line) => line.startsWith("The term 'Get-WindowsFeature'"));
    assert.ok(stderr);
    assert.equal(problemOf(normalise(failure("not-supported", stderr)), "not-supported"), stderr);
    assert.equal(problemOf(normalise(undefined), "not-collected"), "failoverClusteringFeature was not collected");
  });
});
