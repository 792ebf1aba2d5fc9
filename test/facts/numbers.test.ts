/**
 * Issue 18, class "numbers": every numeric fact has a domain, and a value outside it (or a fraction
 * where a whole number is meant) is malformed, so its controls are undetermined; nothing is wrapped,
 * clamped or rounded into a value that could pass.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { registryKey } from "../../src/facts/generic";
import { integer } from "../../src/facts/shape";
import { normaliseUacPolicy } from "../../src/facts/uacPolicy";
import { normaliseWindowsVersion } from "../../src/facts/windowsVersion";
import { normaliseOs } from "../../src/facts/os";
import { normaliseCluster } from "../../src/facts/cluster";
import { normaliseAdministratorsGroup } from "../../src/facts/administratorsGroup";
import { normaliseFailoverClusteringFeature } from "../../src/facts/failoverClusteringFeature";
import { normaliseNetAdapterAdvancedProperty } from "../../src/facts/netAdapterAdvancedProperty";
import { judgeRegistryValue } from "../../src/judge/generic";
import { DEFAULT_INPUTS } from "../../src/judge/context";
import { genericProbe } from "../../src/probes/generic";
import type { JsonValue } from "../../src/model/json";
import { AS_OF, hostFacts } from "../helpers/host-facts";
import { problemOf, success, valueOf } from "../helpers/records";

const KEY = genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Contoso");
const key = (...rows: [string, string, JsonValue][]) => registryKey(hostFacts("h1", { records: { [KEY.id]: success(rows.map(([Name, Kind, Data]) => ({ Name, Kind, Data }))) } }), KEY);
const data = (kind: string, value: JsonValue) => valueOf(key(["V", kind, value])).values[0]!.data;

describe("registry DWORD and QWORD", () => {
  it("reads the Int32 form of the upper half as unsigned, and the unsigned form as written", () => {
    assert.equal(data("DWord", -1), 4294967295);
    assert.equal(data("DWord", -2147483648), 2147483648);
    assert.equal(data("DWord", 4294967295), 4294967295);
    assert.equal(data("DWord", 1), 1);
    assert.equal(data("QWord", 2 ** 40), 2 ** 40);
  });

  it("refuses -4294967295, which no DWORD is, instead of wrapping it to 1", () => {
    assert.match(problemOf(key(["V", "DWord", -4294967295]), "malformed"), /value "V": -4294967295 is outside a REG_DWORD's range/);
    const judged = judgeRegistryValue(KEY, "V", { is: 1 })({ facts: hostFacts("h1", { records: { [KEY.id]: success([{ Name: "V", Kind: "DWord", Data: -4294967295 }]) } }), inputs: DEFAULT_INPUTS, asOf: AS_OF });
    assert.equal(judged.status, "undetermined");
    assert.equal(judged.reason?.kind, "malformed");
  });

  it("refuses DWORDs past 2^32 - 1 or below -2^31, fractions, and text or booleans in a number's place", () => {
    for (const bad of [4294967296, -2147483649, 1.5, "1", true, null, 2 ** 60]) problemOf(key(["V", "DWord", bad as JsonValue]), "malformed");
  });

  it("refuses QWORDs JSON cannot hold exactly, and negative ones (2^63 and above unsigned)", () => {
    for (const bad of [2 ** 53, -1, 1e20, 0.5]) problemOf(key(["V", "QWord", bad]), "malformed");
  });

  it("refuses a key listing one value name twice in different case, which one key cannot hold", () => {
    assert.match(problemOf(key(["Enabled", "DWord", 0], ["ENABLED", "DWord", 1]), "malformed"), /"Enabled" twice \(as "Enabled" and "ENABLED"\)/);
  });
});

describe("DWORDs read by Get-ItemProperty (LocalAccountTokenFilterPolicy, UBR)", () => {
  it("reads LocalAccountTokenFilterPolicy -1 as 4294967295 and refuses -4294967295", () => {
    assert.equal(valueOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: -1 }))).localAccountTokenFilterPolicy, 4294967295);
    assert.match(problemOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: -4294967295 })), "malformed"), /LocalAccountTokenFilterPolicy is -4294967295, outside a REG_DWORD's range/);
    problemOf(normaliseUacPolicy(success({ LocalAccountTokenFilterPolicy: 4294967297 })), "malformed");
  });

  it("refuses a UBR no DWORD holds and a CurrentBuild no Windows has", () => {
    problemOf(normaliseWindowsVersion(success({ CurrentBuild: "17763", UBR: 4294967296 })), "malformed");
    assert.match(problemOf(normaliseWindowsVersion(success({ CurrentBuild: "17763", UBR: "6414" })), "malformed"), /UBR is the text "6414", not a REG_DWORD/);
    problemOf(normaliseWindowsVersion(success({ CurrentBuild: "99999999", UBR: 1 })), "malformed");
    assert.equal(valueOf(normaliseWindowsVersion(success({ CurrentBuild: "17763", UBR: 6414 }))).ubr, 6414);
  });
});

describe("Win32_OperatingSystem numbers", () => {
  const os = (extra: Record<string, JsonValue>) => normaliseOs(success({ Caption: "Microsoft Windows Server 2019 Datacenter", Version: "10.0.17763", BuildNumber: "17763", ProductType: 3, OperatingSystemSKU: 8, ...extra }));

  it("reads the release values", () => {
    assert.equal(valueOf(os({})).build, 17763);
  });

  it("refuses a product type other than 1, 2 or 3, a SKU outside uint32, and version parts past 65535", () => {
    assert.match(problemOf(os({ ProductType: 7 }), "malformed"), /ProductType is 7/);
    problemOf(os({ ProductType: 0 }), "malformed");
    problemOf(os({ OperatingSystemSKU: -1 }), "malformed");
    problemOf(os({ OperatingSystemSKU: 4294967296 }), "malformed");
    problemOf(os({ Version: "10.0.4294967295", BuildNumber: null }), "malformed");
    problemOf(os({ Version: "10.0.99999999999999999999", BuildNumber: null }), "malformed");
    problemOf(os({ BuildNumber: "1e3" }), "malformed");
  });

  it("refuses a Version and a BuildNumber that name different builds", () => {
    assert.match(problemOf(os({ BuildNumber: "26100" }), "malformed"), /names build 17763, but BuildNumber is 26100/);
  });
});

describe("enums", () => {
  it("refuses an AdministrativeAccessPoint, PrincipalSource or InstallState the enum does not have", () => {
    assert.match(problemOf(normaliseCluster(success({ Name: "c", AdministrativeAccessPoint: 7 })), "malformed"), /AdministrativeAccessPoint 7 is not a known value/);
    problemOf(normaliseCluster(success({ Name: "c", AdministrativeAccessPoint: -1 })), "malformed");
    problemOf(normaliseAdministratorsGroup(success({ Name: "H\\a", SID: "S-1-5-21-1-2-3-500", PrincipalSource: 9 })), "malformed");
    problemOf(normaliseFailoverClusteringFeature(success({ Name: "Failover-Clustering", Installed: true, InstallState: 9 })), "malformed");
  });

  it("refuses Installed and InstallState that contradict each other, and keeps the pending states' own reading", () => {
    assert.match(problemOf(normaliseFailoverClusteringFeature(success({ Name: "Failover-Clustering", Installed: true, InstallState: 0 })), "malformed"), /Installed is true but InstallState is 0/);
    problemOf(normaliseFailoverClusteringFeature(success({ Name: "Failover-Clustering", Installed: false, InstallState: 1 })), "malformed");
    problemOf(normaliseFailoverClusteringFeature(success({ Name: "Failover-Clustering", Installed: true, InstallState: "Removed" })), "malformed");
    assert.equal(valueOf(normaliseFailoverClusteringFeature(success({ Name: "Failover-Clustering", Installed: false, InstallState: 2 }))).installed, false);
  });
});

describe("case duplicates inside a probe's rows", () => {
  it("refuses one adapter listing a keyword twice in different case", () => {
    const row = (RegistryKeyword: string, v: string) => ({ Name: "Ethernet 1", DisplayName: "VMQ", DisplayValue: v, RegistryKeyword, RegistryValue: [v] });
    assert.match(problemOf(normaliseNetAdapterAdvancedProperty(success([row("*VMQ", "0"), row("*vmq", "1")])), "malformed"), /keyword "\*VMQ" twice/);
  });
});

describe("integer()", () => {
  it("gives no value for a number JSON.parse could not keep exactly", () => {
    assert.equal(integer(2 ** 53), null);
    assert.equal(integer("99999999999999999999"), null);
    assert.equal(integer(-4294967295), -4294967295, "in range of a double, the domain decides");
  });
});
