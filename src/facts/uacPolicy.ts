import type { Fact, UacPolicyFact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalDword, parsed, singleObject } from "./shape";

/**
 * LocalAccountTokenFilterPolicy. Missing or null means the value does not exist (Windows then
 * behaves as 0); a present value that is not a whole number is malformed, not null, because null
 * reads as "the secure default" and must not be reached by accident. It is a REG_DWORD, read in
 * its unsigned form; a number no DWORD can hold is malformed too (see DWORD in shape.ts).
 */
export function normaliseUacPolicy(record: ProbeRecord | undefined): Fact<UacPolicyFact> {
  return normaliseRecord("uacPolicy", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const value = optionalDword(obj.value, "LocalAccountTokenFilterPolicy");
    return value.ok ? parsed({ localAccountTokenFilterPolicy: value.value }) : value;
  });
}
