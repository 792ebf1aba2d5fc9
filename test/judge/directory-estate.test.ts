/**
 * The estate-wide judges over computer objects as a directory snapshot holds them: raw FILETIME,
 * GeneralizedTime and userAccountControl values, read and judged against an as-of day.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { activityOf, fromFiletime, fromGeneralizedTime, parseOsVersion, readComputer } from "../../src/directory/computer";
import { InventoryNames, judgeDirectoryAudited, judgeDirectoryEndOfSupport, staleObjects } from "../../src/judge/directory";
import type { DirectoryObject } from "../../src/model/directory";
import { exemptionFor } from "../../src/waivers/directory";

const AS_OF = new Date("2026-12-06T00:00:00Z");
/** A FILETIME `days` before the as-of day. */
const ft = (days: number): string => String((BigInt(AS_OF.getTime() - days * 86_400_000) + 11_644_473_600_000n) * 10_000n);

function computer(name: string, os: string | undefined, version: string | undefined, seenDaysAgo: number | null, extra: Record<string, string[]> = {}, ou = "OU=Servers"): DirectoryObject {
  const attributes: Record<string, string[]> = { name: [name], dNSHostName: [`${name.toLowerCase()}.corp.example`], userAccountControl: ["4096"], whenCreated: ["20060101000000.0Z"], ...extra };
  if (os !== undefined) attributes.operatingSystem = [os];
  if (version !== undefined) attributes.operatingSystemVersion = [version];
  if (seenDaysAgo !== null) attributes.lastLogonTimestamp = [ft(seenDaysAgo)];
  attributes.pwdLastSet = [seenDaysAgo === null ? "0" : ft(seenDaysAgo + 3)];
  return { dn: `CN=${name},${ou},DC=corp,DC=example`, attributes };
}

const ESTATE = [
  computer("APP2019", "Windows Server 2019 Standard", "10.0 (17763)", 2),
  computer("OLD2003", "Windows Server 2003", "5.2 (3790)", 5, {}, "OU=Legacy"),
  computer("GONE2008", "Windows Server 2008 R2 Enterprise", "6.1 (7601)", 400),
  computer("OFF2012", "Windows Server 2012 R2 Standard", "6.3 (9600)", 1, { userAccountControl: ["4098"] }),
  computer("PC-ANNA", "Windows 11 Enterprise", "10.0 (26100)", 1),
  computer("NAS1", "Samba", "4.17.12-Debian", 1),
];

test("FILETIME, GeneralizedTime and the version as Active Directory writes them; what cannot be read is said, not guessed", () => {
  assert.equal(fromFiletime("0"), null, "0 is never");
  assert.equal(fromFiletime("9223372036854775807"), null, "the maximum is never");
  assert.equal(fromFiletime("116444736000000000")!.toISOString(), "1970-01-01T00:00:00.000Z");
  assert.equal(fromFiletime("-5"), undefined);
  assert.equal(fromGeneralizedTime("20060101000000.0Z")!.toISOString(), "2006-01-01T00:00:00.000Z");
  assert.equal(fromGeneralizedTime("20060231000000.0Z"), undefined, "no 31 February");
  assert.deepEqual(parseOsVersion("5.2 (3790)"), { major: 5, minor: 2, build: 3790 });
  assert.equal(parseOsVersion("4.17.12-Debian"), undefined);
  const odd = readComputer({ dn: "CN=X\\,Y,OU=A,DC=corp", attributes: { lastLogonTimestamp: ["yesterday"], userAccountControl: ["x"] } });
  assert.equal(odd.name, "X,Y", "the name from the DN, unescaped");
  assert.deepEqual(odd.problems.sort(), ['lastLogonTimestamp is not a FILETIME: "yesterday"', 'userAccountControl is not a number: "x"']);
  assert.equal(odd.disabled, null);
  assert.equal(activityOf(odd, AS_OF, 90), "stale", "an unreadable logon time is not a sign of life");
});

test("a 2003 object active in the last 90 days fails the estate, with its DN, last logon and password age; stale and disabled objects do not count", () => {
  const ctx = { computers: ESTATE.map(readComputer), asOf: AS_OF, readAt: AS_OF, activeDays: 90 };
  const j = judgeDirectoryEndOfSupport(ctx);
  assert.equal(j.status, "failed");
  const old = j.details!.find((r) => r.subject === "OLD2003")!;
  assert.equal(old.outcome, "deviation");
  assert.match(old.actual, /^Windows Server 2003 \/ 2003 R2 \(Windows Server 2003, 5\.2 \(3790\)\): extended support ended 2015-07-14$/);
  assert.equal(old.note, "CN=OLD2003,OU=Legacy,DC=corp,DC=example; last logon 2026-12-01, password set 8 days ago (when the directory was read)");
  assert.equal(j.details!.some((r) => r.outcome !== "info" && (r.subject === "GONE2008" || r.subject === "OFF2012")), false, "stale and disabled objects are not the estate's live hosts");
  // The stale object is listed, as information only; the disabled one is not listed at all.
  assert.deepEqual(j.details!.filter((r) => r.outcome === "info").map((r) => r.subject), ["GONE2008"]);
  assert.equal(j.details!.some((r) => r.subject === "NAS1"), false, "not Windows: not dated against Windows");
  assert.match(j.actual, /^4 active computer object\(s\): 1 past end of support, 2 within it, 0 whose release could not be told, 1 not Windows$/);
  // Without the 2003 object: passed; with an active object whose version is unreadable: undetermined.
  const clean = { ...ctx, computers: ctx.computers.filter((c) => c.name !== "OLD2003") };
  assert.equal(judgeDirectoryEndOfSupport(clean).status, "passed");
  const odd = { ...clean, computers: [...clean.computers, readComputer(computer("ODD", "Windows Server", "ten", 1))] };
  assert.equal(judgeDirectoryEndOfSupport(odd).status, "undetermined");
  // Nothing active when the directory was read: never passed.
  assert.equal(judgeDirectoryEndOfSupport({ ...ctx, readAt: new Date("2030-01-01T00:00:00Z") }).status, "undetermined");
});

test("every active server must be in the inventory: the others are not audited, unless a waiver accepts them; workstations are not servers", () => {
  const ctx = { computers: ESTATE.map(readComputer), asOf: AS_OF, readAt: AS_OF, activeDays: 90 };
  const inventory = new InventoryNames([{ name: "app2019" }, { name: "nas1.corp.example" }]);
  const j = judgeDirectoryAudited(ctx, inventory);
  assert.equal(j.status, "failed");
  // The stale server is listed apart, as information: it cannot fail the control, nor pass it.
  assert.deepEqual(j.details!.map((r) => [r.subject, r.outcome]), [["OLD2003", "deviation"], ["GONE2008", "info"]]);
  assert.equal(j.actual, "1 of 2 active server(s) audited; 1 not audited");
  const waiver = (expires: string) => ({ index: 3, waiver: { id: "WVR-1", controlId: "HP-DIR-002", scope: { directory: "ou=legacy, DC=corp,DC=example" }, justification: "isolated lab, decommissioned in Q1", approver: "CISO", reference: "CHG-1", expires } });
  const exempt = exemptionFor([waiver("2027-06-30")], "HP-DIR-002", AS_OF);
  const waived = judgeDirectoryAudited(ctx, inventory, (c) => exempt(c.dn));
  assert.equal(waived.status, "passed");
  assert.deepEqual(waived.details!.map((r) => [r.subject, r.outcome, r.waiverIndex]), [["OLD2003", "allowed", 3], ["GONE2008", "info", undefined]]);
  assert.match(waived.details![0]!.note!, /; waived by WVR-1: isolated lab, decommissioned in Q1 \(approved by CISO; CHG-1; expires 2027-06-30\)$/);
  assert.equal(waived.actual, "1 of 2 active server(s) audited; 0 not audited, 1 accepted by a waiver");
  // Expired: the object counts again, and its row says which waiver lapsed; another control's waiver covers nothing here.
  const lapsed = judgeDirectoryAudited(ctx, inventory, (c) => exemptionFor([waiver("2026-12-05")], "HP-DIR-002", AS_OF)(c.dn));
  assert.equal(lapsed.status, "failed");
  assert.match(lapsed.details![0]!.note!, /waiver WVR-1 expired at the end of 2026-12-05 UTC and no longer applies/);
  assert.equal(judgeDirectoryAudited(ctx, inventory, (c) => exemptionFor([waiver("2027-06-30")], "HP-DIR-001", AS_OF)(c.dn)).status, "failed");
  // By DNS name or by the first label, without regard to case; an address is matched whole.
  assert.equal(new InventoryNames([{ name: "OLD2003.CORP.EXAMPLE" }]).hostOf(ctx.computers[1]!), "OLD2003.CORP.EXAMPLE");
  assert.equal(new InventoryNames([{ name: "x", address: "10.0.0.1" }]).hostOf(ctx.computers[1]!), undefined);
  // An active object with no operatingSystem may be a server: undetermined, not passed.
  const unknown = { ...ctx, computers: [readComputer(computer("APP2019", "Windows Server 2019", "10.0 (17763)", 1)), readComputer(computer("MYSTERY", undefined, undefined, 1))] };
  assert.equal(judgeDirectoryAudited(unknown, inventory).status, "undetermined");
});

test("re-judged years later, a snapshot's objects are as active as when it was read; end of support moves with the as-of day", () => {
  const later = new Date("2029-03-01T00:00:00Z");
  const ctx = { computers: ESTATE.map(readComputer), asOf: later, readAt: AS_OF, activeDays: 90 };
  const inventory = new InventoryNames([{ name: "app2019" }]);
  // The same objects are active (activity is of the snapshot's moment), not all stale by the calendar.
  assert.equal(judgeDirectoryAudited(ctx, inventory).actual, "1 of 2 active server(s) audited; 1 not audited");
  assert.deepEqual(staleObjects(ctx).map((r) => r.subject), ["GONE2008"]);
  // Server 2019 (2029-01-09) and Windows 11 24H2 Enterprise (2027-10-12) are past support on the later day, though read in 2026.
  const eos = judgeDirectoryEndOfSupport(ctx);
  assert.deepEqual(eos.details!.filter((r) => r.outcome === "deviation").map((r) => r.subject).sort(), ["APP2019", "OLD2003", "PC-ANNA"]);
  assert.match(eos.expected, /in the 90 days before the directory was read \(2026-12-06\) runs a Windows release within extended support on 2029-03-01$/);
});

test("stale objects are listed apart, neither passed nor failed", () => {
  const rows = staleObjects({ computers: ESTATE.map(readComputer), asOf: AS_OF, readAt: AS_OF, activeDays: 90 });
  assert.deepEqual(rows.map((r) => [r.subject, r.outcome]), [["GONE2008", "info"]]);
  assert.match(rows[0]!.actual, /^last seen 400 days ago \(Windows Server 2008 R2 Enterprise, 6\.1 \(7601\)\)$/);
});

test("from 10.0 on the edition's name tells the releases of one build apart, as the SKU does on the host", () => {
  const judge = (os: string, version: string): string => {
    const j = judgeDirectoryEndOfSupport({ computers: [readComputer(computer("H", os, version, 1))], asOf: AS_OF, readAt: AS_OF, activeDays: 90 });
    return `${j.status}: ${j.details?.[0]?.actual ?? j.actual}`;
  };
  assert.match(judge("Windows Server 2019 Datacenter", "10.0 (17763)"), /^passed/);
  assert.match(judge("Windows Server Datacenter", "10.0 (17763)"), /^failed: Windows Server version 1809 \(Semi-Annual Channel\) .*extended support ended 2020-11-10$/);
  assert.match(judge("Windows 11 Enterprise", "10.0 (22631)"), /^failed: Windows 11 version 23H2 Enterprise and Education .*ended 2026-11-10/);
  assert.match(judge("Windows 10 Enterprise LTSC", "10.0 (17763)"), /^passed/);
  assert.match(judge("Windows 10 Pro", "10.0 (19045)"), /^failed/);
  assert.match(judge("Windows Server 2016 Standard", "10.0 (14393)"), /^passed/);
  assert.match(judge("Windows Server 2003", "5.2 (3790)"), /^failed/);
  assert.match(judge("Windows Server 2012 R2 Standard", "6.3 (9600)"), /^failed/);
});
