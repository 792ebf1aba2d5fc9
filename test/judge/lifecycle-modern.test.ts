import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { OsFact } from "../../src/model/facts";
import { judgeNotNearEndOfSupport, judgeWithinExtendedSupport } from "../../src/judge/lifecycle";
import { lookupLifecycle } from "../../src/judge/lifecycle-data";
import { normaliseOs } from "../../src/facts/os";
import { expectStatus, hostCtx, hostFacts, ok } from "../helpers/host-facts";

const HOME = 101;
const PRO = 48;
const PRO_WORKSTATIONS = 161;
const ENTERPRISE = 4;
const EDUCATION = 121;
const LTSC = 125;
const IOT_LTSC = 191;
const DATACENTER = 8;
const NANO_DATACENTER = 143;
const SAC_STANDARD_CORE = 146;

function os(build: number, productType: number, sku: number | null): OsFact {
  const version = `10.0.${build}`;
  return { caption: "localised caption, never read", version, major: 10, minor: 0, build, productType, sku, architecture: null };
}

function endOf(build: number, productType: number, sku: number | null): { product: string; end: string; source: string } {
  const found = lookupLifecycle(os(build, productType, sku));
  assert.ok(found.ok, `${build}/${sku}: ${found.ok ? "" : found.why}`);
  return { product: found.entry.product, end: found.entry.extendedSupportEnd, source: found.entry.source };
}

function whyNot(build: number, productType: number, sku: number | null): string {
  const found = lookupLifecycle(os(build, productType, sku));
  assert.ok(!found.ok, `${build}/${sku} should have no date`);
  return found.why;
}

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const ctx = (v: OsFact, asOf: Date) => hostCtx(hostFacts("pc01", { os: ok("os", v) }), { asOf });

describe("Windows 10 by build and edition", () => {
  // [build, Home/Pro end, Enterprise/Education end]
  const releases: [number, string, string][] = [
    [10240, "2017-05-09", "2017-05-09"],
    [10586, "2017-10-10", "2017-10-10"],
    [14393, "2018-04-10", "2019-04-09"],
    [15063, "2018-10-09", "2019-10-08"],
    [16299, "2019-04-09", "2020-10-13"],
    [17134, "2019-11-12", "2021-05-11"],
    [17763, "2020-11-10", "2021-05-11"],
    [18362, "2020-12-08", "2020-12-08"],
    [18363, "2021-05-11", "2022-05-10"],
    [19041, "2021-12-14", "2021-12-14"],
    [19042, "2022-05-10", "2023-05-09"],
    [19043, "2022-12-13", "2022-12-13"],
    [19044, "2023-06-13", "2024-06-11"],
    [19045, "2025-10-14", "2025-10-14"],
  ];
  for (const [build, homePro, entEdu] of releases) {
    it(`dates build ${build} for Home/Pro and Enterprise/Education from their own pages`, () => {
      for (const sku of [HOME, PRO, PRO_WORKSTATIONS]) {
        const e = endOf(build, 1, sku);
        assert.equal(e.end, homePro);
        assert.match(e.product, /^Windows 10 version \w+ Home and Pro$/);
        assert.equal(e.source, "https://learn.microsoft.com/lifecycle/products/windows-10-home-and-pro");
      }
      for (const sku of [ENTERPRISE, EDUCATION]) {
        const e = endOf(build, 1, sku);
        assert.equal(e.end, entEdu);
        assert.equal(e.source, "https://learn.microsoft.com/lifecycle/products/windows-10-enterprise-and-education");
      }
    });
  }

  it("gives 21H2 (19044) three dates by edition: Pro, Enterprise, LTSC 2021 and IoT LTSC 2021", () => {
    assert.equal(endOf(19044, 1, PRO).end, "2023-06-13");
    assert.equal(endOf(19044, 1, ENTERPRISE).end, "2024-06-11");
    assert.deepEqual(endOf(19044, 1, LTSC), {
      product: "Windows 10 Enterprise LTSC 2021",
      end: "2027-01-12",
      source: "https://learn.microsoft.com/lifecycle/products/windows-10-enterprise-ltsc-2021",
    });
    assert.equal(endOf(19044, 1, IOT_LTSC).end, "2032-01-13");
  });

  it("knows every LTSB/LTSC release by build", () => {
    assert.equal(endOf(10240, 1, LTSC).product, "Windows 10 Enterprise 2015 LTSB");
    assert.equal(endOf(10240, 1, LTSC).end, "2025-10-14");
    assert.equal(endOf(14393, 1, LTSC).end, "2026-10-13");
    assert.equal(endOf(17763, 1, LTSC).end, "2029-01-09");
    assert.equal(endOf(26100, 1, LTSC).product, "Windows 11 Enterprise LTSC 2024");
    assert.equal(endOf(26100, 1, IOT_LTSC).product, "Windows 11 IoT Enterprise LTSC 2024");
  });

  it("fails a Windows 10 22H2 Pro host after 2025-10-14 and passes Enterprise LTSC 2021 on the same build family", () => {
    const pro = expectStatus(judgeWithinExtendedSupport(ctx(os(19045, 1, PRO), at("2026-11-29"))), "failed");
    assert.match(pro.actual, /Windows 10 version 22H2 Home and Pro .*ended 2025-10-14/);
    assert.match(pro.rule ?? "", /windows-10-home-and-pro\)$/);
    expectStatus(judgeWithinExtendedSupport(ctx(os(19044, 1, LTSC), at("2026-11-29"))), "passed");
    // 44 days before its end: inside the default 90-day window of HP-EOS-003.
    const near = expectStatus(judgeNotNearEndOfSupport(ctx(os(19044, 1, LTSC), at("2026-11-29"))), "failed");
    assert.match(near.actual, /LTSC 2021 support ends 2027-01-12, in 44 days/);
  });
});

describe("Windows 11 by build and edition", () => {
  const releases: [number, string, string, string][] = [
    [22000, "21H2", "2023-10-10", "2024-10-08"],
    [22621, "22H2", "2024-10-08", "2025-10-14"],
    [22631, "23H2", "2025-11-11", "2026-11-10"],
    [26100, "24H2", "2026-10-13", "2027-10-12"],
    [26200, "25H2", "2027-10-12", "2028-10-10"],
  ];
  for (const [build, name, homePro, entEdu] of releases) {
    it(`dates ${name} (${build}) for Home/Pro and Enterprise/Education`, () => {
      assert.deepEqual(endOf(build, 1, PRO), {
        product: `Windows 11 version ${name} Home and Pro`,
        end: homePro,
        source: "https://learn.microsoft.com/lifecycle/products/windows-11-home-and-pro",
      });
      assert.deepEqual(endOf(build, 1, EDUCATION), {
        product: `Windows 11 version ${name} Enterprise and Education`,
        end: entEdu,
        source: "https://learn.microsoft.com/lifecycle/products/windows-11-enterprise-and-education",
      });
    });
  }

  it("passes 24H2 Enterprise and fails 23H2 Enterprise on 2026-11-29", () => {
    expectStatus(judgeWithinExtendedSupport(ctx(os(26100, 1, ENTERPRISE), at("2026-11-29"))), "passed");
    const old = expectStatus(judgeWithinExtendedSupport(ctx(os(22631, 1, ENTERPRISE), at("2026-11-29"))), "failed");
    assert.match(old.actual, /23H2 Enterprise and Education .*ended 2026-11-10/);
  });
});

describe("Nano Server and the Semi-Annual Channel servers", () => {
  it("fails a Nano Server host of any build: since 1709 Nano Server is supported only as a container base image", () => {
    for (const build of [14393, 16299, 17763]) {
      const j = expectStatus(judgeWithinExtendedSupport(ctx(os(build, 3, NANO_DATACENTER), at("2026-11-29"))), "failed");
      assert.match(j.actual, /Nano Server as a host operating system \(supported only as a container base image since version 1709\)/);
      assert.match(j.actual, /ended 2018-10-09/);
      assert.match(j.rule ?? "", /base-image-lifecycle\)$/);
    }
  });

  it("keeps Server 2016 Datacenter (SKU 8) on the Server 2016 date", () => {
    assert.equal(endOf(14393, 3, DATACENTER).product, "Windows Server 2016");
  });

  it("dates every Semi-Annual Channel Server Core release by build", () => {
    const cases: [number, string, string][] = [
      [16299, "1709", "2019-04-09"],
      [17134, "1803", "2019-11-12"],
      [18362, "1903", "2020-12-08"],
      [18363, "1909", "2021-05-11"],
      [19041, "2004", "2021-12-14"],
      [19042, "20H2", "2022-08-09"],
      [25398, "23H2", "2025-10-24"],
    ];
    for (const [build, name, end] of cases) {
      const e = endOf(build, 3, SAC_STANDARD_CORE);
      assert.match(e.product, new RegExp(`^Windows Server version ${name} `));
      assert.equal(e.end, end);
      // The build alone names these releases: a server reporting a Datacenter SKU gets the same date.
      assert.equal(endOf(build, 3, DATACENTER).end, end);
    }
  });

  it("tells Windows Server 1809 (SAC) from Server 2019 by the SKU", () => {
    assert.equal(endOf(17763, 3, SAC_STANDARD_CORE).end, "2020-11-10");
    assert.equal(endOf(17763, 3, DATACENTER).product, "Windows Server 2019");
    assert.equal(endOf(17763, 2, DATACENTER).end, "2029-01-09");
  });

  it("fails Windows Server 23H2 after its end", () => {
    const j = expectStatus(judgeWithinExtendedSupport(ctx(os(25398, 3, SAC_STANDARD_CORE), at("2026-11-29"))), "failed");
    assert.match(j.actual, /Windows Server version 23H2 .*ended 2025-10-24/);
  });
});

describe("what stays undetermined", () => {
  it("an edition that needs the SKU, from a snapshot that did not read it, says the edition was not read", () => {
    for (const [build, type] of [[19044, 1], [22631, 1], [14393, 3], [17763, 3], [10240, 1]] as const) {
      assert.match(whyNot(build, type, null), /edition \(Win32_OperatingSystem\.OperatingSystemSKU\) was not read/);
    }
    // 24H2: Home/Pro ended 2026-10-13, Enterprise/Education, LTSC 2024 and IoT LTSC 2024 have not.
    const j = expectStatus(judgeWithinExtendedSupport(ctx(os(26100, 1, null), at("2026-11-29"))), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
    assert.match(j.reason!.message, /no lifecycle data for .* on pc01: the edition .* was not read/);
  });

  it("a server whose build alone names the release needs no SKU", () => {
    assert.equal(endOf(20348, 3, null).product, "Windows Server 2022");
    assert.equal(endOf(19042, 3, null).end, "2022-08-09");
  });

  it("an unknown edition number is not guessed", () => {
    assert.match(whyNot(19045, 1, 9999), /edition SKU 9999 is not one whose lifecycle hostproof knows/);
  });

  it("an unparseable version never reaches the table: the os fact is unreadable, so the judgement is undetermined", () => {
    const output = { Caption: "Windows", Version: "ten", ProductType: 1, OperatingSystemSKU: 48 };
    const fact = normaliseOs({ command: "Get-CimInstance", startedAt: "2026-11-22T08:00:00Z", output });
    assert.equal(fact.ok, false);
    const j = expectStatus(judgeWithinExtendedSupport(hostCtx(hostFacts("pc01", { os: fact }))), "undetermined");
    assert.match(j.reason!.message, /Version is not a\.b\.c/);
  });
});

describe("Nano Server by its installation type (the CurrentVersion key), folded into end of support", () => {
  const withType = (build: number, sku: number | null, installationType: string | null) =>
    hostCtx(hostFacts("nano01", { os: ok("os", os(build, 3, sku)), windowsVersion: ok("windowsVersion", { installationType, editionId: null, currentBuild: build, ubr: null, displayVersion: null }) }), { asOf: at("2026-11-29") });

  it("fails a host whose InstallationType is Nano Server even where the SKU was not read, and cites the key", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withType(14393, null, "Nano Server")), "failed");
    assert.match(j.actual, /Nano Server as a host operating system/);
    assert.deepEqual(j.evidence.map((e) => e.probe), ["os", "windowsVersion"]);
    expectStatus(judgeNotNearEndOfSupport(withType(14393, null, "Nano Server")), "notApplicable");
  });

  it("settles build 14393 without the SKU when the installation type says it is not Nano Server", () => {
    const j = expectStatus(judgeWithinExtendedSupport(withType(14393, null, "Server Core")), "passed");
    assert.match(j.actual, /^Windows Server 2016 /);
    expectStatus(judgeWithinExtendedSupport(hostCtx(hostFacts("x", { os: ok("os", os(14393, 3, null)), windowsVersion: { ok: false, probe: "windowsVersion", problem: { kind: "access-denied", message: "denied" } } }), { asOf: at("2026-11-29") })), "undetermined");
  });
});
