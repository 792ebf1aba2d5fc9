/**
 * Cluster-wide controls: HP-CLU-003, HP-CLU-004, HP-CLU-006, HP-CLU-007, HP-CLU-008.
 *
 * The account, access-point and witness controls are about clusters created AD-detached
 * (workgroup and multi-domain); a single-domain cluster is notApplicable for them because it
 * legitimately runs on Active Directory (cluster name object, AD access point, file share
 * witness). Hotfix consistency applies to every cluster.
 */
import type { GroupMemberFact, LocalUserFact } from "../model/facts";
import type { DetailRow, Judgement } from "../model/result";
import type { ProbeId } from "../probes/catalog";
import type { ClusterContext, ClusterJudge } from "./context";
import {
  accountNamePart,
  clusterVerdict,
  count,
  evidence,
  findLocalUser,
  isLocalAccountCluster,
  nodeFacts,
  notApplicable,
  notVerifiable,
  problemMessage,
  sameAccountName,
  sameSid,
  unreadableRow,
  type NodeFact,
  type NodeProblem,
} from "./common";

function singleDomain(ctx: ClusterContext, expected: string, what: string): Judgement | undefined {
  if (isLocalAccountCluster(ctx.cluster)) return undefined;
  return {
    status: "notApplicable",
    expected,
    actual: `${ctx.cluster.name} is a ${ctx.cluster.type} cluster`,
    reason: notApplicable(`${what} applies to workgroup and multi-domain clusters; ${ctx.cluster.name} is ${ctx.cluster.type}`),
    evidence: [],
  };
}

function noNodes(ctx: ClusterContext, expected: string): Judgement {
  return {
    status: "undetermined",
    expected,
    actual: "the cluster has no nodes",
    reason: notVerifiable(`cluster ${ctx.cluster.name} has no nodes to inspect`),
    evidence: [],
  };
}

function missingAccount(ctx: ClusterContext, expected: string): Judgement {
  return {
    status: "undetermined",
    expected,
    actual: `the inventory does not name the admin account of cluster ${ctx.cluster.name}`,
    reason: notVerifiable(`cluster ${ctx.cluster.name} has no adminAccount in the inventory`),
    evidence: [],
  };
}

function isMember(user: LocalUserFact, member: GroupMemberFact): boolean {
  // The SID is authoritative: a domain account with the same name part is a different principal.
  if (member.sid && user.sid) return sameSid(member.sid, user.sid);
  return sameAccountName(member.name, user.name);
}

export const judgeClusterAccountOnEveryNode: ClusterJudge = (ctx) => {
  const account = ctx.cluster.adminAccount?.trim() ?? "";
  const expected = account
    ? `local account '${accountNamePart(account)}' exists, is enabled and is a member of Administrators on every node`
    : "the cluster's local admin account exists and is a member of Administrators on every node";
  const na = singleDomain(ctx, expected, "a local cluster admin account");
  if (na) return na;
  if (!account) return missingAccount(ctx, expected);
  const users = nodeFacts(ctx, (n) => n.localUsers, "localUsers");
  if (users.length === 0) return noNodes(ctx, expected);
  const groups = nodeFacts(ctx, (n) => n.administratorsGroup, "administratorsGroup");
  const details: DetailRow[] = [];
  const deviations: string[] = [];
  const problems: NodeProblem[] = [];
  const rowExpected = `'${accountNamePart(account)}' exists and is in Administrators`;
  const refs: Judgement["evidence"] = [];
  users.forEach(({ node, fact }, i) => {
    refs.push(evidence(node, "localUsers"));
    if (!fact.ok) {
      problems.push({ node, fact });
      details.push(unreadableRow(node, fact, rowExpected));
      return;
    }
    const user = findLocalUser(fact.value, account);
    if (!user) {
      deviations.push(`${node}: no local user '${accountNamePart(account)}'`);
      details.push({ subject: node, expected: rowExpected, actual: `no local user '${accountNamePart(account)}'`, outcome: "deviation" });
      return;
    }
    const group = groups[i]!.fact;
    refs.push(evidence(node, "administratorsGroup"));
    // A disabled account fails the node whatever Administrators holds: the group is not needed.
    if (!group.ok && user.enabled === false) {
      deviations.push(`${node}: ${user.name} disabled`);
      details.push({ subject: node, expected: rowExpected, actual: `${user.name} (${user.sid}) disabled; Administrators could not be read (${group.problem.kind})`, outcome: "deviation", note: problemMessage(node, group) });
      return;
    }
    if (!group.ok) {
      problems.push({ node, fact: group });
      details.push({ ...unreadableRow(node, group, rowExpected), actual: `user ${user.name} exists; Administrators could not be read (${group.problem.kind})` });
      return;
    }
    const problemsHere: string[] = [];
    if (!group.value.some((m) => isMember(user, m))) problemsHere.push("not a member of Administrators");
    // A disabled account cannot be used by the cluster service, whatever its group membership.
    if (user.enabled === false) problemsHere.push("disabled");
    // Whether it is enabled was not reported: the rule cannot pass on what was not read.
    if (user.enabled === null && problemsHere.length === 0) {
      const unread = { ok: false as const, probe: "localUsers" as const, problem: { kind: "malformed" as const, message: `localUsers: whether ${user.name} is enabled is not reported` } };
      problems.push({ node, fact: unread });
      details.push(unreadableRow(node, unread, rowExpected));
      return;
    }
    if (problemsHere.length > 0) {
      deviations.push(`${node}: ${user.name} ${problemsHere.join(", ")}`);
      details.push({ subject: node, expected: rowExpected, actual: `${user.name} (${user.sid}) ${problemsHere.join(", ")}`, outcome: "deviation" });
    } else {
      details.push({ subject: node, expected: rowExpected, actual: `${user.name} (${user.sid}) is a member of Administrators`, outcome: "ok" });
    }
  });
  return clusterVerdict({
    expected,
    deviations,
    problems,
    passedActual: `'${accountNamePart(account)}' is a local administrator on all ${count(users.length, "node")}`,
    details,
    evidence: refs,
  });
};

export const judgeClusterAccountPasswordsMatch: ClusterJudge = (ctx) => {
  const account = ctx.cluster.adminAccount?.trim();
  const expected = `the cluster admin account${account ? ` '${accountNamePart(account)}'` : ""} has the same password on every node (to be attested by the operator)`;
  const na = singleDomain(ctx, expected, "a shared local account password");
  if (na) return na;
  return {
    status: "undetermined",
    expected,
    actual: "not verifiable: a password cannot be read from a host",
    reason: notVerifiable("a password cannot be read, so equality across nodes cannot be checked; it must be attested"),
    evidence: [],
  };
};

interface Reading<V> {
  node: string;
  value: V;
}

/**
 * A cluster-wide property read on each node. Every node that read it counts; nodes that could
 * not are listed but do not block a verdict the others agree on.
 */
function readings<T, V>(
  perNode: NodeFact<T>[],
  pick: (value: T) => V | null,
  label: (value: V) => string,
  rowExpected: string,
): { read: Reading<V>[]; problems: NodeProblem[]; silent: string[]; details: DetailRow[] } {
  const read: Reading<V>[] = [];
  const problems: NodeProblem[] = [];
  const silent: string[] = [];
  const details: DetailRow[] = [];
  for (const { node, fact } of perNode) {
    if (!fact.ok) {
      problems.push({ node, fact });
      details.push(unreadableRow(node, fact, rowExpected));
      continue;
    }
    const value = pick(fact.value);
    if (value === null) {
      silent.push(node);
      details.push({ subject: node, expected: rowExpected, actual: "not reported", outcome: "info" });
      continue;
    }
    read.push({ node, value });
    details.push({ subject: node, expected: rowExpected, actual: label(value), outcome: "info" });
  }
  return { read, problems, silent, details };
}

/** Marks each node's row ok or deviation once the verdict on the value is known. */
function markRows(details: DetailRow[], read: Reading<unknown>[], ok: boolean): DetailRow[] {
  const nodes = new Set(read.map((r) => r.node));
  return details.map((d) => (d.outcome === "info" && nodes.has(d.subject) ? { ...d, outcome: ok ? "ok" : "deviation" } : d));
}

function distinctLabels<V>(read: Reading<V>[], label: (v: V) => string): string[] {
  return [...new Set(read.map((r) => label(r.value)))];
}

function disagreement<V>(read: Reading<V>[], label: (v: V) => string): string {
  return `nodes disagree: ${read.map((r) => `${r.node} reports ${label(r.value)}`).join(", ")}`;
}

/** When no node produced a value, say why: unreadable probes win over a property not reported. */
function nothingRead(
  expected: string,
  problems: NodeProblem[],
  silent: string[],
  details: DetailRow[],
  evidenceRefs: Judgement["evidence"],
  what: string,
): Judgement {
  if (problems.length > 0) {
    return {
      status: "undetermined",
      expected,
      actual: `no node could read ${what}`,
      reason: { kind: problems[0]!.fact.problem.kind, message: problems.map((p) => problemMessage(p.node, p.fact)).join("; ") },
      details,
      evidence: evidenceRefs,
    };
  }
  return {
    status: "undetermined",
    expected,
    actual: `no node reported ${what}`,
    reason: notVerifiable(`${what} was not reported by ${silent.join(", ")}`),
    details,
    evidence: evidenceRefs,
  };
}

const ACCESS_POINTS: Record<number, string> = { 0: "None", 1: "ActiveDirectoryAndDns", 2: "Dns", 3: "ActiveDirectory" };

function accessPointLabel(value: number): string {
  return `${ACCESS_POINTS[value] ?? "unknown value"} (${value})`;
}

export const judgeAdministrativeAccessPointDns: ClusterJudge = (ctx) => {
  const expected = "AdministrativeAccessPoint = Dns (2): the cluster was created AD-detached";
  const na = singleDomain(ctx, expected, "an AD-detached (DNS) administrative access point");
  if (na) return na;
  const perNode = nodeFacts(ctx, (n) => n.cluster, "cluster");
  if (perNode.length === 0) return noNodes(ctx, expected);
  const refs = perNode.map((n) => evidence(n.node, "cluster"));
  const { read, problems, silent, details } = readings(perNode, (c) => c.administrativeAccessPoint, accessPointLabel, "Dns (2)");
  if (read.length === 0) return nothingRead(expected, problems, silent, details, refs, "the administrative access point");
  const labels = distinctLabels(read, accessPointLabel);
  const remediation: DetailRow = {
    subject: "remediation",
    expected: "Dns (2)",
    actual: "the administrative access point cannot be changed after the cluster is created",
    outcome: "info",
    note: "destroy and re-create the cluster with New-Cluster -AdministrativeAccessPoint DNS",
  };
  if (labels.length > 1) {
    return { status: "failed", expected, actual: disagreement(read, accessPointLabel), details: [...markRows(details, read, false), remediation], evidence: refs };
  }
  const value = read[0]!.value;
  const where = `read on ${read.map((r) => r.node).join(", ")}`;
  if (value === 2) {
    return { status: "passed", expected, actual: `Dns (2), ${where}`, details: markRows(details, read, true), evidence: refs };
  }
  return {
    status: "failed",
    expected,
    actual: `${accessPointLabel(value)}, ${where}`,
    details: [...markRows(details, read, false), remediation],
    evidence: refs,
  };
};

function witnessLabel(w: { witness: string; witnessResourceType: string | null; witnessResourceName: string | null }): string {
  const name = w.witnessResourceName ? ` '${w.witnessResourceName}'` : "";
  switch (w.witness) {
    case "disk":
      return `disk witness${name}`;
    case "cloud":
      return `cloud witness${name}`;
    case "file-share":
      return `File Share Witness${name}`;
    case "none":
      return "no witness";
    default:
      return `witness${name} of resource type ${w.witnessResourceType ?? "(not reported)"}`;
  }
}

export const judgeQuorumWitness: ClusterJudge = (ctx) => {
  const expected = "a disk witness or a cloud witness";
  const na = singleDomain(ctx, expected, "the workgroup/multi-domain witness rule");
  if (na) return na;
  const perNode = nodeFacts(ctx, (n) => n.clusterQuorum, "clusterQuorum");
  if (perNode.length === 0) return noNodes(ctx, expected);
  const refs = perNode.map((n) => evidence(n.node, "clusterQuorum"));
  const { read, problems, silent, details } = readings(perNode, (q) => q, witnessLabel, expected);
  if (read.length === 0) return nothingRead(expected, problems, silent, details, refs, "the quorum configuration");
  if (distinctLabels(read, witnessLabel).length > 1) {
    return { status: "failed", expected, actual: disagreement(read, witnessLabel), details: markRows(details, read, false), evidence: refs };
  }
  const quorum = read[0]!.value;
  const label = witnessLabel(quorum);
  const ok = quorum.witness === "disk" || quorum.witness === "cloud";
  let actual = label;
  if (quorum.witness === "file-share") actual = `${label}: File Share Witness is not supported for workgroup and multi-domain clusters`;
  else if (quorum.witness === "other") actual = `${label}, which is neither a disk nor a cloud witness`;
  return { status: ok ? "passed" : "failed", expected, actual, details: markRows(details, read, ok), evidence: refs };
};

function probeRefs(perNode: NodeFact<unknown>[], probe: ProbeId): Judgement["evidence"] {
  return perNode.map((n) => evidence(n.node, probe));
}

export const judgeSameHotfixes: ClusterJudge = (ctx) => {
  const expected = "the same installed updates (HotFixIDs) on every node";
  const perNode = nodeFacts(ctx, (n) => n.hotfixes, "hotfixes");
  if (perNode.length === 0) return noNodes(ctx, expected);
  const refs = probeRefs(perNode, "hotfixes");
  const sets = new Map<string, Map<string, string>>();
  const problems: NodeProblem[] = [];
  for (const { node, fact } of perNode) {
    if (!fact.ok) {
      problems.push({ node, fact });
      continue;
    }
    // Keyed upper-case so `kb5031361` and `KB5031361` are one update; the first spelling is shown.
    const ids = new Map<string, string>();
    for (const h of fact.value) {
      const key = h.id.trim().toUpperCase();
      if (key && !ids.has(key)) ids.set(key, h.id.trim());
    }
    sets.set(node, ids);
  }
  const union = new Map<string, string>();
  for (const ids of sets.values()) for (const [k, v] of ids) if (!union.has(k)) union.set(k, v);
  const sortedKeys = [...union.keys()].sort();
  const details: DetailRow[] = [];
  const deviations: string[] = [];
  for (const { node, fact } of perNode) {
    if (!fact.ok) {
      details.push(unreadableRow(node, fact, `all ${count(union.size, "update")} found on the cluster`));
      continue;
    }
    const ids = sets.get(node)!;
    const missing = sortedKeys.filter((k) => !ids.has(k)).map((k) => union.get(k)!);
    if (missing.length > 0) {
      deviations.push(`${node} missing ${missing.join(", ")}`);
      details.push({ subject: node, expected: `all ${count(union.size, "update")} found on the cluster`, actual: `missing ${missing.join(", ")}`, outcome: "deviation" });
    } else {
      details.push({ subject: node, expected: `all ${count(union.size, "update")} found on the cluster`, actual: `all ${count(ids.size, "update")} present`, outcome: "ok" });
    }
  }
  const rule = perNode.length === 1 ? "one-node cluster: nothing to compare, passes trivially" : undefined;
  return clusterVerdict({
    expected,
    deviations,
    problems,
    passedActual:
      perNode.length === 1
        ? `only one node (${perNode[0]!.node}, ${count(union.size, "update")}): nothing to compare`
        : `all ${count(perNode.length, "node")} have the same ${count(union.size, "update")}`,
    details,
    evidence: refs,
    ...(rule ? { rule } : {}),
  });
};
