import { test } from "node:test";
import assert from "node:assert/strict";
import { PROBE_IDS, PROBES } from "../../src/probes/catalog";
import { probeCommands } from "../../src/collect/script";
import { projectedProperties } from "../testkit/schemas";

test("every command and fallback serialises with an explicit depth, compressed", () => {
  for (const id of PROBE_IDS) {
    for (const command of probeCommands(id)) {
      assert.match(command, /\| ConvertTo-Json -Depth 4 -Compress$/, `${id}: ${command}`);
    }
  }
});

test("a fallback projects exactly the primary's properties, in the same order", () => {
  for (const id of PROBE_IDS) {
    const expected = projectedProperties(PROBES[id].command);
    for (const fallback of PROBES[id].fallbacks ?? []) {
      assert.deepEqual(projectedProperties(fallback), expected, `${id}: ${fallback}`);
    }
  }
});

test("fallbacks exist where the primary's module can be missing or can fail on the host's data", () => {
  const withFallbacks = PROBE_IDS.filter((id) => (PROBES[id].fallbacks ?? []).length > 0);
  assert.deepEqual(withFallbacks, ["os", "computerSystem", "failoverClusteringFeature", "localUsers", "administratorsGroup", "hotfixes"]);
  assert.match(PROBES.os.fallbacks?.[0] ?? "", /^Get-WmiObject -Class Win32_OperatingSystem /);
  assert.match(PROBES.computerSystem.fallbacks?.[0] ?? "", /^Get-WmiObject -Class Win32_ComputerSystem /);
  assert.match(PROBES.failoverClusteringFeature.fallbacks?.[0] ?? "", /^Get-WindowsOptionalFeature -Online -FeatureName FailoverCluster-FullServer /);
  assert.match(PROBES.localUsers.fallbacks?.[0] ?? "", /^Get-CimInstance -ClassName Win32_UserAccount -Filter "LocalAccount=True" /);
  assert.match(PROBES.administratorsGroup.fallbacks?.[0] ?? "", /Win32_Group .*S-1-5-32-544.*Get-CimAssociatedInstance -Association Win32_GroupUser/);
  assert.match(PROBES.hotfixes.fallbacks?.[0] ?? "", /^Get-CimInstance -ClassName Win32_QuickFixEngineering /);
});

test("commands of a probe are distinct single lines the collector can embed verbatim", () => {
  for (const id of PROBE_IDS) {
    const commands = probeCommands(id);
    assert.equal(new Set(commands).size, commands.length, `${id} repeats a command`);
    for (const command of commands) {
      assert.doesNotMatch(command, /[\r\n]/, `${id}: one line`);
      assert.ok(!command.startsWith("'@"), `${id}: cannot start a line with '@`);
      assert.match(command, /^[\x20-\x7e]+$/, `${id}: printable ASCII only`);
    }
  }
});

test("the optional-feature fallback translates DISM states to the InstallState the normaliser reads", () => {
  const command = PROBES.failoverClusteringFeature.fallbacks?.[0] ?? "";
  // Installed only when Enabled (2); the map sends 0 Disabled→0 Available, 1 DisablePending→3
  // UninstallPending, 2 Enabled→1 Installed, 3 EnablePending→2 InstallPending, 6 removed→4 Removed.
  assert.ok(command.includes("@{Name='Installed';Expression={[int]$_.State -eq 2}}"));
  assert.ok(command.includes("@{0=0;1=3;2=1;3=2;6=4}[[int]$_.State]"));
});
