import type { DnsClientPolicyFact, Fact } from "../model/facts";
import type { ProbeRecord } from "../model/snapshot";
import { normaliseRecord, okFact, parsed, prop, recordError, singleObject, text } from "./shape";

const NO_POLICY: DnsClientPolicyFact = { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null };

/** Group Policy's primary DNS suffix (HKLM\SOFTWARE\Policies\Microsoft\System\DNSClient). */
export function normaliseDnsClientPolicy(record: ProbeRecord | undefined): Fact<DnsClientPolicyFact> {
  // The probe runs Get-ItemProperty with -ErrorAction Stop, so a host where no policy ever touched
  // the DNS client has no such key and the probe fails with "not-found". That is the normal,
  // readable state "no policy sets a suffix", not a failure to read: it must not make the
  // DNS-suffix control unjudgeable. Every other error (access denied, timeout...) stays an error.
  if (recordError(record)?.kind === "not-found") return okFact("dnsClientPolicy", NO_POLICY);
  return normaliseRecord("dnsClientPolicy", record, (output) => {
    // A key that exists with no values makes Get-ItemProperty emit nothing, so the probe's output
    // is null: the same "no policy sets a suffix" as above, not a malformed reading.
    if (output === null) return parsed(NO_POLICY);
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    return parsed({
      // Empty registry strings mean the policy sets no suffix.
      primaryDnsSuffix: text(prop(obj.value, "PrimaryDnsSuffix")),
      nvPrimaryDnsSuffix: text(prop(obj.value, "NV PrimaryDnsSuffix")),
    });
  });
}
