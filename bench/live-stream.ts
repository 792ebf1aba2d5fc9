/**
 * Benchmark: memory of a live run as the estate grows (issue 20, item 5).
 *
 *   node --import tsx bench/live-stream.ts [--hosts 1000,4000] [--slice 250] [--out /tmp/live-stream]
 *
 * A run over N live hosts whose round trips are simulated in-process (the test builder's
 * snapshots, the shapes Windows PowerShell 5.1 gives, returned by a HostReader after a few
 * milliseconds, 16 at a time as the fan-out reads them), so that what is measured is hostproof's
 * own holding of snapshots, not sshd's or pwsh's. Each size runs in a child process of its own;
 * the peak RSS and the peak V8 heap are printed per size. Live hosts are read slice by slice as
 * they are judged (engine/run.ts), so the peak follows the slice size, not N: compare the sizes
 * in one run of this script. No target is asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";

const USAGE = "Usage: node --import tsx bench/live-stream.ts [--hosts 1000,4000] [--slice 250] [--out /tmp/live-stream]";

/** The child: one run, printing its peaks as JSON on the last line. */
async function child(hosts: number, slice: number, dir: string): Promise<void> {
  const { runEstate } = await import("../src/engine/run");
  const { buildSnapshot, resolveEstate, writeEstate, TEST_ESTATE_NO_DIRECTORY } = await import("../test/helpers/snapshot-builder");
  const estate = { hosts: Array.from({ length: hosts }, (_, i) => ({ name: `live${String(i).padStart(6, "0")}` })) };
  const specs = new Map(resolveEstate(estate).map((s) => [s.name, s] as const));
  const inventory = writeEstate(join(dir, "estate"), { hosts: [] });
  writeFileSync(inventory, JSON.stringify({ version: 1, directory: TEST_ESTATE_NO_DIRECTORY, credentials: [{ name: "audit", username: "auditor", keyFile: "/keys/id_ed25519" }], hosts: estate.hosts.map((h) => ({ name: h.name, transport: "ssh", credential: "audit" })) }));
  let heap = 0;
  const sample = setInterval(() => (heap = Math.max(heap, process.memoryUsage().heapUsed)), 50);
  await runEstate({
    inventory,
    out: join(dir, "out"),
    failOn: "any",
    asOf: new Date("2026-11-22T00:00:00Z"),
    html: false,
    history: false,
    sliceHosts: slice,
    reader: async (target, probes, _ms, generic) => {
      await new Promise((r) => setTimeout(r, 5));
      const full = buildSnapshot(specs.get(target.host)!, { generic });
      return { ...full, probes: Object.fromEntries([...probes, ...generic.map((g) => g.id)].map((p) => [p, full.probes[p as keyof typeof full.probes]!])) };
    },
  });
  clearInterval(sample);
  console.log(JSON.stringify({ heapMiB: heap / 2 ** 20 }));
}

function main(): number {
  if (process.argv[2] === "--child") {
    void child(Number(process.argv[3]), Number(process.argv[4]), process.argv[5]!).catch((err: unknown) => {
      console.error(err);
      process.exitCode = 4;
    });
    return 0;
  }
  const values = benchArgs(USAGE, { hosts: { type: "string", default: "1000,4000" }, slice: { type: "string", default: "250" }, out: { type: "string", default: "/tmp/live-stream" }, help: { type: "boolean", short: "h", default: false } });
  if (typeof values === "number") return values;
  const out = resolve(values.out);
  console.log(`live hosts read in-process (simulated round trips), slices of ${values.slice} hosts`);
  console.log("hosts   peak RSS MiB   peak heap MiB   wall s");
  for (const hosts of values.hosts.split(",").map(Number)) {
    const dir = join(out, String(hosts));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t = performance.now();
    const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, "--import", "tsx", __filename, "--child", String(hosts), values.slice, dir], { encoding: "utf8" });
    const rssKiB = Number(r.stderr.trim().split("\n").pop());
    const last = r.stdout.trim().split("\n").pop() ?? "{}";
    const { heapMiB } = JSON.parse(last.startsWith("{") ? last : "{}") as { heapMiB?: number };
    console.log(`${String(hosts).padStart(5)}   ${(rssKiB / 1024).toFixed(0).padStart(12)}   ${(heapMiB ?? NaN).toFixed(0).padStart(13)}   ${((performance.now() - t) / 1000).toFixed(1).padStart(6)}`);
  }
  return 0;
}

process.exitCode = main();
