/** Directory snapshots as hostproof discover writes them, built in memory for the run's tests. */
import type { DirectoryObject, DirectorySnapshot } from "../../src/model/directory";

/** A FILETIME (100 ns since 1601, as decimal text) `days` before `asOf`. */
export function filetime(asOf: Date, days: number): string {
  return String((BigInt(asOf.getTime() - days * 86_400_000) + 11_644_473_600_000n) * 10_000n);
}

export interface ObjectSpec {
  name: string;
  os?: string;
  version?: string;
  /** Days before `asOf` of the last logon (the password set 3 days before it); null: never. */
  seenDaysAgo: number | null;
  ou?: string;
  disabled?: boolean;
  /** The domain's DN suffix (default DC=corp,DC=example). */
  base?: string;
  extra?: Record<string, string[]>;
}

export function directoryObject(s: ObjectSpec, asOf: Date): DirectoryObject {
  const base = s.base ?? "DC=corp,DC=example";
  const domain = base.split(",").map((r) => r.replace(/^DC=/i, "")).join(".").toLowerCase();
  const attributes: Record<string, string[]> = {
    name: [s.name],
    dNSHostName: [`${s.name.toLowerCase()}.${domain}`],
    userAccountControl: [s.disabled === true ? "4098" : "4096"],
    whenCreated: ["20060101000000.0Z"],
  };
  if (s.os !== undefined) attributes.operatingSystem = [s.os];
  if (s.version !== undefined) attributes.operatingSystemVersion = [s.version];
  if (s.seenDaysAgo !== null) attributes.lastLogonTimestamp = [filetime(asOf, s.seenDaysAgo)];
  attributes.pwdLastSet = [s.seenDaysAgo === null ? "0" : filetime(asOf, s.seenDaysAgo + 3)];
  return { dn: `CN=${s.name},${s.ou ?? "OU=Servers"},${base}`, attributes: { ...attributes, ...s.extra } };
}

export function directorySnapshot(objects: DirectoryObject[], base = "DC=corp,DC=example", collectedAt = new Date("2026-11-21T18:00:00Z")): DirectorySnapshot {
  return {
    schemaVersion: 1,
    kind: "hostproof-directory",
    tool: { name: "hostproof", version: "0.1.0" },
    source: {
      url: "ldaps://dc1.corp.example:636",
      base,
      scope: "sub",
      filter: "(objectCategory=computer)",
      attributes: ["name", "dNSHostName", "operatingSystem", "operatingSystemVersion", "operatingSystemServicePack", "lastLogonTimestamp", "pwdLastSet", "userAccountControl", "whenCreated", "distinguishedName"],
      bindDn: "CN=hp-reader,CN=Users,DC=corp,DC=example",
      tls: "ldaps",
      pageSize: 500,
      pages: 1,
    },
    collectedAt: collectedAt.toISOString(),
    finishedAt: new Date(collectedAt.getTime() + 1234).toISOString(),
    objects,
    count: objects.length,
  };
}

/** As discover writes it: one object a line. */
export function directoryText(snapshot: DirectorySnapshot): string {
  const { objects, ...head } = snapshot;
  const lines = objects.map((o) => `    ${JSON.stringify(o)}`);
  const headText = JSON.stringify({ ...head, objects: [] }, null, 2);
  return headText.replace('"objects": []', `"objects": [\n${lines.join(",\n")}\n  ]`) + "\n";
}

/** An organisation's own control over the estate's directory, as the tests write one. */
export const ACME_DIRECTORY_FEATURE = `@area:acme
Feature: Acme's estate

  @ACME-DIR-001 @severity:critical @nist-ours:SA-22
  Scenario: No unsupported Windows anywhere in the directory
    Rationale: An unsupported server nobody listed is still on the network.
    Remediation: Retire or upgrade it.
    Source: Acme IT security policy 12.

    Given the estate's directory
    Then no computer object active in the directory runs a Windows release past its end of extended support
`;
