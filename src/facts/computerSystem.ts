import type { ComputerSystemFact, Fact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalBool, parsed, prop, requiredText, singleObject, text, type Parsed } from "./shape";

/** Win32_ComputerSystem: domain membership, and the machine (physical, or a VM and on which hypervisor). */
export function normaliseComputerSystem(record: ProbeRecord | undefined): Fact<ComputerSystemFact> {
  return normaliseRecord("computerSystem", record, (output) => {
    const obj = singleObject(output);
    return obj.ok ? readComputerSystem(obj.value) : obj;
  });
}

function readComputerSystem(obj: JsonObject): Parsed<ComputerSystemFact> {
  const name = requiredText(obj, "Name");
  if (!name.ok) return name;
  const partOfDomain = optionalBool(obj, "PartOfDomain");
  if (!partOfDomain.ok) return partOfDomain;
  return parsed({
    name: name.value,
    dnsHostName: text(prop(obj, "DNSHostName")),
    domain: text(prop(obj, "Domain")),
    // Decide membership on this flag, not on Domain: a workgroup named like a domain is possible.
    partOfDomain: partOfDomain.value,
    workgroup: text(prop(obj, "Workgroup")),
    manufacturer: text(prop(obj, "Manufacturer")),
    model: text(prop(obj, "Model")),
  });
}
