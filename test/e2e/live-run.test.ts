/**
 * `hostproof run` with live transports: the hosts are read (here by a reader that returns the
 * same documents a Windows host would), judged, and kept as evidence. The verdicts equal those of
 * the same hosts given as snapshot files, and a host that cannot be read is undetermined alone.
 * The PowerShell round trip itself is tested in test/pwsh (needs pwsh).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runEstate } from "../../src/engine/run";
import type { HostReader } from "../../src/collect/collect-hosts";
import { TEST_ESTATE_NO_DIRECTORY, writeEstate, type EstateSpec, type HostSpec } from "../helpers/snapshot-builder";
import { liveAnswers, writeLiveEstate } from "../helpers/live-estate";
import { AS_OF, readJson, spawnCli, tempDir } from "./cli";
import { collectToFolder } from "../../src/collect/collect-to-folder";
import type { Summary } from "../../src/report/formats/summary";

const specs: HostSpec[] = [{ name: "n1" }, { name: "n2", latfp: 0, adapters: [{ name: "Ethernet 1", values: { "*VMQ": "1" } }] }, { name: "solo" }];
const estate: EstateSpec = { hosts: specs, clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }] };

const liveInventory = (): string => writeLiveEstate(tempDir(), estate);
const answer = liveAnswers(estate);

/** Answers as the collector would on each host, but `fail`, which refuses the connection. */
const reader =
  (fail?: string): HostReader =>
  async (target, probes, _ms, generic) => {
    if (target.host === fail) throw new Error(`ssh: connect to host ${target.address} port 22: Connection refused`);
    return answer(target.host, probes, generic);
  };

const run = (inventory: string, r: HostReader, tags?: string) =>
  runEstate({ inventory, out: join(tempDir(), "out"), failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, reader: r, tags });

const verdicts = (s: Summary) => s.results.map((r) => `${r.target.name} ${r.controlId} ${r.status}`).sort();

test("live hosts are judged exactly as the same hosts given as snapshot files", async () => {
  const live = await run(liveInventory(), reader());
  const files = await run(writeEstate(tempDir(), estate), reader());
  const a = readJson<Summary>(join(live.outDir, "summary.json"));
  const b = readJson<Summary>(join(files.outDir, "summary.json"));
  assert.deepEqual(verdicts(a), verdicts(b));
  assert.ok(a.results.some((r) => r.target.name === "n2" && r.controlId === "HP-NIC-001" && r.status === "failed"));
  const kept = readJson<{ host: string; collector: { transport: string } }>(join(live.outDir, "evidence", "snapshots", "n2.json"));
  assert.equal(kept.host, "n2");
});

test("an unreachable host is undetermined, with the reason, and the rest are judged", async () => {
  const out = await run(liveInventory(), reader("n2"));
  const s = readJson<Summary>(join(out.outDir, "summary.json"));
  const n2 = s.results.filter((r) => r.target.name === "n2");
  assert.ok(n2.length > 5);
  // The estate states it has no directory (writeLiveEstate keeps buildInventory's { none }): the
  // one control about hosts the directory holds is out of scope on every host, read or not, and
  // says why, as a standalone host is out of a cluster control's scope; all else on n2 is unread.
  const outOfScope = (r: (typeof n2)[number]): boolean => r.controlId === "HP-DIR-003";
  assert.deepEqual(n2.filter(outOfScope).map((r) => [r.status, r.reason?.message]), [["notApplicable", `HP-DIR-003 applies to estates with a directory; the inventory states the estate has no directory: ${TEST_ESTATE_NO_DIRECTORY.none}`]]);
  for (const r of n2.filter((x) => !outOfScope(x))) assert.equal(r.status, "undetermined", `${r.controlId} on n2`);
  assert.match(n2[0].reason?.message ?? "", /the host could not be read \(the connection was refused or the network unreachable\): ssh: connect to host n2\.lab\.test port 22: Connection refused/);
  assert.ok(s.results.filter((r) => r.target.name === "n1").every((r) => r.status !== "undetermined" || r.controlId === "HP-CLU-004"));
});

test("only the probes the selected controls need are asked for", async () => {
  const asked: string[][] = [];
  await run(liveInventory(), async (t, probes, ms, generic) => {
    asked.push([...probes, ...generic.map((g) => g.id)]);
    return reader()(t, probes, ms, generic);
  }, "@area:dns or @HP-PS2-001");
  assert.equal(asked.length, 3, "one round trip per host");
  for (const p of asked) {
    assert.deepEqual(p, [
      "os", "computerSystem", "tcpipParameters", "dnsClientPolicy", "dnsClientGlobalSetting", "windowsVersion",
      "windowsFeature:PowerShell-V2|MicrosoftWindowsPowerShellV2", "optionalFeature:MicrosoftWindowsPowerShellV2Root", "optionalFeature:MicrosoftWindowsPowerShellV2",
    ]);
  }
});

test("collect on one machine, judge on another: the offline inventory gives the same verdicts", async () => {
  const inventory = liveInventory();
  const folder = join(tempDir(), "snapshots");
  const collected = await collectToFolder({ inventory, out: folder, reader: reader() });
  assert.equal(collected.hosts.length, 3);
  const offline = readJson<{ hosts: { transport: string; snapshot: string }[]; credentials?: unknown }>(join(folder, "inventory.json"));
  assert.ok(offline.hosts.every((h) => h.transport === "snapshot" && h.snapshot.startsWith("snapshots/")));
  assert.equal(offline.credentials, undefined, "credentials stay behind");
  const judgedLater = await run(join(folder, "inventory.json"), async () => assert.fail("an offline run reads no host"));
  const judgedLive = await run(inventory, reader());
  assert.deepEqual(verdicts(readJson<Summary>(join(judgedLater.outDir, "summary.json"))), verdicts(readJson<Summary>(join(judgedLive.outDir, "summary.json"))));
});

test("collect without PowerShell on the machine: exit 3 and the install hint", () => {
  const inventory = liveInventory();
  const res = spawnCli(["collect", "-i", inventory, "-o", join(tempDir(), "snaps")], undefined, { ...process.env, PATH: "", NODE_POWERSHELL: "" });
  assert.equal(res.code, 3, res.stdout + res.stderr);
  assert.match(res.stderr, /PowerShell 7 \(pwsh\) was not found/);
});

test("a live estate is read slice by slice as it is judged: when a slice's hosts are read, the slice three back is already written", async () => {
  // 12 standalone live hosts in slices of 2: six slices.
  const many: EstateSpec = { hosts: Array.from({ length: 12 }, (_, i) => ({ name: `h${String(i).padStart(2, "0")}` })) };
  const inventory = writeLiveEstate(tempDir(), many);
  const answerMany = liveAnswers(many);
  const out = join(tempDir(), "out");
  const written = (): Set<string> => {
    const parent = join(out, "..");
    const staging = readdirSync(parent).find((n) => n.startsWith(".out.staging-"));
    const dir = staging !== undefined ? join(parent, staging, "evidence", "snapshots") : undefined;
    return new Set(dir !== undefined && existsSync(dir) ? readdirSync(dir).map((f) => f.replace(/\.json$/, "")) : []);
  };
  const seen: string[] = [];
  const r: HostReader = async (target, probes, _ms, generic) => {
    const index = Number(target.host.slice(1));
    const slice = Math.floor(index / 2);
    // The first read of each slice from the fourth on: the slice three back must be in the report.
    if (slice >= 3 && index % 2 === 0) {
      const back = [slice * 2 - 6, slice * 2 - 5].map((i) => `h${String(i).padStart(2, "0")}`);
      const there = written();
      seen.push(`${target.host}: ${back.map((b) => `${b}${there.has(b) ? "" : " NOT"} written`).join(", ")}`);
    }
    return answerMany(target.host, probes, generic);
  };
  const outcome = await runEstate({ inventory, out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, reader: r, sliceHosts: 2 });
  assert.equal(outcome.report.hostCount, 12);
  assert.deepEqual(seen, ["h06: h00 written, h01 written", "h08: h02 written, h03 written", "h10: h04 written, h05 written"]);
});
