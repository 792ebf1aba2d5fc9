/**
 * Minimal XML text escaping for the JUnit writer. Probe output and adapter names come from
 * hosts we do not control: they can hold markup characters and control characters that
 * XML 1.0 cannot represent at all, even as character references.
 */

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** How many characters of `text` XML 1.0 cannot carry (escapeText shows each as `\uXXXX`). */
export function unrepresentable(text: string): number {
  return text.match(FORBIDDEN)?.length ?? 0;
}

/** Forbidden characters are shown as `\uXXXX` text so an auditor still sees that they were there. */
function visible(text: string): string {
  return text.replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Escapes element text. `>` is escaped too so that `]]>` can never appear. */
export function escapeText(text: string): string {
  return visible(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Escapes an attribute value for double quotes. Tab, CR and LF are written as character
 * references because parsers normalise literal ones in attributes to spaces.
 */
export function escapeAttr(text: string): string {
  return escapeText(text)
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** Renders `name="value"` pairs, skipping undefined values. */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
}
