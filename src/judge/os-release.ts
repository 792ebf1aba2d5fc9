/**
 * Whether the facts that say which Windows release a host runs agree with each other. The release
 * decides end of support (HP-EOS-*), whether a host can be a workgroup-cluster node (HP-CLU-001)
 * and which rule PowerShell 2.0 is judged by (HP-PS2-001); each of those reads one or two of the
 * facts, and a snapshot whose caption says Windows Server 2003 while its version says 10.0 would
 * pass whichever one the control happened to read. Where the facts contradict each other, none
 * of them is believed: the control is undetermined and names the contradiction.
 *
 * The facts: Win32_OperatingSystem Version, BuildNumber (checked in facts/os.ts), Caption,
 * ProductType and OperatingSystemSKU, and the CurrentVersion key's CurrentBuild and
 * InstallationType. The Caption is localised display text, so it only counts where it names a
 * product outright (the product names are not translated: "Microsoft Windows Server 2016
 * 数据中心版"); a caption naming none contradicts nothing.
 */
import type { HostFacts, OsFact, WindowsVersionFact } from "../model/facts";
import type { EvidenceRef, Judgement } from "../model/result";
import { editionGroupOf } from "./editions";
import { evidence } from "./common";

export interface Release {
  name: string;
  family: "server" | "client";
  major: number;
  minor: number | readonly number[];
  /** For 10.0 releases, the build or builds (inclusive range) the name covers. */
  builds?: readonly [number, number];
}

const SERVER_BY_YEAR: Readonly<Record<string, Release>> = {
  "2003": { name: "Windows Server 2003", family: "server", major: 5, minor: 2 },
  "2003 R2": { name: "Windows Server 2003 R2", family: "server", major: 5, minor: 2 },
  "2008": { name: "Windows Server 2008", family: "server", major: 6, minor: 0 },
  "2008 R2": { name: "Windows Server 2008 R2", family: "server", major: 6, minor: 1 },
  "2012": { name: "Windows Server 2012", family: "server", major: 6, minor: 2 },
  "2012 R2": { name: "Windows Server 2012 R2", family: "server", major: 6, minor: 3 },
  "2016": { name: "Windows Server 2016", family: "server", major: 10, minor: 0, builds: [14393, 14393] },
  "2019": { name: "Windows Server 2019", family: "server", major: 10, minor: 0, builds: [17763, 17763] },
  "2022": { name: "Windows Server 2022", family: "server", major: 10, minor: 0, builds: [20348, 20348] },
  "2025": { name: "Windows Server 2025", family: "server", major: 10, minor: 0, builds: [26100, 26100] },
};

const CLIENT_BY_NAME: Readonly<Record<string, Release>> = {
  // XP Professional x64 Edition is 5.2, like Server 2003.
  xp: { name: "Windows XP", family: "client", major: 5, minor: [1, 2] },
  vista: { name: "Windows Vista", family: "client", major: 6, minor: 0 },
  "7": { name: "Windows 7", family: "client", major: 6, minor: 1 },
  "8": { name: "Windows 8", family: "client", major: 6, minor: 2 },
  "8.1": { name: "Windows 8.1", family: "client", major: 6, minor: 3 },
  "10": { name: "Windows 10", family: "client", major: 10, minor: 0, builds: [10240, 21999] },
  "11": { name: "Windows 11", family: "client", major: 10, minor: 0, builds: [22000, 65535] },
};

const SERVER_CAPTION = /\bWindows\s+(?:[A-Za-z-]+\s+){0,3}?Server\s+(2003|2008|2012|2016|2019|2022|2025)(\s+R2)?\b/i;
const CLIENT_CAPTION = /\bWindows\s+(XP|Vista|8\.1|7|8|10|11)\b/i;

/** The release a caption names outright, or undefined (no name, or display text in other words). */
export function releaseNamedBy(caption: string): Release | undefined {
  const plain = caption.replace(/\((?:R|TM)\)|®|™/gi, " ").replace(/\s+/g, " ");
  const server = SERVER_CAPTION.exec(plain);
  if (server) return SERVER_BY_YEAR[`${server[1]}${server[2] ? " R2" : ""}`];
  const client = CLIENT_CAPTION.exec(plain);
  return client ? CLIENT_BY_NAME[client[1]!.toLowerCase()] : undefined;
}

/** Whether a named release has this version (major.minor, and the build from 10.0 on). */
export function releaseMatches(release: Release, os: { major: number; minor: number; build: number }): boolean {
  const minors = typeof release.minor === "number" ? [release.minor] : release.minor;
  if (os.major !== release.major || !minors.includes(os.minor)) return false;
  return release.builds === undefined || (os.build >= release.builds[0] && os.build <= release.builds[1]);
}

const PRODUCT_TYPES: Readonly<Record<number, string>> = { 1: "a workstation", 2: "a domain controller", 3: "a server" };

export type ReleaseKind = "server" | "client";

/**
 * Windows 10/11 Enterprise multi-session (OperatingSystemSKU 175, EditionID ServerRdsh or
 * EnterpriseMultiSession) is a client release that reports ProductType 3 like a server, "to keep
 * the OS compatible with existing RDSH management tooling" (Microsoft, Azure Virtual Desktop FAQ,
 * learn.microsoft.com/azure/virtual-desktop/windows-10-multisession-faq). Its ProductType says
 * nothing about which release it is.
 */
const MULTI_SESSION_SKU = 175;
const MULTI_SESSION_EDITIONS = ["serverrdsh", "enterprisemultisession"];

function multiSession(os: OsFact, version: WindowsVersionFact | undefined): boolean {
  return os.sku === MULTI_SESSION_SKU || MULTI_SESSION_EDITIONS.includes(version?.editionId?.trim().toLowerCase() ?? "");
}

/** One fact's say on whether this is a server or a workstation release, in words for a contradiction. */
interface KindSign {
  kind: ReleaseKind;
  said: string;
}

/**
 * What each fact says about the kind of release: the caption where it names a product, the SKU
 * where it is a known edition, the installation type, and ProductType (except on Enterprise
 * multi-session, where 3 is a compatibility setting). ProductType last: contradictions are
 * worded against it.
 */
function kindSigns(os: OsFact, version: WindowsVersionFact | undefined): KindSign[] {
  const signs: KindSign[] = [];
  const named = releaseNamedBy(os.caption);
  if (named !== undefined) signs.push({ kind: named.family, said: `the caption '${os.caption}' names ${named.name}` });
  const group = os.sku === null ? undefined : editionGroupOf(os.sku);
  if (group !== undefined) {
    const server = group === "nanoServer" || group === "serverSac";
    signs.push({ kind: server ? "server" : "client", said: `OperatingSystemSKU ${os.sku} is a ${server ? "server" : "workstation"} edition` });
  }
  const installation = version?.installationType?.trim().toLowerCase() ?? null;
  if (installation === "client" || installation === "server" || installation === "server core" || installation === "nano server") {
    const client = installation === "client";
    signs.push({ kind: client ? "client" : "server", said: `InstallationType '${version!.installationType}' is a ${client ? "workstation" : "server"} installation` });
  }
  if (os.productType !== null && !(os.productType === 3 && multiSession(os, version))) {
    const type = PRODUCT_TYPES[os.productType] ?? `product type ${os.productType}`;
    signs.push({ kind: os.productType === 1 ? "client" : "server", said: `ProductType ${os.productType} is ${type}` });
  }
  return signs;
}

/**
 * Whether the host runs a server or a workstation release, from every fact that says so; undefined
 * when none does or they disagree (osContradictions names the disagreement). A workstation is never
 * given a server release's name or date, nor the reverse, whichever fact was read.
 */
export function releaseKind(os: OsFact, version: WindowsVersionFact | undefined): ReleaseKind | undefined {
  const kinds = new Set(kindSigns(os, version).map((s) => s.kind));
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Every contradiction among the facts that decide the release, in words; empty when they agree. */
export function osContradictions(os: OsFact, version: WindowsVersionFact | undefined): string[] {
  const out: string[] = [];
  const named = releaseNamedBy(os.caption);
  if (named !== undefined && !releaseMatches(named, os)) out.push(`the caption '${os.caption}' names ${named.name}, but the version is ${os.version} (build ${os.build})`);
  const signs = kindSigns(os, version);
  const anchor = signs[signs.length - 1];
  for (const sign of signs.slice(0, -1)) {
    if (sign.kind !== anchor!.kind) out.push(`${sign.said}, but ${anchor!.said}`);
  }
  const group = os.sku === null ? undefined : editionGroupOf(os.sku);
  if (version !== undefined) {
    if (version.currentBuild !== null && version.currentBuild !== os.build) {
      out.push(`Win32_OperatingSystem says build ${os.build}, but the CurrentVersion key's CurrentBuild is ${version.currentBuild}`);
    }
    const installation = version.installationType?.trim().toLowerCase() ?? null;
    if (installation !== null && os.sku !== null) {
      const nanoSku = group === "nanoServer";
      if ((installation === "nano server") !== nanoSku && (nanoSku || installation === "nano server")) {
        out.push(`InstallationType '${version.installationType}' and OperatingSystemSKU ${os.sku} disagree on whether this is Nano Server`);
      }
      if (group === "serverSac" && installation !== "server core") {
        out.push(`OperatingSystemSKU ${os.sku} is a Semi-Annual Channel edition, which exists only as Server Core, but InstallationType is '${version.installationType}'`);
      }
    }
  }
  return out;
}

/**
 * The undetermined judgement for a host whose release facts contradict each other, or undefined
 * when they agree (or the os fact was not read: the caller deals with that).
 */
export function contradictoryRelease(facts: HostFacts, expected: string): Judgement | undefined {
  if (!facts.os.ok) return undefined;
  const found = osContradictions(facts.os.value, facts.windowsVersion.ok ? facts.windowsVersion.value : undefined);
  if (found.length === 0) return undefined;
  const refs: EvidenceRef[] = [evidence(facts.host, "os"), ...(facts.windowsVersion.ok ? [evidence(facts.host, "windowsVersion")] : [])];
  return {
    status: "undetermined",
    expected,
    actual: `the facts that say which Windows this is contradict each other: ${found.join("; ")}`,
    reason: { kind: "inconsistent", message: `${facts.host}: the facts that decide the Windows release contradict each other, so none of them is believed: ${found.join("; ")}` },
    evidence: refs,
  };
}
