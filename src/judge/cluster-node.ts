/** Per-node cluster prerequisites: HP-CLU-001, HP-CLU-002. */
import type { HostJudge } from "./context";
import { evidence, notVerifiable, shown, undeterminedFromFact } from "./common";
import { contradictoryRelease, releaseKind } from "./os-release";

/** Windows Server 2016 is the first release that can form workgroup and multi-domain clusters. */
const MINIMUM = { major: 10, minor: 0, build: 14393 } as const;

function compareVersion(a: { major: number; minor: number; build: number }, b: typeof MINIMUM): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build;
}

export const judgeOsSupportsWorkgroupCluster: HostJudge = (ctx) => {
  const { host, os } = ctx.facts;
  const expected = "Windows Server 2016 (10.0.14393) or later, which can form workgroup and multi-domain clusters";
  if (!os.ok) return undeterminedFromFact(host, os, expected);
  const contradiction = contradictoryRelease(ctx.facts, expected);
  if (contradiction !== undefined) return contradiction;
  const refs = [evidence(host, "os")];
  const found = `${os.value.caption}, version ${os.value.version}`;
  if (compareVersion(os.value, MINIMUM) < 0) {
    return { status: "failed", expected, actual: `${found}: older than Windows Server 2016`, evidence: refs };
  }
  // A client edition reaches these version numbers too, but it cannot run Failover Clustering; so
  // does Enterprise multi-session, which reports ProductType 3 (os-release.ts).
  const version = ctx.facts.windowsVersion;
  const kind = releaseKind(os.value, version.ok ? version.value : undefined);
  if (kind === "client") {
    const why = os.value.productType === 1 ? "a workstation edition (product type 1)" : "a workstation edition (a Windows 10/11 release, whatever its product type says)";
    return { status: "failed", expected, actual: `${found}: ${why}`, evidence: refs };
  }
  if (kind === undefined) {
    return {
      status: "undetermined",
      expected,
      actual: `${found}: whether this is a server or a workstation was not reported`,
      reason: notVerifiable(`${host}: version ${os.value.version} is a Windows Server or a Windows 10/11 release, and no fact read (ProductType, a caption naming the product, the SKU, the installation type) says which`),
      evidence: refs,
    };
  }
  return { status: "passed", expected, actual: found, evidence: refs };
};

const INSTALL_STATES: Record<number, string> = {
  0: "Available",
  1: "Installed",
  2: "InstallPending",
  3: "UninstallPending",
  4: "Removed",
};

/** The collector may hand over the number (Windows PowerShell 5.1) or the name (PowerShell 7). */
function installStateName(state: number | string | null): string | null {
  if (state === null) return null;
  if (typeof state === "number") return INSTALL_STATES[state] ?? String(state);
  const trimmed = state.trim();
  if (/^\d+$/.test(trimmed)) return INSTALL_STATES[Number(trimmed)] ?? trimmed;
  const known = Object.values(INSTALL_STATES).find((n) => n.toLowerCase() === trimmed.toLowerCase());
  return known ?? trimmed;
}

export const judgeFailoverClusteringInstalled: HostJudge = (ctx) => {
  const { host, failoverClusteringFeature: feature } = ctx.facts;
  const expected = "Windows feature Failover-Clustering installed";
  if (!feature.ok) return undeterminedFromFact(host, feature, expected);
  const refs = [evidence(host, "failoverClusteringFeature")];
  const state = installStateName(feature.value.installState);
  // Pending states are checked first: `Installed` alone does not say whether a restart is owed.
  if (state === "InstallPending") {
    return { status: "failed", expected, actual: "install pending (restart needed)", evidence: refs };
  }
  if (state === "UninstallPending") {
    return { status: "failed", expected, actual: "uninstall pending (the feature goes at the next restart)", evidence: refs };
  }
  if (feature.value.installed) {
    return { status: "passed", expected, actual: `installed (InstallState ${shown(state)})`, evidence: refs };
  }
  const why = state === "Removed" ? "not installed, payload removed" : "not installed";
  return { status: "failed", expected, actual: `${why} (InstallState ${shown(state)})`, evidence: refs };
};
