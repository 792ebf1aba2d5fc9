/**
 * The inventory `discover` writes: the active servers, in the inventory schema's form, each with
 * the transport the user chose (--transport; winrm by default, what a domain-joined Windows
 * server answers) and what the directory says about it as comments. Directory text is hostile:
 * every scalar is a JSON string (a valid YAML double-quoted scalar, so "true", "1e3" or "#x" stay
 * strings), and every comment is one line with control, format and line-separator characters
 * shown as escapes (a newline in an OS caption cannot start a YAML key).
 */
import { escapeControls } from "../util/terminal-safe";
import type { EstateTally } from "./estate-servers";
import { DEFAULT_STALE_DAYS } from "./query";

export type DiscoverTransport = "winrm" | "ssh";

export interface InventoryYamlOptions {
  source: string;
  base: string;
  snapshotFile: string;
  staleDays: number;
  transport: DiscoverTransport;
  collectedAt: Date;
}

/** One comment line's text: nothing in it can end the comment or break the file. */
export function commentText(text: string): string {
  // U+FFFE and U+FFFF are not printable YAML characters either.
  return escapeControls(text).replace(/[\uFFFE\uFFFF]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

const q = (text: string): string => JSON.stringify(text);

export function renderInventoryYaml(tally: EstateTally, o: InventoryYamlOptions): string {
  const lines: string[] = [
    "# yaml-language-server: $schema=https://hostproof.dev/schemas/inventory.schema.json",
    `# Written by hostproof discover from ${commentText(o.source)}, base ${commentText(o.base)}, at ${o.collectedAt.toISOString()}.`,
    `# The active servers: enabled computer objects whose operatingSystem says "Server" and that logged on`,
    `# or changed their machine password in the last ${o.staleDays} days. ${tally.servers.length} of ${tally.objects} computer objects;`,
    `# left out: ${tally.notServer} not a server OS, ${tally.disabled} disabled, ${tally.stale} stale, ${tally.noOperatingSystem} with no operatingSystem,`,
    `# ${tally.skipped.length} with a name the inventory cannot take (listed at the end).`,
    `# The directory's raw view of every object is in ${commentText(o.snapshotFile)}.`,
    "#",
    `# transport: ${o.transport} was written for every host (hostproof discover --transport winrm|ssh).`,
    "# Check it and set it per host as needed: winrm or ssh reach the host live (see hostproof's",
    '# docs/live-collection.md, "Running against real hosts"); a host read from a snapshot takes',
    "# transport: snapshot and snapshot: <file>.",
    "",
    "version: 1",
    `name: ${q(`Discovered from ${o.base}`)}`,
    "",
    "# The estate-wide controls (features/directory.feature) judge the directory snapshot beside this",
    "# file: no active object past end of support, every active server in this inventory.",
    `directory: ${q(o.snapshotFile)}`,
    // The same N for the run as for this list, so that "active" means one thing in both.
    ...(o.staleDays !== DEFAULT_STALE_DAYS ? ["inputs:", "  directory:", `    activeDays: ${o.staleDays}`] : []),
  ];
  if (tally.servers.length === 0) {
    lines.push("# No active server was found, and an inventory must name at least one host: add them by hand.", "hosts: []");
  } else {
    lines.push("hosts:");
    for (const s of tally.servers) {
      lines.push(`  # ${commentText(s.dn)}`);
      const os = [s.operatingSystem, s.operatingSystemVersion].filter((x) => x !== undefined).join(" ");
      lines.push(`  # operatingSystem: ${commentText(os || "(none)")}; last logon or password change: ${s.lastSeen?.toISOString().slice(0, 10) ?? "(never)"}`);
      lines.push(`  - name: ${q(s.name)}`, `    transport: ${o.transport}`);
    }
  }
  if (tally.skipped.length > 0) {
    lines.push("", "# Active servers left out of this inventory, and why:");
    for (const s of tally.skipped) lines.push(`#   ${commentText(s.dn)}: ${commentText(JSON.stringify(s.value))}: ${commentText(s.why)}`);
  }
  return `${lines.join("\n")}\n`;
}
