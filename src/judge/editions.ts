/**
 * Which lifecycle an edition follows, from Win32_OperatingSystem.OperatingSystemSKU.
 *
 * Windows 10 and 11 editions share build numbers but not end dates (21H2 is 19044 for Pro,
 * Enterprise and LTSC 2021 alike), and Nano Server 2016 is 14393 like Server 2016. The SKU is a
 * number and is the same in every language; the Caption is localised and never decides.
 *
 * Numbers are the PRODUCT_* constants of GetProductInfo (Win32 sysinfoapi.h). Only SKUs whose
 * lifecycle page is known are listed: an unknown number leaves the host undetermined rather than
 * guessing its edition.
 */

export type EditionGroup =
  /** "Windows 10/11 Home and Pro" pages: Home, Pro, Pro Education, Pro for Workstations, SE. */
  | "homePro"
  /** "Windows 10/11 Enterprise and Education" pages, with IoT Enterprise (GA channel) and multi-session. */
  | "enterpriseEducation"
  /** Enterprise LTSB/LTSC: one fixed-lifecycle page per release. */
  | "ltsc"
  /** IoT Enterprise LTSC: the same builds as LTSC, longer dates from 2021 on. */
  | "iotLtsc"
  /** Nano Server installed as the host's operating system. */
  | "nanoServer"
  /** Windows Server Semi-Annual Channel, Server Core installation (the only installation it had). */
  | "serverSac";

const GROUPS: Readonly<Record<EditionGroup, readonly number[]>> = {
  // 48 PROFESSIONAL, 49 PROFESSIONAL_N, 98 CORE_N, 99 CORE_COUNTRYSPECIFIC, 100 CORE_SINGLELANGUAGE,
  // 101 CORE (Home), 161/162 PRO_WORKSTATION(_N), 164/165 PRO_EDUCATION(_N), 178 CLOUD (Windows 11 SE).
  homePro: [48, 49, 98, 99, 100, 101, 161, 162, 164, 165, 178],
  // 4 ENTERPRISE, 27 ENTERPRISE_N, 70 ENTERPRISE_E, 72 ENTERPRISE_EVALUATION, 84 ENTERPRISE_N_EVALUATION,
  // 121/122 EDUCATION(_N), 175 Enterprise multi-session, 188 IOTENTERPRISE.
  enterpriseEducation: [4, 27, 70, 72, 84, 121, 122, 175, 188],
  // 125 ENTERPRISE_S, 126 ENTERPRISE_S_N, 129/130 their evaluations.
  ltsc: [125, 126, 129, 130],
  // 191 IOTENTERPRISES (IoT Enterprise LTSC).
  iotLtsc: [191],
  // 143 DATACENTER_NANO_SERVER, 144 STANDARD_NANO_SERVER.
  nanoServer: [143, 144],
  // 145 DATACENTER_A_SERVER_CORE, 146 STANDARD_A_SERVER_CORE: "Semi-Annual Channel (core installation)".
  serverSac: [145, 146],
};

export function editionGroupOf(sku: number): EditionGroup | undefined {
  for (const [group, skus] of Object.entries(GROUPS) as [EditionGroup, readonly number[]][]) {
    if (skus.includes(sku)) return group;
  }
  return undefined;
}
