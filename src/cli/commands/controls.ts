/** `hostproof controls` */
import TagExpressionParser from "@cucumber/tag-expressions";
import { loadControlCatalog } from "../../controls/catalog";
import { EXIT, type ExitCode } from "../../model/run";
import { parse, usageError } from "../args";
import { CONTROLS_HELP } from "../usage";
import type { Io } from "../io";

export async function controlsCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parse(argv, { tags: { type: "string", short: "t" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, false);
  if (values.help) {
    io.out(CONTROLS_HELP);
    return EXIT.compliant;
  }
  let controls = loadControlCatalog();
  if (values.tags) {
    let expr: ReturnType<typeof TagExpressionParser>;
    try {
      expr = TagExpressionParser(values.tags);
    } catch (err) {
      throw usageError(`--tags "${values.tags}" is not a valid tag expression (${(err as Error).message})`, 'Use Cucumber tag syntax, e.g. "@area:dns".');
    }
    controls = controls.filter((c) => expr.evaluate(c.tags));
  }
  if (values.json) {
    io.out(JSON.stringify(controls, null, 2));
    return EXIT.compliant;
  }
  const rows = [["ID", "SEVERITY", "TITLE", "FEATURE"], ...controls.map((c) => [c.id, c.severity, c.title, c.feature])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) io.out(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}  (${r[3]})`);
  io.out(`${controls.length} control(s).`);
  return EXIT.compliant;
}
