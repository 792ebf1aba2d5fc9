import type { Fact, LocalUserFact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { innerText, optionalBool, mapRows, normaliseRecord, objectList, parsed, prop, requiredText, wrong, type Parsed } from "./shape";

/**
 * Get-LocalUser. Every user must have a name and a SID: a user that could not be read would
 * otherwise vanish from the list and a "same admin account on every node" check could pass on
 * less than the truth, so such output is rejected as malformed instead.
 */
export function normaliseLocalUsers(record: ProbeRecord | undefined): Fact<LocalUserFact[]> {
  return normaliseRecord("localUsers", record, (output) => {
    const rows = objectList(output);
    return rows.ok ? mapRows(rows.value, readUser) : rows;
  });
}

function readUser(row: JsonObject): Parsed<LocalUserFact> {
  const name = requiredText(row, "Name");
  if (!name.ok) return name;
  // Projected as `.SID.Value` (a string); unprojected output carries `{"Value":"S-1-..."}`.
  const sid = innerText(prop(row, "SID"), "Value");
  if (sid === null) return wrong(`property SID of ${name.value} is missing`);
  const enabled = optionalBool(row, "Enabled");
  if (!enabled.ok) return wrong(`user ${name.value}: ${enabled.message}`);
  return parsed({ name: name.value, sid, enabled: enabled.value });
}
