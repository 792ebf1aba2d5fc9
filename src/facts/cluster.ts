import type { ClusterFact, Fact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { enumCode, normaliseRecord, parsed, prop, requiredText, singleObject } from "./shape";

/** AdminAccessPoint in enum order (FailoverClusters module): the index is the value. */
const ADMIN_ACCESS_POINTS = ["None", "ActiveDirectoryAndDns", "Dns", "ActiveDirectory"] as const;

/**
 * Get-Cluster. On a machine that is not a cluster node the probe fails
 * (ClusterEndpointNotRegistered) and arrives as an error record, handled like any other error.
 * administrativeAccessPoint is always a number (names are translated) or null when not reported;
 * an unknown name is malformed because guessing would decide the workgroup-cluster controls.
 */
export function normaliseCluster(record: ProbeRecord | undefined): Fact<ClusterFact> {
  return normaliseRecord("cluster", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const name = requiredText(obj.value, "Name");
    if (!name.ok) return name;
    const accessPoint = enumCode(prop(obj.value, "AdministrativeAccessPoint"), ADMIN_ACCESS_POINTS, "AdministrativeAccessPoint");
    if (!accessPoint.ok) return accessPoint;
    return parsed({ name: name.value, administrativeAccessPoint: accessPoint.value });
  });
}
