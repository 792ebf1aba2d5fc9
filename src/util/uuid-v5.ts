/**
 * Name-based UUIDs, version 5 (RFC 9562 §5.5, as RFC 4122 §4.3 before it): SHA-1 over the
 * namespace's 16 bytes and the name's UTF-8, cut to 16 bytes, with the version and variant bits
 * set. The same namespace and name give the same UUID on every machine, which is what lets an
 * export of a report give the same OSCAL document as the run did (report/formats/oscal/).
 */
import { createHash } from "node:crypto";

/** RFC 9562 Appendix C's namespaces. */
export const NAMESPACE_DNS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
export const NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bytesOf(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

export function uuidV5(name: string, namespace: string): string {
  return uuidV5Bytes(name, bytesOf(namespace));
}

/** A namespace parsed once: a report names millions of objects in one namespace. */
export function uuidV5Namer(namespace: string): (name: string) => string {
  const ns = bytesOf(namespace);
  return (name) => uuidV5Bytes(name, ns);
}

function uuidV5Bytes(name: string, ns: Buffer): string {
  const h = createHash("sha1").update(ns).update(name, "utf8").digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.toString("hex", 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
