/**
 * The group graph of an ansible-inventory document is as large and as tangled as a hostile file
 * makes it. Through the real CLI: a chain of 30,000 child groups (recursion overflowed the call
 * stack: exit 4 and a stack trace), a loop of groups (which Ansible itself refuses), 50,000 groups
 * above one child (a copy per parent made resolving quadratic: 37 s, deaf to Ctrl-C), and a
 * megabyte whose group variables expand to a hundred million inherited values (Node ran out of
 * memory) are each read or refused with exit 3 and a message saying what is wrong.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnCli, tempDir } from "../e2e/cli";

function validate(doc: unknown): { code: number | null; stderr: string; stdout: string } {
  const dir = tempDir("hostproof-ansible-graph-");
  writeFileSync(join(dir, "estate.json"), JSON.stringify(doc));
  return spawnCli(["validate", "estate.json"], dir);
}

const local = { ansible_connection: "local" };

test("a chain of 30,000 child groups is walked, not recursed", () => {
  const n = 30_000;
  const doc: Record<string, unknown> = { _meta: { hostvars: { hv01: local } }, all: { children: ["g0"] } };
  for (let i = 0; i < n; i++) doc[`g${i}`] = i < n - 1 ? { children: [`g${i + 1}`] } : { hosts: ["hv01"] };
  const res = validate(doc);
  assert.equal(res.code, 0, res.stderr);
  assert.doesNotMatch(res.stderr, /RangeError|internal error|\n\s+at /);
});

test("a loop of child groups is refused, naming the groups along it, as Ansible refuses it", () => {
  const doc = { _meta: { hostvars: { hv01: local } }, all: { children: ["a"] }, a: { hosts: ["hv01"], children: ["b"] }, b: { children: ["c"] }, c: { children: ["a"] } };
  const res = validate(doc);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /estate\.json: a\.children: group 'a' is among its own descendants \(a → b → c → a\); ansible-inventory refuses such a loop/);
});

test("50,000 groups above one child resolve, and their hosts' variables are Ansible's", () => {
  const n = 50_000;
  const doc: Record<string, unknown> = { _meta: { hostvars: { hv01: {} } }, all: { children: Array.from({ length: n }, (_, i) => `g${i}`), vars: local }, leaf: { hosts: ["hv01"] } };
  for (let i = 0; i < n; i++) doc[`g${i}`] = { children: ["leaf"], ...(i === n - 1 ? { vars: { hostproof_transport: "snapshot", hostproof_snapshot: "missing.json" } } : {}) };
  const res = validate(doc);
  // The variable set on the last of the 50,000 parents reached the host: its snapshot is looked for.
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /missing\.json/);
  assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
});

test("group variables that expand to a hundred million inherited values are refused, not resolved until memory runs out", () => {
  const parents = 5_000;
  const leaves = 20_000;
  const doc: Record<string, unknown> = { _meta: { hostvars: {} }, all: { children: Array.from({ length: parents }, (_, i) => `p${i}`), vars: local } };
  for (let i = 0; i < parents; i++) doc[`p${i}`] = { children: ["mid"], vars: { [`v${i}`]: i } };
  doc.mid = { children: Array.from({ length: leaves }, (_, i) => `l${i}`) };
  for (let i = 0; i < leaves; i++) doc[`l${i}`] = { hosts: [`h${i}`] };
  const res = validate(doc);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /estate\.json: its groups' variables expand past 4,000,000 group memberships and inherited values before every host is resolved \(at host 'h\d+', \d+ of 20,000 hosts\)\. Give hostproof the file `ansible-inventory -i <source> --list` writes/);
});
