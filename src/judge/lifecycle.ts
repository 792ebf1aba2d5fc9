/** Operating-system lifecycle: HP-EOS-001, HP-EOS-002, HP-EOS-003. */
import type { OsFact } from "../model/facts";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import type { HostContext, HostJudge } from "./context";
import { evidence, notApplicable, notVerifiable, undeterminedFromFact } from "./common";
import { lookupLifecycle, type LifecycleEntry } from "./lifecycle-data";
import { contradictoryRelease, releaseKind } from "./os-release";

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

/** NT 5.2 (Server 2003, 2003 R2, XP Professional x64) has one build number, 3790. */
const NT52_BUILD = 3790;

export const judgeNotWindowsServer2003: HostJudge = (ctx) => {
  const { host, os, windowsVersion: version } = ctx.facts;
  const expected = "not Windows Server 2003 or 2003 R2 (OS version 5.2), which left extended support on 2015-07-14";
  if (!os.ok) {
    // The CurrentVersion key's build alone decides "not 5.2": every NT 5.2 release is build 3790.
    if (version.ok && version.value.currentBuild !== null && version.value.currentBuild !== NT52_BUILD) {
      const build = version.value.currentBuild;
      return { status: "passed", expected, actual: `build ${build} (the CurrentVersion key's CurrentBuild; Win32_OperatingSystem could not be read)`, rule: `every Windows Server 2003 and 2003 R2 is build ${NT52_BUILD}; build ${build} is not`, evidence: [evidence(host, "windowsVersion"), evidence(host, "os")] };
    }
    return undeterminedFromFact(host, os, expected);
  }
  const contradiction = contradictoryRelease(ctx.facts, expected);
  if (contradiction !== undefined) return contradiction;
  const refs = [evidence(host, "os")];
  if (os.value.major === 5 && os.value.minor === 2) {
    // Windows XP Professional x64 Edition is 5.2 too: a workstation is never called Server 2003.
    const kind = releaseKind(os.value, version.ok ? version.value : undefined);
    if (kind === "client") {
      return { status: "passed", expected, actual: `${describeOs(os.value)}: a workstation (Windows XP Professional x64 Edition shares version 5.2), not Windows Server 2003`, rule: "HP-EOS-002 judges a workstation's own end of support", evidence: refs };
    }
    if (kind === undefined) {
      return {
        status: "undetermined",
        expected,
        actual: `${describeOs(os.value)}: Windows Server 2003 or Windows XP Professional x64 Edition`,
        reason: notVerifiable(`${host}: version 5.2 is Windows Server 2003 or Windows XP Professional x64 Edition, and no fact read (ProductType, a caption naming the product) says which`),
        evidence: refs,
      };
    }
    return {
      status: "failed",
      expected,
      actual: `${describeOs(os.value)}: a Windows Server 2003-family system, out of support since 2015-07-14`,
      evidence: refs,
    };
  }
  return { status: "passed", expected, actual: describeOs(os.value), evidence: refs };
};

/**
 * The release, or the releases the facts leave open (the edition was not read, or nothing says
 * server or workstation): `open` says why there is more than one, and a control decides only where
 * every one of them gives the same answer.
 */
type Resolved = { ok: true; os: OsFact; entries: readonly LifecycleEntry[]; open?: string; refs: EvidenceRef[] } | { ok: false; judgement: Judgement };

/** The os record always; the CurrentVersion key's when it was read, as it can decide Nano Server. */
function evidenceOf(ctx: HostContext): EvidenceRef[] {
  return [evidence(ctx.facts.host, "os"), ...(ctx.facts.windowsVersion.ok ? [evidence(ctx.facts.host, "windowsVersion")] : [])];
}

/** Shared by HP-EOS-002 and HP-EOS-003 so both controls always agree on the product and date. */
function resolveLifecycle(ctx: HostContext): Resolved | { ok: false; os: OsFact; why: string; refs: EvidenceRef[] } {
  const { host, os } = ctx.facts;
  const expected = "";
  if (!os.ok) return { ok: false, judgement: undeterminedFromFact(host, os, expected) };
  // Client editions share version numbers with servers (Windows 10 1607 is 10.0.14393 like Server
  // 2016) and Windows 10/11 editions share builds: the table is looked up by kind and SKU too, the
  // kind from every fact that says server or workstation (ProductType, caption, SKU, installation type).
  const version = ctx.facts.windowsVersion;
  const kind = releaseKind(os.value, version.ok ? version.value : undefined) ?? null;
  const found = lookupLifecycle({ ...os.value, kind, installationType: version.ok ? version.value.installationType : null });
  const refs = evidenceOf(ctx);
  if (found.ok) return { ok: true, os: os.value, entries: [found.entry], refs };
  if (found.candidates !== undefined && found.candidates.length > 0) return { ok: true, os: os.value, entries: found.candidates, open: found.why, refs };
  return { ok: false, os: os.value, why: found.why, refs };
}

/** The judgement for facts that name no release, or leave several open that disagree on the answer. */
function noDate(host: string, os: OsFact, why: string, expected: string, refs: EvidenceRef[]): Judgement {
  const message = `no lifecycle data for ${describeOs(os)} on ${host}: ${why}`;
  return { status: "undetermined", expected, actual: describeOs(os), reason: notVerifiable(message), evidence: refs };
}

/** Contradictions first (they decide nothing), then the release or releases. */
function resolved(ctx: HostContext, expected: string): Resolved {
  if (ctx.facts.os.ok) {
    const contradiction = contradictoryRelease(ctx.facts, expected);
    if (contradiction !== undefined) return { ok: false, judgement: contradiction };
  }
  const r = resolveLifecycle(ctx);
  if ("judgement" in r) return { ok: false, judgement: { ...r.judgement, expected } };
  if (!r.ok) return { ok: false, judgement: noDate(ctx.facts.host, r.os, r.why, expected, r.refs) };
  return r;
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

/** The rule for one release, or for every release the facts leave open (all of them gave the same answer). */
function ruleOf(r: Extract<Resolved, { ok: true }>): string {
  if (r.entries.length === 1) return ruleFor(r.entries[0]!);
  return `the facts leave ${r.entries.length} releases open (${r.open}), and every one gives the same answer: ${r.entries.map(ruleFor).join("; ")}`;
}

function productsOf(entries: readonly LifecycleEntry[]): string {
  return entries.map((e) => e.product).join(" or ");
}

function endsOf(entries: readonly LifecycleEntry[]): string {
  return [...new Set(entries.map((e) => e.extendedSupportEnd))].join(" or ");
}

/** One judgement per answer: where the open releases disagree, the control is undetermined and says so. */
function disagreeing(ctx: HostContext, r: Extract<Resolved, { ok: true }>, expected: string, answers: string[]): Judgement {
  const each = r.entries.map((e, i) => `${e.product} (ends ${e.extendedSupportEnd}): ${answers[i]}`).join("; ");
  return noDate(ctx.facts.host, r.os, `${r.open}; the releases it may be give different answers: ${each}`, expected, r.refs);
}

function withNotes(judgement: Judgement, entries: readonly LifecycleEntry[]): Judgement {
  const notes = entries.length === 1 ? esuNote(entries[0]!) : [];
  if (notes.length > 0) judgement.details = notes;
  return judgement;
}

export const judgeWithinExtendedSupport: HostJudge = (ctx) => {
  const expected = `operating system within Microsoft extended support on ${isoDay(ctx.asOf)}`;
  const r = resolved(ctx, expected);
  if (!r.ok) return r.judgement;
  const supported = r.entries.map((e) => asOfDayNumber(ctx.asOf) <= dayNumberOf(e.extendedSupportEnd));
  if (new Set(supported).size > 1) return disagreeing(ctx, r, expected, supported.map((s) => (s ? "within support" : "past it")));
  const ok = supported[0]!;
  return withNotes(
    {
      status: ok ? "passed" : "failed",
      expected,
      actual: `${productsOf(r.entries)} (${describeOs(r.os)}): extended support ${ok ? "ends" : "ended"} ${endsOf(r.entries)}`,
      rule: ruleOf(r),
      evidence: r.refs,
    },
    r.entries,
  );
};

export const judgeNotNearEndOfSupport: HostJudge = (ctx) => {
  const window = ctx.inputs.endOfSupport.warningDays;
  const expected = `end of extended support more than ${window} days after ${isoDay(ctx.asOf)}`;
  const r = resolved(ctx, expected);
  if (!r.ok) return r.judgement;
  const left = r.entries.map((e) => dayNumberOf(e.extendedSupportEnd) - asOfDayNumber(ctx.asOf));
  // The window is inclusive: a date exactly `window` days away is already inside it.
  const classes = left.map((d) => (d < 0 ? "past" : d <= window ? "near" : "far"));
  if (new Set(classes).size > 1) return disagreeing(ctx, r, expected, classes.map((c) => (c === "past" ? "already past" : c === "near" ? `within ${window} days` : `more than ${window} days away`)));
  const products = productsOf(r.entries);
  if (classes[0] === "past") {
    return {
      status: "notApplicable",
      expected,
      actual: `${products} support ended ${endsOf(r.entries)}`,
      rule: ruleOf(r),
      reason: notApplicable("already past end of support, see HP-EOS-002"),
      evidence: r.refs,
    };
  }
  const whenOf = (d: number): string => (d === 0 ? "today" : d === 1 ? "in 1 day" : `in ${d} days`);
  const when = [...new Set(left.map(whenOf))].join(" or ");
  return withNotes(
    {
      status: classes[0] === "near" ? "failed" : "passed",
      expected,
      actual: `${products} support ends ${endsOf(r.entries)}, ${when} (warning window ${window} days)`,
      rule: ruleOf(r),
      evidence: r.refs,
    },
    r.entries,
  );
};
