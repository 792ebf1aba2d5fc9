/** The features also run under a bare cucumber-js, for people writing controls. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, DEMO, DEMO_HOSTS, ROOT, tempDir } from "./cli";
import { writeEstate } from "../helpers/snapshot-builder";
import { directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";

const CUCUMBER = join(ROOT, "node_modules", "@cucumber", "cucumber", "bin", "cucumber.js");

function cucumber(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, [CUCUMBER, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: res.status, out: res.stdout + res.stderr };
}

test("with HOSTPROOF_INVENTORY, cucumber-js judges that estate and fails the non-compliant control", () => {
  const nic = cucumber(["--tags", "@HP-NIC-001"], { HOSTPROOF_INVENTORY: DEMO, HOSTPROOF_AS_OF: AS_OF });
  assert.equal(nic.code, 1, nic.out);
  assert.ok(nic.out.includes(`1 of ${DEMO_HOSTS} target(s) are non-compliant`), nic.out);
  assert.match(nic.out, /undetermined: fs01/);
  const dns = cucumber(["--tags", "@HP-DNS-003"], { HOSTPROOF_INVENTORY: DEMO, HOSTPROOF_AS_OF: AS_OF });
  assert.equal(dns.code, 0, dns.out);
  assert.match(dns.out, /1 scenario \(1 passed\)/);
});

test("without it, cucumber-js says what is missing", () => {
  const res = cucumber(["--tags", "@HP-EOS-001"], { HOSTPROOF_INVENTORY: "" });
  assert.notEqual(res.code, 0);
  assert.match(res.out, /set HOSTPROOF_INVENTORY=<file>/);
});

/** The text each directory check attached, from Cucumber's message stream. */
function attached(stream: string): string[] {
  return stream
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { attachment?: { body: string } })
    .flatMap((m) => (m.attachment !== undefined ? [m.attachment.body] : []));
}

test("the inventory's directory is read as hostproof run reads it: a snapshot's path inside its folder is judged, outside refused, { none } not applicable", () => {
  const asOf = new Date(`${AS_OF}T00:00:00Z`);
  const dir = tempDir();
  writeFileSync(join(dir, "directory.json"), directoryText(directorySnapshot([directoryObject({ name: "OLD2003", os: "Windows Server 2003", version: "5.2 (3790)", seenDaysAgo: 5, ou: "OU=Legacy" }, asOf)])));
  const named = writeEstate(join(dir, "named"), { hosts: [{ name: "n1" }], directory: "../directory.json" });
  const args = ["--tags", "@HP-DIR-001", "--format", "message"];
  // A path outside the inventory's folder is refused, as run refuses it.
  const outside = cucumber(args, { HOSTPROOF_INVENTORY: named, HOSTPROOF_AS_OF: AS_OF });
  assert.notEqual(outside.code, 0, outside.out.slice(-2000));
  assert.match(outside.out, /directory snapshot path/);

  const inside = writeEstate(dir, { hosts: [{ name: "n1" }], directory: "directory.json" });
  const judged = cucumber(args, { HOSTPROOF_INVENTORY: inside, HOSTPROOF_AS_OF: AS_OF });
  assert.equal(judged.code, 1, judged.out.slice(-2000));
  assert.deepEqual(attached(judged.out).map((a) => a.split("\n")[0]), ["1 target(s): 0 passed, 1 non-compliant, 0 undetermined, 0 not applicable"]);
  assert.match(attached(judged.out)[0]!, /^non-compliant: corp\.example: 1 active computer object\(s\): 1 past end of support/m);

  const none = writeEstate(tempDir(), { hosts: [{ name: "n1" }] });
  const stated = cucumber(args, { HOSTPROOF_INVENTORY: none, HOSTPROOF_AS_OF: AS_OF });
  assert.equal(stated.code, 0, stated.out.slice(-2000));
  assert.deepEqual(attached(stated.out), ["1 target(s): 0 passed, 0 non-compliant, 0 undetermined, 1 not applicable"]);
});
