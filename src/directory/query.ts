/**
 * What `discover` asks the directory: every computer object, with the attributes an auditor
 * scoping an AD estate reads (PingCastle's obsolete-OS and stale-object checks use the same).
 * Every one of them is readable by any authenticated domain user in a default Active Directory.
 */
export const COMPUTER_FILTER = "(objectCategory=computer)";

export const COMPUTER_ATTRIBUTES = [
  "name",
  "dNSHostName",
  "operatingSystem",
  "operatingSystemVersion",
  "operatingSystemServicePack",
  "lastLogonTimestamp",
  "pwdLastSet",
  "userAccountControl",
  "whenCreated",
  "distinguishedName",
] as const;

export type ComputerAttribute = (typeof COMPUTER_ATTRIBUTES)[number];

export const DEFAULT_PAGE_SIZE = 500;
/** Active Directory's MaxPageSize default: a larger page is cut to this by the server anyway. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_STALE_DAYS = 90;
/** The longest "active" window, in days: the inventory schema's limit for inputs.directory.activeDays. */
export const MAX_ACTIVE_DAYS = 3650;
