/**
 * Reads every computer object below a base DN, a page at a time (RFC 2696 paged results through
 * ldapts' searchPaginated): only one page of entries is held at once, so a domain of 100,000
 * computers is read in the memory of one page.
 */
import { Client, type Entry } from "ldapts";
import { COMPUTER_ATTRIBUTES, COMPUTER_FILTER } from "./query";
import type { DirectoryConnection } from "./connection";
import { describeLdapError } from "./directory-error";
import type { DirectoryObject } from "../model/directory";

export interface ReadOptions {
  base: string;
  pageSize: number;
  /** Milliseconds for connecting and for each operation. */
  timeoutMs?: number;
}

const CANONICAL = new Map<string, string>(COMPUTER_ATTRIBUTES.map((a) => [a.toLowerCase(), a]));
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const LENIENT_UTF8 = new TextDecoder("utf-8");

/** A raw value as text: valid UTF-8 as it is, anything else with U+FFFD and a problem noted. */
export function decodeValue(bytes: Buffer, attribute: string, problems: string[]): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    problems.push(`${attribute}: a value is not valid UTF-8 (${bytes.length} bytes); written with U+FFFD for the bytes that are not`);
    return LENIENT_UTF8.decode(bytes);
  }
}

export function toDirectoryObject(entry: Entry): DirectoryObject {
  const attributes: Record<string, string[]> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (key === "dn") continue;
    const name = CANONICAL.get(key.toLowerCase());
    if (name === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? decodeValue(v, name, problems) : String(v)));
    if (values.length > 0) attributes[name] = values;
  }
  return { dn: entry.dn, attributes, ...(problems.length > 0 ? { problems } : {}) };
}

export interface PageSink {
  /** Called once per page, in the server's order; the page is dropped after it returns. */
  page(objects: DirectoryObject[]): Promise<void> | void;
}

/** Connects, binds, pages through every computer object into `sink`; returns the number of pages. */
export async function readComputerObjects(conn: DirectoryConnection, options: ReadOptions, sink: PageSink): Promise<{ pages: number }> {
  const ctx = { url: conn.url, base: options.base, ...(conn.bindDn !== undefined ? { bindDn: conn.bindDn } : {}) };
  const tlsOptions = {
    ...(conn.ca !== undefined ? { ca: conn.ca } : {}),
    // The name the certificate is checked against: the host of --ldap.
    servername: isIpAddress(conn.host) ? undefined : conn.host,
    rejectUnauthorized: true,
    minVersion: "TLSv1.2" as const,
  };
  const url = `${conn.tls === "ldaps" ? "ldaps" : "ldap"}://${conn.host.includes(":") ? `[${conn.host}]` : conn.host}:${conn.port}`;
  const client = new Client({
    url,
    connectTimeout: options.timeoutMs ?? 15_000,
    timeout: options.timeoutMs ?? 120_000,
    ...(conn.tls === "ldaps" ? { tlsOptions } : {}),
  });
  let stage: "connect" | "starttls" | "bind" | "search" = "connect";
  try {
    if (conn.tls === "starttls") {
      stage = "starttls";
      // ldapts upgrades the socket without the host: without it, Node checks the certificate
      // against "localhost".
      await client.startTLS({ ...tlsOptions, host: conn.host });
    }
    if (conn.bindDn !== undefined) {
      stage = "bind";
      await client.bind(conn.bindDn, conn.password);
    }
    stage = "search";
    let pages = 0;
    const search = client.searchPaginated(options.base, {
      scope: "sub",
      filter: COMPUTER_FILTER,
      attributes: [...COMPUTER_ATTRIBUTES],
      // Every value as bytes: decodeValue says when one is not UTF-8 instead of quietly mangling it.
      explicitBufferAttributes: [...COMPUTER_ATTRIBUTES],
      paged: { pageSize: options.pageSize },
    });
    for await (const result of search) {
      pages++;
      await sink.page(result.searchEntries.map(toDirectoryObject));
    }
    return { pages };
  } catch (err) {
    throw describeLdapError(err, { ...ctx, stage });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");
}
