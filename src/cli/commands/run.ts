/** `hostproof run` */
import { EXIT, type ExitCode } from "../../model/run";
import { isSeverity, SEVERITIES, type Severity } from "../../model/severity";
import { runEstate, type HtmlStyle, type RunOutcome } from "../../engine/run";
import type { OutputChoice } from "../../engine/output-session";
import { REGISTRY } from "../../report/formats";
import { checkRequest, LARGE_ESTATE_HOSTS } from "../../report/formats/choose";
import { parseShard } from "../../engine/shard";
import { formatDrift } from "../../report/bookkeeping/drift";
import { createProgress } from "../display/progress";
import { formatTerminalSummary } from "../display/terminal";
import { layoutWidth, wrap } from "../display/fit";
import { commandLines } from "../display/command-lines";
import { checkSelection, FEATURE_OPTIONS, featureSelection, parse, SELECTION_OPTIONS, selectionAsked, usageError } from "../args";
import { RUN_HELP } from "../usage";
import { RECORD_SHOWN } from "../../report/record";
import type { Io } from "../io";
import { shownArg } from "../../util/shell-quote";
import { didYouMean } from "../../util/closest";
import { resolveSigningKey } from "../../sign/keys";
import { printHelp } from "../help-layout";

export async function runCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parse(
    argv,
    {
      inventory: { type: "string", short: "i" },
      out: { type: "string", short: "o" },
      ...SELECTION_OPTIONS,
      "fail-on": { type: "string" },
      "as-of": { type: "string" },
      waivers: { type: "string", short: "w" },
      "waiver-warn-days": { type: "string" },
      ...OUTPUT_OPTIONS,
      history: { type: "string" },
      "no-history": { type: "boolean" },
      "exit-zero": { type: "boolean" },
      "allow-outside-snapshots": { type: "boolean" },
      directory: { type: "string" },
      "no-color": { type: "boolean" },
      shard: { type: "string" },
      "sign-key": { type: "string" },
      ...FEATURE_OPTIONS,
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  if (values.help) {
    printHelp(io, RUN_HELP);
    return EXIT.compliant;
  }
  if (!values.inventory) throw usageError("--inventory is required", "Give the inventory file: hostproof run --inventory estate.yaml");
  // Before anything is read: a key that cannot sign stops the run with nothing judged or written.
  const signingKey = resolveSigningKey(values["sign-key"], process.env);
  const failOn = parseFailOn(values["fail-on"]);
  const asOf = parseAsOf(values["as-of"], io.now());
  const features = featureSelection(values);
  // --tags and --min-severity as one expression: what selects the controls, and what the run records.
  const selection = await checkSelection(selectionAsked(values), features);
  const tags = selection.expression;
  if (selection.warning !== undefined) io.err(`warning: ${selection.warning}`);

  const waiverWarnDays = parseWarnDays(values["waiver-warn-days"]);
  if (waiverWarnDays !== undefined && values.waivers === undefined) {
    throw usageError("--waiver-warn-days was given without --waivers", "Name the waiver file with --waivers <file>, or leave --waiver-warn-days out.");
  }
  const outcome = await runEstate({
    inventory: values.inventory,
    out: values.out ?? "reports",
    tags,
    features: [...(features.folders ?? [])],
    builtin: features.builtin,
    failOn,
    asOf,
    ...outputChoice(values),
    waivers: values.waivers,
    waiverWarnDays,
    history: values["no-history"] ? false : values.history,
    progress: io.progress !== undefined ? createProgress(io.progress) : undefined,
    allowOutsideSnapshots: values["allow-outside-snapshots"],
    ...(values.directory !== undefined ? { directory: values.directory } : {}),
    ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
    ...(signingKey !== undefined ? { signingKey } : {}),
  });
  return reportOutcome(outcome, { tags, color: io.color && !values["no-color"], exitZero: values["exit-zero"] === true }, io);
}

const INTERNAL_ERRORS_SHOWN = 5;

/** What run and merge print when the report is in place, and the exit code they return. */
export function reportOutcome(outcome: RunOutcome, options: { tags?: string; color: boolean; exitZero: boolean }, io: Io): ExitCode {
  const { tags, color } = options;
  const width = layoutWidth(io.columns);
  // Every line in the terminal's width: text wraps, paths are kept whole, commands stand on lines of their own.
  const say = (text: string, indent = "  "): void => io.out(wrap(text, width, { indent, keepWords: true }).join("\n"));
  const command = (words: string[]): void => io.out(commandLines(words, width).join("\n"));
  io.out(formatTerminalSummary(outcome.report, { color, width }));
  if (outcome.report.drift !== undefined) io.out(formatDrift(outcome.report.drift).replace(/\n$/, "").split("\n").flatMap((l) => wrap(l, width, { indent: "    " })).join("\n"));
  if (outcome.report.totals.total === 0) {
    io.err(`warning: no control selected${tags ? ` by --tags "${tags}"` : ""}; run \`hostproof controls\` to see the tags.`);
  }
  // A judge that throws does so for every target: the first few say what it is, the rest are counted.
  for (const bug of outcome.internalErrors.slice(0, INTERNAL_ERRORS_SHOWN)) io.err(`internal error (reported as undetermined): ${bug}`);
  if (outcome.internalErrors.length > INTERNAL_ERRORS_SHOWN) io.err(`… and ${outcome.internalErrors.length - INTERNAL_ERRORS_SHOWN} more internal errors, each reported as an undetermined result.`);
  say(`Reports in ${outcome.outDir}/`);
  // The formats written, but the HTML report, which has a line of its own; then the record's own parts.
  say(`  ${[...outcome.formats.filter((f) => f.html === undefined).map((f) => f.files[0]!), ...RECORD_SHOWN].join(", ")}`);
  if (outcome.html.ok && "pages" in outcome.html) {
    say("  Browsable report (pages/; open it in a browser, the folder travels whole):", "    ");
    say(`    ${outcome.html.pages}`, "    ");
  } else if (outcome.html.ok) {
    say("  Allure report (one file; open it in a browser):", "    ");
    say(`    ${outcome.outDir}/allure-report/index.html`, "    ");
    if (outcome.html.warning !== undefined) io.err(`warning: ${outcome.html.warning}`);
  } else io.err(`  Allure HTML report not generated: ${outcome.html.reason}`);
  if (outcome.left.length > 0) {
    const names = outcome.left.map((f) => f.name);
    say(`  Not written by this run: ${names.join(", ")}; derive them from this report when needed:`, "    ");
    command(["hostproof", "export", shownArg(outcome.outDir), "--format", names.join(",")]);
  }
  say(`Evidence manifest SHA-256 ${outcome.manifestSha256}`);
  say("Check the report with:");
  command(["hostproof", "verify", shownArg(outcome.outDir), "--expect", outcome.manifestSha256]);
  if (outcome.signed !== undefined) {
    say(`Signed by keyid ${outcome.signed.keyid} (${outcome.signed.files.join(", ")}); check it with:`);
    command(["hostproof", "verify", shownArg(outcome.outDir), "--key", "<its public key>"]);
  }
  for (const w of outcome.warnings) io.err(`warning: ${w}`);

  const code = outcome.internalErrors.length > 0 && outcome.report.exitCode === EXIT.compliant ? EXIT.internal : outcome.report.exitCode;
  if (options.exitZero && (code === EXIT.nonCompliant || code === EXIT.undetermined)) {
    say(`Exit code would be ${code} (${code === EXIT.nonCompliant ? "non-compliant" : "undetermined"}); --exit-zero makes it 0.`);
    return EXIT.compliant;
  }
  return code;
}

/** The report options run and merge share: which HTML report, and which formats besides the defaults. */
export const OUTPUT_OPTIONS = {
  "no-html": { type: "boolean" },
  html: { type: "string" },
  export: { type: "string", multiple: true },
  "no-export": { type: "string", multiple: true },
} as const;

/** The report options as given; those that cannot be met at any size are exit 3 here, before anything is read. */
export function outputChoice(values: { "no-html"?: boolean; html?: string; export?: string[]; "no-export"?: string[] }): OutputChoice {
  const names = (given: string[] | undefined): string[] => (given ?? []).flatMap((v) => v.split(",")).map((n) => n.trim()).filter((n) => n !== "");
  const choice = { html: values["no-html"] !== true, htmlStyle: parseHtmlStyle(values.html), export: names(values.export), noExport: names(values["no-export"]) };
  checkRequest(REGISTRY, { html: choice.html ? (choice.htmlStyle ?? "auto") : false, add: choice.export, drop: choice.noExport });
  return choice;
}

export function parseHtmlStyle(value: string | undefined): HtmlStyle | undefined {
  if (value === undefined || value === "single" || value === "pages" || value === "auto") return value;
  throw usageError(`--html '${value}' is not a report style`, `${didYouMean(value, ["single", "pages", "auto"])}Use --html single (Allure's one file), --html pages (the browsable report for large estates) or --html auto (single up to ${LARGE_ESTATE_HOSTS.toLocaleString("en-US")} hosts).`);
}

function parseFailOn(value: string | undefined): Severity | "any" {
  if (value === undefined || value === "any") return "any";
  if (isSeverity(value)) return value;
  throw usageError(`--fail-on '${value}' is not a severity`, `${didYouMean(value.toLowerCase(), [...SEVERITIES, "any"])}Use one of: ${SEVERITIES.join(", ")}, any.`);
}

function parseWarnDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value)) throw usageError(`--waiver-warn-days '${value}' is not a number of days`, "Use a whole number of days, 0 or more, e.g. --waiver-warn-days 30.");
  return Number(value);
}

function parseAsOf(value: string | undefined, now: Date): Date {
  if (value === undefined) return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) throw usageError(`--as-of '${value}' is not a date`, "Use yyyy-mm-dd, e.g. --as-of 2026-11-22.");
  return date;
}
