import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { hostIdentity, identityParameters } from "../../src/evidence/identity";
import type { Snapshot } from "../../src/model/snapshot";
import { buildSnapshot } from "../helpers/snapshot-builder";

const DEMO = join(__dirname, "..", "..", "examples", "demo", "snapshots");
const demo = (host: string): Snapshot => JSON.parse(readFileSync(join(DEMO, `${host}.json`), "utf8")) as Snapshot;

test("a joined host: DNSHostName plus its primary suffix, caption and version as reported", () => {
  assert.deepEqual(hostIdentity(demo("fs01")), {
    name: "fs01",
    fqdn: "fs01.corp.contoso.test",
    osCaption: "Microsoft Windows Server 2019 Datacenter",
    osBuild: "10.0.17763",
    collectedAt: demo("fs01").collectedAt,
  });
});

test("a workgroup cluster node takes its local suffix, not Win32_ComputerSystem's WORKGROUP", () => {
  const id = hostIdentity(demo("wg-node1"));
  assert.equal(id.fqdn, "wg-node1.wg.contoso.test");
  assert.equal(id.osCaption, "Microsoft Windows Server 2022 Datacenter");
});

test("Group Policy's suffix wins over the local one", () => {
  const snap = buildSnapshot({ name: "h1", domain: "local.example", policySuffix: "policy.example" });
  assert.equal(hostIdentity(snap).fqdn, "h1.policy.example");
});

test("a workgroup host with no suffix is its bare DNS name", () => {
  const snap = buildSnapshot({ name: "h2", domain: null, joinedDomain: null });
  assert.equal(hostIdentity(snap).fqdn, "h2");
});

test("without the DNS probes a joined host falls back to its AD domain; an unjoined one to its name", () => {
  const joined = buildSnapshot({ name: "h3", joinedDomain: "ad.example", domain: "ad.example", omitProbes: ["tcpipParameters", "dnsClientPolicy"] });
  assert.equal(hostIdentity(joined).fqdn, "h3.ad.example");
  const workgroup = buildSnapshot({ name: "h4", joinedDomain: null, domain: "wg.example", omitProbes: ["tcpipParameters", "dnsClientPolicy"] });
  assert.equal(hostIdentity(workgroup).fqdn, "h4");
});

test("Windows Server 2003 (only the OS read over WMI): no FQDN, the OS still identified", () => {
  const id = hostIdentity(demo("legacy2003"));
  assert.equal(id.fqdn, null);
  assert.match(id.osCaption ?? "", /Server 2003/);
  assert.match(id.osBuild ?? "", /^5\.2\.3790/);
});

test("unreadable probes give nulls, never a throw; a snapshot without probes too", () => {
  const snap = buildSnapshot({ name: "h5", probeErrors: { os: { kind: "access-denied", message: "Access is denied." }, computerSystem: { kind: "timeout", message: "timed out" } } });
  const id = hostIdentity(snap);
  assert.deepEqual([id.fqdn, id.osCaption, id.osBuild], [null, null, null]);
  const bare = { schemaVersion: 1, host: "h6", collectedAt: "2026-11-20T09:00:00Z", collector: { name: "x", version: "1", transport: "snapshot" } } as unknown as Snapshot;
  assert.deepEqual(hostIdentity(bare), { name: "h6", fqdn: null, osCaption: null, osBuild: null, collectedAt: "2026-11-20T09:00:00Z" });
});

test("as Allure parameters they are excluded from Allure's history key", () => {
  const params = identityParameters(hostIdentity(demo("fs01")));
  assert.deepEqual(params.map((p) => p.name), ["fqdn", "os", "os build", "collected at"]);
  assert.ok(params.every((p) => p.excluded === true));
  assert.equal(params[0]!.value, "fs01.corp.contoso.test");
  assert.equal(identityParameters({ name: "x", fqdn: null, osCaption: null, osBuild: null, collectedAt: "t" })[0]!.value, "(not readable from the snapshot)");
});
