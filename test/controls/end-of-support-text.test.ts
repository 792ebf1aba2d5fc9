/**
 * What the end-of-support control says it judges is what its judge judges. The judge dates more
 * than the fixed-lifecycle Windows Server releases (src/judge/lifecycle-modern.ts): Nano Server,
 * the Semi-Annual and Annual Channel servers, Windows 10 and 11 by edition. An auditor reads the
 * control's text, not the judge: each product the judge can name in a finding must be named in
 * HP-EOS-002's text, and Nano Server's text must say why such a host always fails, with the date
 * the judge uses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadControlCatalog } from "../../src/controls/catalog";
import { lookupLifecycle } from "../../src/judge/lifecycle-data";

const control = loadControlCatalog().find((c) => c.id === "HP-EOS-002");
assert.ok(control, "HP-EOS-002 is a built-in control");
const text = [control.title, control.rationale, control.remediation, control.source].join(" ").replace(/\s+/g, " ");

/** One host of each kind the modern-lifecycle judge decides by itself, and the words its finding uses. */
const KINDS = [
  { words: "Nano Server", os: { major: 10, minor: 0, build: 14393, productType: 3, sku: 143 } },
  { words: "Nano Server", os: { major: 10, minor: 0, build: 14393, productType: 3, sku: null, installationType: "Nano Server" } },
  { words: "Semi-Annual Channel", os: { major: 10, minor: 0, build: 16299, productType: 3, sku: 145 } },
  { words: "Annual Channel", os: { major: 10, minor: 0, build: 25398, productType: 3, sku: 8 } },
  { words: "Windows 10", os: { major: 10, minor: 0, build: 19045, productType: 1, sku: 4 } },
  { words: "Windows 11", os: { major: 10, minor: 0, build: 26100, productType: 1, sku: 4 } },
] as const;

test("HP-EOS-002's text names every kind of host its judge dates beyond the fixed-lifecycle servers", () => {
  for (const kind of KINDS) {
    const found = lookupLifecycle(kind.os);
    assert.ok(found.ok, JSON.stringify(kind.os));
    // The words are the judge's own: its finding names the product with them.
    assert.ok(found.entry.product.includes(kind.words), `${found.entry.product} names ${kind.words}`);
    assert.ok(text.includes(kind.words), `HP-EOS-002's text does not name ${kind.words}: ${text}`);
  }
});

test("HP-EOS-002's text says why a Nano Server host fails, on the judge's date, and how to leave it", () => {
  const nano = lookupLifecycle(KINDS[0].os);
  assert.ok(nano.ok);
  assert.ok(text.includes(nano.entry.extendedSupportEnd), `names the date the judge uses (${nano.entry.extendedSupportEnd})`);
  assert.match(control.rationale ?? "", /since version 1709 Microsoft supports Nano Server only as a container base image/);
  assert.match(control.rationale ?? "", /OperatingSystemSKU 143 or 144\) or its InstallationType/);
  assert.match(control.remediation ?? "", /Nano\s+Server host cannot be upgraded in place/);
  assert.match(control.source ?? "", /container base image lifecycle/);
});
