/**
 * End of servicing for Windows 10, Windows 11 and the Windows Server releases that share their
 * builds: the Semi-Annual Channel (Server Core only) and Nano Server. A build names a release, and
 * the edition (OperatingSystemSKU, see editions.ts) names which of its dates applies.
 *
 * How each date was checked (2026-11-29). "Read" = seen in Microsoft's own lifecycle data, the
 * MicrosoftDocs/lifecycle-data-pr.* repositories (the YAML behind learn.microsoft.com/lifecycle,
 * archived February 2024) or MicrosoftDocs/Virtualization-Documentation. "Secondary" = seen only
 * in third-party copies of the learn.microsoft.com pages (DataForGeeks lifecycle-client.json,
 * which cites the four Windows 10/11 pages; a copy of the release-information tables in
 * metablaster/WindowsFirewallRuleset). "Unconfirmed" = the date as I know it, not seen in any
 * source during this change: check it against the `source` page before release.
 */
import type { EditionGroup } from "./editions";
import type { LifecycleEntry } from "./lifecycle-data";

const page = (slug: string): string => `https://learn.microsoft.com/lifecycle/products/${slug}`;
const W10_HOME_PRO = page("windows-10-home-and-pro");
const W10_ENT_EDU = page("windows-10-enterprise-and-education");
const W11_HOME_PRO = page("windows-11-home-and-pro");
const W11_ENT_EDU = page("windows-11-enterprise-and-education");
const SERVER_RELEASES = "https://learn.microsoft.com/windows/release-health/windows-server-release-info";
const CONTAINER_BASE_IMAGES = "https://learn.microsoft.com/virtualization/windowscontainers/deploy-containers/base-image-lifecycle";

/** A General Availability / Semi-Annual Channel client release: one date per edition family. */
interface ClientRelease {
  build: number;
  name: string;
  homePro: string;
  enterpriseEducation: string;
}

const WINDOWS_10: readonly ClientRelease[] = [
  // 1507-2004 and Enterprise 20H2/21H1: read. Home/Pro 1809 was 2020-05-12 in the archived page,
  // moved to 2020-11-10 (secondary). Home/Pro 20H2-22H2 and Enterprise 21H2/22H2: secondary.
  // Every Home/Pro date read again 2026-12-06 on learn.microsoft.com/lifecycle/products/
  // windows-10-home-and-pro; every Enterprise/Education date agrees with DataForGeeks' copy of
  // its page. 1507, 1511, 1903, 2004, 21H1 and 22H2 end on one day for every GA edition: their
  // date needs no SKU (1507 still does: Enterprise 2015 LTSB is build 10240 too).
  { build: 10240, name: "Windows 10 version 1507", homePro: "2017-05-09", enterpriseEducation: "2017-05-09" },
  { build: 10586, name: "Windows 10 version 1511", homePro: "2017-10-10", enterpriseEducation: "2017-10-10" },
  { build: 14393, name: "Windows 10 version 1607", homePro: "2018-04-10", enterpriseEducation: "2019-04-09" },
  { build: 15063, name: "Windows 10 version 1703", homePro: "2018-10-09", enterpriseEducation: "2019-10-08" },
  { build: 16299, name: "Windows 10 version 1709", homePro: "2019-04-09", enterpriseEducation: "2020-10-13" },
  { build: 17134, name: "Windows 10 version 1803", homePro: "2019-11-12", enterpriseEducation: "2021-05-11" },
  { build: 17763, name: "Windows 10 version 1809", homePro: "2020-11-10", enterpriseEducation: "2021-05-11" },
  { build: 18362, name: "Windows 10 version 1903", homePro: "2020-12-08", enterpriseEducation: "2020-12-08" },
  { build: 18363, name: "Windows 10 version 1909", homePro: "2021-05-11", enterpriseEducation: "2022-05-10" },
  { build: 19041, name: "Windows 10 version 2004", homePro: "2021-12-14", enterpriseEducation: "2021-12-14" },
  { build: 19042, name: "Windows 10 version 20H2", homePro: "2022-05-10", enterpriseEducation: "2023-05-09" },
  { build: 19043, name: "Windows 10 version 21H1", homePro: "2022-12-13", enterpriseEducation: "2022-12-13" },
  { build: 19044, name: "Windows 10 version 21H2", homePro: "2023-06-13", enterpriseEducation: "2024-06-11" },
  { build: 19045, name: "Windows 10 version 22H2", homePro: "2025-10-14", enterpriseEducation: "2025-10-14" },
];

const WINDOWS_11: readonly ClientRelease[] = [
  // 21H2 both and 22H2 Enterprise: read (22H2 Home/Pro read as 2024-10-14 in an early copy of
  // the page, 2024-10-08 in later ones: secondary). 23H2, 24H2, 25H2 and 26H1: secondary (checked
  // 2026-12-06 against DataForGeeks lifecycle-client.json of 2026-02-10, which copies the two
  // Windows 11 pages; its dates are the pages' end of day in Pacific time, written as the next UTC
  // day). 26H1 is build 28000, a release for new devices only.
  { build: 22000, name: "Windows 11 version 21H2", homePro: "2023-10-10", enterpriseEducation: "2024-10-08" },
  { build: 22621, name: "Windows 11 version 22H2", homePro: "2024-10-08", enterpriseEducation: "2025-10-14" },
  { build: 22631, name: "Windows 11 version 23H2", homePro: "2025-11-11", enterpriseEducation: "2026-11-10" },
  { build: 26100, name: "Windows 11 version 24H2", homePro: "2026-10-13", enterpriseEducation: "2027-10-12" },
  { build: 26200, name: "Windows 11 version 25H2", homePro: "2027-10-12", enterpriseEducation: "2028-10-10" },
  { build: 28000, name: "Windows 11 version 26H1", homePro: "2028-03-14", enterpriseEducation: "2029-03-13" },
];

/** Enterprise LTSB/LTSC and IoT Enterprise LTSC: fixed lifecycle, one page per release. */
interface LtscRelease {
  build: number;
  product: string;
  end: string;
  source: string;
  iot: { product: string; end: string; source: string };
}

const LTSC: readonly LtscRelease[] = [
  // 2015: read (IoT page). 2016, 2019, 2021 and IoT 2021: secondary. 2024 and IoT 2024: unconfirmed.
  { build: 10240, product: "Windows 10 Enterprise 2015 LTSB", end: "2025-10-14", source: page("windows-10-2015-ltsb"),
    iot: { product: "Windows 10 IoT Enterprise LTSB 2015", end: "2025-10-14", source: page("windows-10-iot-enterprise-ltsb-2015") } },
  { build: 14393, product: "Windows 10 Enterprise 2016 LTSB", end: "2026-10-13", source: page("windows-10-2016-ltsb"),
    iot: { product: "Windows 10 IoT Enterprise LTSB 2016", end: "2026-10-13", source: page("windows-10-iot-enterprise-ltsb-2016") } },
  { build: 17763, product: "Windows 10 Enterprise LTSC 2019", end: "2029-01-09", source: page("windows-10-enterprise-ltsc-2019"),
    iot: { product: "Windows 10 IoT Enterprise LTSC 2019", end: "2029-01-09", source: page("windows-10-iot-enterprise-ltsc-2019") } },
  { build: 19044, product: "Windows 10 Enterprise LTSC 2021", end: "2027-01-12", source: page("windows-10-enterprise-ltsc-2021"),
    iot: { product: "Windows 10 IoT Enterprise LTSC 2021", end: "2032-01-13", source: page("windows-10-iot-enterprise-ltsc-2021") } },
  { build: 26100, product: "Windows 11 Enterprise LTSC 2024", end: "2029-10-09", source: page("windows-11-enterprise-ltsc-2024"),
    iot: { product: "Windows 11 IoT Enterprise LTSC 2024", end: "2034-10-10", source: page("windows-11-iot-enterprise-ltsc-2024") } },
];

/**
 * Windows Server Semi-Annual Channel: Server Core only, 18 months each. 1709, 1803 and 1809
 * (before its extension): read in the container base-image table. 1809 is 2020-11-10 after the
 * 2020 extension (unconfirmed), 1903, 1909, 2004: unconfirmed (the client dates of the same
 * release); 20H2 2022-08-09: secondary (extended from 2022-05-10); 23H2: unconfirmed.
 */
const SERVER_SAC: readonly { build: number; name: string; end: string }[] = [
  { build: 16299, name: "Windows Server version 1709 (Semi-Annual Channel)", end: "2019-04-09" },
  { build: 17134, name: "Windows Server version 1803 (Semi-Annual Channel)", end: "2019-11-12" },
  { build: 17763, name: "Windows Server version 1809 (Semi-Annual Channel)", end: "2020-11-10" },
  { build: 18362, name: "Windows Server version 1903 (Semi-Annual Channel)", end: "2020-12-08" },
  { build: 18363, name: "Windows Server version 1909 (Semi-Annual Channel)", end: "2021-05-11" },
  { build: 19041, name: "Windows Server version 2004 (Semi-Annual Channel)", end: "2021-12-14" },
  { build: 19042, name: "Windows Server version 20H2 (Semi-Annual Channel)", end: "2022-08-09" },
  { build: 25398, name: "Windows Server version 23H2 (Annual Channel)", end: "2025-10-24" },
];

/**
 * Nano Server as a host. It shipped as an installation option of Server 2016 on the Semi-Annual
 * servicing of the time (sac2016, serviced until 2018-10-09: read in the base-image table); from
 * version 1709 on Microsoft supports Nano Server only as a container base image, so no Nano
 * Server host of any build is within support.
 */
const NANO_SERVER_HOST = {
  product: "Nano Server as a host operating system (supported only as a container base image since version 1709)",
  end: "2018-10-09",
  source: CONTAINER_BASE_IMAGES,
};

/**
 * The release and its date; or why there is none, with `candidates`: the releases the facts leave
 * open (the edition was not read, or nothing says server or workstation). A judge may still decide
 * when every candidate gives the same answer (lifecycle.ts); it never picks one of them.
 */
export type LifecycleLookup = { ok: true; entry: LifecycleEntry } | { ok: false; why: string; candidates?: readonly LifecycleEntry[] };

function entry(family: LifecycleEntry["family"], build: number, product: string, end: string, source: string): LifecycleEntry {
  return { product, family, major: 10, minor: 0, build, extendedSupportEnd: end, source };
}

function found(family: LifecycleEntry["family"], build: number, product: string, end: string, source: string): LifecycleLookup {
  return { ok: true, entry: entry(family, build, product, end, source) };
}

const NO_SKU = "the edition (Win32_OperatingSystem.OperatingSystemSKU) was not read, and releases of this build end on different dates per edition";

export function sacServer(build: number): LifecycleLookup | undefined {
  const sac = SERVER_SAC.find((r) => r.build === build);
  return sac ? found("server", build, sac.name, sac.end, SERVER_RELEASES) : undefined;
}

/** The entry of a lookup that found one (the SAC and Nano Server tables always do). */
function only(lookup: LifecycleLookup): LifecycleEntry {
  if (!lookup.ok) throw new Error(`internal: no lifecycle entry: ${lookup.why}`);
  return lookup.entry;
}

/** A 10.0 server: Nano Server and Semi-Annual Channel builds first, then the fixed-lifecycle releases. */
export function modernServer(build: number, group: EditionGroup | undefined, sku: number | null, nanoRuledOut = false, fixed?: LifecycleEntry): LifecycleLookup | "fixed" {
  if (group === "nanoServer") return found("server", build, NANO_SERVER_HOST.product, NANO_SERVER_HOST.end, NANO_SERVER_HOST.source);
  // 1809 is both Server 2019 (LTSC) and Windows Server 1809 (SAC): only the SKU tells them apart.
  if (build === 17763) {
    if (group === "serverSac") return sacServer(build) as LifecycleLookup;
    if (sku === null) return { ok: false, why: `build 17763 is Windows Server 2019 or Windows Server 1809 (Semi-Annual Channel): ${NO_SKU}`, candidates: [...(fixed ? [fixed] : []), only(sacServer(build)!)] };
    return "fixed";
  }
  // 14393 is Server 2016 or a Nano Server host; without the SKU the two cannot be told apart.
  if (build === 14393 && sku === null && !nanoRuledOut) {
    return { ok: false, why: `build 14393 is Windows Server 2016 or Nano Server: ${NO_SKU}`, candidates: [...(fixed ? [fixed] : []), entry("server", build, NANO_SERVER_HOST.product, NANO_SERVER_HOST.end, NANO_SERVER_HOST.source)] };
  }
  return sacServer(build) ?? "fixed";
}

/** Every dated edition of a Windows 10 or 11 build: Home/Pro, Enterprise/Education, LTSC, IoT LTSC. */
function clientEditions(build: number): LifecycleEntry[] {
  const ltsc = LTSC.find((r) => r.build === build);
  const release = WINDOWS_10.find((r) => r.build === build) ?? WINDOWS_11.find((r) => r.build === build);
  const windows11 = build >= 22000;
  const out: LifecycleEntry[] = [];
  if (release) {
    out.push(entry("client", build, `${release.name} Home and Pro`, release.homePro, windows11 ? W11_HOME_PRO : W10_HOME_PRO));
    out.push(entry("client", build, `${release.name} Enterprise and Education`, release.enterpriseEducation, windows11 ? W11_ENT_EDU : W10_ENT_EDU));
  }
  if (ltsc) {
    out.push(entry("client", build, ltsc.product, ltsc.end, ltsc.source));
    out.push(entry("client", build, ltsc.iot.product, ltsc.iot.end, ltsc.iot.source));
  }
  return out;
}

/**
 * A 10.0 workstation: Windows 10 or 11 by build, the date by edition. Where the edition was not
 * read (`sku` null) and every edition of the build ends on one day, that day needs no edition.
 */
export function modernClient(build: number, group: EditionGroup | undefined, sku: number | null): LifecycleLookup {
  const ltsc = LTSC.find((r) => r.build === build);
  const release = WINDOWS_10.find((r) => r.build === build) ?? WINDOWS_11.find((r) => r.build === build);
  if (!ltsc && !release) return { ok: false, why: `build ${build} is no Windows 10 or 11 release hostproof has lifecycle data for` };
  if (sku === null) {
    const editions = clientEditions(build);
    const days = new Set(editions.map((e) => e.extendedSupportEnd));
    if (days.size === 1 && release) {
      const sources = [...new Set(editions.map((e) => e.source))].join(" and ");
      return found("client", build, `${release.name}, every edition (Home, Pro, Enterprise and Education end the same day)`, editions[0]!.extendedSupportEnd, sources);
    }
    return { ok: false, why: NO_SKU, candidates: editions };
  }
  const windows11 = build >= 22000;
  switch (group) {
    case "ltsc":
    case "iotLtsc": {
      if (!ltsc) return { ok: false, why: `edition SKU ${sku} is an LTSC edition, but build ${build} is no LTSC release` };
      const r = group === "iotLtsc" ? ltsc.iot : ltsc;
      return found("client", build, r.product, r.end, r.source);
    }
    case "homePro":
    case "enterpriseEducation": {
      if (!release) return { ok: false, why: `build ${build} is released only as LTSC, but edition SKU ${sku} is not an LTSC edition` };
      const home = group === "homePro";
      const product = `${release.name} ${home ? "Home and Pro" : "Enterprise and Education"}`;
      const source = windows11 ? (home ? W11_HOME_PRO : W11_ENT_EDU) : home ? W10_HOME_PRO : W10_ENT_EDU;
      return found("client", build, product, home ? release.homePro : release.enterpriseEducation, source);
    }
    default:
      return { ok: false, why: `edition SKU ${sku} is not one whose lifecycle hostproof knows (Home/Pro, Enterprise/Education, LTSC)` };
  }
}
