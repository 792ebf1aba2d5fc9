/** `hostproof discover`: Active Directory's computer objects into a directory snapshot and an inventory. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readComputerObjects } from "../../directory/computer-objects";
import { connectionFrom } from "../../directory/connection";
import { directoryInputError, DirectoryUnreachable } from "../../directory/directory-error";
import { EstateSorter } from "../../directory/estate-servers";
import { renderInventoryYaml, type DiscoverTransport } from "../../directory/inventory-yaml";
import { openAtomicFile } from "../../directory/atomic-file";
import { openSnapshotWriter } from "../../directory/snapshot-writer";
import { DEFAULT_PAGE_SIZE, DEFAULT_STALE_DAYS, MAX_ACTIVE_DAYS, MAX_PAGE_SIZE } from "../../directory/query";
import { EXIT, type ExitCode } from "../../model/run";
import { parse, usageError } from "../args";
import { DISCOVER_HELP } from "../usage";
import type { Io } from "../io";
import { printHelp } from "../help-layout";

export const SNAPSHOT_FILE = "directory.json";
export const INVENTORY_FILE = "inventory.yaml";

export async function discoverCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parse(
    argv,
    {
      ldap: { type: "string" },
      base: { type: "string" },
      "bind-dn": { type: "string" },
      "password-env": { type: "string" },
      "password-file": { type: "string" },
      "ca-file": { type: "string" },
      "no-starttls": { type: "boolean" },
      "page-size": { type: "string" },
      "stale-days": { type: "string" },
      transport: { type: "string" },
      out: { type: "string", short: "o" },
      replace: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    printHelp(io, DISCOVER_HELP);
    return EXIT.compliant;
  }
  const conn = connectionFrom(values);
  const base = values.base?.trim();
  if (!base) throw usageError("--base is required", "Give the DN to search below, e.g. --base DC=corp,DC=example (the domain) or an OU.");
  if (!values.out) throw usageError("--out is required", `Name the folder for ${SNAPSHOT_FILE} and ${INVENTORY_FILE}: --out discovered`);
  const pageSize = wholeNumber(values["page-size"], "--page-size", 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const staleDays = wholeNumber(values["stale-days"], "--stale-days", 1, MAX_ACTIVE_DAYS) ?? DEFAULT_STALE_DAYS;
  const transport = (values.transport ?? "winrm") as DiscoverTransport;
  if (transport !== "winrm" && transport !== "ssh") throw usageError(`--transport '${values.transport}' is not winrm or ssh`, "Give --transport winrm or --transport ssh; change single hosts in the inventory afterwards.");
  const snapshotPath = join(values.out, SNAPSHOT_FILE);
  const inventoryPath = join(values.out, INVENTORY_FILE);
  if (existsSync(inventoryPath) && !values.replace) {
    throw usageError(`${inventoryPath} already exists`, "It may hold your edits (transports, inputs): give another --out, or --replace to overwrite it.");
  }

  const collectedAt = io.now();
  const sorter = new EstateSorter(staleDays, collectedAt);
  let withOs = 0;
  const writer = openSnapshotWriter(snapshotPath, { url: conn.url, base, ...(conn.bindDn !== undefined ? { bindDn: conn.bindDn } : {}), tls: conn.tls, pageSize }, collectedAt);
  let pages: number;
  try {
    ({ pages } = await readComputerObjects(conn, { base, pageSize }, {
      page(objects) {
        writer.add(objects);
        for (const o of objects) {
          sorter.add(o);
          if (o.attributes.operatingSystem !== undefined) withOs++;
        }
      },
    }));
    const count = sorter.tally.objects;
    if (count === 0) {
      throw directoryInputError(conn.url, `no computer objects below '${base}' (filter (objectCategory=computer))`, "Check --base: give the domain's DN (e.g. DC=corp,DC=example) or the OU holding the servers. An account that may not list computers sees none either.");
    }
    if (withOs === 0) {
      throw directoryInputError(
        conn.url,
        `none of the ${count} computer objects came back with operatingSystem: the account '${conn.bindDn ?? "(anonymous)"}' may not read it`,
        "Bind as an ordinary domain user (Authenticated Users may read operatingSystem, operatingSystemVersion, lastLogonTimestamp and pwdLastSet by default), or remove the deny entry on those attributes.",
      );
    }
  } catch (err) {
    writer.discard();
    if (err instanceof DirectoryUnreachable) {
      io.err(`hostproof: cannot go on: ${err.problem}. ${err.fix} Nothing was written.`);
      return EXIT.environment;
    }
    throw err;
  }
  const { count } = writer.finish(pages, io.now());
  const tally = sorter.tally;
  if (tally.servers.length > 0) {
    const file = openAtomicFile(inventoryPath);
    try {
      file.write(renderInventoryYaml(tally, { source: conn.url, base, snapshotFile: SNAPSHOT_FILE, staleDays, transport, collectedAt }));
      file.commit();
    } catch (err) {
      file.discard();
      throw err;
    }
  }
  io.out(`Read ${count} computer object(s) from ${conn.url} below ${base} in ${pages} page(s) of up to ${pageSize}.`);
  io.out(`Directory snapshot: ${resolve(snapshotPath)}`);
  if (tally.servers.length > 0) io.out(`Inventory of ${tally.servers.length} active server(s): ${resolve(inventoryPath)} (check each host's transport).`);
  else io.out(`No active server (enabled, a Server operating system, seen in the last ${staleDays} days): no inventory was written.`);
  io.out(`Left out: ${tally.notServer} not a server OS, ${tally.disabled} disabled, ${tally.stale} stale (no logon or password change in ${staleDays} days), ${tally.noOperatingSystem} with no operatingSystem.`);
  for (const s of tally.skipped) io.out(`  skipped ${JSON.stringify(s.dn)}: ${s.why}`);
  return EXIT.compliant;
}

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(n >= min && n <= max)) throw usageError(`${flag} '${value}' is not a whole number from ${min} to ${max}`, `Give ${flag} a number such as ${flag === "--page-size" ? DEFAULT_PAGE_SIZE : DEFAULT_STALE_DAYS}.`);
  return n;
}
