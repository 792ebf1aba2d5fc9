import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildCollectorScript, DEFAULT_PROBE_TIMEOUT_SECONDS, PROBE_TIMEOUT_PARAMETER, probeCommands } from "../../src/collect/script";
import { PROBE_IDS, type ProbeId } from "../../src/probes/catalog";

/** The script split into the part before the first probe and one block per probe, by id. */
function blocks(script: string): { header: string; probes: Map<string, string> } {
  const parts = script.split(/^# probe (\w+)$/m);
  const probes = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) probes.set(parts[i], parts[i + 1]);
  return { header: parts[0], probes };
}

function count(text: string, pattern: RegExp): number {
  return (text.match(new RegExp(pattern.source, "gm")) ?? []).length;
}

const selection: ProbeId[] = ["uacPolicy", "os", "administratorsGroup"];

test("one block per selected probe, in the order given, each inside its own try/catch", () => {
  const { header, probes } = blocks(buildCollectorScript(selection));
  assert.deepEqual([...probes.keys()], selection);
  for (const [id, block] of probes) {
    assert.equal(count(block, /^try \{$/), 1, `${id}: one try`);
    assert.equal(count(block, /^\} catch \{$/), 1, `${id}: one catch`);
    assert.ok(block.includes(`[void]$hpRecords.Add('"${id}":' + $hpRecord)`), `${id}: recorded under its id`);
  }
  // The runner tries each command in a try/catch of its own; the only other catch in the header is
  // the one-off test whether ConvertTo-Json works.
  assert.equal(count(header, /^\s*try \{$/), 2);
  assert.match(header, /\ntry \{\n  \$hpTry = New-Object PSObject\n[\s\S]*\n\} catch \{\n  \$hpHpJson = \$true\n\}\n/);
  assert.match(header, /function Invoke-HpProbe \{[\s\S]*for \(\$i = 0; \$i -lt \$Commands\.Length; \$i\+\+\) \{[\s\S]*try \{[\s\S]*\} catch \{/);
});

test("every command and fallback of a selected probe appears verbatim, as a here-string", () => {
  const script = buildCollectorScript(PROBE_IDS);
  const { probes } = blocks(script);
  for (const id of PROBE_IDS) {
    const block = probes.get(id) ?? "";
    for (const command of probeCommands(id)) assert.ok(block.includes(`\n@'\n${command}\n'@\n`), `${id}: ${command}`);
  }
});

test("only the selected probes are in the script", () => {
  const script = buildCollectorScript(selection);
  for (const id of PROBE_IDS.filter((p) => !selection.includes(p))) {
    assert.ok(!script.includes(`# probe ${id}\n`), `${id} has no block`);
    assert.ok(!script.includes(`'"${id}":'`), `${id} is not recorded`);
    for (const command of probeCommands(id)) assert.ok(!script.includes(command), `${id}'s command is absent`);
  }
});

test("a probe selected twice runs once; an unknown probe is refused", () => {
  const { probes } = blocks(buildCollectorScript(["os", "os", "hotfixes"]));
  assert.deepEqual([...probes.keys()], ["os", "hotfixes"]);
  assert.throws(() => buildCollectorScript(["os", "nope" as ProbeId]), /unknown probe 'nope'/);
});

test("no selection still writes a document with an empty probes object", () => {
  const script = buildCollectorScript([]);
  assert.equal(blocks(script).probes.size, 0);
  assert.match(script, /',"probes":\{' \+ \(\$hpRecords -join ','\) \+ '\}\}'\s*$/);
});

test("the script takes no values from the inventory: param() holds only the probe time limit and the generic probe list, and no host names", () => {
  const script = buildCollectorScript(PROBE_IDS);
  assert.match(script, /^(#[^\n]*\n)*param\(\[int\]\$ProbeTimeoutSeconds = 30, \[string\]\$GenericProbesB64 = ''\)\n/, "param() is the first statement, with the time limit and the list only");
  assert.equal(`-${PROBE_TIMEOUT_PARAMETER}`, "-ProbeTimeoutSeconds");
  assert.equal(DEFAULT_PROBE_TIMEOUT_SECONDS, 30);
  for (const remote of ["-ComputerName", "Invoke-Command", "New-PSSession", "-Credential"]) assert.ok(!script.includes(remote), remote);
  const inventory = parse(readFileSync(join(__dirname, "..", "..", "examples", "demo", "inventory.yaml"), "utf8")) as {
    hosts: Array<{ name: string; address?: string }>;
    clusters?: Array<{ name: string; domains?: string[]; adminAccount?: string }>;
  };
  const values = [
    ...inventory.hosts.flatMap((h) => [h.name, h.address ?? ""]),
    ...(inventory.clusters ?? []).flatMap((c) => [c.name, ...(c.domains ?? []), c.adminAccount ?? ""]),
  ].filter((v) => v !== "");
  assert.ok(values.length > 5);
  for (const value of values) assert.ok(!script.toLowerCase().includes(value.toLowerCase()), `inventory value ${value} in the script`);
});

test("the same selection gives the same text, byte for byte, and the text is ASCII", () => {
  const a = buildCollectorScript(PROBE_IDS);
  assert.equal(a, buildCollectorScript([...PROBE_IDS]));
  assert.match(a, /^[\x09\x0a\x20-\x7e]*$/);
});

test("stdout is kept for the document: preferences silenced, streams 3-6 redirected inside each probe", () => {
  const { header } = blocks(buildCollectorScript(["os"]));
  for (const pref of ["ProgressPreference", "WarningPreference", "VerbosePreference", "DebugPreference", "InformationPreference"]) {
    assert.match(header, new RegExp(`^\\$${pref} = 'SilentlyContinue'$`, "m"), pref);
  }
  assert.match(header, /function Invoke-HpProbe \{\n  param\(\[string\[\]\]\$Commands, \$State, \[bool\]\$HpJson, \[hashtable\]\$Parameters, \[string\]\$ParametersJson\)\n  \$ErrorActionPreference = 'Stop'\n/);
  assert.ok(header.includes("' 3>$null 4>$null 5>$null'") && header.includes("' 6>$null'"));
  // The only pipeline output at script level is the document itself, on the last line.
  const topLevel = buildCollectorScript(["os"]).split("\n").filter((line) => /^'\{/.test(line));
  assert.equal(topLevel.length, 1);
});

test("error classification checks a missing command before categories that a missing command also carries", () => {
  const { header } = blocks(buildCollectorScript(["os"]));
  const body = header.slice(header.indexOf("function Get-HpErrorKind"), header.indexOf("function Invoke-HpProbe"));
  const order = [
    "[System.Management.Automation.CommandNotFoundException]",
    "'Modules_ModuleNotFound*'",
    "[System.UnauthorizedAccessException]",
    "-2147024891",
    "'Access is denied|Access denied|0x80070005'",
    "'PermissionDenied'",
    "[System.Management.Automation.ItemNotFoundException]",
    "'ObjectNotFound'",
    "'*ClusterEndpointNotRegistered*'",
    "return 'other'",
  ].map((needle) => {
    const at = body.indexOf(needle);
    assert.ok(at >= 0, `${needle} is checked`);
    return at;
  });
  assert.deepEqual(order, [...order].sort((x, y) => x - y));
  // Only not-supported and other move on to a fallback.
  assert.ok(header.includes("if ($last -or ($kind -ne 'not-supported' -and $kind -ne 'other')) {"));
});
