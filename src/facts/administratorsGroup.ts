import type { Fact, GroupMemberFact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { enumAsEmitted, enumCode, innerText, mapRows, normaliseRecord, objectList, parsed, prop, requiredText, text, type Parsed } from "./shape";

/** PrincipalSource in enum order (Microsoft.PowerShell.Commands.PrincipalSource): the index is the value. */
const PRINCIPAL_SOURCES = ["Unknown", "Local", "ActiveDirectory", "AzureAD", "MicrosoftAccount"] as const;

/**
 * Get-LocalGroupMember of S-1-5-32-544. A member without a SID is kept with sid null (the
 * cmdlet can list members whose SID it cannot resolve); a member without a name is malformed.
 * ObjectClass is display text ("User"/"Group", localised on some systems): decide on SID and
 * PrincipalSource, not on it.
 */
export function normaliseAdministratorsGroup(record: ProbeRecord | undefined): Fact<GroupMemberFact[]> {
  return normaliseRecord("administratorsGroup", record, (output) => {
    const rows = objectList(output);
    return rows.ok ? mapRows(rows.value, readMember) : rows;
  });
}

export function readMember(row: JsonObject): Parsed<GroupMemberFact> {
  const name = requiredText(row, "Name");
  if (!name.ok) return name;
  // Kept as emitted, but only a value the enum has: 9 is no principal source.
  const source = enumCode(prop(row, "PrincipalSource"), PRINCIPAL_SOURCES, "PrincipalSource");
  if (!source.ok) return source;
  return parsed({
    name: name.value,
    // Projected as `.SID.Value`; unprojected output carries `{"Value":"S-1-..."}`.
    sid: innerText(prop(row, "SID"), "Value"),
    objectClass: text(prop(row, "ObjectClass")),
    // 1 or "Local" (5.1 integer or PowerShell 7 name), kept as emitted: see GroupMemberFact.
    principalSource: enumAsEmitted(prop(row, "PrincipalSource")),
  });
}
