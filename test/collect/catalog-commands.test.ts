import { test } from "node:test";
import assert from "node:assert/strict";
import { probeCommands } from "../../src/collect/script";
import { PROBE_IDS } from "../../src/probes/catalog";

test("every cmdlet that reads the host is called with -ErrorAction Stop, in the recorded text", () => {
  // Module functions (the CDXML cmdlets on Windows) do not see the collector's Stop preference
  // (PowerShell/PowerShell#4568); the parameter on each call is what makes their errors terminating.
  for (const id of PROBE_IDS) {
    for (const command of probeCommands(id)) {
      const stages = command.split(/\s\|\s/).map((stage) => stage.trim());
      const readers = stages.filter((stage) => /^Get-/.test(stage));
      assert.ok(readers.length > 0, `${id}: ${command}`);
      for (const stage of readers) assert.match(stage, /\s-ErrorAction Stop(\s|$)/, `${id}: ${stage}`);
    }
  }
});
