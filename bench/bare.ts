/**
 * The bare judge loop: what a run cannot do with less. Each snapshot of the estate is read, parsed
 * and normalised, and every one of the project's own judges (src/controls/checks.ts) is applied to
 * every host and every cluster; nothing is validated, nothing goes through Cucumber, nothing is
 * written. `hostproof run` is measured against it (bench/run.ts): run ÷ bare is what everything
 * else (schemas, Cucumber, every output) costs.
 *
 *   node --import tsx bench/bare.ts --inventory <bench estate>/inventory.json
 *
 * Prints one JSON line: {"hosts", "clusters", "judgements", "ms"}. Clusters are walked one at a
 * time, as the run does, so that memory stays bounded here too.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { CHECKS } from "../src/controls/checks";
import { normaliseSnapshot } from "../src/facts";
import { DEFAULT_INPUTS } from "../src/judge/context";
import type { HostFacts } from "../src/model/facts";
import type { Inventory, InventoryCluster } from "../src/model/inventory";
import type { Snapshot } from "../src/model/snapshot";

export const BARE_HELP = `Usage: node --import tsx bench/bare.ts --inventory <inventory.json> [--as-of yyyy-mm-dd]

The bare judge loop over a bench estate (bench/generate.ts): read, parse and normalise every
snapshot, apply every judge of src/controls/checks.ts to every host and cluster, write nothing.
Prints {"hosts","clusters","judgements","ms"} as one JSON line.
`;

export function bareLoop(inventoryFile: string, asOf: Date): { hosts: number; clusters: number; judgements: number; ms: number } {
  const started = performance.now();
  const inv = JSON.parse(readFileSync(inventoryFile, "utf8")) as Inventory;
  const dir = dirname(inventoryFile);
  const hostChecks = CHECKS.filter((c) => c.kind === "host");
  const clusterChecks = CHECKS.filter((c) => c.kind === "cluster");
  let judgements = 0;
  const specs = new Map(inv.hosts.map((h) => [h.name, h]));
  const read = (name: string): HostFacts => {
    const spec = specs.get(name);
    const snapshot = JSON.parse(readFileSync(join(dir, spec?.snapshot ?? `${name}.json`), "utf8")) as Snapshot;
    return normaliseSnapshot(snapshot);
  };
  const judgeHost = (facts: HostFacts, cluster: InventoryCluster | undefined): void => {
    for (const c of hostChecks) {
      if (c.kind !== "host") continue;
      c.judge({ facts, inputs: DEFAULT_INPUTS, cluster, asOf });
      judgements += 1;
    }
  };
  const clustered = new Set<string>();
  for (const cluster of inv.clusters ?? []) {
    const nodes = cluster.nodes.map((n) => {
      clustered.add(n);
      return read(n);
    });
    for (const facts of nodes) judgeHost(facts, cluster);
    for (const c of clusterChecks) {
      if (c.kind !== "cluster") continue;
      c.judge({ cluster, nodes, asOf });
      judgements += 1;
    }
  }
  for (const h of inv.hosts) if (!clustered.has(h.name)) judgeHost(read(h.name), undefined);
  return { hosts: inv.hosts.length, clusters: (inv.clusters ?? []).length, judgements, ms: performance.now() - started };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { inventory: { type: "string" }, "as-of": { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help || values.inventory === undefined) {
    (values.help ? process.stdout : process.stderr).write(BARE_HELP);
    process.exitCode = values.help ? 0 : 3;
  } else {
    const asOf = values["as-of"] !== undefined ? new Date(`${values["as-of"]}T00:00:00Z`) : new Date();
    console.log(JSON.stringify(bareLoop(values.inventory, asOf)));
  }
}
