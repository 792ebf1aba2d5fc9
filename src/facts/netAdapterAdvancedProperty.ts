import type { AdapterPropertyFact, Fact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { firstDuplicate, mapRows, normaliseRecord, objectList, parsed, prop, requiredText, stringList, text, wrong, type Parsed } from "./shape";

/**
 * Get-NetAdapterAdvancedProperty -AllProperties. Rows without a RegistryKeyword are dropped: they
 * cannot be matched against a standardized keyword, and a keyword missing from the list already
 * reads as "not present". Decide on keyword and value, never on DisplayName/DisplayValue (driver
 * and locale specific).
 */
export function normaliseNetAdapterAdvancedProperty(record: ProbeRecord | undefined): Fact<AdapterPropertyFact[]> {
  return normaliseRecord("netAdapterAdvancedProperty", record, (output) => {
    const rows = objectList(output);
    if (!rows.ok) return rows;
    const properties = mapRows(rows.value, readProperty);
    if (!properties.ok) return properties;
    // A keyword is one registry value of one adapter, and both names ignore case: the same keyword
    // twice on one adapter cannot come from Windows, and a judge would read only one of the two.
    const twice = firstDuplicate(properties.value.map((p) => `${p.adapter}\u0000${p.keyword}`));
    if (twice !== undefined) {
      const [a, b] = twice.map((t) => t.split("\u0000"));
      return wrong(`adapter ${JSON.stringify(a![0])} lists the keyword ${JSON.stringify(a![1])} twice (as ${JSON.stringify(a![1])} and ${JSON.stringify(b![1])}${a![0] !== b![0] ? `, on ${JSON.stringify(b![0])}` : ""})`);
    }
    return properties;
  });
}

function readProperty(row: JsonObject): Parsed<AdapterPropertyFact | null> {
  const keyword = text(prop(row, "RegistryKeyword"));
  if (keyword === null) return parsed(null);
  const adapter = requiredText(row, "Name");
  if (!adapter.ok) return adapter;
  // A string array on Windows (`["0"]`); a scalar is wrapped and null is the empty list.
  const value = stringList(row, "RegistryValue");
  if (!value.ok) return value;
  return parsed({
    adapter: adapter.value,
    keyword,
    value: value.value,
    displayName: text(prop(row, "DisplayName")),
    displayValue: text(prop(row, "DisplayValue")),
  });
}
