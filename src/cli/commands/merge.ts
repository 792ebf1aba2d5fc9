/** `hostproof merge <shard dir>... --out <dir>` */
import { EXIT, type ExitCode } from "../../model/run";
import { mergeShards } from "../../merge/merge";
import { createProgress } from "../display/progress";
import { parse, usageError } from "../args";
import { MERGE_HELP } from "../usage";
import type { Io } from "../io";
import { OUTPUT_OPTIONS, outputChoice, reportOutcome } from "./run";
import { readTrustedKeys, resolveSigningKey } from "../../sign/keys";
import { printHelp } from "../help-layout";

export async function mergeCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: "string", short: "o" },
      ...OUTPUT_OPTIONS,
      history: { type: "string" },
      "no-history": { type: "boolean" },
      "exit-zero": { type: "boolean" },
      "no-color": { type: "boolean" },
      key: { type: "string", multiple: true },
      "sign-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help) {
    printHelp(io, MERGE_HELP);
    return EXIT.compliant;
  }
  if (positionals.length === 0) throw usageError("no shard folder given", "Name every shard's folder: hostproof merge shard-1 shard-2 shard-3 shard-4 --out reports");
  // Both before any shard is read: a bad key is exit 3 with nothing merged or written.
  const signingKey = resolveSigningKey(values["sign-key"], process.env);
  const trustedKeys = values.key !== undefined ? values.key.flatMap((file) => readTrustedKeys(file)) : undefined;
  const outcome = await mergeShards({
    shards: positionals,
    out: values.out ?? "reports",
    ...outputChoice(values),
    history: values["no-history"] ? false : values.history,
    progress: io.progress !== undefined ? createProgress(io.progress) : undefined,
    ...(trustedKeys !== undefined ? { trustedKeys } : {}),
    ...(signingKey !== undefined ? { signingKey } : {}),
  });
  io.out(`Merged ${positionals.length} shard${positionals.length === 1 ? "" : "s"}: ${positionals.join(", ")}${trustedKeys !== undefined ? " (each signed by a key given with --key)" : ""}`);
  return reportOutcome(outcome, { color: io.color && !values["no-color"], exitZero: values["exit-zero"] === true }, io);
}
