import type { Fact, WindowsFeatureFact } from "../model/facts";
import type { JsonObject, JsonValue } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { enumAsEmitted, hasProp, optionalBool, normaliseRecord, parsed, prop, requiredText, singleObject, text, wrong, type Parsed } from "./shape";

/** ServerManager InstallState names in enum order (0..4). */
const INSTALL_STATES = ["Available", "Installed", "InstallPending", "UninstallPending", "Removed"] as const;
const INSTALLED = 1;

/**
 * Get-WindowsFeature Failover-Clustering, or the Get-WindowsOptionalFeature shape the collector
 * falls back to where the ServerManager module is missing (Nano Server, client SKUs).
 */
export function normaliseFailoverClusteringFeature(record: ProbeRecord | undefined): Fact<WindowsFeatureFact> {
  return normaliseRecord("failoverClusteringFeature", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const feature = readFeatureRow(obj.value);
    // The probe asks for this one feature by name: a row naming another answers for something else.
    if (feature.ok && !FAILOVER_CLUSTERING_NAMES.includes(feature.value.name.toLowerCase())) {
      return wrong(`the output names the feature ${JSON.stringify(feature.value.name)}, but the probe reads Failover-Clustering (FailoverCluster-FullServer to DISM): it answers for something else`);
    }
    return feature;
  });
}

/** Server Manager's name and DISM's (the fallback's), in lower case. */
const FAILOVER_CLUSTERING_NAMES: readonly string[] = ["failover-clustering", "failovercluster-fullserver"];

/** A feature as Get-WindowsFeature or DISM (Get-WindowsOptionalFeature) reports it. */
export function readFeatureRow(obj: JsonObject): Parsed<WindowsFeatureFact> {
  return isServerManagerShape(obj) ? readWindowsFeature(obj) : readOptionalFeature(obj);
}

function isServerManagerShape(obj: JsonObject): boolean {
  return hasProp(obj, "Installed") || hasProp(obj, "InstallState") || !(hasProp(obj, "State") || hasProp(obj, "FeatureName"));
}

function readWindowsFeature(obj: JsonObject): Parsed<WindowsFeatureFact> {
  const name = requiredText(obj, "Name");
  if (!name.ok) return name;
  const installState = enumAsEmitted(prop(obj, "InstallState"));
  if (installState !== null && installedFromState(installState) === null) return wrong(`InstallState ${JSON.stringify(installState)} is not a known value`);
  const installedProp = optionalBool(obj, "Installed");
  if (!installedProp.ok) return installedProp;
  const stated = installedProp.value;
  const fromState = installedFromState(installState);
  // Installed is InstallState = Installed: Installed true beside Available or Removed (or false
  // beside Installed) is one object saying two things, and neither can be believed. The pending
  // states are left alone: which way Installed reads for them is the cmdlet's affair.
  if (stated !== null && fromState !== null && !isPending(installState) && stated !== fromState) {
    return wrong(`Installed is ${stated} but InstallState is ${JSON.stringify(installState)}: the two contradict each other`);
  }
  const installed = stated ?? fromState;
  if (installed === null) return wrong("neither Installed nor a known InstallState is present");
  return parsed({ name: name.value, installed, installState });
}

function isPending(state: number | string | null): boolean {
  const name = typeof state === "number" ? INSTALL_STATES[state] : state;
  return name !== undefined && name !== null && /pending$/i.test(name);
}

/** Only Installed counts: InstallPending is not in effect yet, and Installed is false for it too. */
function installedFromState(state: number | string | null): boolean | null {
  if (typeof state === "number") return state >= 0 && state < INSTALL_STATES.length ? state === INSTALLED : null;
  if (state === null) return null;
  const index = INSTALL_STATES.findIndex((n) => n.toLowerCase() === state.toLowerCase());
  return index >= 0 ? index === INSTALLED : null;
}

/**
 * DISM's FeatureState is a different enum from InstallState (2 is Enabled there, InstallPending
 * here), so it is translated rather than copied into installState; states without a clear
 * counterpart (the pending ones) give installState null.
 */
const OPTIONAL_TO_INSTALL_STATE: ReadonlyMap<string, number> = new Map([
  ["0", 0], ["disabled", 0],
  ["2", INSTALLED], ["enabled", INSTALLED],
  ["6", 4], ["disabledwithpayloadremoved", 4],
]);

function readOptionalFeature(obj: JsonObject): Parsed<WindowsFeatureFact> {
  const name = text(prop(obj, "FeatureName")) ?? text(prop(obj, "Name"));
  if (name === null) return wrong("property FeatureName is missing");
  const state = optionalState(prop(obj, "State"));
  if (state === null) return wrong("property State is missing");
  const installState = OPTIONAL_TO_INSTALL_STATE.get(state) ?? null;
  return parsed({ name, installed: installState === INSTALLED, installState });
}

function optionalState(value: JsonValue | undefined): string | null {
  const state = text(value);
  return state === null ? null : state.toLowerCase();
}
