// Enum values and 2012 R2 strings from
// dsccommunity_FailoverClusterDsc_tests_Unit_Stubs_FailoverClusters.stubs.psm1_enums.txt
// (ClusterQuorumType Unknown 0, Majority 1, DiskOnly 2; 2012 R2 NodeMajority, NodeAndDiskMajority,
// NodeAndFileShareMajority, DiskOnly). Fixtures follow the `clusterQuorum` probe's projection.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseClusterQuorum as normalise } from "../../src/facts/clusterQuorum";
import { failure, problemOf, readSample, success, successJson, valueOf } from "../helpers/records";

const quorum = (output: Parameters<typeof success>[0]) => valueOf(normalise(success(output)));

describe("normaliseClusterQuorum", () => {
  it("uses the enum values of the captured module stubs", () => {
    assert.match(readSample("dsccommunity_FailoverClusterDsc_tests_Unit_Stubs_FailoverClusters.stubs.psm1_enums.txt"), /ClusterQuorumType : int \{ Unknown = 0, Majority = 1, DiskOnly = 2 \}/);
  });

  it("reads a 2016+ cloud witness, 5.1 style", () => {
    const fact = valueOf(normalise(successJson(`{
    "Cluster":  "HVCL01",
    "QuorumType":  1,
    "QuorumResource":  "Cloud Witness",
    "QuorumResourceType":  "Cloud Witness"
}`)));
    assert.deepEqual(fact, { cluster: "HVCL01", quorumType: "Majority", witness: "cloud", witnessResourceType: "Cloud Witness", witnessResourceName: "Cloud Witness" });
  });

  it("maps every resource type to its witness kind, case-insensitively", () => {
    const witness = (type: string) => quorum({ QuorumType: 1, QuorumResource: "Witness", QuorumResourceType: type }).witness;
    assert.equal(witness("Physical Disk"), "disk");
    assert.equal(witness("cloud witness"), "cloud");
    assert.equal(witness("File Share Witness"), "file-share");
    assert.equal(witness("File Share Quorum Witness"), "file-share");
    assert.equal(witness("Virtual Machine"), "other");
  });

  it("reads no witness (null type, no resource) as none", () => {
    assert.deepEqual(quorum({ Cluster: "HVCL01", QuorumType: 1, QuorumResource: null, QuorumResourceType: null }), { cluster: "HVCL01", quorumType: "Majority", witness: "none", witnessResourceType: null, witnessResourceName: null });
    assert.equal(quorum({ QuorumType: 1, QuorumResourceType: "" }).witness, "none");
  });

  it("reads integer and name quorum types, and unprojected resources", () => {
    assert.equal(quorum({ QuorumType: 0 }).quorumType, "Unknown");
    assert.equal(quorum({ quorumtype: 2, quorumresource: "Cluster Disk 1", quorumresourcetype: "Physical Disk" }).quorumType, "DiskOnly");
    assert.equal(quorum({ QuorumType: "Majority" }).quorumType, "Majority");
    const nested = quorum({ QuorumType: 1, QuorumResource: { Name: "Cluster Disk 1" }, QuorumResourceType: { Name: "Physical Disk", DisplayName: "物理ディスク" } });
    assert.deepEqual([nested.witness, nested.witnessResourceName, nested.witnessResourceType], ["disk", "Cluster Disk 1", "Physical Disk"]);
  });

  it("derives the witness from a 2012 R2 quorum type when the resource type is missing", () => {
    const witness = (type: string) => quorum({ QuorumType: type }).witness;
    assert.equal(witness("NodeAndDiskMajority"), "disk");
    assert.equal(witness("NodeAndFileShareMajority"), "file-share");
    assert.equal(witness("NodeAndCloudMajority"), "cloud");
    assert.equal(witness("NodeMajority"), "none");
    assert.equal(witness("DiskOnly"), "disk");
    assert.equal(quorum({ QuorumType: "NodeAndFileShareMajority" }).quorumType, "NodeAndFileShareMajority");
  });

  it("lets a reported resource type win over the 2012 R2 quorum type", () => {
    assert.equal(quorum({ QuorumType: "NodeAndDiskMajority", QuorumResource: "Cluster Disk 1", QuorumResourceType: "Physical Disk" }).witness, "disk");
  });

  it("reads a resource without a type and no telling quorum type as other", () => {
    assert.equal(quorum({ QuorumType: 1, QuorumResource: "Mystery" }).witness, "other");
  });

  it("rejects an unknown quorum type integer and null output", () => {
    assert.match(problemOf(normalise(success({ QuorumType: 7 })), "malformed"), /QuorumType 7/);
    assert.match(problemOf(normalise(success(null)), "malformed"), /no object returned/);
  });

  it("passes errors through and says when the probe was not collected", () => {
    assert.equal(problemOf(normalise(failure("not-found", "ClusterEndpointNotRegistered")), "not-found"), "ClusterEndpointNotRegistered");
    assert.equal(problemOf(normalise(undefined), "not-collected"), "clusterQuorum was not collected");
  });
});
