/**
 * A directory snapshot: what `hostproof discover` read from Active Directory, kept as evidence the
 * way a host's snapshot is (the query, the server, when, and every object's raw attributes), so
 * the estate-wide controls are judged, hashed and re-judged offline from it.
 * schemas/directory-snapshot.schema.json is its schema.
 */

export interface DirectorySource {
  /** The server as given (ldaps://dc1.corp.example:636), never with credentials. */
  url: string;
  base: string;
  scope: "sub";
  filter: string;
  attributes: string[];
  /** Who read it; never the password. */
  bindDn?: string;
  tls: "ldaps" | "starttls";
  pageSize: number;
  pages: number;
}

/** One computer object: its DN and raw values, each attribute a list of strings; an absent attribute is left out. */
export interface DirectoryObject {
  dn: string;
  attributes: Record<string, string[]>;
  /** What discover could not carry as read (a value that was not UTF-8). */
  problems?: string[];
}

export interface DirectorySnapshot {
  schemaVersion: 1;
  kind: "hostproof-directory";
  tool: { name: "hostproof"; version: string };
  source: DirectorySource;
  collectedAt: string;
  finishedAt: string;
  objects: DirectoryObject[];
  count: number;
}
