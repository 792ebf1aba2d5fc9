import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { OsFact } from "../../src/model/facts";
import { judgeNotNearEndOfSupport, judgeNotWindowsServer2003, judgeWithinExtendedSupport } from "../../src/judge/lifecycle";
import { LIFECYCLE, lifecycleFor } from "../../src/judge/lifecycle-data";
import { expectStatus, hostCtx, hostFacts, inputs, ok, probesOf, unreadable } from "../helpers/host-facts";

/** SKU defaults to 8 (Datacenter) for servers and 48 (Pro) for workstations; pass null for "not read". */
function os(caption: string, version: string, productType: number | null = 3, sku?: number | null): OsFact {
  const [major, minor, build] = version.split(".").map(Number) as [number, number, number];
  return { caption, version, major, minor, build, productType, sku: sku === undefined ? (productType === 1 ? 48 : 8) : sku, architecture: null };
}

const SERVER_2003 = os("Microsoft(R) Windows(R) Server 2003, Enterprise Edition", "5.2.3790");
const SERVER_2003_R2 = os("Microsoft(R) Windows(R) Server 2003 R2 Standard Edition", "5.2.3790");
const SERVER_2008 = os("Microsoft Windows Server 2008 Enterprise", "6.0.6002");
const SERVER_2008_R2 = os("Microsoft Windows Server 2008 R2 Datacenter", "6.1.7601");
const SERVER_2012 = os("Microsoft Windows Server 2012 Standard", "6.2.9200");
const SERVER_2012_R2 = os("Microsoft Windows Server 2012 R2 Datacenter", "6.3.9600");
const SERVER_2016 = os("Microsoft Windows Server 2016 Datacenter", "10.0.14393");
const SERVER_2019 = os("Microsoft Windows Server 2019 Datacenter", "10.0.17763");
const SERVER_2022 = os("Microsoft Windows Server 2022 Standard", "10.0.20348");
const SERVER_2025 = os("Microsoft Windows Server 2025 Datacenter", "10.0.26100");

function withOs(value: OsFact, asOf?: Date, warningDays?: number) {
  const extra: Parameters<typeof hostCtx>[1] = {};
  if (asOf) extra.asOf = asOf;
  if (warningDays !== undefined) extra.inputs = inputs({ endOfSupport: { warningDays } });
  return hostCtx(hostFacts("hv01", { os: ok("os", value) }), extra);
}

const unreadableOs = () => hostCtx(hostFacts("hv01", { os: unreadable("os", "not-supported", "Get-CimInstance is not recognized") }));

describe("lifecycle data", () => {
  it("maps every version in windows-facts.md §1 to its product and date", () => {
    const cases: [OsFact, string, string][] = [
      [SERVER_2003, "Windows Server 2003 / 2003 R2", "2015-07-14"],
      [SERVER_2008, "Windows Server 2008", "2020-01-14"],
      [SERVER_2008_R2, "Windows Server 2008 R2", "2020-01-14"],
      [SERVER_2012, "Windows Server 2012", "2023-10-10"],
      [SERVER_2012_R2, "Windows Server 2012 R2", "2023-10-10"],
      [SERVER_2016, "Windows Server 2016", "2027-01-12"],
      [SERVER_2019, "Windows Server 2019", "2029-01-09"],
      [SERVER_2022, "Windows Server 2022", "2031-10-14"],
      // Microsoft's page says 2034-10-10 (windows-facts.md had 2034-11-14).
      [SERVER_2025, "Windows Server 2025", "2034-10-10"],
    ];
    for (const [v, product, end] of cases) {
      const entry = lifecycleFor(v);
      assert.ok(entry, v.version);
      assert.equal(entry.product, product);
      assert.equal(entry.extendedSupportEnd, end);
    }
    assert.equal(LIFECYCLE.filter((e) => e.family === "server").length, 11);
  });

  it("gives every date its Microsoft Lifecycle page", () => {
    for (const e of LIFECYCLE) assert.match(e.source, /^https:\/\/learn\.microsoft\.com\/lifecycle\/products\/[a-z0-9-]+$/, e.product);
  });

  it("knows the servers older than 2003, by ProductType 3 or 2 (domain controller)", () => {
    assert.equal(lifecycleFor(os("Microsoft Windows 2000 Server", "5.0.2195"))?.extendedSupportEnd, "2010-07-13");
    assert.equal(lifecycleFor(os("Microsoft Windows 2000 Advanced Server", "5.0.2195", 2))?.product, "Windows 2000 Server");
    assert.equal(lifecycleFor(os("Microsoft Windows NT Server", "4.0.1381"))?.extendedSupportEnd, "2004-12-31");
  });

  it("knows client editions by ProductType 1, never taking a server's date for a client of the same version", () => {
    const cases: [string, string, string, string][] = [
      ["Microsoft Windows NT Workstation", "4.0.1381", "Windows NT Workstation 4.0", "2004-06-30"],
      ["Microsoft Windows 2000 Professional", "5.0.2195", "Windows 2000 Professional", "2010-07-13"],
      ["Microsoft Windows XP Professional", "5.1.2600", "Windows XP", "2014-04-08"],
      ["Microsoft Windows XP Professional x64 Edition", "5.2.3790", "Windows XP Professional x64 Edition", "2014-04-08"],
      ["Microsoft Windows Vista Business", "6.0.6002", "Windows Vista", "2017-04-11"],
      ["Microsoft Windows 7 Professional", "6.1.7601", "Windows 7", "2020-01-14"],
      ["Microsoft Windows 8 Pro", "6.2.9200", "Windows 8", "2016-01-12"],
      ["Microsoft Windows 8.1 Enterprise", "6.3.9600", "Windows 8.1", "2023-01-10"],
    ];
    for (const [caption, version, product, end] of cases) {
      const entry = lifecycleFor(os(caption, version, 1));
      assert.equal(entry?.product, product, caption);
      assert.equal(entry?.extendedSupportEnd, end, caption);
      assert.equal(entry?.family, "client");
    }
    // Windows 7 and Server 2008 R2 are both 6.1: the ProductType decides, not the caption.
    assert.equal(lifecycleFor(os("x", "6.1.7601", 3))?.product, "Windows Server 2008 R2");
  });

  it("knows ESU only for 2012 and 2012 R2", () => {
    assert.deepEqual(
      LIFECYCLE.filter((e) => e.esuEnd).map((e) => [e.product, e.esuEnd]),
      [
        ["Windows Server 2012", "2026-10-13"],
        ["Windows Server 2012 R2", "2026-10-13"],
      ],
    );
  });

  it("does not guess a 10.0 build that is not in the table", () => {
    assert.equal(lifecycleFor({ major: 10, minor: 0, build: 19045 }), undefined);
    assert.equal(lifecycleFor({ major: 10, minor: 0, build: 14392 }), undefined);
  });
});

describe("HP-EOS-001 judgeNotWindowsServer2003", () => {
  it("passes Windows Server 2019 and names the caption and version", () => {
    const j = expectStatus(judgeNotWindowsServer2003(withOs(SERVER_2019)), "passed");
    assert.match(j.actual, /Microsoft Windows Server 2019 Datacenter, version 10\.0\.17763/);
    assert.deepEqual(probesOf(j), ["hv01/os"]);
  });

  for (const v of [SERVER_2003, SERVER_2003_R2]) {
    it(`fails ${v.caption}`, () => {
      const j = expectStatus(judgeNotWindowsServer2003(withOs(v)), "failed");
      assert.match(j.actual, /5\.2\.3790/);
      assert.match(j.actual, /2015-07-14/);
      assert.deepEqual(probesOf(j), ["hv01/os"]);
    });
  }

  it("passes 2008 (6.0): only 5.2 is this control's business", () => {
    expectStatus(judgeNotWindowsServer2003(withOs(SERVER_2008)), "passed");
  });

  it("never passes a host whose os fact is unreadable, unless the CurrentVersion key's build alone rules out 5.2", () => {
    const noVersion = hostCtx(hostFacts("hv01", { os: unreadable("os", "not-supported", "Get-CimInstance is not recognized"), windowsVersion: unreadable("windowsVersion") }));
    const j = expectStatus(judgeNotWindowsServer2003(noVersion), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
    assert.match(j.reason!.message, /hv01/);
    assert.match(j.reason!.message, /\bos\b/);
    assert.deepEqual(probesOf(j), ["hv01/os"]);
    // Every NT 5.2 release is build 3790: CurrentBuild 17763 decides without Win32_OperatingSystem.
    const passed = expectStatus(judgeNotWindowsServer2003(unreadableOs()), "passed");
    assert.match(passed.actual, /build 17763 \(the CurrentVersion key's CurrentBuild; Win32_OperatingSystem could not be read\)/);
    assert.deepEqual(probesOf(passed), ["hv01/windowsVersion", "hv01/os"]);
    const build3790 = hostCtx(hostFacts("hv01", { os: unreadable("os"), windowsVersion: ok("windowsVersion", { installationType: null, editionId: null, currentBuild: 3790, ubr: null, displayVersion: null }) }));
    expectStatus(judgeNotWindowsServer2003(build3790), "undetermined");
  });

  it("never calls Windows XP Professional x64 Edition (5.2, a workstation) Windows Server 2003; 5.2 that nothing names is undetermined", () => {
    const xp64 = os("Microsoft Windows XP Professional x64 Edition", "5.2.3790", 1, null);
    const j = expectStatus(judgeNotWindowsServer2003(withOs(xp64)), "passed");
    assert.match(j.actual, /a workstation/);
    assert.match(expectStatus(judgeWithinExtendedSupport(withOs(xp64)), "failed").actual, /^Windows XP Professional x64 Edition .*2014-04-08/);
    const unnamed = hostCtx(hostFacts("hv01", { os: ok("os", os("Microsoft Windows", "5.2.3790", null, null)), windowsVersion: unreadable("windowsVersion") }));
    expectStatus(judgeNotWindowsServer2003(unnamed), "undetermined");
    // Both kinds of 5.2 are long past their end: HP-EOS-002 fails it either way.
    assert.match(expectStatus(judgeWithinExtendedSupport(unnamed), "failed").rule ?? "", /the facts leave 2 releases open.*Windows Server 2003 \/ 2003 R2: extended support ends 2015-07-14.*Windows XP Professional x64 Edition: extended support ends 2014-04-08/);
  });
});

describe("HP-EOS-002 judgeWithinExtendedSupport", () => {
  it("passes Server 2019 well within support and states the rule", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2019)), "passed");
    assert.match(j.actual, /Windows Server 2019.*2029-01-09/);
    assert.match(j.rule ?? "", /Windows Server 2019: extended support ends 2029-01-09/);
    assert.deepEqual(probesOf(j), ["hv01/os", "hv01/windowsVersion"]);
  });

  it("passes on the end date itself (support ends at the end of that day, UTC)", () => {
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2016, new Date("2027-01-12T00:00:00Z"))), "passed");
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2016, new Date("2027-01-12T23:59:59.999Z"))), "passed");
  });

  it("fails the day after the end date", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2016, new Date("2027-01-13T00:00:00Z"))), "failed");
    assert.match(j.actual, /ended 2027-01-12/);
  });

  for (const v of [SERVER_2003, SERVER_2008, SERVER_2008_R2]) {
    it(`fails ${v.caption} today`, () => {
      expectStatus(judgeWithinExtendedSupport(withOs(v)), "failed");
    });
  }

  it("fails 2012 R2 on the 2023-10-10 date even though paid ESU runs to 2026-10-13, and says so in a note", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2012_R2, new Date("2025-06-01T00:00:00Z"))), "failed");
    assert.match(j.actual, /2023-10-10/);
    const note = j.details?.find((d) => d.outcome === "info");
    assert.ok(note, "an ESU note is expected");
    assert.match(note.actual, /2026-10-13/);
  });

  it("passes 2012 on 2023-10-10 and fails it on 2023-10-11", () => {
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2012, new Date("2023-10-10T12:00:00Z"))), "passed");
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2012, new Date("2023-10-11T00:00:00Z"))), "failed");
  });

  it("passes 2022 and 2025 today", () => {
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2022)), "passed");
    expectStatus(judgeWithinExtendedSupport(withOs(SERVER_2025)), "passed");
  });

  it("is undetermined (not-verifiable) for a 10.0 build it has no data for", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows Server Datacenter", "10.0.30000"))), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
    assert.match(j.reason!.message, /no lifecycle data for .*10\.0\.30000.*no Windows server release hostproof knows/);
    assert.deepEqual(probesOf(j), ["hv01/os", "hv01/windowsVersion"]);
  });

  it("does not apply the server table to a workstation sharing a server build number", () => {
    const ltsb = expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 10 Enterprise 2016 LTSB", "10.0.14393", 1, 125))), "failed");
    assert.match(ltsb.actual, /Windows 10 Enterprise 2016 LTSB .*ended 2026-10-13/);
    const pro = expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 10 Pro", "10.0.14393", 1))), "failed");
    assert.match(pro.actual, /Windows 10 version 1607 Home and Pro .*ended 2018-04-10/);
  });

  it("fails Windows 7 and 8.1 clients past their dates, and names the source page", () => {
    const seven = expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 7 Enterprise", "6.1.7601", 1))), "failed");
    assert.match(seven.actual, /Windows 7 .*ended 2020-01-14/);
    assert.match(seven.rule ?? "", /https:\/\/learn\.microsoft\.com\/lifecycle\/products\/windows-7\)$/);
    expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 8.1 Pro", "6.3.9600", 1), new Date("2023-01-10T12:00:00Z"))), "passed");
    expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 8.1 Pro", "6.3.9600", 1), new Date("2023-01-11T00:00:00Z"))), "failed");
  });

  it("fails Windows 2000 Server and NT 4.0 Server", () => {
    expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows 2000 Server", "5.0.2195"))), "failed");
    expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows NT Server", "4.0.1381"))), "failed");
  });

  it("treats a domain controller (product type 2) as a server", () => {
    expectStatus(judgeWithinExtendedSupport(withOs(os("Microsoft Windows Server 2019 Standard", "10.0.17763", 2))), "passed");
  });

  it("never passes a host whose os fact is unreadable", () => {
    const j = expectStatus(judgeWithinExtendedSupport(unreadableOs()), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
  });
});

describe("HP-EOS-003 judgeNotNearEndOfSupport", () => {
  it("fails Server 2016 51 days before its end and words it for an auditor", () => {
    const j = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2026-11-22T09:30:00Z"))), "failed");
    assert.equal(j.actual, "Windows Server 2016 support ends 2027-01-12, in 51 days (warning window 90 days)");
    assert.deepEqual(probesOf(j), ["hv01/os", "hv01/windowsVersion"]);
  });

  it("passes Server 2019, years away", () => {
    const j = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2019)), "passed");
    assert.match(j.actual, /Windows Server 2019 support ends 2029-01-09, in \d+ days \(warning window 90 days\)/);
  });

  it("puts the window boundary inside the window: exactly 90 days away fails, 91 passes", () => {
    // 2027-01-12 minus 90 days is 2026-10-14.
    const at90 = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2026-10-14T23:00:00Z"))), "failed");
    assert.match(at90.actual, /in 90 days/);
    const at91 = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2026-10-13T00:00:00Z"))), "passed");
    assert.match(at91.actual, /in 91 days/);
  });

  it("honours a configured warning window", () => {
    expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2026-11-22T00:00:00Z"), 30)), "passed");
    const j = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2026-11-22T00:00:00Z"), 51)), "failed");
    assert.match(j.actual, /warning window 51 days/);
  });

  it("fails on the end date itself (support ends today)", () => {
    const j = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2027-01-12T18:00:00Z"))), "failed");
    assert.match(j.actual, /ends 2027-01-12, today/);
  });

  it("is notApplicable the day after the end: HP-EOS-002 reports that", () => {
    const j = expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2016, new Date("2027-01-13T00:00:00Z"))), "notApplicable");
    assert.match(j.reason!.message, /already past end of support, see HP-EOS-002/);
    assert.deepEqual(probesOf(j), ["hv01/os", "hv01/windowsVersion"]);
  });

  it("is notApplicable for Server 2003 and 2012 R2 today", () => {
    expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2003)), "notApplicable");
    expectStatus(judgeNotNearEndOfSupport(withOs(SERVER_2012_R2)), "notApplicable");
  });

  it("is undetermined for an unknown build and for an unreadable os fact", () => {
    const a = expectStatus(judgeNotNearEndOfSupport(withOs(os("Microsoft Windows Server Datacenter", "10.0.30000"))), "undetermined");
    assert.equal(a.reason?.kind, "not-verifiable");
    const b = expectStatus(judgeNotNearEndOfSupport(unreadableOs()), "undetermined");
    assert.equal(b.reason?.kind, "not-supported");
  });
});
