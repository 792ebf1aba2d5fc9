import type { Fact, TcpipParametersFact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, parsed, prop, singleObject, text } from "./shape";

/**
 * HKLM\...\Tcpip\Parameters. Windows stores "no primary DNS suffix" as an empty string, so empty
 * and whitespace-only values read as null: a judge only has to test for null.
 */
export function normaliseTcpipParameters(record: ProbeRecord | undefined): Fact<TcpipParametersFact> {
  return normaliseRecord("tcpipParameters", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    return parsed({
      hostname: text(prop(obj.value, "Hostname")),
      domain: text(prop(obj.value, "Domain")),
      nvDomain: text(prop(obj.value, "NV Domain")),
    });
  });
}
