/** Primary DNS suffix and suffix search list: HP-DNS-001, HP-DNS-002, HP-DNS-003. */
import type { DetailRow, EvidenceRef } from "../model/result";
import type { ClusterJudge, HostJudge } from "./context";
import {
  clusterVerdict,
  evidence,
  normalizeDnsName,
  nodeFacts,
  notApplicable,
  notVerifiable,
  shown,
  undeterminedFromFact,
  unreadableRow,
  type NodeProblem,
} from "./common";

function nonEmpty(value: string | null): string | null {
  return value !== null && value.trim() !== "" ? value.trim() : null;
}

export const judgePrimaryDnsSuffixPresent: HostJudge = (ctx) => {
  const { host, dnsClientPolicy: policy, tcpipParameters: tcpip } = ctx.facts;
  const expected = "a primary DNS suffix is set (by Group Policy or locally)";
  const rule = "effective suffix: the Group Policy PrimaryDnsSuffix when set, otherwise the local TCP/IP Domain";
  // The policy must be read before the local value can be trusted: a policy that could not be
  // read might hold a suffix that overrides it (a missing policy key is already "no policy").
  if (!policy.ok) return undeterminedFromFact(host, policy, expected, { rule });
  const refs: EvidenceRef[] = [evidence(host, "dnsClientPolicy")];
  const fromPolicy = nonEmpty(policy.value.primaryDnsSuffix);
  const details: DetailRow[] = [];
  const nvPolicy = nonEmpty(policy.value.nvPrimaryDnsSuffix);
  if (nvPolicy !== null && normalizeDnsName(nvPolicy) !== normalizeDnsName(fromPolicy)) {
    details.push({
      subject: "Group Policy NV PrimaryDnsSuffix",
      expected: "informational",
      actual: `NV PrimaryDnsSuffix = ${nvPolicy}`,
      outcome: "info",
      note: "the value Group Policy has staged; PrimaryDnsSuffix is what this control judges",
    });
  }
  const withDetails = details.length > 0 ? { details } : {};
  if (fromPolicy !== null) {
    return {
      status: "passed",
      expected,
      actual: `primary DNS suffix ${fromPolicy}, set by Group Policy (overrides the local setting)`,
      rule,
      evidence: refs,
      ...withDetails,
    };
  }
  refs.push(evidence(host, "tcpipParameters"));
  if (!tcpip.ok) return undeterminedFromFact(host, tcpip, expected, { evidence: refs, rule, ...withDetails });
  const local = nonEmpty(tcpip.value.domain);
  if (local !== null) {
    return {
      status: "passed",
      expected,
      actual: `primary DNS suffix ${local}, from the local setting (no Group Policy suffix)`,
      rule,
      evidence: refs,
      ...withDetails,
    };
  }
  return {
    status: "failed",
    expected,
    actual: "no primary DNS suffix: neither Group Policy nor the local TCP/IP Domain sets one",
    rule,
    evidence: refs,
    ...withDetails,
  };
};

export const judgeNoPendingDnsSuffixChange: HostJudge = (ctx) => {
  const { host, tcpipParameters: tcpip } = ctx.facts;
  const expected = "Domain (in force now) equals NV Domain (in force after restart): no primary DNS suffix change pending";
  if (!tcpip.ok) return undeterminedFromFact(host, tcpip, expected);
  const { domain, nvDomain } = tcpip.value;
  const both = `Domain = ${shown(domain)}, NV Domain = ${shown(nvDomain)}`;
  const same = normalizeDnsName(domain) === normalizeDnsName(nvDomain);
  return {
    status: same ? "passed" : "failed",
    expected,
    actual: same ? both : `${both}: a change is pending until restart`,
    evidence: [evidence(host, "tcpipParameters")],
  };
};

export const judgeSearchListHoldsClusterDomains: ClusterJudge = (ctx) => {
  const { cluster } = ctx;
  const domains = (cluster.domains ?? []).filter((d) => normalizeDnsName(d) !== "");
  const expected =
    domains.length > 0
      ? `every node's DNS suffix search list holds ${domains.join(", ")}`
      : "every node's DNS suffix search list holds the DNS suffix of every domain in the cluster";
  if (cluster.type !== "multi-domain") {
    return {
      status: "notApplicable",
      expected,
      actual: `${cluster.name} is a ${cluster.type} cluster`,
      reason: notApplicable(`only multi-domain clusters need every domain in the search list; ${cluster.name} is ${cluster.type}`),
      evidence: [],
    };
  }
  if (domains.length === 0) {
    return {
      status: "undetermined",
      expected,
      actual: `the inventory lists no domains for cluster ${cluster.name}`,
      reason: notVerifiable(`cluster ${cluster.name} has no domains in the inventory, so there is nothing to look for in the search lists`),
      evidence: [],
    };
  }
  const perNode = nodeFacts(ctx, (n) => n.dnsClientGlobalSetting, "dnsClientGlobalSetting");
  if (perNode.length === 0) {
    return {
      status: "undetermined",
      expected,
      actual: "the cluster has no nodes",
      reason: notVerifiable(`cluster ${cluster.name} has no nodes to inspect`),
      evidence: [],
    };
  }
  const details: DetailRow[] = [];
  const deviations: string[] = [];
  const problems: NodeProblem[] = [];
  const rowExpected = `search list holds ${domains.join(", ")}`;
  for (const { node, fact } of perNode) {
    if (!fact.ok) {
      problems.push({ node, fact });
      details.push(unreadableRow(node, fact, rowExpected));
      continue;
    }
    const present = new Set(fact.value.suffixSearchList.map(normalizeDnsName));
    const missing = domains.filter((d) => !present.has(normalizeDnsName(d)));
    const list = fact.value.suffixSearchList.length > 0 ? fact.value.suffixSearchList.join(", ") : "(empty)";
    if (missing.length > 0) {
      deviations.push(`${node}: missing ${missing.join(", ")}`);
      details.push({ subject: node, expected: rowExpected, actual: `missing ${missing.join(", ")}`, outcome: "deviation", note: `search list: ${list}` });
    } else {
      details.push({ subject: node, expected: rowExpected, actual: `search list: ${list}`, outcome: "ok" });
    }
  }
  return clusterVerdict({
    expected,
    deviations,
    problems,
    passedActual: `all ${perNode.length} nodes hold ${domains.join(", ")} in their search lists`,
    details,
    evidence: perNode.map((n) => evidence(n.node, "dnsClientGlobalSetting")),
  });
};
