/**
 * The estate-wide controls over a directory snapshot: what Active Directory says exists, against
 * the lifecycle data and against the inventory the run judged. Pure functions of the computers
 * read (directory/computer.ts), the inventory's names and the as-of day.
 *
 * Nothing here passes on an absence: an active object whose release cannot be told, or a directory
 * in which nothing was active, makes the control undetermined, never passed.
 */
import { activityOf, isServer, lastSeen, type Computer } from "../directory/computer";
import type { DetailRow, Judgement } from "../model/result";
import { directoryRelease } from "../directory/release";
import { releaseKind, releaseMatches, releaseNamedBy } from "./os-release";
import type { HostContext } from "./context";
import type { Exemption } from "../waivers/directory";

/** The waiver that accepts an object, if any (waivers/directory.ts): applied row by row. */
export type Exempt = (c: Computer) => Exemption | undefined;
const noWaivers: Exempt = () => undefined;

/** A row of an object a waiver covers: allowed, naming it; or, the waiver expired, still a deviation that says so. */
function waivedRow(row: DetailRow, ex: Exemption | undefined): DetailRow {
  if (ex === undefined) return row;
  return { ...row, outcome: ex.expired ? row.outcome : "allowed", note: `${row.note ?? ""}; ${ex.note}`, waiverIndex: ex.index };
}
import { evidence, notApplicable, undeterminedFromFact } from "./common";

export interface DirectoryContext {
  computers: readonly Computer[];
  /** The day end of support is judged against. */
  asOf: Date;
  /**
   * When the directory was read (the snapshot's collectedAt): activity and age are of that moment.
   * The snapshot is evidence of one time; re-judged later (an auditor's offline re-run, the demo)
   * its objects must not turn stale by the calendar alone.
   */
  readAt: Date;
  /** An object that logged on or changed its password within this many days is active (default 90). */
  activeDays: number;
}

const day = (d: Date | null): string => (d === null ? "never" : d.toISOString().slice(0, 10));
const ageDays = (d: Date | null, at: Date): string => (d === null ? "never" : `${Math.floor((at.getTime() - d.getTime()) / 86_400_000)} days ago`);

/** The stale rows after the judge's own: the status is the judge's, decided before they were added. */
function withStale(j: Judgement, stale: DetailRow[]): Judgement {
  return stale.length === 0 ? j : { ...j, details: [...(j.details ?? []), ...stale] };
}

/** Where the object is and when it was last seen: the note every row carries for the auditor. */
function whereNote(c: Computer, readAt: Date): string {
  return `${c.dn}; last logon ${day(c.lastLogon)}, password set ${ageDays(c.pwdLastSet, readAt)} (when the directory was read)`;
}

function release(c: Computer): string {
  return [c.os ?? "(no operatingSystem)", c.osVersionText ?? "", c.servicePack ?? ""].filter((s) => s !== "").join(", ");
}

function active(ctx: DirectoryContext): Computer[] {
  return ctx.computers.filter((c) => activityOf(c, ctx.readAt, ctx.activeDays) === "active");
}

/** Windows, by the directory's own text: anything else (Samba, Linux, a NAS) is not judged against Windows dates. */
const isWindows = (c: Computer): boolean => c.os !== null && /windows/i.test(c.os);

/**
 * No computer object active in the last N days runs a Windows release past its end of extended
 * support. A row per offending object (its DN, last logon, password age); an active Windows object
 * whose version cannot be read is unreadable, and the control is undetermined unless one fails.
 */
export function judgeDirectoryEndOfSupport(ctx: DirectoryContext & { exempt?: Exempt }): Judgement {
  return withStale(endOfSupport(ctx, ctx.exempt ?? noWaivers), staleObjects(ctx));
}

function endOfSupport(ctx: DirectoryContext, exempt: Exempt): Judgement {
  const expected = `every computer object active in the ${ctx.activeDays} days before the directory was read (${day(ctx.readAt)}) runs a Windows release within extended support on ${day(ctx.asOf)}`;
  const seen = active(ctx);
  const rows: DetailRow[] = [];
  let ok = 0;
  let other = 0;
  for (const c of seen) {
    if (!isWindows(c)) {
      if (c.os !== null) other += 1;
      else rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: "the directory holds no operatingSystem for it", outcome: "unreadable", note: whereNote(c, ctx.readAt) });
      continue;
    }
    if (c.osVersion === null || c.os === null) {
      rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: `${release(c)}: the version is not "major.minor (build)"`, outcome: "unreadable", note: whereNote(c, ctx.readAt) });
      continue;
    }
    const found = directoryRelease({ ...c, osVersion: c.osVersion, os: c.os }, isServer(c));
    // The release, or the editions the text leaves open: those decide only where they all agree.
    const entries = found.ok ? [found.entry] : (found.candidates ?? []);
    const ended = entries.map((e) => new Date(`${e.extendedSupportEnd}T23:59:59.999Z`).getTime() < ctx.asOf.getTime());
    if (entries.length === 0 || new Set(ended).size > 1) {
      const why = found.ok ? "" : found.why;
      const each = entries.length > 0 ? `; it may be ${entries.map((e) => `${e.product} (ends ${e.extendedSupportEnd})`).join(" or ")}` : "";
      rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: `${release(c)}: ${why}${each}`, outcome: "unreadable", note: whereNote(c, ctx.readAt) });
      continue;
    }
    if (ended[0]) {
      const product = entries.map((e) => e.product).join(" or ");
      const dates = [...new Set(entries.map((e) => e.extendedSupportEnd))].join(" or ");
      rows.push(waivedRow({ subject: c.name, expected: "within extended support", actual: `${product} (${release(c)}): extended support ended ${dates}`, outcome: "deviation", note: whereNote(c, ctx.readAt) }, exempt(c)));
    } else ok += 1;
  }
  const failed = rows.filter((r) => r.outcome === "deviation").length;
  const accepted = rows.filter((r) => r.outcome === "allowed").length;
  const unreadable = rows.filter((r) => r.outcome === "unreadable").length;
  const counted = `${seen.length} active computer object(s): ${failed} past end of support${accepted > 0 ? ` (and ${accepted} more accepted by a waiver)` : ""}, ${ok} within it, ${unreadable} whose release could not be told${other > 0 ? `, ${other} not Windows` : ""}`;
  if (failed > 0) return { status: "failed", expected, actual: counted, details: rows, evidence: [] };
  if (seen.length === 0) {
    return { status: "undetermined", expected, actual: `no computer object logged on or changed its password in the ${ctx.activeDays} days before the directory was read`, reason: { kind: "not-verifiable", message: `the directory snapshot shows no active computer object: the account that read it may not see computer objects or their lastLogonTimestamp and pwdLastSet` }, details: [], evidence: [] };
  }
  if (unreadable > 0) return { status: "undetermined", expected, actual: counted, reason: { kind: "not-verifiable", message: `${unreadable} active object(s) name no Windows release hostproof can date` }, details: rows, evidence: [] };
  return { status: "passed", expected, actual: counted, details: rows, evidence: [] };
}

/** How the inventory names its hosts, for matching computer objects: full names and first labels, without regard to case. */
export class InventoryNames {
  private readonly full = new Map<string, string>();
  private readonly short = new Map<string, string>();

  constructor(hosts: readonly { name: string; address?: string }[]) {
    for (const h of hosts) {
      for (const n of [h.name, h.address]) {
        if (n === undefined || n === "") continue;
        const lower = n.toLowerCase();
        this.full.set(lower, h.name);
        // An IP address has no short name.
        if (!/^[\d.]+$|:/.test(lower)) this.short.set(lower.split(".")[0]!, h.name);
      }
    }
  }

  /** The inventory host that is this object: by its DNS name, else by its name against the hosts' first labels. */
  hostOf(c: Computer): string | undefined {
    if (c.dnsHostName !== null) {
      const byDns = this.full.get(c.dnsHostName.toLowerCase());
      if (byDns !== undefined) return byDns;
    }
    return this.short.get(c.name.toLowerCase());
  }
}

/**
 * Every server active in the directory was checked by this run: a row per active server the
 * inventory does not name ("not audited"), with `exempt` the waiver that accepts one (per object
 * or per OU). An active object with no operatingSystem may be a server: unreadable.
 */
export function judgeDirectoryAudited(ctx: DirectoryContext, inventory: InventoryNames, exempt: Exempt = noWaivers): Judgement {
  // A stale server is one a forgotten host may hide behind: listed here too, as the servers it concerns.
  return withStale(audited(ctx, inventory, exempt), staleObjects(ctx, (c) => c.os === null || isServer(c)));
}

function audited(ctx: DirectoryContext, inventory: InventoryNames, exempt: Exempt): Judgement {
  const expected = `every server active in the ${ctx.activeDays} days before the directory was read (${day(ctx.readAt)}) is in the inventory and was judged by this run`;
  const rows: DetailRow[] = [];
  let audited = 0;
  let servers = 0;
  for (const c of active(ctx)) {
    if (c.os === null) {
      rows.push({ subject: c.name, expected: "in the inventory, if it is a server", actual: "the directory holds no operatingSystem for it: it may be a server", outcome: "unreadable", note: whereNote(c, ctx.readAt) });
      continue;
    }
    if (!isServer(c)) continue;
    servers += 1;
    const host = inventory.hostOf(c);
    if (host !== undefined) {
      audited += 1;
      continue;
    }
    rows.push(waivedRow({ subject: c.name, expected: "in the inventory", actual: `not audited: ${release(c)}`, outcome: "deviation", note: whereNote(c, ctx.readAt) }, exempt(c)));
  }
  const missing = rows.filter((r) => r.outcome === "deviation").length;
  const accepted = rows.filter((r) => r.outcome === "allowed").length;
  const unreadable = rows.filter((r) => r.outcome === "unreadable").length;
  const actual = `${audited} of ${servers} active server(s) audited; ${missing} not audited${accepted > 0 ? `, ${accepted} accepted by a waiver` : ""}${unreadable > 0 ? `; ${unreadable} active object(s) of unknown kind` : ""}`;
  if (missing > 0) return { status: "failed", expected, actual, details: rows, evidence: [] };
  if (servers === 0 && unreadable === 0) {
    return { status: "undetermined", expected, actual: "no server was active in the directory", reason: { kind: "not-verifiable", message: `the directory snapshot shows no server active in the ${ctx.activeDays} days before it was read: the account that read it may not see operatingSystem` }, details: [], evidence: [] };
  }
  if (unreadable > 0) return { status: "undetermined", expected, actual, reason: { kind: "not-verifiable", message: `${unreadable} active object(s) have no operatingSystem: whether they are servers cannot be told` }, details: rows, evidence: [] };
  return { status: "passed", expected, actual, details: rows, evidence: [] };
}

/** HP-DIR-002 as the run judges it: the inventory's names, and the waivers of directory objects. */
export const judgeDirectoryAuditedByRun = (ctx: DirectoryContext & { inventory: InventoryNames; exempt?: Exempt }): Judgement => judgeDirectoryAudited(ctx, ctx.inventory, ctx.exempt ?? noWaivers);

/**
 * Stale objects, listed apart and judged neither way: enabled, with no logon and no password change
 * in N days. `info` rows: every format that shows details shows them, and they cannot move a status.
 */
export function staleObjects(ctx: DirectoryContext, which: (c: Computer) => boolean = () => true): DetailRow[] {
  return ctx.computers
    .filter((c) => which(c) && activityOf(c, ctx.readAt, ctx.activeDays) === "stale")
    .map((c) => ({ subject: c.name, expected: `a logon or password change in the ${ctx.activeDays} days before the directory was read`, actual: `last seen ${ageDays(lastSeen(c), ctx.readAt)} (${release(c)})`, outcome: "info" as const, note: whereNote(c, ctx.readAt) }));
}

/**
 * What the run knows of one host's computer object, for HP-DIR-003: no snapshot was given, the
 * inventory says the estate has no directory (with its reason), the directory holds no object for
 * the host, or the objects that are the host (by InventoryNames, the matching HP-DIR-002 counts
 * as audited, so both controls agree on which object is which host).
 */
export type HostInDirectory =
  | { kind: "no-snapshot"; reason: string }
  | { kind: "none"; why: string }
  | { kind: "absent"; domain: string }
  | { kind: "objects"; domain: string; computers: readonly Computer[] };

/**
 * A host the directory holds no object for. Not the directory's business if the host is in another
 * domain or none; but a host that says it is a member of this very domain and has no object in it
 * is a finding (the object was deleted and the host runs on a broken trust, or the account that
 * read the directory may not see it). Whether it is a member is read, never assumed.
 */
function absentFromDirectory(facts: HostContext["facts"], domain: string, expected: string): Judgement {
  const { host, computerSystem } = facts;
  const refs = [evidence(host, "computerSystem")];
  const missing = `the directory ${domain} holds no computer object named ${host} or with that DNS host name`;
  if (!computerSystem.ok) return undeterminedFromFact(host, computerSystem, expected, { evidence: refs });
  const { partOfDomain, domain: hostDomain } = computerSystem.value;
  if (partOfDomain === null) {
    return { status: "undetermined", expected, actual: `${missing}; whether ${host} is a domain member was not reported`, reason: { kind: "not-verifiable", message: `${host}: Win32_ComputerSystem.PartOfDomain was not reported, so whether ${domain} should hold its object cannot be told` }, evidence: refs };
  }
  if (partOfDomain && hostDomain !== null && hostDomain.toLowerCase() === domain.toLowerCase()) {
    const actual = `${host} says it is a member of ${hostDomain}; ${missing}`;
    return { status: "failed", expected, actual, details: [{ subject: host, expected: `a computer object in ${domain}`, actual, outcome: "deviation", note: "the object may have been deleted (the host then runs on a broken trust), or the account that read the directory may not see it" }], evidence: refs };
  }
  const where = partOfDomain ? `a member of ${hostDomain ?? "another domain"}` : "not domain-joined";
  return { status: "notApplicable", expected, actual: `${missing}; ${host} is ${where}`, reason: notApplicable(`${missing}, and ${host} is ${where}`), evidence: refs };
}

/** The host's release as the os fact has it: "Microsoft Windows Server 2022 Datacenter 10.0.20348". */
const hostRelease = (os: { caption: string; major: number; minor: number; build: number }): string => `${os.caption === "" ? "(no caption)" : os.caption} ${os.major}.${os.minor}.${os.build}`;

/**
 * The directory and the host agree on the host's Windows release: the same major.minor and build,
 * and, where the host says whether it is a server (ProductType), the same kind (Windows 10 1809
 * and Windows Server 2019 share build 17763). An object that names no release the judge can read
 * is unreadable: agreement cannot be told, never assumed.
 */
export function judgeDirectoryAgreesWithHost(ctx: HostContext): Judgement {
  const { host, os } = ctx.facts;
  const expected = "the directory's operatingSystem and operatingSystemVersion name the Windows release the host itself reports";
  const view = ctx.directory ?? { kind: "no-snapshot" as const, reason: "no directory snapshot was given" };
  if (view.kind === "none") return { status: "notApplicable", expected, actual: `the inventory states the estate has no directory: ${view.why}`, reason: notApplicable(`the inventory states the estate has no directory: ${view.why}`), evidence: [] };
  if (view.kind === "absent") return absentFromDirectory(ctx.facts, view.domain, expected);
  if (!os.ok) return undeterminedFromFact(host, os, expected);
  if (view.kind === "no-snapshot") {
    return { status: "undetermined", expected, actual: "no directory snapshot was given", reason: { kind: "not-collected", message: view.reason }, evidence: [] };
  }
  const refs = [evidence(host, "os"), ...(ctx.facts.windowsVersion.ok ? [evidence(host, "windowsVersion")] : [])];
  const mine = hostRelease(os.value);
  // Server or workstation as every fact of the host says it (ProductType, caption, SKU, installation
  // type; Enterprise multi-session is a workstation with ProductType 3): unknown where none does.
  const kind = releaseKind(os.value, ctx.facts.windowsVersion.ok ? ctx.facts.windowsVersion.value : undefined);
  const hostServer = kind === undefined ? null : kind === "server";
  const kindWord = hostServer === true ? "a server" : "a workstation";
  const rows: DetailRow[] = view.computers.map((c) => {
    const theirs = release(c);
    if (c.osVersion === null) {
      return { subject: c.dn, expected: `the directory names ${mine}`, actual: c.osVersionText === null ? "the directory holds no operatingSystemVersion" : `operatingSystemVersion ${JSON.stringify(c.osVersionText)} is not "major.minor (build)"`, outcome: "unreadable" as const, note: `host: ${mine}` };
    }
    const v = c.osVersion;
    const sameVersion = v.major === os.value.major && v.minor === os.value.minor && v.build === os.value.build;
    const sameKind = hostServer === null || c.os === null || isServer(c) === hostServer;
    // The directory's text may name a release outright: it must be the host's (the same version
    // under another release's name is a disagreement too).
    const named = c.os === null ? undefined : releaseNamedBy(c.os);
    const sameName = named === undefined || (releaseMatches(named, os.value) && (hostServer === null || (named.family === "server") === hostServer));
    if (sameVersion && sameKind && sameName) return { subject: c.dn, expected: `the directory names ${mine}`, actual: theirs, outcome: "ok" as const };
    const row: DetailRow = { subject: c.dn, expected: `the directory names ${mine}`, actual: `the directory says ${theirs}; the host says ${mine}`, outcome: "deviation" };
    if (sameVersion && !sameKind) row.note = `the same build, but the directory says ${isServer(c) ? "a server" : "not a server"} and the host${os.value.productType !== null && (os.value.productType !== 1) === hostServer ? `'s ProductType ${os.value.productType}` : "'s facts"} say${os.value.productType !== null && (os.value.productType !== 1) === hostServer ? "s" : ""} ${kindWord}`;
    else if (sameVersion) row.note = `the same build, but the directory's operatingSystem names ${named!.name}, which the host${hostServer === null ? "" : `, ${kindWord},`} is not`;
    return row;
  });
  const bad = rows.filter((r) => r.outcome === "deviation");
  if (bad.length > 0) return { status: "failed", expected, actual: bad.map((r) => r.actual).join("; "), details: rows, evidence: refs };
  if (rows.some((r) => r.outcome === "unreadable")) return { status: "undetermined", expected, actual: `the directory names no release hostproof can read for ${host}`, reason: { kind: "not-verifiable", message: `the computer object of ${host} in ${view.domain} holds no operatingSystemVersion of the form "major.minor (build)"` }, details: rows, evidence: refs };
  return { status: "passed", expected, actual: `the directory and the host both say ${mine}`, details: rows, evidence: refs };
}
