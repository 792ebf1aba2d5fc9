/**
 * A snapshot that cannot be believed, made unreadable fact by fact. Every judge already turns a
 * fact it cannot read into an undetermined result (and a cluster check into a failure only on the
 * nodes it could read), so distrust needs no judge of its own: whatever a control reads of this
 * host says why it cannot be believed, and nothing of it can pass or fail. A fact that could not be
 * read anyway keeps its own reason (unreachable, access denied): that is still the truer one.
 */
import type { Fact, HostFacts } from "../model/facts";
import { PROBE_IDS, type ProbeId } from "../probes/catalog";
import { problemFact } from "./shape";

/** Every fact of the host, generic ones too (facts/generic.ts), unreadable with kind `inconsistent` and `why`. */
export function distrustFacts(facts: HostFacts, why: string): HostFacts {
  return { ...distrustProbes(facts, PROBE_IDS, why), untrusted: why };
}

/** Only `probes` unreadable (the cluster facts of a node that names another cluster). */
export function distrustProbes(facts: HostFacts, probes: readonly ProbeId[], why: string): HostFacts {
  const out: HostFacts = { ...facts };
  const set = out as unknown as Record<ProbeId, Fact<unknown>>;
  for (const probe of probes) set[probe] = distrusted(set[probe], why);
  return out;
}

/** A read fact becomes unreadable with `why`; an unread one keeps its own problem. */
export function distrusted<T>(fact: Fact<T>, why: string | undefined): Fact<T> {
  return why !== undefined && fact.ok ? problemFact(fact.probe, "inconsistent", why) : fact;
}
