import type { Fact, VmIntegrationServiceFact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { innerText, mapRows, normaliseRecord, objectList, optionalBool, parsed, prop, requiredText, text, type Parsed } from "./shape";

/** The GUID after the last backslash of `Microsoft:<VMId>\<GUID>`. */
const SERVICE_ID = /\\\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?\s*$/;

/**
 * Get-VM | Get-VMIntegrationService on the host: one row per service per VM; no VMs is no output.
 * The Name is localised, so the service is identified by the GUID ending its Id; a row without an
 * Id rejects the whole output, because a service that cannot be identified could hide a
 * deviation.
 */
export function normaliseVmIntegrationServices(record: ProbeRecord | undefined): Fact<VmIntegrationServiceFact[]> {
  return normaliseRecord("vmIntegrationServices", record, (output) => {
    const rows = objectList(output);
    return rows.ok ? mapRows(rows.value, readService) : rows;
  });
}

function readService(row: JsonObject): Parsed<VmIntegrationServiceFact> {
  const vmName = requiredText(row, "VMName");
  if (!vmName.ok) return vmName;
  const id = requiredText(row, "Id");
  if (!id.ok) return id;
  // Absent is "not reported"; anything else must read as a boolean, or a typo could pass as off.
  const enabled = optionalBool(row, "Enabled");
  if (!enabled.ok) return enabled;
  return parsed({
    vmName: vmName.value,
    // A Guid is written as text; an unprojected one could arrive as {"Guid": "..."}.
    vmId: innerText(prop(row, "VMId"), "Guid"),
    name: text(prop(row, "Name")),
    id: id.value,
    serviceId: SERVICE_ID.exec(id.value)?.[1]?.toUpperCase() ?? null,
    enabled: enabled.value,
    primaryStatus: text(prop(row, "PrimaryStatusDescription")),
    secondaryStatus: text(prop(row, "SecondaryStatusDescription")),
  });
}
