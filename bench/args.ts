/**
 * The bench scripts' command line: parsed strictly, with the usage printed on --help (exit 0) and
 * after any bad option (exit 3), as every hostproof command does.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]> & { help: { type: "boolean"; short: "h"; default: false } };

/** The parsed values, or the exit code when there is nothing to run. */
export function benchArgs<const T extends Options>(usage: string, options: T, args: string[] = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return 3;
  }
  if ((values as { help?: boolean }).help === true) {
    console.log(usage);
    return 0;
  }
  return values;
}
