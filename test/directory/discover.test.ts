/**
 * `hostproof discover` against a real Active Directory: Samba's AD DC, provisioned on a loopback
 * address for this file, read over LDAPS and StartTLS with more objects than one page, and every
 * bad input the issue lists, each against the real server.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test, type TestContext } from "node:test";
import { parse as parseYaml } from "yaml";
import { loadInventory } from "../../src/input/inventory";
import { spawnCli, type CliOutcome } from "../e2e/cli";
import { requireTool } from "../helpers/require-tool";
import { findSamba, SAMBA_HINT, startSambaDc, type ComputerSpec, type SambaDc } from "../helpers/samba-dc";
import { schemaErrors, validateDirectorySnapshot } from "../testkit/schemas";

const HOSTILE_OS = "Windows Server 2022\nhosts:\n  - name: injected # ': ' [x] {y} *z &a !b |c >d `e` <script>\u001b[2K\u202e";
const BULK = 250;

function computers(): ComputerSpec[] {
  const list: ComputerSpec[] = [];
  for (let i = 0; i < BULK; i++) {
    list.push({
      cn: `SRV${i}`,
      dnsHostName: `srv${i}.corp.example`,
      operatingSystem: i % 10 === 0 ? "Windows 11 Enterprise" : "Windows Server 2022 Datacenter",
      operatingSystemVersion: "10.0 (20348)",
      lastLogonDaysAgo: 2,
      pwdLastSetDaysAgo: 12,
    });
  }
  list.push(
    // In no inventory: the object the estate-wide control is about.
    { cn: "OLD2003", parent: "OU=Legacy", dnsHostName: "old2003.corp.example", operatingSystem: "Windows Server 2003", operatingSystemVersion: "5.2 (3790)", operatingSystemServicePack: "Service Pack 2", lastLogonDaysAgo: 5, pwdLastSetDaysAgo: 20 },
    { cn: "STALE2008", dnsHostName: "stale2008.corp.example", operatingSystem: "Windows Server 2008 R2 Standard", operatingSystemVersion: "6.1 (7601)", lastLogonDaysAgo: 400, pwdLastSetDaysAgo: 400 },
    { cn: "OFF2012", dnsHostName: "off2012.corp.example", operatingSystem: "Windows Server 2012 R2 Standard", operatingSystemVersion: "6.3 (9600)", lastLogonDaysAgo: 1, userAccountControl: 4098 },
    // Names of the demo estate's hosts (examples/demo).
    { cn: "WG-NODE1", dnsHostName: "wg-node1", operatingSystem: "Windows Server 2022 Datacenter", operatingSystemVersion: "10.0 (20348)", lastLogonDaysAgo: 1 },
    { cn: "MD-NODE1", dnsHostName: "md-node1", operatingSystem: "Windows Server 2019 Datacenter", operatingSystemVersion: "10.0 (17763)", lastLogonDaysAgo: 1 },
    // Hostile directory text: a CN and a dNSHostName no inventory can take, an OS caption that is YAML.
    { cn: "evil\nname # x: y", dnsHostName: "a\u0007b: c", operatingSystem: HOSTILE_OS, lastLogonDaysAgo: 1 },
    { cn: "HOSTILEOS", dnsHostName: "true", operatingSystem: HOSTILE_OS, lastLogonDaysAgo: 1 },
    // operatingSystem denied to hp-blind (samba-dc.ts).
    { cn: "HID1", parent: "OU=Hidden", operatingSystem: "Windows Server 2019 Standard", lastLogonDaysAgo: 1 },
    { cn: "HID2", parent: "OU=Hidden", operatingSystem: "Windows Server 2016 Standard", lastLogonDaysAgo: 1 },
  );
  return list;
}

let dc: SambaDc | undefined;
const work = mkdtempSync(join(tmpdir(), "hostproof-discover-"));

before(async () => {
  const samba = findSamba();
  if (samba === undefined) return;
  dc = await startSambaDc({ samba, computers: computers() });
  process.stderr.write(`# samba DC on ${dc.address}: provision ${dc.timings.provisionMs} ms, objects ${dc.timings.populateMs} ms, start ${dc.timings.startMs} ms\n`);
});

after(async () => {
  await dc?.stop();
  rmSync(work, { recursive: true, force: true });
});

function haveDc(t: TestContext): SambaDc | undefined {
  if (!requireTool(t, "samba", dc === undefined ? undefined : "samba", SAMBA_HINT)) return undefined;
  return dc;
}

let outCount = 0;
function discover(d: SambaDc, args: string[], password: string = d.reader.password): { out: string; res: CliOutcome } {
  const out = join(work, `out${outCount++}`);
  const res = spawnCli(["discover", ...args, "--out", out], undefined, { ...process.env, HP_BIND_PASSWORD: password });
  return { out, res };
}

function reader(d: SambaDc, url: string = d.ldapsUrl, extra: string[] = ["--ca-file", d.caFile]): string[] {
  return ["--ldap", url, "--base", d.baseDn, "--bind-dn", d.reader.dn, "--password-env", "HP_BIND_PASSWORD", ...extra];
}

/** Nothing the run printed or wrote holds the password. */
function assertNoPassword(password: string, res: CliOutcome, out: string): void {
  assert.ok(!res.stdout.includes(password) && !res.stderr.includes(password), "the password was printed");
  if (!existsSync(out)) return;
  for (const f of readdirSync(out)) assert.ok(!readFileSync(join(out, f), "latin1").includes(password), `the password is in ${f}`);
}

interface Snapshot {
  source: { url: string; pages: number; pageSize: number; tls: string; bindDn?: string };
  objects: Array<{ dn: string; attributes: Record<string, string[]> }>;
  count: number;
}

test("discover over LDAPS reads every computer object in several pages into a valid snapshot and inventory", { timeout: 120_000 }, (t) => {
  const d = haveDc(t);
  if (d === undefined) return;
  const { out, res } = discover(d, [...reader(d), "--page-size", "100"]);
  assert.equal(res.code, 0, res.stderr);
  assertNoPassword(d.reader.password, res, out);
  const text = readFileSync(join(out, "directory.json"), "utf8");
  const snap = JSON.parse(text) as Snapshot;
  assert.equal(schemaErrors(validateDirectorySnapshot, snap), "");
  // 259 computers of ours plus the DC's own object.
  assert.equal(snap.count, BULK + 9 + 1);
  assert.equal(snap.objects.length, snap.count);
  assert.equal(snap.source.pageSize, 100);
  assert.ok(snap.source.pages >= 3, `pages: ${snap.source.pages}`);
  assert.equal(snap.source.tls, "ldaps");
  assert.equal(snap.source.bindDn, d.reader.dn);
  // Streamed: one object per line.
  assert.equal(text.split("\n").filter((l) => l.startsWith('{"dn":')).length, snap.count);
  const old = snap.objects.find((o) => o.attributes.name?.[0] === "OLD2003");
  assert.deepEqual(old?.attributes.operatingSystem, ["Windows Server 2003"]);
  assert.deepEqual(old?.attributes.operatingSystemVersion, ["5.2 (3790)"]);
  assert.equal(old?.dn, `CN=OLD2003,OU=Legacy,${d.baseDn}`);
  assert.match(old?.attributes.lastLogonTimestamp?.[0] ?? "", /^\d{18}$/);
  assert.match(old?.attributes.whenCreated?.[0] ?? "", /^\d{14}\.0Z$/);
  // Hostile text verbatim.
  assert.deepEqual(snap.objects.find((o) => o.attributes.name?.[0] === "HOSTILEOS")?.attributes.operatingSystem, [HOSTILE_OS]);
  assert.ok(snap.objects.some((o) => o.attributes.name?.[0] === "evil\nname # x: y"));

  // The inventory: valid, the active servers only, hostile names skipped with why.
  const invFile = join(out, "inventory.yaml");
  const inv = loadInventory(invFile).inventory;
  const names = inv.hosts.map((h) => h.name);
  // Bulk servers, OLD2003, the two demo names, "true", and HID1/HID2 (named by their CN).
  assert.equal(names.length, BULK - BULK / 10 + 6, names.join(","));
  for (const n of ["old2003.corp.example", "wg-node1", "md-node1", "true", "srv1.corp.example"]) assert.ok(names.includes(n), n);
  for (const n of ["stale2008.corp.example", "off2012.corp.example", "srv0.corp.example"]) assert.ok(!names.includes(n), n);
  assert.ok(inv.hosts.every((h) => h.transport === "winrm"));
  const yamlText = readFileSync(invFile, "utf8");
  // The YAML held exactly what was meant: no key injected by the OS caption.
  assert.deepEqual(Object.keys(parseYaml(yamlText) as object), ["version", "name", "directory", "hosts"]);
  // The run judges the snapshot beside it (HP-DIR-*) with no flag; 90 days is the default, so no input is written.
  assert.equal(inv.directory, "directory.json");
  assert.equal(inv.inputs, undefined);
  assert.ok(!names.includes("injected"));
  assert.match(yamlText, /# operatingSystem: Windows Server 2022\\nhosts:\\n {2}- name: injected/);
  assert.match(yamlText, /Active servers left out.*\n#.*evil\\0Aname.*neither dNSHostName nor name/);
  assert.match(res.stdout, /skipped .*evil.*neither dNSHostName nor name/);
  assert.match(res.stdout, /1 disabled, 1 stale/);
});

test("discover over ldap:// upgrades with StartTLS and verifies the certificate", { timeout: 60_000 }, (t) => {
  const d = haveDc(t);
  if (d === undefined) return;
  const { out, res } = discover(d, [...reader(d, d.ldapUrl), "--page-size", "100", "--stale-days", "30"]);
  assert.equal(res.code, 0, res.stderr);
  const snap = JSON.parse(readFileSync(join(out, "directory.json"), "utf8")) as Snapshot;
  assert.equal(snap.source.tls, "starttls");
  // Another --stale-days: the run's "active" is the same N as the list's.
  assert.deepEqual(loadInventory(join(out, "inventory.yaml")).inventory.inputs, { directory: { activeDays: 30 } });
  assert.equal(snap.count, BULK + 10);
  assertNoPassword(d.reader.password, res, out);

  const bad = discover(d, reader(d, d.ldapUrl, []));
  assert.equal(bad.res.code, 3, bad.res.stderr);
  assert.match(bad.res.stderr, /certificate .*--ca-file/);
});

test("the password comes from a file as well, never from the command line", { timeout: 60_000 }, (t) => {
  const d = haveDc(t);
  if (d === undefined) return;
  const pwFile = join(work, "pw.txt");
  writeFileSync(pwFile, `${d.reader.password}\n`);
  const args = ["--ldap", d.ldapsUrl, "--base", d.baseDn, "--bind-dn", d.reader.dn, "--password-file", pwFile, "--ca-file", d.caFile];
  const { out, res } = discover(d, args);
  assert.equal(res.code, 0, res.stderr);
  assertNoPassword(d.reader.password, res, out);
  const noOption = discover(d, [...args, "--password", d.reader.password]);
  assert.equal(noOption.res.code, 3);
  assert.ok(!existsSync(noOption.out));
});

interface BadCase {
  name: string;
  args(d: SambaDc): string[];
  password?(d: SambaDc): string;
  exit: number;
  message: RegExp;
}

const BAD: BadCase[] = [
  { name: "a directory that does not answer", args: (d) => reader(d, "ldaps://127.0.23.1:1"), exit: 5, message: /does not answer \(ECONNREFUSED\).*firewall/ },
  { name: "wrong credentials", args: (d) => reader(d), password: () => "Wrong!Passw0rd-23", exit: 3, message: /refused the bind as 'CN=hp-reader.*wrong account name or password/ },
  { name: "a certificate no trusted CA signed", args: (d) => reader(d, d.ldapsUrl, []), exit: 3, message: /certificate is signed by a CA this machine does not trust.*--ca-file/ },
  { name: "a certificate for another host", args: (d) => reader(d, `ldaps://${d.otherAddress}`), exit: 3, message: /certificate does not name the host.*Connect by a name the certificate holds/ },
  { name: "a base DN that does not exist", args: (d) => ["--ldap", d.ldapsUrl, "--base", `OU=Nowhere,${d.baseDn}`, "--bind-dn", d.reader.dn, "--password-env", "HP_BIND_PASSWORD", "--ca-file", d.caFile], exit: 3, message: /base DN 'OU=Nowhere,DC=corp,DC=example' does not exist/ },
  { name: "a base with no computers", args: (d) => ["--ldap", d.ldapsUrl, "--base", d.emptyOu, "--bind-dn", d.reader.dn, "--password-env", "HP_BIND_PASSWORD", "--ca-file", d.caFile], exit: 3, message: /no computer objects below 'OU=Empty/ },
  {
    name: "an account that may not read operatingSystem",
    args: (d) => ["--ldap", d.ldapsUrl, "--base", d.hiddenOu, "--bind-dn", d.blindReader.dn, "--password-env", "HP_BIND_PASSWORD", "--ca-file", d.caFile],
    password: (d) => d.blindReader.password,
    exit: 3,
    message: /none of the 2 computer objects came back with operatingSystem: the account 'CN=hp-blind.*may not read it/,
  },
  { name: "plain LDAP with a password", args: (d) => reader(d, d.ldapUrl, ["--no-starttls"]), exit: 3, message: /password over plain LDAP .*clear text/ },
  { name: "credentials in the URL", args: (d) => reader(d, `ldaps://admin:${d.reader.password}@${d.address}`), exit: 3, message: /--ldap holds credentials/ },
];

for (const c of BAD) {
  test(`discover refuses ${c.name}: exit ${c.exit}, what to do, nothing written, no password`, { timeout: 60_000 }, (t) => {
    const d = haveDc(t);
    if (d === undefined) return;
    const password = c.password?.(d) ?? d.reader.password;
    const { out, res } = discover(d, c.args(d), password);
    assert.equal(res.code, c.exit, `${res.stdout}${res.stderr}`);
    assert.match(res.stderr, c.message);
    assert.doesNotMatch(res.stderr, /\n\s+at /, "a stack trace");
    assert.ok(!res.stdout.includes(password) && !res.stderr.includes(password), "the password was printed");
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, `left behind: ${existsSync(out) ? readdirSync(out).join(", ") : ""}`);
  });
}

test("an existing inventory.yaml is not replaced without --replace", { timeout: 60_000 }, (t) => {
  const d = haveDc(t);
  if (d === undefined) return;
  const out = join(work, "keep");
  const first = spawnCli(["discover", ...reader(d), "--out", out], undefined, { ...process.env, HP_BIND_PASSWORD: d.reader.password });
  assert.equal(first.code, 0, first.stderr);
  writeFileSync(join(out, "inventory.yaml"), "# my edits\n");
  const again = spawnCli(["discover", ...reader(d), "--out", out], undefined, { ...process.env, HP_BIND_PASSWORD: d.reader.password });
  assert.equal(again.code, 3);
  assert.match(again.stderr, /already exists.*--replace/);
  assert.equal(readFileSync(join(out, "inventory.yaml"), "utf8"), "# my edits\n");
  const replaced = spawnCli(["discover", ...reader(d), "--out", out, "--replace"], undefined, { ...process.env, HP_BIND_PASSWORD: d.reader.password });
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(readFileSync(join(out, "inventory.yaml"), "utf8"), /^# yaml-language-server/);
  assert.deepEqual(readdirSync(out).sort(), ["directory.json", "inventory.yaml"]);
});
