/**
 * A planted secret never reaches an output: not the report, the snapshots, the Cucumber
 * messages, JUnit, Allure, the offline inventory, the terminal, nor what is handed to a host reader.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { collectToFolder } from "../../src/collect/collect-to-folder";
import type { HostReader } from "../../src/collect/collect-hosts";
import { DRIVER_BODY, encodeTarget } from "../../src/collect/driver";
import { runEstate } from "../../src/engine/run";
import { formatTerminalSummary } from "../../src/cli/display/terminal";
import { buildSnapshot, resolveEstate, writeEstate, type EstateSpec } from "../helpers/snapshot-builder";
import { AS_OF, tempDir } from "./cli";

const SECRET = "hp-planted-7Qx!r2$Zk9";
const USER_SECRET = "hp-user-4Lm0";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test("a secret from the environment appears in no output file and in nothing handed to PowerShell as text", async () => {
  process.env.HOSTPROOF_TEST_PASSWORD = SECRET;
  process.env.HOSTPROOF_TEST_USER = USER_SECRET;
  try {
    const spec: EstateSpec = { hosts: [{ name: "n1" }, { name: "n2" }], clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }] };
    const dir = tempDir();
    const inventory = writeEstate(dir, spec);
    const inv = JSON.parse(readFileSync(inventory, "utf8")) as Record<string, unknown> & { hosts: Record<string, unknown>[] };
    inv.credentials = [{ name: "audit", username: { env: "HOSTPROOF_TEST_USER" }, password: { env: "HOSTPROOF_TEST_PASSWORD" } }];
    inv.hosts = inv.hosts.map((h) => ({ name: h.name, address: `${String(h.name)}.lab.test`, transport: "winrm", credential: "audit" }));
    writeFileSync(inventory, JSON.stringify(inv));

    const resolved = resolveEstate(spec);
    const handed: string[] = [];
    const reader: HostReader = async (target, probes, _ms, generic) => {
      handed.push(JSON.stringify(target), DRIVER_BODY, encodeTarget(target));
      if (target.host === "n2") throw new Error(`Connecting to remote server ${target.address} failed: Access is denied.`);
      const full = buildSnapshot(resolved.find((s) => s.name === target.host)!, { generic });
      return { ...full, probes: Object.fromEntries([...probes, ...generic.map((g) => g.id)].map((p) => [p, full.probes[p as keyof typeof full.probes]!])) };
    };

    const outcome = await runEstate({ inventory, out: join(dir, "report"), failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, reader });
    await collectToFolder({ inventory, out: join(dir, "collected"), reader });
    const terminal = formatTerminalSummary(outcome.report, { color: false });

    const scanned = [...filesUnder(join(dir, "report")), ...filesUnder(join(dir, "collected"))];
    assert.ok(scanned.length > 20, `only ${scanned.length} files written`);
    for (const file of scanned) {
      const text = readFileSync(file, "latin1");
      assert.ok(!text.includes(SECRET) && !text.includes(USER_SECRET), `the secret is in ${file}`);
    }
    for (const text of [...handed, terminal]) assert.ok(!text.includes(SECRET) && !text.includes(USER_SECRET));
    assert.match(handed[0], /HOSTPROOF_TEST_PASSWORD/, "the reader gets where the secret is, not the secret");
  } finally {
    delete process.env.HOSTPROOF_TEST_PASSWORD;
    delete process.env.HOSTPROOF_TEST_USER;
  }
});
