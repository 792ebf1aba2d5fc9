/** `hostproof controls` */
import { planProbes } from "../../controls/probe-plan";
import { EXIT, type ExitCode } from "../../model/run";
import { FEATURE_OPTIONS, featureSelection, parse, SELECTION_OPTIONS, selectionAsked, selectionExpression, tagHints, usageError } from "../args";
import { CONTROLS_HELP } from "../usage";
import type { Io } from "../io";
import { escapeControls } from "../../util/terminal-safe";
import { didYouMean } from "../../util/closest";
import { frameworkCoverage } from "../../controls/coverage";
import { FRAMEWORKS, type Framework } from "../../model/mapping";
import { printHelp } from "../help-layout";

export async function controlsCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values } = parse(
    argv,
    { ...SELECTION_OPTIONS, framework: { type: "string" }, json: { type: "boolean" }, probes: { type: "boolean" }, ...FEATURE_OPTIONS, help: { type: "boolean", short: "h" } },
    false,
  );
  if (values.help) {
    printHelp(io, CONTROLS_HELP);
    return EXIT.compliant;
  }
  const asked = selectionAsked(values);
  const tags = selectionExpression(asked);
  const framework = values.framework;
  if (framework !== undefined && !FRAMEWORKS.includes(framework as Framework)) {
    throw usageError(`--framework "${framework}" is not a framework hostproof maps`, `${didYouMean(framework.toLowerCase(), FRAMEWORKS)}Use one of ${FRAMEWORKS.join(", ")}.`);
  }
  const features = featureSelection(values);
  const plan = planProbes(tags, features);
  const controls = plan.controls;
  // Listing nothing is an answer here (exit 0), but a word that looks meant as another tag is said.
  const hint = asked.tags !== undefined ? tagHints(asked.tags, planProbes(undefined, features).controls) : undefined;
  if (hint !== undefined) io.err(`warning: --tags "${asked.tags}" ${controls.length === 0 ? "selects no control" : "has a word no control carries as a tag"}. ${hint}`);
  if (framework !== undefined) return listCoverage(controls, framework as Framework, values.json === true, io);
  if (values.json) {
    io.out(JSON.stringify(values.probes ? plan : controls, null, 2));
    return EXIT.compliant;
  }
  // User features are input: their titles and paths reach the terminal escaped (terminal-safe.ts).
  const rows = [["ID", "SEVERITY", "ORIGIN", "TITLE", "FEATURE"], ...controls.map((c) => [c.id, c.severity, c.origin, c.title, c.feature].map((text) => escapeControls(text)))];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    io.out(`${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}  (${r[4]})`);
    if (values.probes && i > 0) io.out(`${" ".repeat(widths[0] + 2)}reads: ${controls[i - 1].probes.map((p) => escapeControls(p)).join(", ") || "nothing (not verifiable by a probe)"}`);
  }
  io.out(`${controls.length} control(s).`);
  if (values.probes) {
    io.out(`A host is read for: ${plan.probes.join(", ")}.`);
    // Generic probes once each, however many controls read them: one round trip reads them all.
    if (plan.generic.length > 0) io.out(`and ${plan.generic.length} generic probe(s): ${plan.generic.map((g) => escapeControls(g.id)).join(", ")}.`);
  }
  return EXIT.compliant;
}

/** `--framework`: each id the selected controls cover, with the controls that check or contradict it. */
function listCoverage(controls: Parameters<typeof frameworkCoverage>[0], framework: Framework, json: boolean, io: Io): ExitCode {
  const rows = frameworkCoverage(controls, framework);
  if (json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.compliant;
  }
  const width = Math.max(framework.length + 3, ...rows.map((r) => r.id.length));
  io.out(`${`${framework.toUpperCase()} ID`.padEnd(width)}  CONTROLS`);
  for (const r of rows) {
    const checks = r.controls.length > 0 ? r.controls.join(", ") : "none";
    const conflict = r.conflicting.length > 0 ? `; contradicted on purpose by ${r.conflicting.join(", ")} (a host that follows it is an open finding here that needs a waiver)` : "";
    io.out(`${escapeControls(r.id).padEnd(width)}  ${checks}${r.detail ? `  [${escapeControls(r.detail)}]` : ""}${conflict}`);
  }
  io.out(`${rows.length} ${framework.toUpperCase()} id(s) covered by ${controls.length} selected control(s); ids no control maps are not listed.`);
  return EXIT.compliant;
}
