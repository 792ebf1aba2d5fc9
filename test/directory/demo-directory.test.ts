/**
 * The demo's directory snapshot (examples/demo/directory.json) is what `hostproof discover` reads
 * from a real domain controller holding scripts/make-demo-directory.ts's objects. It is made again
 * here, against a fresh Samba AD DC, and compared with the committed file: the same objects and
 * attributes, and the same times relative to the moment each file was read (the directory's clock
 * is today's, so absolute times cannot match). A changed object list, a new attribute discover
 * reads, or a demo edited by hand fails this test until the script is run again.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEMO_COMPUTERS, makeDemoDirectory } from "../../scripts/make-demo-directory";
import { fromFiletime, fromGeneralizedTime } from "../../src/directory/computer";
import type { DirectorySnapshot } from "../../src/model/directory";
import { requireTool } from "../helpers/require-tool";
import { findSamba, SAMBA_HINT } from "../helpers/samba-dc";
import { schemaErrors, validateDirectorySnapshot } from "../testkit/schemas";

const COMMITTED = join(__dirname, "..", "..", "examples", "demo", "directory.json");
const TIMES = new Set(["whenCreated", "lastLogonTimestamp", "pwdLastSet"]);
/** Samba's own DC object names Samba's version, which a Debian update may change. */
const SAMBA_VERSION = (dn: string, name: string): boolean => /^CN=DC1,/.test(dn) && name === "operatingSystemVersion";

/** Each object's attributes with every time as whole days before the snapshot was read. */
function relative(s: DirectorySnapshot): Map<string, Record<string, string[]>> {
  const read = Date.parse(s.collectedAt);
  const out = new Map<string, Record<string, string[]>>();
  for (const o of s.objects) {
    const attributes: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(o.attributes)) {
      if (SAMBA_VERSION(o.dn, name)) continue;
      if (!TIMES.has(name)) {
        attributes[name] = values;
        continue;
      }
      attributes[name] = values.map((v) => {
        const at = name === "whenCreated" ? fromGeneralizedTime(v) : fromFiletime(v);
        if (at === null) return "never";
        assert.ok(at !== undefined, `${o.dn}: ${name} ${v} is not a time`);
        return `${Math.round((read - at.getTime()) / 86_400_000)} days before the read`;
      });
    }
    out.set(o.dn, attributes);
  }
  return out;
}

test("the committed demo directory is a valid snapshot holding every object the script makes", () => {
  const committed = JSON.parse(readFileSync(COMMITTED, "utf8")) as DirectorySnapshot;
  assert.equal(schemaErrors(validateDirectorySnapshot, committed), "");
  const names = new Set(committed.objects.map((o) => o.attributes.name?.[0]));
  for (const c of DEMO_COMPUTERS) assert.ok(names.has(c.cn), `${c.cn} is in examples/demo/directory.json`);
  assert.equal(committed.count, committed.objects.length);
  // examples/ansible is the same estate: its copy is this file, byte for byte.
  assert.ok(readFileSync(join(__dirname, "..", "..", "examples", "ansible", "directory.json")).equals(readFileSync(COMMITTED)), "examples/ansible/directory.json is a copy of examples/demo/directory.json");
});

test("scripts/make-demo-directory.ts, run against a real Samba AD DC, makes the committed demo directory again", async (t) => {
  const samba = findSamba();
  if (!requireTool(t, "samba", samba === undefined ? undefined : "samba", SAMBA_HINT)) return;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-demo-directory-test-"));
  try {
    const out = join(dir, "directory.json");
    await makeDemoDirectory(out);
    const made = JSON.parse(readFileSync(out, "utf8")) as DirectorySnapshot;
    const committed = JSON.parse(readFileSync(COMMITTED, "utf8")) as DirectorySnapshot;
    const stale = "examples/demo/directory.json is stale: run npm run build && node --import tsx scripts/make-demo-directory.ts";
    assert.deepEqual([...relative(made).keys()].sort(), [...relative(committed).keys()].sort(), stale);
    const theirs = relative(committed);
    for (const [dn, attributes] of relative(made)) assert.deepEqual(attributes, theirs.get(dn), `${dn}: ${stale}`);
    // The server's loopback address is chosen when it starts; everything else of the query is the same.
    const { url: _a, ...source } = made.source;
    const { url: _b, ...committedSource } = committed.source;
    assert.deepEqual(source, committedSource, stale);
    assert.match(committed.source.url, /^ldaps:\/\/127\.0\.23\.\d+:636$/, "read over LDAPS from the tests' loopback directory");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
