/**
 * The registry of output formats: every format hostproof writes, in the order `--help` lists them.
 * A format is one module implementing ./format.ts and one line here; the run's writer, the
 * manifest's coverage, `--help` and the list of outputs a run prints all read this list.
 */
import { allureReportFormat } from "./allure/allure-html";
import { allureResultsFormat } from "./allure/allure-results";
import { csvFormat } from "./csv";
import type { Format } from "./format";
import { hdfFormat } from "./hdf/hdf-stream";
import { hdfTargetsFormat } from "./hdf/hdf-targets";
import { cklFormat } from "./ckl/ckl";
import { junitFormat } from "./junit";
import { pagesFormat } from "./pages/writer";
import { oscalFormat } from "./oscal/oscal-stream";
import { pdfFormat } from "./pdf";
import { summaryFormat } from "./summary";
import { summaryMdFormat } from "./summary-md";
import { xlsxFormat } from "./xlsx";

export const FORMATS: readonly Format[] = [summaryFormat, summaryMdFormat, junitFormat, hdfFormat, hdfTargetsFormat, csvFormat, allureResultsFormat, allureReportFormat, pagesFormat, xlsxFormat, pdfFormat, oscalFormat, cklFormat];

/** The format that holds the record's results: always written, and what `export` reads back. */
export const RECORD_FORMAT = summaryFormat.name;

export interface FormatRegistry {
  readonly formats: readonly Format[];
  byName(name: string): Format | undefined;
  /** `names` and every format they need, in the registry's order. */
  withNeeds(names: readonly string[]): readonly Format[];
}

/** A registry over `formats` (a test adds its own to FORMATS); names are unique, needs are listed, the record's format is in. */
export function formatRegistry(formats: readonly Format[]): FormatRegistry {
  const byName = new Map<string, Format>();
  for (const f of formats) {
    if (byName.has(f.name)) throw new Error(`two formats are named ${f.name}`);
    byName.set(f.name, f);
  }
  for (const f of formats) for (const n of f.needs ?? []) if (!byName.has(n)) throw new Error(`format ${f.name} needs ${n}, which the registry does not hold`);
  if (!byName.has(RECORD_FORMAT)) throw new Error(`a registry without ${RECORD_FORMAT}, the record's results`);
  const withNeeds = (names: readonly string[]): readonly Format[] => {
    const wanted = new Set<string>();
    const want = (name: string): void => {
      if (wanted.has(name)) return;
      wanted.add(name);
      for (const n of byName.get(name)?.needs ?? []) want(n);
    };
    names.forEach(want);
    return formats.filter((f) => wanted.has(f.name));
  };
  return {
    formats,
    byName: (name) => byName.get(name),
    withNeeds,
  };
}

export const REGISTRY: FormatRegistry = formatRegistry(FORMATS);

/**
 * The order formats are finished in: first each format another one needs, and those that need it
 * (each after what it needs), so that Allure's HTML reads allure-results/ complete; then the rest,
 * in the registry's order. The rest carry the run's last times (summary.json's timings), which
 * then include the first group's work.
 */
export function finishRounds<T extends Pick<Format, "name" | "needs">>(formats: readonly T[]): T[][] {
  const needed = new Set(formats.flatMap((f) => f.needs ?? []));
  const first = formats.filter((f) => needed.has(f.name) || (f.needs ?? []).length > 0);
  const ordered: T[] = [];
  const place = (f: T): void => {
    if (ordered.includes(f)) return;
    for (const n of f.needs ?? []) {
      const dep = first.find((d) => d.name === n);
      if (dep !== undefined) place(dep);
    }
    ordered.push(f);
  };
  first.forEach(place);
  const rest = formats.filter((f) => !ordered.includes(f));
  return [ordered, rest].filter((round) => round.length > 0);
}
