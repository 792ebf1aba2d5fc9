/**
 * Issue 8, item 2: every valid host name maps to a valid file name, and no two hosts to the same
 * file, in run (evidence/snapshots/) and in collect (snapshots/).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { hostFileName } from "../../src/input/host-file-name";
import { renameHosts } from "../helpers/rename-hosts";
import { writeEstate } from "../helpers/snapshot-builder";
import { AS_OF, readJson, runCli, tempDir } from "./cli";

const label = (c: string, n: number): string => c.repeat(n);
/** Two schema-valid 253-character FQDNs that share their first 200 characters. */
const LONG_A = [label("a", 63), label("b", 63), label("c", 63), label("d", 61)].join(".");
const LONG_B = [label("a", 63), label("b", 63), label("c", 63), label("e", 61)].join(".");

/** An estate of four hosts: two 253-character FQDNs, `con` (a Windows device name) and `n1`. */
function estate(): { dir: string; inventory: string } {
  const dir = tempDir();
  const inventory = writeEstate(dir, { hosts: [{ name: "h1" }, { name: "h2" }, { name: "con" }, { name: "n1" }] });
  renameHosts(dir, inventory, { h1: LONG_A, h2: LONG_B });
  return { dir, inventory };
}

test("hostFileName keeps ordinary names and shortens or renames the rest, uniquely", () => {
  assert.equal(hostFileName("wg-node1"), "wg-node1.json");
  assert.equal(hostFileName("Node1.corp.example"), "Node1.corp.example.json");
  const a = hostFileName(LONG_A);
  const b = hostFileName(LONG_B);
  assert.ok(Buffer.byteLength(a) <= 255 && Buffer.byteLength(b) <= 255);
  assert.notEqual(a.toLowerCase(), b.toLowerCase());
  assert.equal(hostFileName(LONG_A.toUpperCase()).toLowerCase(), a.toLowerCase(), "case variants are one host");
  assert.ok(a.startsWith("aaaa"), "a readable prefix");
  assert.notEqual(hostFileName("con").toLowerCase(), "con.json");
  assert.notEqual(hostFileName("LPT1.corp.example").toLowerCase(), "lpt1.corp.example.json");
  // Windows takes a device name before the first dot as the device, whatever follows (NUL.tar.gz is NUL).
  for (const device of ["con", "CON.corp.example", "lpt1.x", "Com9.a.b", "aux"]) {
    assert.doesNotMatch(hostFileName(device).split(".")[0]!, /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i, device);
  }
});

test("run keeps one snapshot file per host, 253-character names included", async () => {
  const { inventory } = estate();
  const out = join(tempDir(), "reports");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"]);
  assert.ok(res.code <= 2, `exit ${res.code}\n${res.stderr}`);
  const files = readdirSync(join(out, "evidence", "snapshots"));
  assert.equal(files.length, 4);
  assert.equal(new Set(files.map((f) => f.toLowerCase())).size, 4);
  assert.ok(files.includes("n1.json"));
  const verify = await runCli(["verify", out]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

test("collect writes one snapshot file per host and an inventory that run can judge", async () => {
  const { inventory } = estate();
  const out = join(tempDir(), "snaps");
  const res = await runCli(["collect", "-i", inventory, "-o", out]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(readdirSync(join(out, "snapshots")).length, 4);
  const inv = readJson<{ hosts: { name: string; snapshot: string }[] }>(join(out, "inventory.json"));
  assert.equal(new Set(inv.hosts.map((h) => h.snapshot.toLowerCase())).size, 4);
  const run = await runCli(["run", "-i", join(out, "inventory.json"), "-o", join(tempDir(), "r"), "--as-of", AS_OF, "--no-html"]);
  assert.ok(run.code <= 2, run.stderr);
});
