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

export interface DirectoryContext {
  computers: readonly Computer[];
  asOf: Date;
  /** An object that logged on or changed its password within this many days is active (default 90). */
  activeDays: number;
}

const day = (d: Date | null): string => (d === null ? "never" : d.toISOString().slice(0, 10));
const ageDays = (d: Date | null, asOf: Date): string => (d === null ? "never" : `${Math.floor((asOf.getTime() - d.getTime()) / 86_400_000)} days ago`);

/** Where the object is and when it was last seen: the note every row carries for the auditor. */
function whereNote(c: Computer, asOf: Date): string {
  return `${c.dn}; last logon ${day(c.lastLogon)}, password set ${ageDays(c.pwdLastSet, asOf)}`;
}

function release(c: Computer): string {
  return [c.os ?? "(no operatingSystem)", c.osVersionText ?? "", c.servicePack ?? ""].filter((s) => s !== "").join(", ");
}

function active(ctx: DirectoryContext): Computer[] {
  return ctx.computers.filter((c) => activityOf(c, ctx.asOf, ctx.activeDays) === "active");
}

/** Windows, by the directory's own text: anything else (Samba, Linux, a NAS) is not judged against Windows dates. */
const isWindows = (c: Computer): boolean => c.os !== null && /windows/i.test(c.os);

/**
 * No computer object active in the last N days runs a Windows release past its end of extended
 * support. A row per offending object (its DN, last logon, password age); an active Windows object
 * whose version cannot be read is unreadable, and the control is undetermined unless one fails.
 */
export function judgeDirectoryEndOfSupport(ctx: DirectoryContext): Judgement {
  const expected = `every computer object active in the last ${ctx.activeDays} days runs a Windows release within extended support on ${day(ctx.asOf)}`;
  const seen = active(ctx);
  const rows: DetailRow[] = [];
  let ok = 0;
  let other = 0;
  for (const c of seen) {
    if (!isWindows(c)) {
      if (c.os !== null) other += 1;
      else rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: "the directory holds no operatingSystem for it", outcome: "unreadable", note: whereNote(c, ctx.asOf) });
      continue;
    }
    if (c.osVersion === null || c.os === null) {
      rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: `${release(c)}: the version is not "major.minor (build)"`, outcome: "unreadable", note: whereNote(c, ctx.asOf) });
      continue;
    }
    const found = directoryRelease({ ...c, osVersion: c.osVersion, os: c.os }, isServer(c));
    if (!found.ok) {
      rows.push({ subject: c.name, expected: "a Windows release within extended support", actual: `${release(c)}: ${found.why}`, outcome: "unreadable", note: whereNote(c, ctx.asOf) });
      continue;
    }
    const end = new Date(`${found.entry.extendedSupportEnd}T23:59:59.999Z`);
    if (end.getTime() < ctx.asOf.getTime()) {
      rows.push({ subject: c.name, expected: "within extended support", actual: `${found.entry.product} (${release(c)}): extended support ended ${found.entry.extendedSupportEnd}`, outcome: "deviation", note: whereNote(c, ctx.asOf) });
    } else ok += 1;
  }
  const failed = rows.filter((r) => r.outcome === "deviation").length;
  const unreadable = rows.filter((r) => r.outcome === "unreadable").length;
  const counted = `${seen.length} active computer object(s): ${failed} past end of support, ${ok} within it, ${unreadable} whose release could not be told${other > 0 ? `, ${other} not Windows` : ""}`;
  if (failed > 0) return { status: "failed", expected, actual: counted, details: rows, evidence: [] };
  if (seen.length === 0) {
    return { status: "undetermined", expected, actual: `no computer object logged on or changed its password in the last ${ctx.activeDays} days`, reason: { kind: "not-verifiable", message: `the directory snapshot shows no active computer object: it may be older than ${ctx.activeDays} days, or the account that read it may not see computer objects` }, details: [], evidence: [] };
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
export function judgeDirectoryAudited(ctx: DirectoryContext, inventory: InventoryNames, exempt: (c: Computer) => string | undefined = () => undefined): Judgement {
  const expected = `every server active in the directory in the last ${ctx.activeDays} days is in the inventory and was judged by this run`;
  const rows: DetailRow[] = [];
  let audited = 0;
  let servers = 0;
  for (const c of active(ctx)) {
    if (c.os === null) {
      rows.push({ subject: c.name, expected: "in the inventory, if it is a server", actual: "the directory holds no operatingSystem for it: it may be a server", outcome: "unreadable", note: whereNote(c, ctx.asOf) });
      continue;
    }
    if (!isServer(c)) continue;
    servers += 1;
    const host = inventory.hostOf(c);
    if (host !== undefined) {
      audited += 1;
      continue;
    }
    const waiver = exempt(c);
    rows.push({ subject: c.name, expected: "in the inventory", actual: `not audited: ${release(c)}`, outcome: waiver === undefined ? "deviation" : "allowed", note: waiver === undefined ? whereNote(c, ctx.asOf) : `${whereNote(c, ctx.asOf)}; ${waiver}` });
  }
  const missing = rows.filter((r) => r.outcome === "deviation").length;
  const accepted = rows.filter((r) => r.outcome === "allowed").length;
  const unreadable = rows.filter((r) => r.outcome === "unreadable").length;
  const actual = `${audited} of ${servers} active server(s) audited; ${missing} not audited${accepted > 0 ? `, ${accepted} accepted by a waiver` : ""}${unreadable > 0 ? `; ${unreadable} active object(s) of unknown kind` : ""}`;
  if (missing > 0) return { status: "failed", expected, actual, details: rows, evidence: [] };
  if (servers === 0 && unreadable === 0) {
    return { status: "undetermined", expected, actual: "no server was active in the directory", reason: { kind: "not-verifiable", message: `the directory snapshot shows no server active in the last ${ctx.activeDays} days: it may be old, or the account that read it may not see operatingSystem` }, details: [], evidence: [] };
  }
  if (unreadable > 0) return { status: "undetermined", expected, actual, reason: { kind: "not-verifiable", message: `${unreadable} active object(s) have no operatingSystem: whether they are servers cannot be told` }, details: rows, evidence: [] };
  return { status: "passed", expected, actual, details: rows, evidence: [] };
}

/** HP-DIR-002 as the run judges it: the inventory's names, no waiver yet (waivers/ applies them per object: see WIRE23-STATUS.md). */
export const judgeDirectoryAuditedByRun = (ctx: DirectoryContext & { inventory: InventoryNames }): Judgement => judgeDirectoryAudited(ctx, ctx.inventory);

/** Stale objects, listed apart and judged neither way: enabled, with no logon and no password change in N days. */
export function staleObjects(ctx: DirectoryContext): DetailRow[] {
  return ctx.computers
    .filter((c) => activityOf(c, ctx.asOf, ctx.activeDays) === "stale")
    .map((c) => ({ subject: c.name, expected: `a logon or password change in the last ${ctx.activeDays} days`, actual: `last seen ${ageDays(lastSeen(c), ctx.asOf)} (${release(c)})`, outcome: "info" as const, note: whereNote(c, ctx.asOf) }));
}
