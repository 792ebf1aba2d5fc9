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
 * as summarised in the project reference (windows-facts.md §1), except Windows Server 2025: its page
 * gives 2034-10-10 (mainstream 2029-10-09), where windows-facts.md had 2034-11-14 (checked
 * 2026-12-06 against DataForGeeks lifecycle-server.json, a copy of these pages that writes each end
 * of day in Pacific time as the next UTC day). Microsoft publishes the dates as
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
  { product: "Windows Server 2025", family: "server", major: 10, minor: 0, build: 26100, extendedSupportEnd: "2034-10-10", source: page("windows-server-2025") },
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


/** ProductType 1 is a workstation; 2 (domain controller) and 3 (server) are servers; unknown is unknown. */
export function familyOf(productType: number | null): LifecycleEntry["family"] | null {
  return productType === null ? null : productType === 1 ? "client" : "server";
}

interface OsRelease {
  major: number;
  minor: number;
  build: number;
  productType?: number | null;
  /**
   * Server or workstation as every fact that says so agrees (os-release.ts releaseKind), where the
   * caller knows; else ProductType decides, and without it the release is either.
   */
  kind?: LifecycleEntry["family"] | null;
  /** Win32_OperatingSystem.OperatingSystemSKU; null when not read (snapshots from before it was). */
  sku?: number | null;
  /**
   * The CurrentVersion key's InstallationType ("Server", "Server Core", "Nano Server"), when it
   * was read: a second, language-independent sign of a Nano Server host beside the SKU, and the
   * only one in snapshots without the SKU.
   */
  installationType?: string | null;
}

function fixedRelease(family: LifecycleEntry["family"], os: OsRelease): LifecycleEntry | undefined {
  return LIFECYCLE.find((e) => e.family === family && e.major === os.major && e.minor === os.minor && (e.build === undefined || e.build === os.build));
}

/** The release of one kind: a workstation is never given a server's name or date, nor the reverse. */
function lookupKind(family: LifecycleEntry["family"], os: OsRelease): LifecycleLookup {
  const sku = os.sku ?? null;
  const type = os.installationType?.trim().toLowerCase();
  const group = type === "nano server" ? "nanoServer" : sku === null ? undefined : editionGroupOf(sku);
  if (os.major === 10 && os.minor === 0) {
    if (family === "client") return modernClient(os.build, group, sku);
    // A known installation type other than Nano Server settles 14393 without the SKU.
    const modern = modernServer(os.build, group, sku, type !== undefined && type !== "" && group !== "nanoServer", fixedRelease("server", os));
    if (modern !== "fixed") return modern;
  }
  const entry = fixedRelease(family, os);
  if (entry) return { ok: true, entry };
  return { ok: false, why: `no Windows ${family === "client" ? "workstation" : "server"} release hostproof knows has version ${os.major}.${os.minor}.${os.build}` };
}

/**
 * The release and its end date, or why there is none: the judges print the reason. Where nothing
 * says server or workstation, both kinds' releases of the version are the candidates (a judge may
 * decide if all of them agree), unless either kind has no release of that version hostproof knows.
 */
export function lookupLifecycle(os: OsRelease): LifecycleLookup {
  const kind = os.kind !== undefined && os.kind !== null ? os.kind : familyOf(os.productType ?? null);
  if (kind !== null) return lookupKind(kind, os);
  const both = (["server", "client"] as const).map((k) => lookupKind(k, os));
  const candidates: LifecycleEntry[] = [];
  for (const found of both) {
    if (found.ok) candidates.push(found.entry);
    else if (found.candidates !== undefined) candidates.push(...found.candidates);
    else return { ok: false, why: `whether this is a server or a workstation was not read (no ProductType, and no other fact says), and ${found.why}` };
  }
  return { ok: false, why: "whether this is a server or a workstation was not read (no ProductType, and no other fact says), and the two kinds' releases of this version differ", candidates };
}

export function lifecycleFor(os: OsRelease): LifecycleEntry | undefined {
  const found = lookupLifecycle(os);
  return found.ok ? found.entry : undefined;
}
