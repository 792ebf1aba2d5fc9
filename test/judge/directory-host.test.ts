/**
 * HP-DIR-003: a host's own report of its release against its computer object in the directory.
 * The host's os fact and the object's operatingSystem/operatingSystemVersion, as read from a
 * directory snapshot (readComputer), judged by the pure judge.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readComputer } from "../../src/directory/computer";
import { judgeDirectoryAgreesWithHost, type HostInDirectory } from "../../src/judge/directory";
import { hostCtx, hostFacts, unreadable } from "../helpers/host-facts";

const object = (os: string, version: string | undefined, name = "HV01") =>
  readComputer({ dn: `CN=${name},OU=Servers,DC=corp,DC=example`, attributes: { name: [name], operatingSystem: [os], ...(version !== undefined ? { operatingSystemVersion: [version] } : {}) } });
const held = (...computers: ReturnType<typeof object>[]): HostInDirectory => ({ kind: "objects", domain: "corp.example", computers });
const server2022 = hostFacts("hv01", {
  os: { ok: true, probe: "os", value: { caption: "Microsoft Windows Server 2022 Datacenter", version: "10.0.20348", major: 10, minor: 0, build: 20348, productType: 3, sku: 8, architecture: "64-bit" } },
});

test("the directory says 2003 and the host says 2022: failed, with both values and the object's DN", () => {
  const j = judgeDirectoryAgreesWithHost(hostCtx(server2022, { directory: held(object("Windows Server 2003", "5.2 (3790)")) }));
  assert.equal(j.status, "failed");
  assert.equal(j.actual, "the directory says Windows Server 2003, 5.2 (3790); the host says Microsoft Windows Server 2022 Datacenter 10.0.20348");
  assert.equal(j.details![0]!.subject, "CN=HV01,OU=Servers,DC=corp,DC=example");
  assert.deepEqual(j.evidence, [{ host: "hv01", probe: "os" }, { host: "hv01", probe: "windowsVersion" }]);
});

test("the same release on both sides passes; the same build on a workstation and a server does not", () => {
  assert.equal(judgeDirectoryAgreesWithHost(hostCtx(server2022, { directory: held(object("Windows Server 2022 Datacenter", "10.0 (20348)")) })).status, "passed");
  // Windows 10 1809 and Windows Server 2019 share build 17763: the host's ProductType tells them apart.
  const j = judgeDirectoryAgreesWithHost(hostCtx(hostFacts("hv01"), { directory: held(object("Windows 10 Enterprise", "10.0 (17763)")) }));
  assert.equal(j.status, "failed");
  assert.match(j.details![0]!.note!, /the directory says not a server and the host's ProductType 3 says a server/);
  // Two objects for one host: one that disagrees fails it.
  assert.equal(judgeDirectoryAgreesWithHost(hostCtx(server2022, { directory: held(object("Windows Server 2022 Datacenter", "10.0 (20348)"), object("Windows Server 2008 R2", "6.1 (7601)", "HV01-OLD")) })).status, "failed");
});

test("a host the directory does not hold: failed if it says it is a member of that domain, not applicable if of another or none, undetermined if it cannot say", () => {
  const absent = { directory: { kind: "absent", domain: "corp.example" } as HostInDirectory };
  const member = (domain: string, partOfDomain: boolean | null) =>
    hostFacts("hv01", { os: server2022.os, computerSystem: { ok: true, probe: "computerSystem", value: { name: "HV01", dnsHostName: "hv01", domain, partOfDomain, workgroup: null, manufacturer: null, model: null } } });
  const broken = judgeDirectoryAgreesWithHost(hostCtx(member("CORP.example", true), absent));
  assert.equal(broken.status, "failed");
  assert.equal(broken.actual, "hv01 says it is a member of CORP.example; the directory corp.example holds no computer object named hv01 or with that DNS host name");
  assert.deepEqual(broken.evidence, [{ host: "hv01", probe: "computerSystem" }]);
  const elsewhere = judgeDirectoryAgreesWithHost(hostCtx(member("emea.example", true), absent));
  assert.equal(elsewhere.status, "notApplicable");
  assert.match(elsewhere.reason!.message, /holds no computer object named hv01 or with that DNS host name, and hv01 is a member of emea\.example$/);
  // hostFacts' default: a workgroup host.
  assert.match(judgeDirectoryAgreesWithHost(hostCtx(server2022, absent)).reason!.message, /and hv01 is not domain-joined$/);
  assert.equal(judgeDirectoryAgreesWithHost(hostCtx(member("corp.example", null), absent)).status, "undetermined");
  const blind = hostFacts("hv01", { os: server2022.os, computerSystem: unreadable("computerSystem", "access-denied", "Access is denied.") });
  assert.equal(judgeDirectoryAgreesWithHost(hostCtx(blind, absent)).reason!.kind, "access-denied");
  const none = judgeDirectoryAgreesWithHost(hostCtx(server2022, { directory: { kind: "none", why: "workgroup estate" } }));
  assert.equal(none.status, "notApplicable");
  assert.match(none.reason!.message, /workgroup estate/);
});

test("never passed on what was not read: no snapshot, an unreadable os fact, an object with no version", () => {
  const noSnapshot = judgeDirectoryAgreesWithHost(hostCtx(server2022));
  assert.equal(noSnapshot.status, "undetermined");
  assert.equal(noSnapshot.reason!.kind, "not-collected");
  const blind = hostFacts("hv01", { os: unreadable("os", "access-denied", "Access is denied.") });
  const unread = judgeDirectoryAgreesWithHost(hostCtx(blind, { directory: held(object("Windows Server 2003", "5.2 (3790)")) }));
  assert.equal(unread.status, "undetermined");
  assert.equal(unread.reason!.kind, "access-denied");
  const noVersion = judgeDirectoryAgreesWithHost(hostCtx(server2022, { directory: held(object("Windows Server 2022 Datacenter", undefined)) }));
  assert.equal(noVersion.status, "undetermined");
  assert.equal(noVersion.details![0]!.actual, "the directory holds no operatingSystemVersion");
});
