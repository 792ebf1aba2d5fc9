/**
 * End of extended support for Windows Server releases.
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
  major: number;
  minor: number;
  /** Only for 10.0, where major.minor no longer identifies the release. */
  build?: number;
  /** yyyy-mm-dd; support ends at the end of this day (UTC). */
  extendedSupportEnd: string;
  /** Paid Extended Security Updates, shown to auditors but never judged. */
  esuEnd?: string;
}

export const LIFECYCLE: readonly LifecycleEntry[] = [
  { product: "Windows Server 2003 / 2003 R2", major: 5, minor: 2, extendedSupportEnd: "2015-07-14" },
  { product: "Windows Server 2008", major: 6, minor: 0, extendedSupportEnd: "2020-01-14" },
  { product: "Windows Server 2008 R2", major: 6, minor: 1, extendedSupportEnd: "2020-01-14" },
  { product: "Windows Server 2012", major: 6, minor: 2, extendedSupportEnd: "2023-10-10", esuEnd: "2026-10-13" },
  { product: "Windows Server 2012 R2", major: 6, minor: 3, extendedSupportEnd: "2023-10-10", esuEnd: "2026-10-13" },
  { product: "Windows Server 2016", major: 10, minor: 0, build: 14393, extendedSupportEnd: "2027-01-12" },
  { product: "Windows Server 2019", major: 10, minor: 0, build: 17763, extendedSupportEnd: "2029-01-09" },
  { product: "Windows Server 2022", major: 10, minor: 0, build: 20348, extendedSupportEnd: "2031-10-14" },
  { product: "Windows Server 2025", major: 10, minor: 0, build: 26100, extendedSupportEnd: "2034-11-14" },
];

export const LIFECYCLE_SOURCE = "Microsoft Lifecycle, Fixed Lifecycle Policy (learn.microsoft.com/lifecycle/products/windows-server-*)";

export function lifecycleFor(version: { major: number; minor: number; build: number }): LifecycleEntry | undefined {
  return LIFECYCLE.find(
    (e) => e.major === version.major && e.minor === version.minor && (e.build === undefined || e.build === version.build),
  );
}
