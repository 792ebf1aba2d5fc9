import type { AdapterPropertyFact, Fact } from "../model/facts";
import type { JsonObject } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { mapRows, normaliseRecord, objectList, parsed, prop, requiredText, stringList, text, type Parsed } from "./shape";

/**
 * Get-NetAdapterAdvancedProperty -AllProperties. Rows without a RegistryKeyword are dropped: they
 * cannot be matched against a standardized keyword, and a keyword missing from the list already
 * reads as "not present". Decide on keyword and value, never on DisplayName/DisplayValue (driver
 * and locale specific).
 */
export function normaliseNetAdapterAdvancedProperty(record: ProbeRecord | undefined): Fact<AdapterPropertyFact[]> {
  return normaliseRecord("netAdapterAdvancedProperty", record, (output) => {
    const rows = objectList(output);
    return rows.ok ? mapRows(rows.value, readProperty) : rows;
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
