/**
 * The demo's Nano Server host (examples/demo/snapshots/nano2016.json) against the real collector:
 * the collector script runs under real pwsh on the same host simulated by the stand-in module,
 * with the cmdlets a Nano Server's PowerShell (Core edition 5.1) lacks missing, and must record
 * what the committed snapshot records: each probe's command (primary or fallback), and its output
 * or its error kind. Messages are not compared (PowerShell 7 words them differently from 5.1).
 * Needs pwsh; skips visibly without it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isProbeFailure, type ProbeRecord, type Snapshot } from "../../src/model/snapshot";
import { PROBE_IDS, PROBES } from "../../src/probes/catalog";
import { recordFor, uniqueProbes } from "../../src/probes/generic";
import { planProbes } from "../../src/controls/probe-plan";
import { CUSTOM_CONTROLS, demoEstate } from "../../scripts/make-demo";
import { BUILTIN_GENERIC_PROBES, resolveEstate } from "../helpers/snapshot-builder";
import { collect, pwshOrSkip } from "./run-collector";

const demoSnapshot = (host: string): Snapshot =>
  JSON.parse(readFileSync(join(__dirname, "..", "..", "examples", "demo", "snapshots", `${host}.json`), "utf8")) as Snapshot;

function shape(r: ProbeRecord | undefined): unknown {
  if (r === undefined) return undefined;
  return { command: r.command, ...(isProbeFailure(r) ? { error: r.error.kind } : { output: r.output }) };
}

test("pwsh: the demo's Nano Server host is what the collector records where ServerManager, Get-WmiObject and Get-HotFix are missing", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec = resolveEstate(demoEstate()).find((h) => h.name === "nano2016");
  assert.ok(spec, "the demo has a Nano Server host");
  const committed = demoSnapshot("nano2016");
  // The generic probes make-demo.ts records: the built-in checks' and the custom controls'.
  const generic = uniqueProbes([...BUILTIN_GENERIC_PROBES, ...planProbes(undefined, { folders: [CUSTOM_CONTROLS] }).generic]);
  const collected = collect(pwsh, spec, {}, { generic });
  assert.deepEqual(Object.keys(collected.probes).sort(), Object.keys(committed.probes).sort());
  for (const [id, record] of Object.entries(committed.probes)) {
    assert.deepEqual(shape(recordFor<ProbeRecord>(collected.probes, id)), shape(record), id);
  }
  // What makes it a Nano Server host, and what its missing cmdlets leave: the fallbacks answer.
  const version = committed.probes.windowsVersion;
  assert.ok(version && !isProbeFailure(version) && typeof version.output === "object" && version.output !== null && !Array.isArray(version.output));
  assert.equal(version.output.InstallationType, "Nano Server");
  assert.equal(committed.probes.hotfixes?.command, PROBES.hotfixes.fallbacks?.[0]);
  assert.equal(committed.probes.failoverClusteringFeature?.command, PROBES.failoverClusteringFeature.fallbacks?.[0]);
  for (const id of PROBE_IDS) assert.ok(committed.probes[id], `${id} has a record`);
});
