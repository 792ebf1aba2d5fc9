import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { OsFact, WindowsFeatureFact } from "../../src/model/facts";
import { judgeFailoverClusteringInstalled, judgeOsSupportsWorkgroupCluster } from "../../src/judge/cluster-node";
import { expectStatus, hostCtx, hostFacts, ok, probesOf, unreadable } from "../helpers/host-facts";

function os(caption: string, version: string, productType: number | null = 3): OsFact {
  const [major, minor, build] = version.split(".").map(Number) as [number, number, number];
  return { caption, version, major, minor, build, productType, sku: productType === 1 ? 48 : 8, architecture: "64-bit" };
}

const withOs = (v: OsFact) => hostCtx(hostFacts("hv01", { os: ok("os", v) }));

describe("HP-CLU-001 judgeOsSupportsWorkgroupCluster", () => {
  it("passes Server 2019 and names it", () => {
    const j = expectStatus(judgeOsSupportsWorkgroupCluster(hostCtx(hostFacts("hv01"))), "passed");
    assert.match(j.actual, /Microsoft Windows Server 2019 Datacenter, version 10\.0\.17763/);
    assert.deepEqual(probesOf(j), ["hv01/os"]);
  });

  it("passes exactly 10.0.14393 (Server 2016)", () => {
    expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Microsoft Windows Server 2016 Standard", "10.0.14393"))), "passed");
  });

  it("passes Server 2025", () => {
    expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Microsoft Windows Server 2025 Datacenter", "10.0.26100"))), "passed");
  });

  it("compares numerically, not as text: 10.0.9600 is older than 10.0.14393", () => {
    expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Hypothetical build", "10.0.9600"))), "failed");
  });

  it("fails the build just below 2016", () => {
    expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Microsoft Windows Server Technical Preview", "10.0.14392"))), "failed");
  });

  it("fails 2012 R2 and names the caption and version", () => {
    const j = expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Microsoft Windows Server 2012 R2 Datacenter", "6.3.9600"))), "failed");
    assert.match(j.actual, /Microsoft Windows Server 2012 R2 Datacenter/);
    assert.match(j.actual, /6\.3\.9600/);
  });

  it("fails a workstation edition even with a high build", () => {
    const j = expectStatus(judgeOsSupportsWorkgroupCluster(withOs(os("Microsoft Windows 11 Enterprise", "10.0.22631", 1))), "failed");
    assert.match(j.actual, /workstation/);
  });

  it("is undetermined when the os fact is unreadable", () => {
    const j = expectStatus(
      judgeOsSupportsWorkgroupCluster(hostCtx(hostFacts("hv01", { os: unreadable("os", "timeout", "no answer in 30 s") }))),
      "undetermined",
    );
    assert.equal(j.reason?.kind, "timeout");
    assert.match(j.reason!.message, /hv01.*os/);
    assert.deepEqual(probesOf(j), ["hv01/os"]);
  });
});

describe("HP-CLU-002 judgeFailoverClusteringInstalled", () => {
  const withFeature = (f: WindowsFeatureFact) => hostCtx(hostFacts("hv01", { failoverClusteringFeature: ok("failoverClusteringFeature", f) }));

  it("passes when installed (InstallState 1)", () => {
    const j = expectStatus(judgeFailoverClusteringInstalled(hostCtx(hostFacts("hv01"))), "passed");
    assert.match(j.actual, /installed \(InstallState Installed\)/);
    assert.deepEqual(probesOf(j), ["hv01/failoverClusteringFeature"]);
  });

  it("passes with InstallState given as a name (PowerShell 7)", () => {
    expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: true, installState: "Installed" })), "passed");
  });

  it("fails when available but not installed", () => {
    const j = expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: false, installState: 0 })), "failed");
    assert.match(j.actual, /not installed \(InstallState Available\)/);
  });

  for (const state of [2, "InstallPending", "installpending", "2"] as const) {
    it(`fails InstallPending (${JSON.stringify(state)}) with 'install pending (restart needed)'`, () => {
      // Installed may already read true while the restart is owed; pending still fails.
      for (const installed of [false, true]) {
        const j = expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed, installState: state })), "failed");
        assert.equal(j.actual, "install pending (restart needed)");
      }
    });
  }

  it("fails UninstallPending even though Installed is still true", () => {
    const j = expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: true, installState: 3 })), "failed");
    assert.match(j.actual, /uninstall pending/);
  });

  it("fails Removed and says the payload is gone", () => {
    const j = expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: false, installState: 4 })), "failed");
    assert.match(j.actual, /payload removed/);
  });

  it("relies on Installed when InstallState is not reported", () => {
    expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: true, installState: null })), "passed");
    const j = expectStatus(judgeFailoverClusteringInstalled(withFeature({ name: "Failover-Clustering", installed: false, installState: null })), "failed");
    assert.match(j.actual, /\(none\)/);
  });

  it("is undetermined when the feature cannot be read (ServerManager missing)", () => {
    const j = expectStatus(
      judgeFailoverClusteringInstalled(
        hostCtx(hostFacts("hv01", { failoverClusteringFeature: unreadable("failoverClusteringFeature", "not-supported", "Get-WindowsFeature is not recognized") })),
      ),
      "undetermined",
    );
    assert.equal(j.reason?.kind, "not-supported");
    assert.match(j.reason!.message, /hv01: probe failoverClusteringFeature/);
    assert.deepEqual(probesOf(j), ["hv01/failoverClusteringFeature"]);
  });
});
