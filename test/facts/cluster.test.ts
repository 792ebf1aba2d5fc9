// Enum values from dsccommunity_FailoverClusterDsc_tests_Unit_Stubs_FailoverClusters.stubs.psm1_enums.txt
// (AdminAccessPoint None 0, ActiveDirectoryAndDns 1, Dns 2, ActiveDirectory 3). Fixtures follow the
// `cluster` probe's projection as Windows PowerShell 5.1 (integers) and PowerShell 7
// (-EnumsAsStrings) serialise it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseCluster } from "../../src/facts/cluster";
import { failure, problemOf, readSample, success, successJson, valueOf } from "../helpers/records";

const accessPoint = (value: Parameters<typeof success>[0]) => valueOf(normaliseCluster(success({ Name: "HVCL01", AdministrativeAccessPoint: value }))).administrativeAccessPoint;

describe("normaliseCluster", () => {
  it("uses the enum values of the captured module stubs", () => {
    assert.match(readSample("dsccommunity_FailoverClusterDsc_tests_Unit_Stubs_FailoverClusters.stubs.psm1_enums.txt"), /AdminAccessPoint : int \{ None = 0, ActiveDirectoryAndDns = 1, Dns = 2, ActiveDirectory = 3 \}/);
  });

  it("reads a workgroup cluster (AdministrativeAccessPoint Dns = 2), 5.1 style", () => {
    const fact = valueOf(normaliseCluster(successJson(`{
    "Name":  "HVCL01",
    "Domain":  "WORKGROUP",
    "Id":  "5d4a5b9e-3c1f-4b8e-9d2a-6f0e1c2b3a4d",
    "AdministrativeAccessPoint":  2
}`)));
    assert.deepEqual(fact, { name: "HVCL01", administrativeAccessPoint: 2 });
  });

  it("translates names in any case to their integers", () => {
    assert.equal(accessPoint("None"), 0);
    assert.equal(accessPoint("ActiveDirectoryAndDns"), 1);
    assert.equal(accessPoint("DNS"), 2);
    assert.equal(accessPoint("activedirectory"), 3);
    assert.equal(accessPoint("1"), 1);
  });

  it("reads a missing or null access point as null", () => {
    assert.equal(valueOf(normaliseCluster(success({ name: "HVCL01" }))).administrativeAccessPoint, null);
    assert.equal(accessPoint(null), null);
  });

  it("rejects an unknown access point name, a missing Name and null output", () => {
    assert.match(problemOf(normaliseCluster(success({ Name: "HVCL01", AdministrativeAccessPoint: "Kerberos" })), "malformed"), /AdministrativeAccessPoint "Kerberos"/);
    assert.match(problemOf(normaliseCluster(success({ AdministrativeAccessPoint: 2 })), "malformed"), /Name is missing/);
    assert.match(problemOf(normaliseCluster(success(null)), "malformed"), /no object returned/);
  });

  it("passes ClusterEndpointNotRegistered (not a node) through like any error", () => {
    const message = "The cluster service is not running. Make sure that the service is running on all nodes in the cluster. (ClusterEndpointNotRegistered)";
    assert.equal(problemOf(normaliseCluster(failure("not-found", message)), "not-found"), message);
    assert.equal(problemOf(normaliseCluster(undefined), "not-collected"), "cluster was not collected");
  });
});
