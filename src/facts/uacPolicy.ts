import type { Fact, UacPolicyFact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalInteger, parsed, singleObject } from "./shape";

/**
 * LocalAccountTokenFilterPolicy. Missing or null means the value does not exist (Windows then
 * behaves as 0); a present value that is not a whole number is malformed, not null, because null
 * reads as "the secure default" and must not be reached by accident.
 */
export function normaliseUacPolicy(record: ProbeRecord | undefined): Fact<UacPolicyFact> {
  return normaliseRecord("uacPolicy", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const value = optionalInteger(obj.value, "LocalAccountTokenFilterPolicy");
    return value.ok ? parsed({ localAccountTokenFilterPolicy: value.value }) : value;
  });
}
