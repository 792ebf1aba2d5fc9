import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normaliseWindowsVersion } from "../../src/facts/windowsVersion";
import type { JsonObject } from "../../src/model/json";

const at = "2026-11-22T08:00:00.000Z";

/** The captured Get-ItemProperty list of a Server Core 1809 host, as ConvertTo-Json gives the values. */
function sample(): JsonObject {
  const text = readFileSync(join(__dirname, "..", "fixtures", "samples", "MicrosoftDocs-windowsserverdocs_Get-ComputerInfo_ServerCore2019.txt"), "utf8");
  const values: JsonObject = {};
  for (const line of text.split("\n").slice(2, 8)) {
    const m = /^(\w+)\s+:\s(.*)$/.exec(line.trim());
    // CurrentMajorVersionNumber is a DWORD (a number), the rest REG_SZ (text), as the registry holds them.
    if (m) values[m[1]!] = /^CurrentM(ajor|inor)VersionNumber$/.test(m[1]!) ? Number(m[2]) : m[2]!;
  }
  return values;
}

test("the real Server Core 1809 capture: InstallationType and CurrentBuild; what the key lacks is null", () => {
  const s = sample();
  assert.equal(s.InstallationType, "Server Core");
  const fact = normaliseWindowsVersion({ command: "x", startedAt: at, output: { InstallationType: s.InstallationType!, EditionID: null, CurrentBuild: s.CurrentBuild!, UBR: null, DisplayVersion: null } });
  assert.deepEqual(fact, { ok: true, probe: "windowsVersion", value: { installationType: "Server Core", editionId: null, currentBuild: 17763, ubr: null, displayVersion: null } });
});

test("Nano Server and a revision; a non-numeric UBR is malformed, not a guess", () => {
  const nano = normaliseWindowsVersion({ command: "x", startedAt: at, output: { InstallationType: "Nano Server", EditionID: "ServerDatacenterNano", CurrentBuild: "14393", UBR: 1884, DisplayVersion: null } });
  assert.ok(nano.ok && nano.value.installationType === "Nano Server" && nano.value.ubr === 1884);
  const bad = normaliseWindowsVersion({ command: "x", startedAt: at, output: { InstallationType: "Server", CurrentBuild: "20348", UBR: "many" } });
  assert.equal(bad.ok, false);
  assert.equal(normaliseWindowsVersion(undefined).ok, false);
});
