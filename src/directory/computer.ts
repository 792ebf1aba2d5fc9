/**
 * A computer object as the estate-wide judges read it, from the raw values a directory snapshot
 * keeps. Active Directory's conventions, each with its trap:
 * - lastLogonTimestamp and pwdLastSet are FILETIMEs (100 ns since 1601-01-01 UTC) as decimal text;
 *   0 means never. lastLogonTimestamp replicates only when it is 9 to 14 days old
 *   (ms-DS-Logon-Time-Sync-Interval), so "active in N days" is only as sharp as two weeks.
 * - userAccountControl is a bit field: 0x2 ACCOUNTDISABLE, 0x2000 SERVER_TRUST_ACCOUNT (a domain
 *   controller).
 * - operatingSystemVersion is "major.minor (build)", e.g. "5.2 (3790)", "10.0 (17763)"; a Samba
 *   or Linux member writes its own text, and a computer account staged for a host that never
 *   joined has none.
 * - whenCreated is a GeneralizedTime, "20060101000000.0Z".
 * A value that cannot be read is named in `problems`, never guessed.
 */
import type { DirectoryObject } from "../model/directory";

export interface OsVersion {
  major: number;
  minor: number;
  build: number;
}

export interface Computer {
  dn: string;
  name: string;
  dnsHostName: string | null;
  /** operatingSystem as the directory has it ("Windows Server 2003"), or null when absent. */
  os: string | null;
  osVersionText: string | null;
  osVersion: OsVersion | null;
  servicePack: string | null;
  /** null: never (0), or absent. */
  lastLogon: Date | null;
  pwdLastSet: Date | null;
  whenCreated: Date | null;
  /** null when userAccountControl is absent or not a number. */
  disabled: boolean | null;
  domainController: boolean;
  problems: string[];
}

const FILETIME_EPOCH_MS = 11_644_473_600_000n;
const ACCOUNTDISABLE = 0x2;
const SERVER_TRUST_ACCOUNT = 0x2000;

function first(o: DirectoryObject, name: string): string | null {
  const v = o.attributes[name];
  return v !== undefined && v.length > 0 ? v[0]! : null;
}

/** A FILETIME in decimal text: null for 0 (never) or the "never" maximum; undefined when not a FILETIME. */
export function fromFiletime(text: string): Date | null | undefined {
  if (!/^\d{1,19}$/.test(text)) return undefined;
  const ticks = BigInt(text);
  if (ticks === 0n || ticks >= 0x7fffffffffffffffn) return null;
  const ms = ticks / 10_000n - FILETIME_EPOCH_MS;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "20060101000000.0Z" (GeneralizedTime, UTC): undefined when not that form. */
export function fromGeneralizedTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

/** "5.2 (3790)", "10.0 (17763)": undefined for anything else (a Linux member's "5.15.0"). */
export function parseOsVersion(text: string): OsVersion | undefined {
  const m = /^(\d{1,3})\.(\d{1,3}) \((\d{1,6})\)$/.exec(text.trim());
  return m === null ? undefined : { major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]) };
}

/** The object's common name from its DN, for an object without `name`. */
function cnOf(dn: string): string {
  const m = /^CN=((?:\\.|[^,\\])*)/i.exec(dn);
  return m === null ? dn : m[1]!.replace(/\\(.)/g, "$1");
}

export function readComputer(o: DirectoryObject): Computer {
  const problems = [...(o.problems ?? [])];
  const time = (name: string): Date | null => {
    const t = first(o, name);
    if (t === null) return null;
    const d = fromFiletime(t);
    if (d === undefined) problems.push(`${name} is not a FILETIME: ${JSON.stringify(t)}`);
    return d ?? null;
  };
  const osVersionText = first(o, "operatingSystemVersion");
  const osVersion = osVersionText === null ? null : (parseOsVersion(osVersionText) ?? null);
  const uacText = first(o, "userAccountControl");
  const uac = uacText !== null && /^-?\d{1,10}$/.test(uacText) ? Number(uacText) >>> 0 : null;
  if (uacText !== null && uac === null) problems.push(`userAccountControl is not a number: ${JSON.stringify(uacText)}`);
  const createdText = first(o, "whenCreated");
  const whenCreated = createdText === null ? null : (fromGeneralizedTime(createdText) ?? null);
  if (createdText !== null && whenCreated === null) problems.push(`whenCreated is not a GeneralizedTime: ${JSON.stringify(createdText)}`);
  return {
    dn: o.dn,
    name: first(o, "name") ?? cnOf(o.dn),
    dnsHostName: first(o, "dNSHostName"),
    os: first(o, "operatingSystem"),
    osVersionText,
    osVersion,
    servicePack: first(o, "operatingSystemServicePack"),
    lastLogon: time("lastLogonTimestamp"),
    pwdLastSet: time("pwdLastSet"),
    whenCreated,
    disabled: uac === null ? null : (uac & ACCOUNTDISABLE) !== 0,
    domainController: uac !== null && (uac & SERVER_TRUST_ACCOUNT) !== 0,
    problems,
  };
}

/** How recently the object logged on or changed its password: the later of the two, or null when neither. */
export function lastSeen(c: Computer): Date | null {
  const times = [c.lastLogon, c.pwdLastSet].filter((d): d is Date => d !== null);
  return times.length === 0 ? null : new Date(Math.max(...times.map((d) => d.getTime())));
}

/**
 * A Windows server: by the directory's own text, or a domain controller by its account's flag
 * whose text does not say otherwise (a Samba DC writes "Samba" there: not Windows, not hostproof's
 * to read).
 */
export const isServer = (c: Computer): boolean => (c.os !== null && /server/i.test(c.os)) || (c.domainController && (c.os === null || /windows/i.test(c.os)));

export type Activity = "active" | "stale" | "disabled";

/**
 * Active: enabled, and a logon or a password change within `days` before `asOf` (a machine
 * account changes its password every 30 days by default, so a running host stays active even
 * where lastLogonTimestamp lags). Stale: enabled, and neither within `days`. Disabled: disabled.
 * An object whose userAccountControl cannot be read counts as enabled: it is never dropped.
 */
export function activityOf(c: Computer, asOf: Date, days: number): Activity {
  if (c.disabled === true) return "disabled";
  const seen = lastSeen(c);
  return seen !== null && asOf.getTime() - seen.getTime() <= days * 86_400_000 ? "active" : "stale";
}
