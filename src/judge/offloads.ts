/** NIC hardware offloads: HP-NIC-001. */
import type { AdapterPropertyFact } from "../model/facts";
import type { OffloadAllowance } from "../model/inventory";
import type { DetailRow, Judgement } from "../model/result";
import type { HostJudge } from "./context";
import { count, evidence, notVerifiable, undeterminedFromFact } from "./common";
import { OFFLOAD_KEYWORDS, type OffloadKeyword } from "./offload-keywords";

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Registry values are strings; "0" and "00" are the same DWORD. */
function sameValue(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) === Number(y);
  return x === y;
}

function valueText(value: string[]): string {
  return value.map((v) => v.trim()).join(",");
}

/** Adapters in the order Windows listed them; names are unique per host regardless of case. */
function groupByAdapter(rows: AdapterPropertyFact[]): { name: string; rows: AdapterPropertyFact[] }[] {
  const groups: { name: string; rows: AdapterPropertyFact[] }[] = [];
  for (const row of rows) {
    const group = groups.find((g) => sameText(g.name, row.adapter));
    if (group) group.rows.push(row);
    else groups.push({ name: row.adapter, rows: [row] });
  }
  return groups;
}

function allowanceText(a: OffloadAllowance): string {
  return a.adapter ? `${a.keyword} on ${a.adapter}` : `${a.keyword} on every adapter`;
}

export const judgeOffloadsDisabled: HostJudge = (ctx) => {
  const { host, netAdapterAdvancedProperty: fact } = ctx.facts;
  const allowances = ctx.inputs.offloads.allowed;
  const expected =
    allowances.length === 0
      ? "every standardized offload keyword disabled on every adapter (the inventory allows no exception)"
      : `every standardized offload keyword disabled on every adapter, except ${count(allowances.length, "exception")} allowed in the inventory`;
  if (!fact.ok) return undeterminedFromFact(host, fact, expected);
  const refs = [evidence(host, "netAdapterAdvancedProperty")];
  const adapters = groupByAdapter(fact.value);
  if (adapters.length === 0) {
    return {
      status: "undetermined",
      expected,
      actual: "no network adapter properties were returned",
      reason: notVerifiable(`${host}: no network adapter properties were returned by netAdapterAdvancedProperty`),
      evidence: refs,
    };
  }

  const details: DetailRow[] = [];
  const deviations: string[] = [];
  const unreadable: string[] = [];
  const used = new Set<OffloadAllowance>();
  let disabledTotal = 0;
  let allowedTotal = 0;
  let absentTotal = 0;

  for (const adapter of adapters) {
    // Collected per adapter so that its summary row can lead its keyword rows.
    const rows: DetailRow[] = [];
    let disabled = 0;
    const absent: OffloadKeyword[] = [];
    for (const kw of OFFLOAD_KEYWORDS) {
      const row = adapter.rows.find((r) => sameText(r.keyword, kw.keyword));
      if (!row) {
        absent.push(kw);
        continue;
      }
      const subject = `${adapter.name} ${kw.keyword}`;
      const rowExpected = `${kw.disabled} (disabled)`;
      const values = row.value.map((v) => v.trim()).filter((v) => v !== "");
      if (values.length === 0) {
        // No value is not proof of "off": the driver default, whatever it is, applies.
        unreadable.push(`${adapter.name}: ${kw.keyword}`);
        rows.push({ subject, expected: rowExpected, actual: "no RegistryValue reported", outcome: "unreadable" });
        continue;
      }
      if (values.every((v) => sameValue(v, kw.disabled))) {
        disabled++;
        continue;
      }
      const shownValue = `${valueText(values)}${row.displayValue ? ` (${row.displayValue})` : ""}`;
      const allowance = allowances.find((a) => sameText(a.keyword, kw.keyword) && (a.adapter === undefined || sameText(a.adapter, adapter.name)));
      if (allowance) {
        used.add(allowance);
        allowedTotal++;
        rows.push({ subject, expected: rowExpected, actual: shownValue, outcome: "allowed", note: allowance.reason });
      } else {
        deviations.push(`${adapter.name}: ${kw.keyword} = ${valueText(values)}`);
        rows.push({ subject, expected: rowExpected, actual: shownValue, outcome: "deviation" });
      }
    }
    disabledTotal += disabled;
    absentTotal += absent.length;
    details.push({
      subject: adapter.name,
      expected: "standardized offload keywords disabled",
      actual: `${count(disabled, "keyword")} disabled, ${absent.length} not present`,
      outcome: "ok",
    });
    details.push(...rows);
    if (absent.length > 0) {
      details.push({
        subject: adapter.name,
        expected: "keyword exposed by the driver",
        actual: `not exposed by the driver: ${absent.map((k) => k.keyword).join(", ")}`,
        outcome: "not-present",
        note: "a keyword the driver does not expose is not the same as disabled; it is neither a pass nor a failure",
      });
    }
  }

  for (const allowance of allowances) {
    if (used.has(allowance)) continue;
    const known = OFFLOAD_KEYWORDS.some((k) => sameText(k.keyword, allowance.keyword));
    details.push({
      subject: `allowance ${allowance.keyword}`,
      expected: allowanceText(allowance),
      actual: `allowance for ${allowanceText(allowance)} matched no enabled keyword`,
      outcome: "info",
      note: known ? allowance.reason : `${allowance.keyword} is not one of the keywords this control checks; ${allowance.reason}`,
    });
  }

  const summary = `${count(adapters.length, "adapter")}: ${disabledTotal} disabled, ${allowedTotal} allowed, ${absentTotal} not present`;
  if (deviations.length > 0) {
    return { status: "failed", expected, actual: deviations.join("; "), details, evidence: refs };
  }
  if (unreadable.length > 0) {
    const judgement: Judgement = {
      status: "undetermined",
      expected,
      actual: `no deviation found, but no value was reported for ${unreadable.join("; ")}`,
      reason: { kind: "malformed", message: `${host}: netAdapterAdvancedProperty reported no RegistryValue for ${unreadable.join("; ")}` },
      details,
      evidence: refs,
    };
    return judgement;
  }
  return { status: "passed", expected, actual: `no deviations on ${summary}`, details, evidence: refs };
};
