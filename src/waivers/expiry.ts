/**
 * When a waiver stops applying. `expires: 2027-06-30` means "through 30 June 2027" to the person
 * who signed it, so the waiver holds until the end of that day. UTC, because the run's --as-of
 * day and the end-of-support dates are UTC days too: the same file gives the same verdict on
 * every CI runner, whatever its time zone.
 */

const DAY_MS = 86_400_000;

/** The instant after which the waiver no longer applies: 23:59:59.999 UTC of `expires`. */
export function expiryInstant(expires: string): number {
  const [y, m, d] = expires.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!) + DAY_MS - 1;
}

export function isExpired(expires: string, asOf: Date): boolean {
  return asOf.getTime() > expiryInstant(expires);
}

/** Whole UTC days between the day of `asOf` and the last day of the waiver: 0 on its last day. */
export function daysLeft(expires: string, asOf: Date): number {
  const asOfDay = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  return Math.round((expiryInstant(expires) + 1 - DAY_MS - asOfDay) / DAY_MS);
}

/** A valid waiver within `warnDays` of its last day (inclusive) should be renewed or retired. */
export function isExpiringSoon(expires: string, asOf: Date, warnDays: number): boolean {
  return !isExpired(expires, asOf) && daysLeft(expires, asOf) <= warnDays;
}
