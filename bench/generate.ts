/**
 * Synthetic estates for the benchmark: N hosts, most in clusters of 2 to 16 nodes (workgroup,
 * multi-domain and single-domain), the rest standalone, built with the test snapshot builder.
 *
 * The same seed always gives the same estate. About 5% of hosts carry one deviation, a few
 * clusters have an unsupported witness, and about 0.5% of hosts have a probe that failed, so the
 * judges, reports and evidence attachments do the work a real estate would make them do.
 */
import { resolve } from "node:path";
import { benchArgs } from "./args";
import { planProbes } from "../src/controls/probe-plan";
import { DRIFTS, LIBRARY_FEATURES, librarySystem } from "./library-state";
import type { ClusterType, InventoryCluster } from "../src/model/inventory";
import type { ProbeErrorKind } from "../src/model/snapshot";
import type { ProbeId } from "../src/probes/catalog";
import {
  defaultHotfixes,
  seededRandom,
  writeEstate,
  type HostSpec,
  type WitnessType,
} from "../test/helpers/snapshot-builder";

export interface GenerateOptions {
  hosts: number;
  seed: number;
  /**
   * The hosts also carry what bench/features/library.feature reads (bench/library-state.ts), and
   * their snapshots record its generic probes; about 5 % of hosts break one of its checks.
   */
  library?: boolean;
}

export interface GeneratedEstate {
  inventoryPath: string;
  hosts: number;
  clusters: number;
  standalone: number;
  /** Hosts given one deliberate deviation. */
  deviations: number;
  /** Hosts with one probe recorded as an error. */
  probeErrors: number;
}

const CLUSTERED_SHARE = 0.85;
const DEVIATION_RATE = 0.05;
const PROBE_ERROR_RATE = 0.005;
const DOMAINS = ["corp.contoso.test", "emea.contoso.test", "apac.contoso.test", "amer.contoso.test"];
const BASE_TIME = Date.UTC(2026, 10, 20, 9, 0, 0);
const WU_POLICY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";

type Rand = () => number;

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Picks by cumulative weight, e.g. [["a", 0.7], ["b", 0.3]]. */
function weighted<T>(rand: Rand, choices: ReadonlyArray<readonly [T, number]>): T {
  let r = rand();
  for (const [value, weight] of choices) {
    if (r < weight) return value;
    r -= weight;
  }
  return choices[choices.length - 1][0];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function clusterSizes(rand: Rand, total: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= 2) {
    let size = Math.min(left, 2 + Math.floor(rand() * 15));
    // Never leave a single host behind: a one-node cluster is not what the mix is about.
    if (left - size === 1) size = size < 16 ? size + 1 : size - 1;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

const PROBES_THAT_FAIL: readonly ProbeId[] = ["netAdapterAdvancedProperty", "hotfixes", "administratorsGroup", "localUsers", "clusterQuorum"];
const ERROR_MESSAGES: Record<Extract<ProbeErrorKind, "access-denied" | "timeout" | "other">, string> = {
  "access-denied": "Access is denied. (HRESULT 0x80070005)",
  timeout: "The probe did not finish within 30 s and was stopped.",
  other: "Failed to compare two elements in the array.",
};

/** One deliberate deviation, chosen to hit a different control each time. */
function deviate(rand: Rand, spec: HostSpec, cluster: InventoryCluster | undefined): HostSpec {
  const options: Array<() => HostSpec> = [
    () => ({ ...spec, adapters: [{ name: "Ethernet 1" }, { name: "Ethernet 2", values: { "*VMQ": "1" } }] }),
    () => ({ ...spec, adapters: [{ name: "Ethernet 1", values: { "*LsoV2IPv4": "1", "*TCPChecksumOffloadIPv4": "3" } }, { name: "Ethernet 2" }] }),
    () => ({ ...spec, latfp: cluster && cluster.type !== "single-domain" ? 0 : 1 }),
    () => ({ ...spec, nvDomain: "pending.contoso.test" }),
  ];
  if (cluster) {
    options.push(() => ({ ...spec, hotfixes: (spec.hotfixes ?? defaultHotfixes(spec.os?.version)).slice(0, -1) }));
    options.push(() => ({ ...spec, domain: null, searchList: [] }));
    if (cluster.type === "multi-domain") options.push(() => ({ ...spec, searchList: spec.domain ? [spec.domain] : [] }));
    if (cluster.adminAccount) options.push(() => ({ ...spec, admins: ["Administrator"] }));
  } else {
    options.push(() => ({ ...spec, os: { version: "6.3.9600" } }));
  }
  return pick(rand, options)();
}

/** The estate's host specs and clusters, before anything is written (the live bench simulates them). */
export interface GeneratedSpecs {
  name: string;
  hosts: HostSpec[];
  clusters: InventoryCluster[];
  standalone: number;
  deviations: number;
  probeErrors: number;
}

export function generateEstate(dir: string, options: GenerateOptions): GeneratedEstate {
  const specs = generateSpecs(options);
  const inventoryPath = writeEstate(
    dir,
    { name: specs.name, inputs: { endOfSupport: { warningDays: 90 } }, hosts: specs.hosts, clusters: specs.clusters },
    // With the library, its probes beside the built-in controls' (the default).
    { pretty: false, ...(options.library ? { generic: planProbes(undefined, { folders: [LIBRARY_FEATURES] }).generic } : {}) },
  );
  return {
    inventoryPath,
    hosts: specs.hosts.length,
    clusters: specs.clusters.length,
    standalone: specs.standalone,
    deviations: specs.deviations,
    probeErrors: specs.probeErrors,
  };
}

export function generateSpecs(options: GenerateOptions): GeneratedSpecs {
  const rand = seededRandom(options.seed);
  const total = Math.max(1, Math.floor(options.hosts));
  const sizes = clusterSizes(rand, Math.round(total * CLUSTERED_SHARE));
  const clustered = sizes.reduce((a, b) => a + b, 0);
  const hosts: HostSpec[] = [];
  const clusters: InventoryCluster[] = [];
  const clusterOf = new Map<string, InventoryCluster>();

  sizes.forEach((size, c) => {
    const name = `c${pad(c + 1, 4)}`;
    const type = weighted<ClusterType>(rand, [["single-domain", 0.4], ["workgroup", 0.3], ["multi-domain", 0.3]]);
    const version = weighted(rand, [["10.0.20348", 0.7], ["10.0.17763", 0.25], ["10.0.14393", 0.05]] as const);
    const witness = weighted<WitnessType>(rand, [["Cloud Witness", 0.6], ["Physical Disk", 0.35], ["File Share Witness", 0.05]]);
    const nodes = Array.from({ length: size }, (_, i) => `${name}-n${pad(i + 1, 2)}`);
    const cluster: InventoryCluster = { name, type, nodes };
    let nodeDomain: (i: number) => string;
    if (type === "workgroup") {
      cluster.adminAccount = "clusadmin";
      nodeDomain = () => `${name}.wg.contoso.test`;
    } else if (type === "multi-domain") {
      cluster.adminAccount = "clusadmin";
      const start = Math.floor(rand() * DOMAINS.length);
      cluster.domains = Array.from({ length: 2 + Math.floor(rand() * 2) }, (_, i) => DOMAINS[(start + i) % DOMAINS.length]);
      const domains = cluster.domains;
      nodeDomain = (i) => domains[i % domains.length];
    } else {
      const domain = pick(rand, DOMAINS);
      nodeDomain = () => domain;
    }
    clusters.push(cluster);
    nodes.forEach((node, i) => {
      clusterOf.set(node, cluster);
      hosts.push({ name: node, os: { version }, domain: nodeDomain(i), cluster: { name, witness } });
    });
  });

  for (let s = 0; s < total - clustered; s++) {
    const legacy = rand() < 0.005;
    const version = weighted(rand, [["10.0.17763", 0.5], ["10.0.20348", 0.35], ["10.0.14393", 0.1], ["6.3.9600", 0.05]] as const);
    hosts.push(
      legacy
        ? { name: `srv-${pad(s + 1, 5)}`, legacy2003: true }
        : { name: `srv-${pad(s + 1, 5)}`, os: { version }, domain: pick(rand, DOMAINS), clusteringInstalled: false },
    );
  }

  let deviations = 0;
  let probeErrors = 0;
  // Its own generator, so that the library state leaves the built-in estate of a seed unchanged.
  const drift = seededRandom(options.seed + 1);
  const finished = hosts.map((spec, i): HostSpec => {
    let out: HostSpec = { ...spec, collectedAt: new Date(BASE_TIME + i * 2000).toISOString() };
    if (spec.legacy2003) return out;
    // Every host defers quality updates 14 days by Group Policy (HP-WU-001), as the practice does.
    const library = options.library ? librarySystem(drift() < DEVIATION_RATE ? Math.floor(drift() * DRIFTS) : undefined) : {};
    out.system = { ...library, registry: { ...library.registry, [WU_POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } } };
    const cluster = clusterOf.get(spec.name);
    if (rand() < DEVIATION_RATE) {
      out = deviate(rand, out, cluster);
      deviations++;
    } else if (rand() < 0.01) {
      // An offload enabled on purpose and allowed in the inventory: exercises the allow-list path.
      out = {
        ...out,
        adapters: [{ name: "Ethernet 1", values: { "*RSS": "1" } }, { name: "Ethernet 2" }],
        inputs: { offloads: { allowed: [{ keyword: "*RSS", adapter: "Ethernet 1", reason: "RSS for SMB multichannel (bench)" }] } },
      };
    }
    if (rand() < PROBE_ERROR_RATE) {
      const kind = pick(rand, ["access-denied", "timeout", "other"] as const);
      out = { ...out, probeErrors: { [pick(rand, PROBES_THAT_FAIL)]: { kind, message: ERROR_MESSAGES[kind] } } };
      probeErrors++;
    }
    return out;
  });

  return { name: `bench ${total} hosts (seed ${options.seed})`, hosts: finished, clusters, standalone: total - clustered, deviations, probeErrors };
}

export const GENERATE_HELP = `Usage: node --import tsx bench/generate.ts --hosts <n> --out <dir> [--seed 42]

Writes a synthetic estate: <dir>/inventory.json and one snapshot per host in <dir>/snapshots/.
Most hosts are in clusters of 2 to 16 nodes; about 5 % carry one deviation and 0.5 % a probe
that failed. The same seed always gives the same estate.

Options:
  --hosts <n>    how many hosts (required)
  --out <dir>    where to write the estate (required; files in it are overwritten)
  --seed <n>     the generator's seed (default: 42)
  -h, --help     this help

Exit codes: 0 written, 3 bad usage.

Examples:
  node --import tsx bench/generate.ts --hosts 200 --out /tmp/estate
      then: node bin/hostproof.js run -i /tmp/estate/inventory.json --no-html
  node --import tsx bench/generate.ts --hosts 2000 --seed 7 --out /tmp/big
      a bigger estate, another seed
`;

/** The command line: run as a script, not when imported by bench/run.ts or the tests. */
function cli(argv: string[]): number {
  const values = benchArgs(GENERATE_HELP, { hosts: { type: "string" }, out: { type: "string" }, seed: { type: "string", default: "42" }, help: { type: "boolean", short: "h", default: false } }, argv);
  if (typeof values === "number") return values;
  const hosts = Number(values.hosts);
  const seed = Number(values.seed);
  if (values.out === undefined || !Number.isInteger(hosts) || hosts < 1 || !Number.isInteger(seed)) {
    console.error(`--hosts (a positive whole number) and --out are required; --seed is a whole number.\n\n${GENERATE_HELP}`);
    return 3;
  }
  const estate = generateEstate(resolve(values.out), { hosts, seed });
  console.log(`${estate.hosts} hosts (${estate.clusters} clusters, ${estate.standalone} standalone, ${estate.deviations} deviations, ${estate.probeErrors} probe errors): ${estate.inventoryPath}`);
  return 0;
}

if (require.main === module) process.exitCode = cli(process.argv.slice(2));
