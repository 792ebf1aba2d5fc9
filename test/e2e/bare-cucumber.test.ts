/** The features also run under a bare cucumber-js, for people writing controls. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { AS_OF, DEMO, DEMO_HOSTS, ROOT } from "./cli";

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
