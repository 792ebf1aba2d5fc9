/**
 * Which directory objects become inventory hosts: the active servers. An object is one when it is
 * enabled, its operatingSystem says "Server", and it logged on or changed its machine password
 * within the stale window. Everything else is counted, so the summary says what was left out and
 * why (a workstation, a disabled or stale object, one with no operating system recorded).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMAS_DIR } from "../package-root";
import { activityOf, isServer, lastSeen, readComputer } from "./computer";
import type { DirectoryObject } from "../model/directory";

export interface ServerCandidate {
  /** The inventory host name (dNSHostName, else name). */
  name: string;
  dn: string;
  operatingSystem?: string;
  operatingSystemVersion?: string;
  lastSeen?: Date;
}

export interface SkippedServer {
  dn: string;
  /** The text that could not be a host name, as the directory holds it. */
  value: string;
  why: string;
}

export interface EstateTally {
  objects: number;
  servers: ServerCandidate[];
  skipped: SkippedServer[];
  disabled: number;
  stale: number;
  notServer: number;
  noOperatingSystem: number;
}

let namePattern: RegExp | undefined;

/** The inventory schema's rule for a host name, read from the schema so the two cannot differ. */
export function inventoryNamePattern(): RegExp {
  if (namePattern === undefined) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, "inventory.schema.json"), "utf8")) as { definitions: { name: { pattern: string; maxLength: number } } };
    namePattern = new RegExp(schema.definitions.name.pattern);
  }
  return namePattern;
}

export function newTally(): EstateTally {
  return { objects: 0, servers: [], skipped: [], disabled: 0, stale: 0, notServer: 0, noOperatingSystem: 0 };
}

export class EstateSorter {
  readonly tally: EstateTally = newTally();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly staleDays: number,
    private readonly now: Date,
  ) {}

  add(o: DirectoryObject): void {
    const t = this.tally;
    t.objects++;
    const c = readComputer(o);
    if (c.os === null) {
      t.noOperatingSystem++;
      return;
    }
    if (!isServer(c)) {
      t.notServer++;
      return;
    }
    const activity = activityOf(c, this.now, this.staleDays);
    if (activity !== "active") {
      t[activity]++;
      return;
    }
    const pattern = inventoryNamePattern();
    const name = [c.dnsHostName, c.name].find((n): n is string => n !== null && n.length <= 253 && pattern.test(n));
    if (name === undefined) {
      t.skipped.push({ dn: o.dn, value: c.dnsHostName ?? c.name, why: "neither dNSHostName nor name is a DNS host name the inventory accepts (letters, digits and hyphens, dot-separated)" });
      return;
    }
    const key = name.toLowerCase();
    const first = this.names.get(key);
    if (first !== undefined) {
      t.skipped.push({ dn: o.dn, value: name, why: `the same host name as ${first}; an inventory names each host once` });
      return;
    }
    this.names.set(key, o.dn);
    const seen = lastSeen(c);
    t.servers.push({
      name,
      dn: o.dn,
      operatingSystem: c.os,
      ...(c.osVersionText !== null ? { operatingSystemVersion: c.osVersionText } : {}),
      ...(seen !== null ? { lastSeen: seen } : {}),
    });
  }
}
