/**
 * The DISA STIGs a checklist's iSTIG names (its STIG_INFO): the benchmark's id, title, version and
 * release as DISA publishes them in the XCCDF file named. They are the releases the built-in
 * controls' @stig tags were read from (../shared/reference/control-mappings.md, sources S1 to S4),
 * so a Rule ID's revision suffix in a tag matches the release named here. STIG Viewer and eMASS
 * match a checklist to their STIG library by the benchmark id and version; a newer release is
 * taken up in STIG Viewer by importing the checklist into it, which carries each VULN over by its
 * Vuln ID.
 */

export interface StigBenchmark {
  stigid: string;
  title: string;
  version: string;
  release: string;
  /** DISA's benchmark date, as STIG Viewer writes it in releaseinfo. */
  date: string;
  filename: string;
}

const windowsServer = (year: number, version: number, release: number, date: string): StigBenchmark => ({
  stigid: `MS_Windows_Server_${year}_STIG`,
  title: `Microsoft Windows Server ${year} Security Technical Implementation Guide`,
  version: String(version),
  release: String(release),
  date,
  filename: `U_MS_Windows_Server_${year}_STIG_V${version}R${release}_Manual-xccdf.xml`,
});

/** By StigRef.platform (controls/mappings.ts: STIG_PLATFORMS). */
export const STIG_BENCHMARKS: Readonly<Record<string, StigBenchmark>> = {
  "Windows Server 2016": windowsServer(2016, 2, 10, "15 Jan 2025"),
  "Windows Server 2019": windowsServer(2019, 3, 8, "01 Apr 2026"),
  "Windows Server 2022": windowsServer(2022, 2, 8, "01 Apr 2026"),
  "Windows Server 2025": windowsServer(2025, 1, 1, "26 Jan 2026"),
};

/** STIG Viewer's releaseinfo: "Release: 8 Benchmark Date: 01 Apr 2026". */
export function releaseInfo(b: StigBenchmark): string {
  return `Release: ${b.release} Benchmark Date: ${b.date}`;
}

/** A VULN's STIGRef: "<title> :: Version 3, Release: 8 Benchmark Date: 01 Apr 2026". */
export function stigRefText(b: StigBenchmark): string {
  return `${b.title} :: Version ${b.version}, ${releaseInfo(b)}`;
}
