// A whole snapshot of the ja-JP Server 2016 workgroup host of
// getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt, its probes written as
// Windows PowerShell 5.1 would emit them (see os/localUsers/uacPolicy tests for each fixture's
// derivation), plus the errors a machine that is not a cluster node gives.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NORMALISERS, normaliseSnapshot } from "../../src/facts/index";
import type { Fact } from "../../src/model/facts";
import type { JsonValue } from "../../src/model/json";
import type { Snapshot } from "../../src/model/snapshot";
import { PROBE_IDS } from "../../src/probes/catalog";
import { failure, problemOf, success, valueOf } from "../helpers/records";

const SID = "S-1-5-21-4127652004-385634555-3113667412";

const W2016: Snapshot = {
  schemaVersion: 1,
  host: "w2016",
  collectedAt: "2025-06-02T09:00:05.000Z",
  collector: { name: "hostproof", version: "0.1.0", transport: "winrm", powershell: "5.1.14393.693" },
  probes: {
    os: success({ Caption: "Microsoft Windows Server 2016 Standard Evaluation", Version: "10.0.14393", BuildNumber: "14393", ProductType: 3, OSArchitecture: "64 ビット", CSDVersion: null }),
    computerSystem: success({ Name: "WIN-JKSSMTI1TM6", DNSHostName: "WIN-JKSSMTI1TM6", Domain: "WORKGROUP", PartOfDomain: false, Workgroup: "WORKGROUP" }),
    tcpipParameters: success({ Hostname: "WIN-JKSSMTI1TM6", Domain: "", "NV Domain": "" }),
    dnsClientPolicy: failure("not-found", "Cannot find path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient' because it does not exist."),
    dnsClientGlobalSetting: success({ SuffixSearchList: { value: [], Count: 0 }, UseSuffixSearchList: true, UseDevolution: true, DevolutionLevel: 0 }),
    failoverClusteringFeature: success({ Name: "Failover-Clustering", DisplayName: "フェールオーバー クラスタリング", Installed: false, InstallState: 0 }),
    localUsers: success([
      { Name: "Administrator", Enabled: true, SID: `${SID}-500` },
      { Name: "testuser", Enabled: true, SID: `${SID}-1000` },
    ]),
    administratorsGroup: success({ Name: "WIN-JKSSMTI1TM6\\Administrator", ObjectClass: "User", SID: `${SID}-500`, PrincipalSource: 1 }),
    uacPolicy: success({ LocalAccountTokenFilterPolicy: 1, EnableLUA: 1 }),
    // hotfixes and netAdapterAdvancedProperty deliberately absent: not collected.
    cluster: failure("not-found", "ClusterEndpointNotRegistered"),
    clusterQuorum: failure("not-found", "ClusterEndpointNotRegistered"),
  },
};

describe("normaliseSnapshot", () => {
  it("normalises every probe of a whole snapshot", () => {
    const facts = normaliseSnapshot(W2016);
    assert.equal(facts.host, "w2016");
    assert.equal(facts.collectedAt, "2025-06-02T09:00:05.000Z");
    assert.equal(valueOf(facts.os).build, 14393);
    assert.equal(valueOf(facts.os).architecture, "64 ビット");
    assert.equal(valueOf(facts.computerSystem).partOfDomain, false);
    assert.deepEqual(valueOf(facts.tcpipParameters), { hostname: "WIN-JKSSMTI1TM6", domain: null, nvDomain: null });
    assert.deepEqual(valueOf(facts.dnsClientPolicy), { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null });
    assert.deepEqual(valueOf(facts.dnsClientGlobalSetting).suffixSearchList, []);
    assert.equal(valueOf(facts.failoverClusteringFeature).installed, false);
    assert.deepEqual(valueOf(facts.localUsers).map((u) => u.sid.endsWith("-500")), [true, false]);
    assert.equal(valueOf(facts.administratorsGroup).length, 1);
    assert.equal(valueOf(facts.uacPolicy).localAccountTokenFilterPolicy, 1);
    assert.equal(problemOf(facts.hotfixes, "not-collected"), "hotfixes was not collected");
    assert.equal(problemOf(facts.netAdapterAdvancedProperty, "not-collected"), "netAdapterAdvancedProperty was not collected");
    assert.equal(problemOf(facts.cluster, "not-found"), "ClusterEndpointNotRegistered");
    assert.equal(problemOf(facts.clusterQuorum, "not-found"), "ClusterEndpointNotRegistered");
  });

  it("labels every fact with its probe id", () => {
    const facts = normaliseSnapshot(W2016);
    for (const id of PROBE_IDS) assert.equal(facts[id].probe, id);
  });

  it("has one normaliser per probe id, none of which throws on odd input", () => {
    assert.deepEqual(Object.keys(NORMALISERS).sort(), [...PROBE_IDS].sort());
    const odd: JsonValue[] = [null, 0, "", "text", [], [null], [[]], { value: "x", Count: 1 }, { "": null }];
    for (const id of PROBE_IDS) {
      for (const output of odd) {
        const fact = NORMALISERS[id](success(output));
        assert.equal(fact.probe, id);
        if (!fact.ok) assert.ok(fact.problem.message.length > 0);
      }
    }
  });

  it("reads a snapshot without any probes as all not collected", () => {
    const facts = normaliseSnapshot({ ...W2016, probes: {} });
    for (const id of PROBE_IDS) {
      const fact: Fact<unknown> = facts[id];
      assert.equal(problemOf(fact, "not-collected"), `${id} was not collected`);
    }
  });
});
