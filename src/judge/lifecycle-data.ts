/**
 * End of extended support for Windows releases: servers from NT 4.0, clients from NT 4.0 to 8.1.
 * Every entry names the Microsoft Lifecycle page its date comes from.
 *
 * Windows 10 and 11, the Semi-Annual Channel servers and Nano Server are in lifecycle-modern.ts:
 * their dates depend on the edition (Win32_OperatingSystem.OperatingSystemSKU), not only the build.
 *
 * Source: Microsoft Lifecycle (Fixed Lifecycle Policy), one page per product:
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2003-
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2003-r2
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2008
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2008-r2
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2012
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2012-r2
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2016
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2019
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2022
 *   https://learn.microsoft.com/lifecycle/products/windows-server-2025
 * as summarised in the project reference (windows-facts.md §1). Microsoft publishes the dates as
 * the end of that day in Pacific time; hostproof judges them as the end of the day in UTC, so a
 * host is treated as supported through the whole of its last day.
 *
 * Versions are the `Version` of Win32_OperatingSystem. Before Windows Server 2016 a major.minor
 * pair names exactly one server release; from 10.0 on only the build tells them apart.
 */

export interface LifecycleEntry {
  product: string;
  /** Which Win32_OperatingSystem ProductType the entry is for: clients share version numbers with servers. */
  family: "server" | "client";
  major: number;
  minor: number;
  /** Only for 10.0, where major.minor no longer identifies the release. */
  build?: number;
  /** yyyy-mm-dd; support ends at the end of this day (UTC). */
  extendedSupportEnd: string;
  /** Paid Extended Security Updates, shown to auditors but never judged. */
  esuEnd?: string;
  /** The Microsoft Lifecycle page the date is taken from. */
  source: string;
}

import { editionGroupOf } from "./editions";
import { modernClient, modernServer, type LifecycleLookup } from "./lifecycle-modern";

const page = (slug: string): string => `https://learn.microsoft.com/lifecycle/products/${slug}`;

export const LIFECYCLE: readonly LifecycleEntry[] = [
  // Servers (ProductType 2 domain controller, 3 server).
  { product: "Windows NT Server 4.0", family: "server", major: 4, minor: 0, extendedSupportEnd: "2004-12-31", source: page("windows-nt-server-40") },
  { product: "Windows 2000 Server", family: "server", major: 5, minor: 0, extendedSupportEnd: "2010-07-13", source: page("windows-2000-server") },
  { product: "Windows Server 2003 / 2003 R2", family: "server", major: 5, minor: 2, extendedSupportEnd: "2015-07-14", source: page("windows-server-2003-") },
  { product: "Windows Server 2008", family: "server", major: 6, minor: 0, extendedSupportEnd: "2020-01-14", source: page("windows-server-2008") },
  { product: "Windows Server 2008 R2", family: "server", major: 6, minor: 1, extendedSupportEnd: "2020-01-14", source: page("windows-server-2008-r2") },
  { product: "Windows Server 2012", family: "server", major: 6, minor: 2, extendedSupportEnd: "2023-10-10", esuEnd: "2026-10-13", source: page("windows-server-2012") },
  { product: "Windows Server 2012 R2", family: "server", major: 6, minor: 3, extendedSupportEnd: "2023-10-10", esuEnd: "2026-10-13", source: page("windows-server-2012-r2") },
  { product: "Windows Server 2016", family: "server", major: 10, minor: 0, build: 14393, extendedSupportEnd: "2027-01-12", source: page("windows-server-2016") },
  { product: "Windows Server 2019", family: "server", major: 10, minor: 0, build: 17763, extendedSupportEnd: "2029-01-09", source: page("windows-server-2019") },
  { product: "Windows Server 2022", family: "server", major: 10, minor: 0, build: 20348, extendedSupportEnd: "2031-10-14", source: page("windows-server-2022") },
  { product: "Windows Server 2025", family: "server", major: 10, minor: 0, build: 26100, extendedSupportEnd: "2034-11-14", source: page("windows-server-2025") },
  // Clients (ProductType 1) up to 8.1: one release per major.minor, the same date for every edition.
  { product: "Windows NT Workstation 4.0", family: "client", major: 4, minor: 0, extendedSupportEnd: "2004-06-30", source: page("windows-nt-workstation-40") },
  { product: "Windows 2000 Professional", family: "client", major: 5, minor: 0, extendedSupportEnd: "2010-07-13", source: page("windows-2000-professional-edition") },
  { product: "Windows XP", family: "client", major: 5, minor: 1, extendedSupportEnd: "2014-04-08", source: page("windows-xp") },
  // Windows XP Professional x64 Edition is version 5.2, like Server 2003, but a client.
  { product: "Windows XP Professional x64 Edition", family: "client", major: 5, minor: 2, extendedSupportEnd: "2014-04-08", source: page("windows-xp") },
  { product: "Windows Vista", family: "client", major: 6, minor: 0, extendedSupportEnd: "2017-04-11", source: page("windows-vista") },
  { product: "Windows 7", family: "client", major: 6, minor: 1, extendedSupportEnd: "2020-01-14", source: page("windows-7") },
  { product: "Windows 8", family: "client", major: 6, minor: 2, extendedSupportEnd: "2016-01-12", source: page("windows-8") },
  { product: "Windows 8.1", family: "client", major: 6, minor: 3, extendedSupportEnd: "2023-01-10", source: page("windows-81") },
];


/** ProductType 1 is a workstation; 2 (domain controller) and 3 (server), or unknown, are servers. */
export function familyOf(productType: number | null): LifecycleEntry["family"] {
  return productType === 1 ? "client" : "server";
}

interface OsRelease {
  major: number;
  minor: number;
  build: number;
  productType?: number | null;
  /** Win32_OperatingSystem.OperatingSystemSKU; null when not read (snapshots from before it was). */
  sku?: number | null;
  /**
   * The CurrentVersion key's InstallationType ("Server", "Server Core", "Nano Server"), when it
   * was read: a second, language-independent sign of a Nano Server host beside the SKU, and the
   * only one in snapshots without the SKU.
   */
  installationType?: string | null;
}

/** The release and its end date, or why there is none: the judges print the reason. */
export function lookupLifecycle(os: OsRelease): LifecycleLookup {
  const family = familyOf(os.productType ?? null);
  const sku = os.sku ?? null;
  const type = os.installationType?.trim().toLowerCase();
  const group = type === "nano server" ? "nanoServer" : sku === null ? undefined : editionGroupOf(sku);
  if (os.major === 10 && os.minor === 0) {
    if (family === "client") return modernClient(os.build, group, sku);
    // A known installation type other than Nano Server settles 14393 without the SKU.
    const modern = modernServer(os.build, group, sku, type !== undefined && type !== "" && group !== "nanoServer");
    if (modern !== "fixed") return modern;
  }
  const entry = LIFECYCLE.find(
    (e) => e.family === family && e.major === os.major && e.minor === os.minor && (e.build === undefined || e.build === os.build),
  );
  if (entry) return { ok: true, entry };
  return { ok: false, why: `no Windows ${family === "client" ? "workstation" : "server"} release hostproof knows has version ${os.major}.${os.minor}.${os.build}` };
}

export function lifecycleFor(os: OsRelease): LifecycleEntry | undefined {
  const found = lookupLifecycle(os);
  return found.ok ? found.entry : undefined;
}
