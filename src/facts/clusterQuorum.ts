import type { ClusterQuorumFact, Fact, WitnessKind } from "../model/facts";
import type { JsonObject, JsonValue } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { innerText, integer, normaliseRecord, parsed, prop, singleObject, text, wrong, type Parsed } from "./shape";

/** ClusterQuorumType (2016+) in enum order: the index is the integer 5.1 emits. */
const QUORUM_TYPES = ["Unknown", "Majority", "DiskOnly"] as const;

/** Resource type names (`ResourceType.Name`, not localised) → witness kind, keyed in lower case. */
const WITNESS_BY_RESOURCE_TYPE: ReadonlyMap<string, WitnessKind> = new Map([
  ["physical disk", "disk"],
  ["cloud witness", "cloud"],
  ["file share witness", "file-share"],
  // The display name; some collectors (and DSC resources) report it instead of the type name.
  ["file share quorum witness", "file-share"],
]);

/** Server 2012 R2 names the quorum mode itself; used only when the resource type is not reported. */
const WITNESS_BY_2012R2_QUORUM_TYPE: ReadonlyMap<string, WitnessKind> = new Map([
  ["nodeanddiskmajority", "disk"],
  ["nodeandfilesharemajority", "file-share"],
  ["nodeandcloudmajority", "cloud"],
  ["nodemajority", "none"],
  ["diskonly", "disk"],
]);

/** Get-ClusterQuorum: quorum mode and witness. */
export function normaliseClusterQuorum(record: ProbeRecord | undefined): Fact<ClusterQuorumFact> {
  return normaliseRecord("clusterQuorum", record, (output) => {
    const obj = singleObject(output);
    return obj.ok ? readQuorum(obj.value) : obj;
  });
}

function readQuorum(obj: JsonObject): Parsed<ClusterQuorumFact> {
  const quorumType = quorumTypeName(prop(obj, "QuorumType"));
  if (!quorumType.ok) return quorumType;
  // Projected to plain strings by the probe; unprojected output nests them as `{"Name":...}`.
  const resourceName = innerText(prop(obj, "QuorumResource"), "Name");
  const resourceType = innerText(prop(obj, "QuorumResourceType"), "Name");
  return parsed({
    cluster: innerText(prop(obj, "Cluster"), "Name"),
    quorumType: quorumType.value,
    witness: witnessKind(resourceType, resourceName, quorumType.value),
    witnessResourceType: resourceType,
    witnessResourceName: resourceName,
  });
}

/** Integers (2016+ on 5.1) become their names; 2012 R2 strings are kept as written. */
function quorumTypeName(value: JsonValue | undefined): Parsed<string | null> {
  const code = integer(value);
  if (code === null) return parsed(text(value));
  const name = QUORUM_TYPES[code];
  return name === undefined ? wrong(`QuorumType ${code} is not a known value`) : parsed(name);
}

function witnessKind(resourceType: string | null, resourceName: string | null, quorumType: string | null): WitnessKind {
  if (resourceType !== null) return WITNESS_BY_RESOURCE_TYPE.get(resourceType.toLowerCase()) ?? "other";
  const fromMode = quorumType === null ? undefined : WITNESS_BY_2012R2_QUORUM_TYPE.get(quorumType.toLowerCase());
  if (fromMode !== undefined) return fromMode;
  // A resource whose type was not reported is some witness, but not one we can name.
  return resourceName === null ? "none" : "other";
}
