/**
 * Which formats a report gets: what `run` and `merge` write (the defaults for the estate's size,
 * --html, --export, --no-export), and what `export` derives (--format). Every refusal is exit 3,
 * before anything is read or written, naming the option and what to write instead.
 *
 * Why the defaults change with size: at 100,000 hosts every format together was 17 GB in 1.77
 * million files (allure-results alone 1.76 million files, hdf.json 3.4 GB that no viewer opens).
 * Above LARGE_ESTATE_HOSTS a run writes the record and the formats whose size grows gently and that
 * a CI gate or a reader needs at once; the others are one `hostproof export` away, from the same
 * record, the same bytes.
 */
import { InputError } from "../../errors";
import type { Format, HtmlStyle } from "./format";
import { RECORD_FORMAT, type FormatRegistry } from "./index";

/**
 * Up to this many hosts a run writes every format, as it always has (and Allure's single file as
 * its HTML report); above it, only the formats marked `atScale` (and the browsable pages).
 * Allure's single file stops being a report anyone can open well before this size: at 5,000 hosts
 * it took 32 s and 1.9 GiB of Java to make, 648 MB, and Chromium was still loading it after 300 s.
 */
export const LARGE_ESTATE_HOSTS = 2000;

/** What the command line asked of a run or a merge. */
export interface FormatRequest {
  /** false: --no-html; else --html's style (undefined or "auto": by the estate's size). */
  html: false | HtmlStyle | "auto" | undefined;
  /** --export: formats written besides the defaults. */
  add: readonly string[];
  /** --no-export: default formats left out. */
  drop: readonly string[];
}

export interface ChosenFormats {
  /** In the registry's order, each with the formats it needs. */
  formats: readonly Format[];
  /** The HTML report written, if any. */
  html: HtmlStyle | undefined;
  /** Formats of the registry not written (the HTML report not chosen aside): `export` makes them later. */
  left: readonly Format[];
}

/** The HTML report for --html and the size: Allure's single file up to LARGE_ESTATE_HOSTS hosts, the pages above. */
export function htmlStyleFor(html: FormatRequest["html"], hosts: number): HtmlStyle | undefined {
  if (html === false) return undefined;
  if (html === "single" || html === "pages") return html;
  return hosts > LARGE_ESTATE_HOSTS ? "pages" : "single";
}

/** The names checked against the registry: an unknown one is exit 3 with the list of those there are. */
export function checkNames(registry: FormatRegistry, names: readonly string[], field: string): void {
  const unknown = names.filter((n) => registry.byName(n) === undefined);
  if (unknown.length === 0) return;
  refuse(field, `${unknown.map((n) => `'${n}'`).join(", ")} ${unknown.length === 1 ? "is not a format" : "are not formats"} hostproof writes`, `Name one or more of: ${registry.formats.map((f) => f.name).join(", ")} (hostproof export --help says what each holds).`);
}

/** What `export --format` derives: the formats named and those they need, in the registry's order. */
export function formatsToExport(registry: FormatRegistry, names: readonly string[]): readonly Format[] {
  if (names.length === 0) refuse("--format", "no format given", `Name one or more of: ${registry.formats.map((f) => f.name).join(", ")} (hostproof export --help says what each holds).`);
  checkNames(registry, names, "--format");
  return registry.withNeeds(names);
}

/**
 * What a run or a merge of `hosts` hosts writes. The size-independent refusals are the same for
 * any size, so `checkRequest` (hosts unknown yet) and this agree.
 */
export function formatsForRun(registry: FormatRegistry, request: FormatRequest, hosts: number): ChosenFormats {
  checkRequest(registry, request);
  const named = new Set(request.add);
  const dropped = new Set(request.drop);
  const asked = request.add.map((n) => registry.byName(n)!).find((f) => f.html !== undefined);
  let html = asked?.html ?? htmlStyleFor(request.html, hosts);
  if (html !== undefined && dropped.has(htmlFormat(registry, html).name)) html = undefined;
  const large = hosts > LARGE_ESTATE_HOSTS;
  const wanted = registry.formats.filter((f) => (f.html !== undefined ? f.html === html : named.has(f.name) || (f.onRequest !== true && (!large || f.atScale) && !dropped.has(f.name))));
  const formats = registry.withNeeds(wanted.map((f) => f.name));
  const needy = formats.find((f) => (f.needs ?? []).some((n) => dropped.has(n)));
  if (needy !== undefined) {
    const need = needy.needs!.find((n) => dropped.has(n))!;
    refuse("--no-export", `${needy.name} needs ${need}, which --no-export leaves out`, needy.html !== undefined ? `Keep ${need}, or choose another HTML report (--html pages) or none (--no-html).` : `Keep ${need}, or leave ${needy.name} out too.`);
  }
  // A format written only on request is named among those left where the run leaves defaults out
  // for the size too; up to it, a run writes every default and the line would be noise.
  const left = registry.formats.filter((f) => f.html === undefined && !formats.includes(f) && (f.onRequest !== true || large));
  return { formats, html, left };
}

/** The refusals that do not depend on the estate: the command checks them before reading anything. */
export function checkRequest(registry: FormatRegistry, request: FormatRequest): void {
  checkNames(registry, request.add, "--export");
  checkNames(registry, request.drop, "--no-export");
  const both = request.add.filter((n) => request.drop.includes(n));
  if (both.length > 0) refuse("--export", `${both.join(", ")} is named by both --export and --no-export`, "Name each format in one of them.");
  if (request.drop.includes(RECORD_FORMAT)) refuse("--no-export", `${RECORD_FORMAT} holds the record's results: every report has it, and every other format is derived from it`, `Leave ${RECORD_FORMAT} out of --no-export.`);
  const htmlAsked = request.add.map((n) => registry.byName(n)!).filter((f) => f.html !== undefined);
  if (htmlAsked.length > 1) {
    refuse("--export", `${htmlAsked.map((f) => f.name).join(" and ")} are both HTML reports, and a run writes one`, `Export one with the run, and the other later: hostproof export <report> --format ${htmlAsked[1]!.name}.`);
  }
  const asked = htmlAsked[0];
  if (asked === undefined) return;
  if (request.html === false) refuse("--export", `--export ${asked.name} asks for an HTML report, and --no-html for none`, "Give one of them.");
  if (request.html !== undefined && request.html !== "auto" && request.html !== asked.html) {
    refuse("--export", `--export ${asked.name} and --html ${request.html} ask for two HTML reports, and a run writes one`, `Give one of them; export the other later: hostproof export <report> --format ${htmlFormat(registry, request.html).name}.`);
  }
}

function htmlFormat(registry: FormatRegistry, style: HtmlStyle): Format {
  const format = registry.formats.find((f) => f.html === style);
  if (format === undefined) throw new Error(`the registry holds no ${style} HTML format`);
  return format;
}

function refuse(field: string, problem: string, fix: string): never {
  throw new InputError({ file: "command line", field, problem, fix });
}
