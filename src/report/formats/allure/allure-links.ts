/**
 * A result's framework references as Allure links, one per reference, typed "nist", "stig",
 * "cci" and "cis" so that Allure shows them under the result and a link pattern can be set per
 * type. NIST controls link to their entry in NIST's SP 800-53 release search (the "#!/control" form other tools link to); DISA and CIS publish no page per rule,
 * so those links go to the publisher's library and the rule is in the link's name.
 */
import type { Link } from "allure-js-commons";
import { cisShown, NO_MAPPINGS, stigShown, type ControlMappings } from "../../../model/mapping";

const NIST_CATALOGUE = "https://csrc.nist.gov/Projects/risk-management/sp800-53-controls/release-search#!/control?version=5.1&number=";
const STIG_LIBRARY = "https://public.cyber.mil/stigs/downloads/";
const CCI_LIST = "https://public.cyber.mil/stigs/cci/";
const CIS_LIBRARY = "https://www.cisecurity.org/cis-benchmarks";

/** "SC-45 (1) (a)" is statement a of control SC-45(1): NIST's catalogue has a page per control and enhancement. */
function nistNumber(id: string): string {
  const m = /^([A-Z]{2}-\d+)(?: \((\d+)\))?/.exec(id);
  return m ? `${m[1]}${m[2] ? `(${m[2]})` : ""}` : id;
}

export function mappingLinks(m: ControlMappings = NO_MAPPINGS): Link[] {
  return [
    ...m.nist.map((n) => ({ type: "nist", name: `NIST SP 800-53 rev5 ${n.id}${n.ours ? " (hostproof's choice)" : ""}`, url: `${NIST_CATALOGUE}${encodeURIComponent(nistNumber(n.id))}` })),
    ...m.stig.map((s) => ({ type: "stig", name: `DISA STIG ${stigShown(s)}`, url: STIG_LIBRARY })),
    ...m.cci.map((c) => ({ type: "cci", name: `DISA ${c}`, url: CCI_LIST })),
    ...m.cis.map((c) => ({ type: "cis", name: cisShown(c), url: CIS_LIBRARY })),
    ...m.conflicts.map((k) => ({ type: k.framework, name: `contradicts ${k.framework === "stig" ? `DISA STIG ${stigShown(k.ref)}` : cisShown(k.ref)} on purpose`, url: k.framework === "stig" ? STIG_LIBRARY : CIS_LIBRARY })),
  ];
}
