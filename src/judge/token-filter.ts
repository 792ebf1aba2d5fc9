/**
 * LocalAccountTokenFilterPolicy: HP-CLU-005 (cluster rule) and HP-UAC-001 (security baseline).
 * The two rules want opposite values; `tokenFilterRule` decides which one governs a host so that
 * every host is judged by exactly one of them and the other reports notApplicable.
 */
import type { InventoryCluster } from "../model/inventory";
import type { EvidenceRef, Judgement } from "../model/result";
import type { HostJudge } from "./context";
import { evidence, notApplicable, notVerifiable, tokenFilterRule, undeterminedFromFact } from "./common";

const CLUSTER_RULE = "workgroup/multi-domain cluster with non-built-in account: must be 1";

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

export const judgeTokenFilterPolicyBaseline: HostJudge = (ctx) => {
  const { facts, cluster } = ctx;
  const { host } = facts;
  const expected = "LocalAccountTokenFilterPolicy is 0 or absent (security baseline)";
  const rule = tokenFilterRule(facts, cluster);
  switch (rule.kind) {
    case "unknown-account":
      return unknownAccount(host, rule.cluster, expected, "whether HP-UAC-001 or HP-CLU-005 governs this node");
    case "unreadable":
      return undeterminedFromFact(host, rule.fact, expected);
    case "cluster":
      return {
        status: "notApplicable",
        expected,
        actual: rule.why,
        rule: CLUSTER_RULE,
        reason: notApplicable(`governed by HP-CLU-005 (${rule.why}, which requires LocalAccountTokenFilterPolicy = 1)`),
        evidence: [evidence(host, "localUsers")],
      };
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
