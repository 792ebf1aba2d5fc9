/** A value as JSON.parse returns it: what ConvertTo-Json output becomes once read. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
