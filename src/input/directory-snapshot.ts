/**
 * Loads a directory snapshot (hostproof discover's directory.json) for `run`: its schema, then
 * what a schema cannot say, each refused with exit 3 rather than judged: a count that is not the
 * objects', one object twice (by DN, without case, as LDAP compares DNs), an attribute twice in
 * one object under two spellings (LDAP attribute names ignore case, so which one a judge read
 * would depend on lookup order), and a base DN that names no DNS domain, which the run names its
 * directory target by.
 */
import { InputError, type InputProblem } from "../errors";
import type { DirectorySnapshot } from "../model/directory";
import { checkSchema, formatPath } from "../schema/validate";
import { parseDocumentBytes } from "./read-document";
import { readRegularFile } from "./regular-file";
import { findCaseDuplicate } from "./snapshot-checks";

export interface LoadedDirectory {
  snapshot: DirectorySnapshot;
  /** The bytes read: what is kept as evidence and hashed is what was judged. */
  raw: Buffer;
  /** The domain's DNS name from the base DN (DC=corp,DC=example: corp.example), the directory target's name. */
  domain: string;
  /** As the user knows the file: relative to where hostproof runs. */
  shown: string;
}

/** A snapshot broken throughout is told about in its first problems, not in 100,000 lines. */
const MAX_PROBLEMS = 20;

/** A DNS name as the inventory's hosts are: labels of letters, digits and inner hyphens. */
const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The RDNs of a DN, split at commas that are not escaped, each trimmed (`DC=corp, DC=example`). */
function rdns(dn: string): string[] {
  return dn.split(/(?<!\\),/).map((r) => r.trim());
}

/** The DNS name the DC= components of a DN spell, or undefined when it has none or they spell no DNS name. */
export function domainOfDn(dn: string): string | undefined {
  const labels = rdns(dn)
    .map((r) => /^dc=(.*)$/i.exec(r)?.[1])
    .filter((v): v is string => v !== undefined);
  const name = labels.join(".");
  return labels.length > 0 && name.length <= 253 && DNS_NAME.test(name) ? name.toLowerCase() : undefined;
}

export function loadDirectorySnapshot(file: string, shown: string): LoadedDirectory {
  const doc = parseDocumentBytes(readRegularFile(file, shown, "directory"), file, shown);
  const schemaProblems = checkSchema("directory-snapshot", doc);
  if (schemaProblems.length > 0) throw new InputError(schemaProblems);
  const snapshot = doc.value as DirectorySnapshot;
  const problems: InputProblem[] = [];
  const at = (path: (string | number)[], problem: string, fix: string): void => {
    problems.push({ file: shown, field: formatPath(path), ...(doc.lineOf(path) !== undefined ? { line: doc.lineOf(path) } : {}), problem, fix });
  };
  const rewritten = "discover writes the snapshot whole; read the directory again (hostproof discover) rather than edit the file.";
  if (snapshot.count !== snapshot.objects.length) at(["count"], `count is ${snapshot.count}, but the file holds ${snapshot.objects.length} object(s): it was cut short or edited`, rewritten);
  if (Date.parse(snapshot.finishedAt) < Date.parse(snapshot.collectedAt)) at(["finishedAt"], `the query finished (${snapshot.finishedAt}) before it started (${snapshot.collectedAt})`, rewritten);
  const domain = domainOfDn(snapshot.source.base);
  if (domain === undefined) {
    at(["source", "base"], `the base DN ${JSON.stringify(snapshot.source.base)} names no DNS domain (no DC= components that spell one)`, "Read the directory with --base at or under the domain's DN (DC=corp,DC=example); the estate-wide controls name the directory by its domain.");
  }
  const firstAt = new Map<string, number>();
  snapshot.objects.forEach((o, i) => {
    const key = rdns(o.dn).join(",").toLowerCase();
    const first = firstAt.get(key);
    if (first !== undefined) at(["objects", i, "dn"], `the object ${JSON.stringify(o.dn)} is listed twice (first at objects[${first}])`, rewritten);
    else firstAt.set(key, i);
    const twice = findCaseDuplicate(o.attributes);
    if (twice !== undefined) {
      at(["objects", i, "attributes"], `the attributes ${JSON.stringify(twice.keys[0])} and ${JSON.stringify(twice.keys[1])} differ only in case; LDAP reads them as one attribute, so which one counts cannot be told`, rewritten);
    }
  });
  if (problems.length > MAX_PROBLEMS) {
    const more = problems.length - MAX_PROBLEMS;
    problems.splice(MAX_PROBLEMS, more, { file: shown, problem: `and ${more} more problem(s) like these`, fix: rewritten });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { snapshot, raw: doc.raw, domain: domain!, shown };
}
