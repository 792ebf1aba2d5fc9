/** `hostproof collect` */
import { join, resolve } from "node:path";
import { describeHostFailure } from "../../collect/host-failure";
import { collectToFolder } from "../../collect/collect-to-folder";
import { EXIT, type ExitCode } from "../../model/run";
import { loadFeatureCatalogGivingTurns } from "../../controls/catalog";
import { parseShard, shardLabel } from "../../engine/shard";
import { checkSelection, FEATURE_OPTIONS, featureSelection, parse, SELECTION_OPTIONS, selectionAsked, usageError } from "../args";
import { COLLECT_HELP } from "../usage";
import type { Io } from "../io";
import { printHelp } from "../help-layout";

export async function collectCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parse(
    argv,
    {
      inventory: { type: "string", short: "i" },
      out: { type: "string", short: "o" },
      ...SELECTION_OPTIONS,
      concurrency: { type: "string" },
      timeout: { type: "string" },
      "allow-outside-snapshots": { type: "boolean" },
      shard: { type: "string" },
      ...FEATURE_OPTIONS,
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    printHelp(io, COLLECT_HELP);
    return EXIT.compliant;
  }
  if (!values.inventory) throw usageError("--inventory is required", "Give the inventory file: hostproof collect --inventory estate.yaml --out snapshots");
  if (!values.out) throw usageError("--out is required", "Name the folder for the snapshots: --out snapshots");
  const features = featureSelection(values);
  // Linted before any host is contacted, with or without --tags.
  await loadFeatureCatalogGivingTurns(features);
  const selection = await checkSelection(selectionAsked(values), features);
  const tags = selection.expression;
  if (selection.warning !== undefined) io.err(`warning: ${selection.warning}`);
  const concurrency = positiveInt(values.concurrency, "--concurrency");
  const timeoutSeconds = positiveInt(values.timeout, "--timeout");
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const result = await collectToFolder({ inventory: values.inventory, out: values.out, tags, concurrency, timeoutSeconds, allowOutsideSnapshots: values["allow-outside-snapshots"], features, ...(shard !== undefined ? { shard } : {}) });
  for (const note of result.notes) io.err(`warning: ${note}`);
  const failed = result.hosts.filter((h) => h.failure);
  for (const h of result.hosts) {
    const head = `${h.failure ? "✘" : "✔"} ${h.host.padEnd(24)} ${(h.durationMs / 1000).toFixed(1).padStart(6)} s  `;
    const what = h.failure ? `${h.failure.kind}: ${describeHostFailure(h.failure)}` : `${Object.keys(h.snapshot.probes).length} probes`;
    // ssh's and PowerShell's lines stay lines, under the host they belong to.
    io.out(head + what.split("\n").join(`\n${" ".repeat(head.length)}`));
  }
  io.out(`Read ${result.hosts.length - failed.length} of ${result.hosts.length} live host(s) in ${(result.durationMs / 1000).toFixed(1)} s, one round trip each, for: ${[...result.probes, ...result.generic.map((g) => g.id)].join(", ")}.`);
  io.out(
    shard !== undefined
      ? `Snapshots of shard ${shardLabel(shard)} in ${resolve(values.out)}/; judge them with: hostproof run --inventory ${join(values.out, "inventory.json")} --shard ${shardLabel(shard)}`
      : `Snapshots in ${resolve(values.out)}/; judge them anywhere with: hostproof run --inventory ${join(values.out, "inventory.json")}`,
  );
  return failed.length > 0 ? EXIT.undetermined : EXIT.compliant;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} '${value}' is not a positive whole number`, `Give ${flag} a number such as 16.`);
  return n;
}
