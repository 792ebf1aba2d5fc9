/**
 * The command a report shows an auditor to run a probe again, built so that pasting it into
 * PowerShell runs only what hostproof ships.
 *
 * A snapshot is hostile input: its record's `command` and `parameters` are whatever the file
 * says. So the shown command is the recorded one only when that text is one of the commands
 * hostproof's collector runs for that probe (the catalog's or a generic reader, primary or
 * fallback, with either JSON tail); any other text is evidence of what the file claims, shown as
 * such and never offered to be run. Parameters become `$HpProbe = @{ 'Name' = 'value'; … }`, each
 * name and value through psQuote, the one quoting rule (src/powershell/quote.ts).
 */
import { hpJsonCommand, PROBES, type ProbeDefinition, type ProbeId } from "./catalog";
import { GENERIC_READERS, isGenericProbeId, type GenericKind } from "./generic";
import { psQuote } from "../powershell/quote";

const withTails = (commands: readonly string[]): string[] => commands.flatMap((c) => [c, hpJsonCommand(c)]);

const SHIPPED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...Object.values(PROBES).map((p: ProbeDefinition) => [p.id, new Set(withTails([p.command, ...(p.fallbacks ?? [])]))] as const),
  ...(Object.entries(GENERIC_READERS) as [GenericKind, readonly string[]][]).map(([kind, readers]) => [kind, new Set(withTails(readers))] as const),
]);

/** The commands hostproof's collector can record for probe `id` (a catalog id or a generic one). */
export function shippedCommands(id: string): ReadonlySet<string> {
  const key = isGenericProbeId(id) ? id.slice(0, id.indexOf(":")) : id;
  return SHIPPED.get(key) ?? new Set();
}

/** The catalog's primary command for a built-in probe, for evidence without a record. */
export function catalogCommand(id: string): string {
  return (PROBES as Readonly<Record<string, ProbeDefinition | undefined>>)[id as ProbeId]?.command ?? "";
}

/**
 * `command` as an auditor can run it again, or undefined when it is not a command hostproof
 * ships for probe `id`. A generic probe's parameters are assigned to `$HpProbe` first.
 */
export function runAgainCommand(id: string, command: string, parameters: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!shippedCommands(id).has(command)) return undefined;
  if (parameters === undefined || Object.keys(parameters).length === 0) return command;
  const pairs = Object.entries(parameters).map(([k, v]) => `${psQuote(k)} = ${psQuote(v)}`);
  return `$HpProbe = @{ ${pairs.join("; ")} }; ${command}`;
}
