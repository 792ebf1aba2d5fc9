/**
 * Every cluster gets a result for every cluster control, every host for every host control: a
 * target outside a control's scope is "not applicable" with the reason, never a blank cell.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadFeatureCatalog } from "../../src/controls/catalog";
import type { TargetKind } from "../../src/model/result";
import type { Summary } from "../../src/report/formats/summary";
import { TEST_ESTATE_NO_DIRECTORY, writeEstate } from "../helpers/snapshot-builder";
import { AS_OF, runCli, tempDir } from "./cli";

const dir = tempDir();
const inventory = writeEstate(dir, {
  name: "scope estate",
  hosts: [{ name: "sd-node1" }, { name: "sd-node2" }, { name: "wg-node1" }, { name: "wg-node2" }, { name: "solo1" }],
  clusters: [
    { name: "sdclus", type: "single-domain", nodes: ["sd-node1", "sd-node2"] },
    { name: "wgclus", type: "workgroup", adminAccount: "clusadmin", nodes: ["wg-node1", "wg-node2"] },
  ],
});

async function summary(): Promise<Summary> {
  const out = join(dir, "out");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
}

test("a single-domain cluster gets a not-applicable result, with the reason, for each control that is not about it", async () => {
  const s = await summary();
  const entries = loadFeatureCatalog().entries;
  const judging = (kind: TargetKind): string[] => entries.filter((e) => e.judges.includes(kind)).map((e) => e.meta.id);
  const clusterControls = ["HP-CLU-003", "HP-CLU-004", "HP-CLU-006", "HP-CLU-007", "HP-CLU-008", "HP-DNS-003"];
  assert.deepEqual(judging("cluster"), clusterControls);
  const hostControls = judging("host");
  const directoryControls = judging("directory");
  assert.deepEqual(entries.map((e) => e.meta.id).filter((id) => !hostControls.includes(id) && !clusterControls.includes(id) && !directoryControls.includes(id)), [], "every control judges one kind of target");
  // Complete: 5 hosts × every host control, 2 clusters × every cluster control, the directory × every directory control.
  assert.equal(s.results.length, 5 * hostControls.length + 2 * clusterControls.length + directoryControls.length);
  // The estate states it has no directory: each directory control is not applicable, saying why.
  for (const id of directoryControls) {
    const r = s.results.filter((x) => x.target.kind === "directory" && x.controlId === id);
    assert.deepEqual(r.map((x) => [x.status, x.reason?.message]), [["notApplicable", `the inventory states the estate has no directory: ${TEST_ESTATE_NO_DIRECTORY.none}`]], id);
  }
  for (const id of clusterControls) {
    for (const cluster of ["sdclus", "wgclus"]) {
      assert.equal(s.results.filter((r) => r.target.kind === "cluster" && r.target.name === cluster && r.controlId === id).length, 1, `${id} on ${cluster}`);
    }
  }
  const sd = (id: string) => s.results.find((r) => r.target.name === "sdclus" && r.controlId === id)!;
  for (const id of ["HP-CLU-003", "HP-CLU-004", "HP-CLU-006", "HP-CLU-007"]) {
    assert.equal(sd(id).status, "notApplicable", id);
    assert.equal(sd(id).reason?.message, `${id} applies to workgroup and multi-domain clusters; sdclus is a single-domain cluster`);
    assert.deepEqual(sd(id).evidence, [], "nothing is read for a target out of scope");
  }
  assert.equal(sd("HP-DNS-003").reason?.message, "HP-DNS-003 applies to multi-domain clusters; sdclus is a single-domain cluster");
  assert.equal(sd("HP-CLU-008").status, "passed", "hotfix consistency applies to every cluster");
  const wg = s.results.find((r) => r.target.name === "wgclus" && r.controlId === "HP-DNS-003")!;
  assert.equal(wg.status, "notApplicable");
  assert.equal(wg.actual, "wgclus is a workgroup cluster");
});

test("a host outside a host control's scope gets not applicable with the reason, not nothing", async () => {
  const s = await summary();
  const of = (host: string, id: string) => s.results.find((r) => r.target.name === host && r.controlId === id)!;
  assert.equal(of("solo1", "HP-DNS-001").status, "notApplicable");
  assert.equal(of("solo1", "HP-DNS-001").reason?.message, "HP-DNS-001 applies to cluster nodes; solo1 is not a node of any cluster in the inventory");
  assert.equal(of("sd-node1", "HP-CLU-001").reason?.message, "HP-CLU-001 applies to nodes of workgroup and multi-domain clusters; sd-node1 is a node of single-domain cluster sdclus");
  assert.equal(of("sd-node1", "HP-DNS-001").status, "passed", "a single-domain node is a cluster node");
  assert.equal(of("wg-node1", "HP-CLU-001").status, "passed");
  assert.equal(s.results.filter((r) => r.target.name === "solo1").length, s.results.filter((r) => r.target.name === "wg-node1").length);
});
