/**
 * Helpers every judge module shares. Judges are pure: nothing here reads the clock, the disk or
 * the environment.
 */
import type { Fact, HostFacts, LocalUserFact } from "../model/facts";
import type { InventoryCluster } from "../model/inventory";
import type { DetailRow, EvidenceRef, Judgement, UndeterminedReason } from "../model/result";
import type { AnyProbeId as ProbeId } from "../probes/generic";
import type { ClusterContext } from "./context";

export type ReadFact<T> = Extract<Fact<T>, { ok: true }>;
export type UnreadFact<T = unknown> = Extract<Fact<T>, { ok: false }>;

/** Narrowing for callers that hold a fact in a variable of a wider type. */
export function isRead<T>(fact: Fact<T>): fact is ReadFact<T> {
  return fact.ok;
}

export function evidence(host: string, probe: ProbeId): EvidenceRef {
  return { host, probe };
}

/** Auditors see this message; it names the host and the probe so the raw record can be found. */
export function problemMessage(host: string, fact: UnreadFact): string {
  return `${host}: probe ${fact.probe} could not be read (${fact.problem.kind}): ${fact.problem.message}`;
}

export function problemReason(host: string, fact: UnreadFact): UndeterminedReason {
  return { kind: fact.problem.kind, message: problemMessage(host, fact) };
}

/**
 * A fact that could not be read never passes: the judgement is undetermined, carries the
 * problem's kind, and still points at the probe record as evidence.
 */
export function undeterminedFromFact(
  host: string,
  fact: UnreadFact,
  expected: string,
  extra: { evidence?: EvidenceRef[]; rule?: string; details?: DetailRow[] } = {},
): Judgement {
  const ref = evidence(host, fact.probe);
  const refs = extra.evidence ?? [];
  const all = refs.some((r) => r.host === ref.host && r.probe === ref.probe) ? refs : [...refs, ref];
  const judgement: Judgement = {
    status: "undetermined",
    expected,
    actual: `could not be read: ${fact.probe} on ${host} (${fact.problem.kind}: ${fact.problem.message})`,
    reason: problemReason(host, fact),
    evidence: all,
  };
  if (extra.rule !== undefined) judgement.rule = extra.rule;
  if (extra.details !== undefined) judgement.details = extra.details;
  return judgement;
}

/** Lower-cased, trimmed, without a trailing dot: `HTB.LOCAL.` and `htb.local` are one domain. */
export function normalizeDnsName(name: string | null | undefined): string {
  if (name === null || name === undefined) return "";
  return name.trim().replace(/\.+$/, "").toLowerCase();
}

/** DNS names are case-insensitive; null and "" both mean "no name". */
export function sameDnsName(a: string | null | undefined, b: string | null | undefined): boolean {
  return normalizeDnsName(a) === normalizeDnsName(b);
}

/** How an absent value reads in a report. */
export function shown(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "(none)";
  return String(value);
}

/** `HOST\user`, `.\user` and `user` all name the account `user`. */
export function accountNamePart(name: string): string {
  const slash = name.lastIndexOf("\\");
  return (slash >= 0 ? name.slice(slash + 1) : name).trim();
}

/** Windows account names are case-insensitive. */
export function sameAccountName(a: string, b: string): boolean {
  return accountNamePart(a).toLowerCase() === accountNamePart(b).toLowerCase();
}

export function sameSid(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** The built-in Administrator keeps RID 500 even when renamed, so the SID decides, not the name. */
export function isBuiltInAdministratorSid(sid: string): boolean {
  return /-500$/.test(sid.trim());
}

export function findLocalUser(users: LocalUserFact[], account: string): LocalUserFact | undefined {
  return users.find((u) => sameAccountName(u.name, account));
}

/** Clusters that are created AD-detached and run on a local administrator account. */
export function isLocalAccountCluster(cluster: InventoryCluster | undefined): boolean {
  return cluster !== undefined && (cluster.type === "workgroup" || cluster.type === "multi-domain");
}

/**
 * Which LocalAccountTokenFilterPolicy rule a host falls under. HP-CLU-005 and HP-UAC-001 must
 * agree on this exactly, otherwise a node could be judged by both rules or by neither.
 */
export type TokenFilterRule =
  /** `builtIn` is set when the host is a node of a local-account cluster run by the built-in Administrator. */
  | { kind: "baseline"; why: string; builtIn?: LocalUserFact }
  | { kind: "cluster"; why: string; cluster: InventoryCluster; account: string; user?: LocalUserFact }
  | { kind: "unknown-account"; cluster: InventoryCluster }
  | { kind: "unreadable"; fact: UnreadFact };

export function tokenFilterRule(facts: HostFacts, cluster: InventoryCluster | undefined): TokenFilterRule {
  if (cluster === undefined || !isLocalAccountCluster(cluster)) {
    return {
      kind: "baseline",
      why:
        cluster === undefined
          ? "host is not a node of a workgroup or multi-domain cluster"
          : `host is not a node of a workgroup or multi-domain cluster; ${cluster.name} is ${cluster.type}`,
    };
  }
  const account = cluster.adminAccount?.trim();
  if (!account) return { kind: "unknown-account", cluster };
  if (!facts.localUsers.ok) return { kind: "unreadable", fact: facts.localUsers };
  const user = findLocalUser(facts.localUsers.value, account);
  if (user && isBuiltInAdministratorSid(user.sid)) {
    return { kind: "baseline", why: `cluster ${cluster.name} uses the built-in Administrator (SID ${user.sid})`, builtIn: user };
  }
  const why = user
    ? `${cluster.type} cluster ${cluster.name} uses the non-built-in local account '${user.name}' (SID ${user.sid})`
    : `${cluster.type} cluster ${cluster.name} uses the account '${account}', which is not among the local users and is therefore treated as non-built-in`;
  return user ? { kind: "cluster", why, cluster, account, user } : { kind: "cluster", why, cluster, account };
}

/** The inventory lacks something a control needs; no probe could make up for it. */
export function notVerifiable(message: string): UndeterminedReason {
  return { kind: "not-verifiable", message };
}

export function notApplicable(message: string): { kind: "not-applicable"; message: string } {
  return { kind: "not-applicable", message };
}

/** Plural that reads naturally in auditor-facing text. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

// ---------------------------------------------------------------------------------------------
// Cluster-wide judgements: one row per node, then one verdict.

export interface NodeFact<T> {
  node: string;
  fact: Fact<T>;
}

/**
 * Pairs each inventory node with one of its facts. A node the inventory lists but for which no
 * facts were handed over is reported as not collected rather than silently dropped, so that a
 * missing snapshot cannot make a cluster look consistent.
 */
export function nodeFacts<T>(ctx: ClusterContext, pick: (facts: HostFacts) => Fact<T>, probe: ProbeId): NodeFact<T>[] {
  const out: NodeFact<T>[] = [];
  const seen = new Set<HostFacts>();
  for (const name of ctx.cluster.nodes) {
    const facts = ctx.nodes.find((n) => n.host.toLowerCase() === name.toLowerCase());
    if (facts) {
      seen.add(facts);
      out.push({ node: facts.host, fact: pick(facts) });
    } else {
      out.push({
        node: name,
        fact: { ok: false, probe, problem: { kind: "not-collected", message: "no facts were provided for this node" } },
      });
    }
  }
  for (const facts of ctx.nodes) {
    if (!seen.has(facts)) out.push({ node: facts.host, fact: pick(facts) });
  }
  return out;
}

export function unreadableRow(node: string, fact: UnreadFact, expected: string): DetailRow {
  return {
    subject: node,
    expected,
    actual: `could not be read (${fact.problem.kind})`,
    outcome: "unreadable",
    note: problemMessage(node, fact),
  };
}

export interface NodeProblem {
  node: string;
  fact: UnreadFact;
}

/**
 * The verdict rule shared by per-node cluster controls: a deviation on any node fails the
 * cluster (an unreadable node cannot repair it); otherwise any unreadable node leaves the result
 * undetermined, because that node might deviate.
 */
export function clusterVerdict(args: {
  expected: string;
  deviations: string[];
  problems: NodeProblem[];
  passedActual: string;
  details: DetailRow[];
  evidence: EvidenceRef[];
  rule?: string;
}): Judgement {
  const { expected, deviations, problems, details, evidence: refs } = args;
  let judgement: Judgement;
  if (deviations.length > 0) {
    const unread = problems.length > 0 ? `; not read on ${problems.map((p) => p.node).join(", ")}` : "";
    judgement = { status: "failed", expected, actual: deviations.join("; ") + unread, details, evidence: refs };
  } else if (problems.length > 0) {
    const first = problems[0]!;
    judgement = {
      status: "undetermined",
      expected,
      actual: `no deviation found on the nodes that could be read; could not read ${problems
        .map((p) => `${p.fact.probe} on ${p.node} (${p.fact.problem.kind})`)
        .join(", ")}`,
      reason: {
        kind: first.fact.problem.kind,
        message: problems.map((p) => problemMessage(p.node, p.fact)).join("; "),
      },
      details,
      evidence: refs,
    };
  } else {
    judgement = { status: "passed", expected, actual: args.passedActual, details, evidence: refs };
  }
  if (args.rule !== undefined) judgement.rule = args.rule;
  return judgement;
}
