/**
 * When a computer object last showed a sign of life, from the raw directory values.
 *
 * lastLogonTimestamp is replicated only when it is 9 to 14 days old (ms-DS-Logon-Time-Sync-
 * Interval), and a machine changes its account password every 30 days by default: so an object
 * whose newer of the two is older than N days has not been on the network for about N days. That
 * is the stale test PingCastle and Microsoft's own guidance use; 0 and the "never" value
 * (0x7FFFFFFFFFFFFFFF) count as no sign at all.
 */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
const NEVER = 0x7fffffffffffffffn;

/** A FILETIME (100-ns ticks since 1601-01-01 UTC) as a Date; undefined for 0, never, or not a FILETIME. */
export function filetimeToDate(raw: string | undefined): Date | undefined {
  if (raw === undefined || !/^-?\d{1,20}$/.test(raw)) return undefined;
  const ticks = BigInt(raw);
  if (ticks <= 0n || ticks >= NEVER) return undefined;
  const ms = ticks / 10_000n - FILETIME_EPOCH_OFFSET_MS;
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The newer of the last logon and the last password change, or undefined when neither is known. */
export function lastSeen(lastLogonTimestamp: string | undefined, pwdLastSet: string | undefined): Date | undefined {
  const dates = [filetimeToDate(lastLogonTimestamp), filetimeToDate(pwdLastSet)].filter((d): d is Date => d !== undefined);
  if (dates.length === 0) return undefined;
  return dates.reduce((a, b) => (a > b ? a : b));
}

const ACCOUNTDISABLE = 0x2;

/** userAccountControl has ACCOUNTDISABLE set. An absent or unreadable value is not "disabled". */
export function isDisabled(userAccountControl: string | undefined): boolean {
  if (userAccountControl === undefined || !/^-?\d{1,10}$/.test(userAccountControl)) return false;
  return (Number(userAccountControl) & ACCOUNTDISABLE) !== 0;
}

/** Seen within `staleDays` days before `now`. */
export function isRecent(seen: Date | undefined, staleDays: number, now: Date): boolean {
  return seen !== undefined && now.getTime() - seen.getTime() <= staleDays * 86_400_000;
}
