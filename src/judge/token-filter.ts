/**
 * LocalAccountTokenFilterPolicy: HP-CLU-005 (cluster rule) and HP-UAC-001 (security baseline).
 * The two rules want opposite values; `tokenFilterRule` decides which one governs a host. Where only
 * one applies, the other reports notApplicable; on a domain-member node of a local-account cluster
 * both apply (HP-UAC-001 maps STIG WNxx-MS-000020), and the conflict is shown, not resolved.
 */
import type { InventoryCluster } from "../model/inventory";
import type { EvidenceRef, Judgement } from "../model/result";
import type { HostJudge } from "./context";
import type { HostFacts } from "../model/facts";
import { evidence, notApplicable, notVerifiable, tokenFilterRule, undeterminedFromFact, type TokenFilterRule } from "./common";

const CLUSTER_RULE = "workgroup/multi-domain cluster with non-built-in account: must be 1";

/**
 * The STIG rules HP-UAC-001 maps (features/local-account-token-filter-policy.feature) and HP-CLU-005
 * contradicts: they apply to domain-member servers only ("For domain controllers and standalone or
 * nondomain-joined systems, this is NA").
 */
const STIG_RULES = "STIG WN16/WN19/WN22/WN25-MS-000020 and CIS 18.4.1";
const CONFLICT = `conflict: HP-CLU-005 requires 1 on this node, ${STIG_RULES} require 0 on a domain-member server`;

/**
 * A node HP-CLU-005 governs. On a workgroup node the STIG rule does not apply, so HP-CLU-005 alone
 * decides. On a domain member both rules apply and want opposite values: neither may win silently,
 * so the baseline is judged as written and a node that follows the cluster rule is an open finding
 * that says why, for a waiver to accept (or the built-in Administrator to avoid).
 */
function judgeAgainstClusterRule(facts: HostFacts, rule: Extract<TokenFilterRule, { kind: "cluster" }>, expected: string): Judgement {
  const { host } = facts;
  const membership = [evidence(host, "localUsers"), evidence(host, "computerSystem")];
  // A domain controller is outside the STIG rule joined or not: ProductType 2 alone decides.
  if (!facts.computerSystem.ok && facts.os.ok && facts.os.value.productType === 2) {
    return {
      status: "notApplicable",
      expected,
      actual: `${rule.why}; the node is a domain controller`,
      rule: CLUSTER_RULE,
      reason: notApplicable(`governed by HP-CLU-005 (${rule.why}, which requires LocalAccountTokenFilterPolicy = 1); ${STIG_RULES} do not apply to a node that is a domain controller`),
      evidence: [evidence(host, "localUsers"), evidence(host, "os")],
    };
  }
  if (!facts.computerSystem.ok) return undeterminedFromFact(host, facts.computerSystem, expected, { evidence: membership, rule: CLUSTER_RULE });
  const joined = facts.computerSystem.value.partOfDomain;
  if (joined === null) {
    return {
      status: "undetermined",
      expected,
      actual: "Win32_ComputerSystem.PartOfDomain was not reported",
      rule: CLUSTER_RULE,
      reason: notVerifiable(`${host}: whether the node is domain-joined decides whether ${STIG_RULES} apply next to HP-CLU-005, and it could not be read`),
      evidence: membership,
    };
  }
  // Not joined decides without the os fact; joined, only the os fact tells a domain controller.
  if (joined && !facts.os.ok) return undeterminedFromFact(host, facts.os, expected, { evidence: [...membership, evidence(host, "os")], rule: CLUSTER_RULE });
  if (!joined || (facts.os.ok && facts.os.value.productType === 2)) {
    const what = joined ? "a domain controller" : "not domain-joined";
    return {
      status: "notApplicable",
      expected,
      actual: `${rule.why}; the node is ${what}`,
      rule: CLUSTER_RULE,
      reason: notApplicable(`governed by HP-CLU-005 (${rule.why}, which requires LocalAccountTokenFilterPolicy = 1); ${STIG_RULES} do not apply to a node that is ${what}`),
      evidence: joined ? [...membership, evidence(host, "os")] : membership,
    };
  }
  const refs = [...membership, evidence(host, "uacPolicy")];
  if (!facts.uacPolicy.ok) return undeterminedFromFact(host, facts.uacPolicy, expected, { evidence: refs, rule: CONFLICT });
  const value = facts.uacPolicy.value.localAccountTokenFilterPolicy;
  const follows = !(value === null || value === 0);
  return {
    status: follows ? "failed" : "passed",
    expected,
    actual: follows
      ? `${shownPolicy(value)} on a domain-member node: ${rule.why}, so HP-CLU-005 requires 1; open finding against ${STIG_RULES} until a waiver accepts the deviation`
      : `${shownPolicy(value)}; HP-CLU-005 fails this node instead`,
    rule: CONFLICT,
    evidence: refs,
  };
}

/** Without the cluster's admin account, neither rule can be chosen: say so rather than guess. */
function unknownAccount(host: string, cluster: InventoryCluster, expected: string, unknown: string): Judgement {
  return {
    status: "undetermined",
    expected,
    actual: `the inventory does not name the admin account of ${cluster.type} cluster ${cluster.name}`,
    reason: notVerifiable(`${host}: cluster ${cluster.name} has no adminAccount in the inventory, so it is unknown ${unknown}`),
    evidence: [],
  };
}

function shownPolicy(value: number | null): string {
  return value === null ? "absent (treated as 0)" : `LocalAccountTokenFilterPolicy = ${value}`;
}

export const judgeTokenFilterPolicyForClusterAccount: HostJudge = (ctx) => {
  const { facts, cluster } = ctx;
  const { host } = facts;
  const expected = "LocalAccountTokenFilterPolicy = 1 (required on every node of a workgroup or multi-domain cluster created with a non-built-in local administrator account)";
  const rule = tokenFilterRule(facts, cluster);
  switch (rule.kind) {
    case "unknown-account":
      return unknownAccount(host, rule.cluster, expected, "whether it uses the built-in Administrator");
    case "unreadable":
      return undeterminedFromFact(host, rule.fact, expected);
    case "baseline": {
      const refs: EvidenceRef[] = rule.builtIn ? [evidence(host, "localUsers")] : [];
      const message = rule.builtIn
        ? `the cluster uses the built-in Administrator (SID ${rule.builtIn.sid}); the security-baseline rule HP-UAC-001 governs this node`
        : `${rule.why}; the security-baseline rule HP-UAC-001 governs this host`;
      return { status: "notApplicable", expected, actual: rule.why, reason: notApplicable(message), evidence: refs };
    }
    case "cluster": {
      const refs = [evidence(host, "localUsers"), evidence(host, "uacPolicy")];
      const ruleText = rule.user ? CLUSTER_RULE : `${CLUSTER_RULE} (account '${rule.account}' not found among local users; treated as non-built-in)`;
      if (!facts.uacPolicy.ok) return undeterminedFromFact(host, facts.uacPolicy, expected, { evidence: refs, rule: ruleText });
      const value = facts.uacPolicy.value.localAccountTokenFilterPolicy;
      return { status: value === 1 ? "passed" : "failed", expected, actual: shownPolicy(value), rule: ruleText, evidence: refs };
    }
  }
};

/**
 * On a node read as a domain member that is not a domain controller, HP-UAC-001 is the baseline
 * whichever account the cluster uses (built-in: the baseline; other: the conflict, judged as the
 * baseline): the value decides without the local users or the inventory's account.
 */
function domainMemberServer(facts: HostFacts): ((expected: string) => Judgement) | undefined {
  const { host, computerSystem, os, uacPolicy } = facts;
  if (!computerSystem.ok || computerSystem.value.partOfDomain !== true || !os.ok || os.value.productType === 2 || os.value.productType === null || !uacPolicy.ok) return undefined;
  return (expected) => {
    const value = uacPolicy.value.localAccountTokenFilterPolicy;
    const pass = value === null || value === 0;
    return {
      status: pass ? "passed" : "failed",
      expected,
      actual: shownPolicy(value),
      rule: `security baseline: 0 or absent on a domain-member server, whichever account the cluster uses (${STIG_RULES}; where HP-CLU-005 wants 1 it is the ${CONFLICT})`,
      evidence: [evidence(host, "computerSystem"), evidence(host, "os"), evidence(host, "uacPolicy"), evidence(host, "localUsers")],
    };
  };
}

export const judgeTokenFilterPolicyBaseline: HostJudge = (ctx) => {
  const { facts, cluster } = ctx;
  const { host } = facts;
  const expected = "LocalAccountTokenFilterPolicy is 0 or absent (security baseline)";
  const rule = tokenFilterRule(facts, cluster);
  switch (rule.kind) {
    case "unknown-account":
    case "unreadable": {
      // Which account the cluster uses decides between the two rules, but on a domain-member server
      // both give the baseline's verdict (the cluster rule's conflict is judged as the baseline).
      const member = domainMemberServer(facts);
      if (member !== undefined) return member(expected);
      return rule.kind === "unreadable" ? undeterminedFromFact(host, rule.fact, expected) : unknownAccount(host, rule.cluster, expected, "whether HP-UAC-001 or HP-CLU-005 governs this node");
    }
    case "cluster":
      return judgeAgainstClusterRule(ctx.facts, rule, expected);
    case "baseline": {
      const usedLocalUsers = rule.builtIn !== undefined;
      const refs: EvidenceRef[] = usedLocalUsers ? [evidence(host, "localUsers"), evidence(host, "uacPolicy")] : [evidence(host, "uacPolicy")];
      const ruleText = usedLocalUsers ? "security baseline: 0 or absent (cluster uses the built-in Administrator)" : `security baseline: 0 or absent (${rule.why})`;
      if (!facts.uacPolicy.ok) return undeterminedFromFact(host, facts.uacPolicy, expected, { evidence: refs, rule: ruleText });
      const value = facts.uacPolicy.value.localAccountTokenFilterPolicy;
      return { status: value === null || value === 0 ? "passed" : "failed", expected, actual: shownPolicy(value), rule: ruleText, evidence: refs };
    }
  }
};
