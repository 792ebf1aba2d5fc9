/** Operating-system lifecycle: HP-EOS-001, HP-EOS-002, HP-EOS-003. */
import type { OsFact } from "../model/facts";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import type { HostContext, HostJudge } from "./context";
import { evidence, notApplicable, notVerifiable, undeterminedFromFact } from "./common";
import { lookupLifecycle, type LifecycleEntry } from "./lifecycle-data";
import { contradictoryRelease } from "./os-release";

const DAY_MS = 86_400_000;

/** Days since the epoch of a yyyy-mm-dd date, read as a UTC calendar day. */
function dayNumberOf(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The UTC calendar day `asOf` falls on; the time of day must not move a date comparison. */
function asOfDayNumber(asOf: Date): number {
  return Math.floor(asOf.getTime() / DAY_MS);
}

function isoDay(asOf: Date): string {
  return asOf.toISOString().slice(0, 10);
}

function describeOs(os: OsFact): string {
  return `${os.caption}, version ${os.version}`;
}

export const judgeNotWindowsServer2003: HostJudge = (ctx) => {
  const { host, os } = ctx.facts;
  const expected = "not Windows Server 2003 or 2003 R2 (OS version 5.2), which left extended support on 2015-07-14";
  if (!os.ok) return undeterminedFromFact(host, os, expected);
  const contradiction = contradictoryRelease(ctx.facts, expected);
  if (contradiction !== undefined) return contradiction;
  const refs = [evidence(host, "os")];
  if (os.value.major === 5 && os.value.minor === 2) {
    return {
      status: "failed",
      expected,
      actual: `${describeOs(os.value)}: a Windows Server 2003-family system, out of support since 2015-07-14`,
      evidence: refs,
    };
  }
  return { status: "passed", expected, actual: describeOs(os.value), evidence: refs };
};

type Resolved = { ok: true; os: OsFact; entry: LifecycleEntry; refs: EvidenceRef[] } | { ok: false; judgement: Judgement };

/** The os record always; the CurrentVersion key's when it was read, as it can decide Nano Server. */
function evidenceOf(ctx: HostContext): EvidenceRef[] {
  return [evidence(ctx.facts.host, "os"), ...(ctx.facts.windowsVersion.ok ? [evidence(ctx.facts.host, "windowsVersion")] : [])];
}

/** Shared by HP-EOS-002 and HP-EOS-003 so both controls always agree on the product and date. */
function resolveLifecycle(ctx: HostContext, expected: string): Resolved {
  const { host, os } = ctx.facts;
  if (!os.ok) return { ok: false, judgement: undeterminedFromFact(host, os, expected) };
  const contradiction = contradictoryRelease(ctx.facts, expected);
  if (contradiction !== undefined) return { ok: false, judgement: contradiction };
  // Client editions share version numbers with servers (Windows 10 1607 is 10.0.14393 like Server
  // 2016) and Windows 10/11 editions share builds: the table is looked up by ProductType and SKU too.
  const version = ctx.facts.windowsVersion;
  const found = lookupLifecycle({ ...os.value, installationType: version.ok ? version.value.installationType : null });
  const refs = evidenceOf(ctx);
  if (!found.ok) {
    const message = `no lifecycle data for ${describeOs(os.value)} on ${host}: ${found.why}`;
    return {
      ok: false,
      judgement: { status: "undetermined", expected, actual: describeOs(os.value), reason: notVerifiable(message), evidence: refs },
    };
  }
  return { ok: true, os: os.value, entry: found.entry, refs };
}

function esuNote(entry: LifecycleEntry): DetailRow[] {
  if (!entry.esuEnd) return [];
  return [
    {
      subject: "Extended Security Updates",
      expected: `end of extended support (${entry.extendedSupportEnd}) is what this control judges`,
      actual: `paid Extended Security Updates are available for ${entry.product} until ${entry.esuEnd}`,
      outcome: "info",
      note: "ESU coverage is a contract, not a property of the host; it is not taken into account",
    },
  ];
}

function ruleFor(entry: LifecycleEntry): string {
  return `${entry.product}: extended support ends ${entry.extendedSupportEnd} (Microsoft Lifecycle, ${entry.source})`;
}

export const judgeWithinExtendedSupport: HostJudge = (ctx) => {
  const expected = `operating system within Microsoft extended support on ${isoDay(ctx.asOf)}`;
  const resolved = resolveLifecycle(ctx, expected);
  if (!resolved.ok) return resolved.judgement;
  const { os, entry, refs } = resolved;
  const supported = asOfDayNumber(ctx.asOf) <= dayNumberOf(entry.extendedSupportEnd);
  const judgement: Judgement = {
    status: supported ? "passed" : "failed",
    expected,
    actual: supported
      ? `${entry.product} (${describeOs(os)}): extended support ends ${entry.extendedSupportEnd}`
      : `${entry.product} (${describeOs(os)}): extended support ended ${entry.extendedSupportEnd}`,
    rule: ruleFor(entry),
    evidence: refs,
  };
  const notes = esuNote(entry);
  if (notes.length > 0) judgement.details = notes;
  return judgement;
};

export const judgeNotNearEndOfSupport: HostJudge = (ctx) => {
  const window = ctx.inputs.endOfSupport.warningDays;
  const expected = `end of extended support more than ${window} days after ${isoDay(ctx.asOf)}`;
  const resolved = resolveLifecycle(ctx, expected);
  if (!resolved.ok) return resolved.judgement;
  const { entry, refs } = resolved;
  const daysLeft = dayNumberOf(entry.extendedSupportEnd) - asOfDayNumber(ctx.asOf);
  if (daysLeft < 0) {
    return {
      status: "notApplicable",
      expected,
      actual: `${entry.product} support ended ${entry.extendedSupportEnd}`,
      rule: ruleFor(entry),
      reason: notApplicable("already past end of support, see HP-EOS-002"),
      evidence: refs,
    };
  }
  const when = daysLeft === 0 ? "today" : daysLeft === 1 ? "in 1 day" : `in ${daysLeft} days`;
  const judgement: Judgement = {
    // The window is inclusive: a date exactly `window` days away is already inside it.
    status: daysLeft <= window ? "failed" : "passed",
    expected,
    actual: `${entry.product} support ends ${entry.extendedSupportEnd}, ${when} (warning window ${window} days)`,
    rule: ruleFor(entry),
    evidence: refs,
  };
  const notes = esuNote(entry);
  if (notes.length > 0) judgement.details = notes;
  return judgement;
};
