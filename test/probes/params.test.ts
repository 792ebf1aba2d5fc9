import assert from "node:assert/strict";
import { test } from "node:test";
import { checkParam, registryProviderPath, type ParamKind } from "../../src/probes/params";

const ok: Array<[ParamKind, string]> = [
  ["registryKey", "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"],
  ["registryKey", "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters"],
  ["registryKey", "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System"],
  ["registryKey", "HKU\\.DEFAULT\\Control Panel\\Desktop"],
  ["registryKey", "HKLM\\SOFTWARE\\Classes\\CLSID\\{0000002F-0000-0000-C000-000000000046}"],
  ["registryValueName", "SMB1"],
  ["registryValueName", "NV Domain"],
  ["registryValueName", "*VMQ"],
  ["registryValueName", "(default)"],
  ["serviceName", "W32Time"],
  ["serviceName", "MSSQL$SQLEXPRESS"],
  ["featureName", "PowerShell-V2"],
  ["featureName", "MicrosoftWindowsPowerShellV2Root"],
  ["hotfixId", "KB5044281"],
  ["hotfixId", "kb3176936"],
  ["localGroup", "S-1-5-32-544"],
  ["localGroup", "Remote Desktop Users"],
  ["localGroup", "Administratoren"],
  ["cimNamespace", "root\\cimv2"],
  ["cimNamespace", "root\\Microsoft\\Windows\\DeviceGuard"],
  ["cimName", "Win32_Service"],
  ["cimFilterValue", "W32Time"],
];

test("the forms accept what Windows names look like", () => {
  for (const [kind, value] of ok) assert.equal(checkParam(kind, value), undefined, `${kind} ${value}`);
});

const refused: Array<[ParamKind, string, RegExp]> = [
  ["registryKey", "HKLM\\SOFTWARE'; Remove-Item C:\\ -Recurse; '", /contains '''/],
  ["registryKey", "HKLM\\SOFTWARE\\$(Stop-Computer)", /contains '\$'/],
  ["registryKey", "HKCU\\Software\\Policies", /'HKCU' is not a hive/],
  ["registryKey", "HKLM\\\\SOFTWARE", /key name is empty/],
  ["registryKey", "HKLM\\SOFTWARE\\", /key name is empty/],
  ["registryKey", "HKLM", /key name is empty/],
  ["registryKey", "HKLM\\SOFTWARE\\a*b", /'a\*b' has a character outside/],
  ["registryValueName", "SMB1`nRemove-Item", /contains '`'/],
  ["registryValueName", "SMB1\nx", /control character U\+000A/],
  ["registryValueName", " SMB1", /white space/],
  ["serviceName", "W32Time; Stop-Service WinDefend", /contains ';'/],
  ["serviceName", "Windows Time", /outside the form/],
  ["serviceName", "W32Time|calc", /contains '\|'/],
  ["featureName", "PowerShell-V2 -Restart", /outside the form/],
  ["hotfixId", "5044281", /outside the form/],
  ["hotfixId", "KB123", /outside the form/],
  ["localGroup", "Admins\\x", /neither a SID nor a name/],
  ["localGroup", "Admins“x", /contains U\+201C, which PowerShell reads as a double quote/],
  ["cimNamespace", "root\\cimv2; x", /contains ';'/],
  ["cimNamespace", "cimv2", /outside the form/],
  ["cimName", "Win32_Service WHERE 1=1", /outside the form/],
  ["cimFilterValue", "x' OR '1'='1", /contains '''/],
  ["serviceName", "", /empty/],
  ["serviceName", "a".repeat(257), /257 characters long, more than 256/],
];

test("the forms refuse PowerShell, other hives and malformed names, saying why and what is expected", () => {
  for (const [kind, value, why] of refused) {
    const problem = checkParam(kind, value);
    assert.ok(problem, `${kind} ${JSON.stringify(value)} must be refused`);
    assert.match(problem.problem, why, `${kind} ${JSON.stringify(value)}`);
    assert.ok(problem.expected.length > 20, "the form expected is said");
  }
});

test("a registry key becomes the provider path the probe reads", () => {
  assert.equal(registryProviderPath("HKLM\\SOFTWARE\\Policies"), "HKLM:\\SOFTWARE\\Policies");
  assert.equal(registryProviderPath("HKLM:\\SOFTWARE\\Policies"), "HKLM:\\SOFTWARE\\Policies");
  assert.equal(registryProviderPath("HKEY_LOCAL_MACHINE\\SOFTWARE"), "HKLM:\\SOFTWARE");
  assert.equal(registryProviderPath("HKU\\.DEFAULT\\Control Panel"), "Registry::HKEY_USERS\\.DEFAULT\\Control Panel");
  assert.equal(registryProviderPath("hkcr\\CLSID"), "Registry::HKEY_CLASSES_ROOT\\CLSID");
});
