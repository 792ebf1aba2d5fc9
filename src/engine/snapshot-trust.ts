/**
 * Whether a snapshot can be believed to be the inventory host's, as collected when it says. A
 * snapshot is only a file: copied from another host with `host` renamed, or dated in the future,
 * it would otherwise be judged as this host's and could pass. Pure: the run's clock is passed in.
 *
 * Identity. A host is named, in its own facts, by its NetBIOS name (Win32_ComputerSystem.Name,
 * Win32_OperatingSystem.CSName where projected, and the `HOST\` prefix of its own local accounts
 * in the Administrators group), its DNS host name (Win32_ComputerSystem.DNSHostName and the TCP/IP
 * Hostname) and its domains (the primary DNS suffix now and after restart, the policy's suffix, and
 * the AD domain when joined), and by any command that read it from elsewhere (`-ComputerName`).
 * Every one of these that was read must agree with the inventory name, without case (Windows
 * names ignore it): the first label is the host name (NetBIOS is its first 15 characters), and an
 * inventory FQDN's suffix must be one of the host's domains where the host reports any. An
 * inventory `address` is where to connect, not who answers, and is never compared. When none of
 * the names could be read, the snapshot is not believed either: an identity nobody checked is not
 * one.
 *
 * Time. `collectedAt` is written by the host's clock when the collector starts, and every probe's
 * `startedAt` after it by the same clock; the run compares them with its own clock, never with
 * --as-of (which only says which day end-of-support dates are judged against, so old snapshots can
 * be judged again as of any day). CLOCK_SKEW_MS is the allowance for two clocks and for a clock
 * stepped during a collection.
 */
import { normalizeDnsName } from "../judge/common";
import type { HostFacts } from "../model/facts";
import type { InventoryCluster } from "../model/inventory";
import type { Snapshot } from "../model/snapshot";
import { PROBE_IDS } from "../probes/catalog";

/**
 * Five minutes: the clock difference Kerberos tolerates by default in a Windows domain (its
 * "maximum tolerance for computer clock synchronization"), so a host whose clock is further off
 * already fails to authenticate there.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** One hour: the longest a collection may take (collection.timeoutSeconds is at most 3600). */
export const COLLECTION_WINDOW_MS = 3600_000;

const NETBIOS_LENGTH = 15;

interface Name {
  /** Where the name was read, for the message. */
  source: string;
  value: string;
  kind: "netbios" | "host" | "fqdn-or-host";
}

/** Why this snapshot cannot be believed to be `inventoryName`'s, or undefined when it can. */
export function identityProblem(inventoryName: string, facts: HostFacts, snapshot: Snapshot): string | undefined {
  const wanted = normalizeDnsName(inventoryName);
  const [label = "", ...rest] = wanted.split(".");
  const suffix = rest.join(".");
  const names = namesOf(facts, snapshot);
  if (names.length === 0) {
    // A host of which nothing was read (unreachable, say) has no fact to disbelieve; its own reasons stand.
    if (!anyRead(facts)) return undefined;
    const unread = [facts.computerSystem, facts.tcpipParameters].flatMap((f) => (f.ok ? [] : [`${f.probe} (${f.problem.kind})`]));
    return `none of the facts that name the host could be read (${unread.join(", ") || "computerSystem and tcpipParameters name none"}), so nothing shows that this snapshot is ${inventoryName}'s`;
  }
  for (const name of names) {
    const found = normalizeDnsName(name.value);
    const [foundLabel = "", ...foundRest] = found.split(".");
    const ok =
      name.kind === "netbios" ? found === label.slice(0, NETBIOS_LENGTH)
      : name.kind === "host" ? found === label
      : foundLabel === label && (foundRest.length === 0 || suffix === "" || foundRest.join(".") === suffix);
    if (!ok) return mismatch(inventoryName, name);
  }
  if (suffix !== "") {
    const domains = domainsOf(facts);
    if (domains.length > 0 && !domains.some((d) => normalizeDnsName(d.value) === suffix)) {
      return `the inventory names the host '${inventoryName}', but its domains are ${domains.map((d) => `'${d.value}' (${d.source})`).join(", ")}, none of them '${suffix}': this snapshot may be another host's`;
    }
  }
  return undefined;
}

function anyRead(facts: HostFacts): boolean {
  return PROBE_IDS.some((id) => facts[id].ok) || Object.values(facts.records ?? {}).some((r) => r !== undefined && r !== null && typeof r === "object" && "output" in r);
}

function mismatch(inventoryName: string, name: Name): string {
  return `the snapshot names the host '${name.value}' (${name.source}), but the inventory's host is '${inventoryName}': these facts may be another host's`;
}

function namesOf(facts: HostFacts, snapshot: Snapshot): Name[] {
  const names: Name[] = [];
  const add = (source: string, value: string | null | undefined, kind: Name["kind"]): void => {
    if (value !== null && value !== undefined && value.trim() !== "") names.push({ source, value: value.trim(), kind });
  };
  if (facts.computerSystem.ok) {
    add("computerSystem Name", facts.computerSystem.value.name, "netbios");
    add("computerSystem DNSHostName", facts.computerSystem.value.dnsHostName, "host");
  }
  if (facts.os.ok) add("os CSName", facts.os.value.csName, "netbios");
  if (facts.tcpipParameters.ok) add("tcpipParameters Hostname", facts.tcpipParameters.value.hostname, "host");
  for (const member of localMembers(facts)) add(`administratorsGroup member ${member}`, member.slice(0, member.indexOf("\\")), "netbios");
  for (const [id, record] of Object.entries(snapshot.probes ?? {})) {
    const named = computerNamed(record?.command);
    if (named !== undefined) add(`the ${id} command's -ComputerName`, named, "fqdn-or-host");
  }
  return names;
}

/** The host's domains: suffixes it reports (now, after restart, by policy) and its AD domain. */
function domainsOf(facts: HostFacts): Name[] {
  const out: Name[] = [];
  const add = (source: string, value: string | null): void => {
    if (value !== null && value.trim() !== "") out.push({ source, value: value.trim(), kind: "fqdn-or-host" });
  };
  if (facts.tcpipParameters.ok) {
    add("tcpipParameters Domain", facts.tcpipParameters.value.domain);
    add("tcpipParameters NV Domain", facts.tcpipParameters.value.nvDomain);
  }
  if (facts.dnsClientPolicy.ok) {
    add("dnsClientPolicy PrimaryDnsSuffix", facts.dnsClientPolicy.value.primaryDnsSuffix);
    add("dnsClientPolicy NV PrimaryDnsSuffix", facts.dnsClientPolicy.value.nvPrimaryDnsSuffix);
  }
  if (facts.computerSystem.ok && facts.computerSystem.value.partOfDomain === true) add("computerSystem Domain", facts.computerSystem.value.domain);
  return out;
}

/**
 * Members of the Administrators group that are this host's own accounts: their SID is the machine
 * SID (read from the local users' SIDs) plus a RID, and Windows shows them as `HOST\name`.
 */
function localMembers(facts: HostFacts): string[] {
  if (!facts.localUsers.ok || !facts.administratorsGroup.ok) return [];
  const machine = new Set(facts.localUsers.value.flatMap((u) => (/^S-1-5-21-\d+-\d+-\d+-\d+$/i.test(u.sid.trim()) ? [u.sid.trim().replace(/-\d+$/, "").toUpperCase()] : [])));
  if (machine.size !== 1) return [];
  const [sid] = [...machine];
  return facts.administratorsGroup.value.flatMap((m) =>
    m.sid !== null && m.sid.trim().toUpperCase().startsWith(`${sid}-`) && m.name.indexOf("\\") > 0 ? [m.name] : [],
  );
}

const COMPUTER_NAME = /-ComputerName\s+(?:'([^']+)'|"([^"]+)"|([^\s|;,)]+))/i;
const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-f]*:[0-9a-f:.]*\]?)$/i;

/** The computer a recorded command read remotely, when it names one (an address says nothing of who answered). */
function computerNamed(command: string | undefined): string | undefined {
  if (typeof command !== "string") return undefined;
  const m = COMPUTER_NAME.exec(command);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (name === undefined || name.startsWith("$") || name === "." || /^localhost$/i.test(name) || IP_ADDRESS.test(name)) return undefined;
  return name;
}

/**
 * Why the node's cluster facts describe another cluster than the inventory's, or undefined. Get-Cluster
 * names the cluster the node belongs to; a different name means the node (or its snapshot) is not
 * what the inventory says, and its cluster facts must not speak for the inventory's cluster.
 */
export function clusterProblem(cluster: InventoryCluster | undefined, facts: HostFacts): string | undefined {
  if (cluster === undefined) return undefined;
  // Get-Cluster's Name and Get-ClusterQuorum's Cluster both name the cluster the node answers for.
  const named: [string, string | null][] = [
    ["cluster Name", facts.cluster.ok ? facts.cluster.value.name : null],
    ["clusterQuorum Cluster", facts.clusterQuorum.ok ? facts.clusterQuorum.value.cluster : null],
  ];
  const wanted = normalizeDnsName(cluster.name);
  const [wl = "", ...wr] = wanted.split(".");
  for (const [source, name] of named) {
    if (name === null || name.trim() === "") continue;
    const [fl = "", ...fr] = normalizeDnsName(name).split(".");
    if (fl === wl && (fr.length === 0 || wr.length === 0 || fr.join(".") === wr.join("."))) continue;
    return `the host reports being a node of cluster '${name}' (${source}), but the inventory puts it in cluster '${cluster.name}'`;
  }
  return undefined;
}

/** Why the snapshot's times cannot be true, or undefined. */
export function timeProblem(snapshot: Snapshot, now: Date): string | undefined {
  const latest = now.getTime() + CLOCK_SKEW_MS;
  const collected = Date.parse(snapshot.collectedAt);
  if (Number.isNaN(collected)) return `collectedAt '${snapshot.collectedAt}' is not a time`;
  if (collected > latest) {
    return `collectedAt is ${snapshot.collectedAt}, ${minutes(collected - now.getTime())} after this run's clock (${now.toISOString()}), beyond the ${minutes(CLOCK_SKEW_MS)} allowed for clock differences: a snapshot cannot have been collected in the future`;
  }
  const opens = collected - CLOCK_SKEW_MS;
  const closes = collected + COLLECTION_WINDOW_MS + CLOCK_SKEW_MS;
  for (const [id, record] of Object.entries(snapshot.probes ?? {})) {
    if (record === undefined) continue;
    const started = Date.parse(record.startedAt);
    const ended = started + (typeof record.durationMs === "number" ? record.durationMs : 0);
    if (Number.isNaN(started)) return `probe ${id}'s startedAt '${record.startedAt}' is not a time`;
    if (started > latest) return `probe ${id} started at ${record.startedAt}, after this run's clock (${now.toISOString()}) by more than the ${minutes(CLOCK_SKEW_MS)} allowed`;
    if (started < opens) return `probe ${id} started at ${record.startedAt}, before the collection began (collectedAt ${snapshot.collectedAt}) by more than the ${minutes(CLOCK_SKEW_MS)} allowed: it was not read in this collection`;
    if (ended > closes) return `probe ${id} ran until ${new Date(ended).toISOString()}, after the collection that began at ${snapshot.collectedAt} must have ended (${minutes(COLLECTION_WINDOW_MS)} at most, plus ${minutes(CLOCK_SKEW_MS)}): it was not read in this collection`;
  }
  return undefined;
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  if (m >= 2880) return `${Math.round(m / 1440)} days`;
  return m >= 120 ? `${Math.round(m / 60)} hours` : `${Math.round(m * 10) / 10} minutes`;
}
