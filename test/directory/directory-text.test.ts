/** Directory text that Samba will not store (it refuses non-UTF-8), checked on the bytes directly. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";
import { toDirectoryObject } from "../../src/directory/computer-objects";
import { commentText } from "../../src/directory/inventory-yaml";
import { fromFiletime, lastSeen, readComputer } from "../../src/directory/computer";

test("a value that is not UTF-8 is written with U+FFFD and the object says so", () => {
  const o = toDirectoryObject({ dn: "CN=X,DC=corp,DC=example", operatingSystem: [Buffer.from([0x57, 0xff, 0xfe, 0x20, 0x32])], name: [Buffer.from("X")] });
  assert.deepEqual(o.attributes.operatingSystem, ["W\ufffd\ufffd 2"]);
  assert.deepEqual(o.attributes.name, ["X"]);
  assert.equal(o.problems?.length, 1);
  assert.match(o.problems?.[0] ?? "", /operatingSystem: a value is not valid UTF-8 \(5 bytes\)/);
  assert.equal(toDirectoryObject({ dn: "CN=Y", name: [Buffer.from("Y")] }).problems, undefined);
});

test("a comment stays one comment line, whatever the directory text holds", () => {
  for (const hostile of ["a\nb: c", "a\rb", "a\u0085b", "a\u2028b", "a\u2029b", "a\u001b[2Kb", "x\u202ey", "a\ufffeb", "\ud800"]) {
    const doc = `# ${commentText(hostile)}\nkey: 1\n`;
    assert.equal(doc.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/).length, 3, JSON.stringify(hostile));
    assert.deepEqual(parseYaml(doc), { key: 1 });
  }
});

test("FILETIMEs: 0 and never are no sign of life; the newer of logon and password change counts", () => {
  assert.equal(fromFiletime("0"), null);
  assert.equal(fromFiletime("9223372036854775807"), null);
  assert.equal(fromFiletime("not a number"), undefined);
  assert.equal(fromFiletime("116444736000000000")?.toISOString(), "1970-01-01T00:00:00.000Z");
  const c = (uac: string | undefined): ReturnType<typeof readComputer> =>
    readComputer({ dn: "CN=X", attributes: { lastLogonTimestamp: ["116444736000000000"], pwdLastSet: ["116445600000000000"], ...(uac !== undefined ? { userAccountControl: [uac] } : {}) } });
  assert.equal(lastSeen(c("4096"))?.toISOString(), "1970-01-02T00:00:00.000Z");
  assert.equal(c("4098").disabled, true);
  assert.equal(c("4096").disabled, false);
  assert.equal(c(undefined).disabled, null);
});
