import type { DnsClientGlobalSettingFact, Fact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, optionalBool, parsed, singleObject, stringList } from "./shape";

/**
 * Get-DnsClientGlobalSetting. SuffixSearchList arrives as an array, a lone string (one suffix,
 * depending on how the collector projected it), null (no list) or, from Windows PowerShell 5.1,
 * as `{"value":[...],"Count":n}`; all become a plain list, order kept (the first is the primary).
 */
export function normaliseDnsClientGlobalSetting(record: ProbeRecord | undefined): Fact<DnsClientGlobalSettingFact> {
  return normaliseRecord("dnsClientGlobalSetting", record, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const suffixSearchList = stringList(obj.value, "SuffixSearchList");
    if (!suffixSearchList.ok) return suffixSearchList;
    const useSuffixSearchList = optionalBool(obj.value, "UseSuffixSearchList");
    if (!useSuffixSearchList.ok) return useSuffixSearchList;
    const useDevolution = optionalBool(obj.value, "UseDevolution");
    if (!useDevolution.ok) return useDevolution;
    return parsed({ suffixSearchList: suffixSearchList.value, useSuffixSearchList: useSuffixSearchList.value, useDevolution: useDevolution.value });
  });
}
