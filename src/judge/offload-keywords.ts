/**
 * Standardized NDIS INF keywords for hardware offloads and the RegistryValue that turns each off.
 *
 * Source: Microsoft windows-driver-docs, "Standardized INF keywords" pages (for VMQ, RSS, LSO,
 * checksum offload, RSC, SR-IOV, encapsulated packet task offload, power-management offloads and
 * jumbo packets), as summarised in the project reference (windows-facts.md §5). Checksum
 * offloads use 0 disabled, 1 Tx, 2 Rx, 3 Rx and Tx; *JumboPacket has no "off": 1514 is the
 * standard Ethernet frame, i.e. no jumbo frames.
 */

export interface OffloadKeyword {
  /** Spelled as the standard spells it; drivers may differ in case. */
  keyword: string;
  disabled: string;
}

export const OFFLOAD_KEYWORDS: readonly OffloadKeyword[] = [
  { keyword: "*VMQ", disabled: "0" },
  { keyword: "*RSS", disabled: "0" },
  { keyword: "*LsoV2IPv4", disabled: "0" },
  { keyword: "*LsoV2IPv6", disabled: "0" },
  { keyword: "*IPChecksumOffloadIPv4", disabled: "0" },
  { keyword: "*TCPChecksumOffloadIPv4", disabled: "0" },
  { keyword: "*TCPChecksumOffloadIPv6", disabled: "0" },
  { keyword: "*UDPChecksumOffloadIPv4", disabled: "0" },
  { keyword: "*UDPChecksumOffloadIPv6", disabled: "0" },
  { keyword: "*RscIPv4", disabled: "0" },
  { keyword: "*RscIPv6", disabled: "0" },
  { keyword: "*SRIOV", disabled: "0" },
  { keyword: "*EncapsulatedPacketTaskOffload", disabled: "0" },
  { keyword: "*PMARPOffload", disabled: "0" },
  { keyword: "*PMNSOffload", disabled: "0" },
  { keyword: "*JumboPacket", disabled: "1514" },
];
