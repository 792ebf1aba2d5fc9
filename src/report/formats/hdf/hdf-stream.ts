/**
 * hdf.json written as the run streams past: one profile (hdf.ts: HDF_PROFILE) holding every control
 * of the run, a group per feature file. HDF nests results under their control, while a slice
 * holds every control's results for its targets: each control's results therefore go to a spool
 * of their own (one append per control and slice), and the file is put together at the end, when
 * the statistics and the verdict are known, by copying each spool behind its control's head.
 * Memory holds one slice's results and a tally per control, whatever the size of the estate.
 *
 * Layout: the run's facts first, then one control head per line and one result per line, so
 * that a file of a million results stays greppable, like summary.json.
 */
import { join } from "node:path";
import type { ControlMeta, Result, ResultStatus } from "../../../model/result";
import type { StatusTotals, RunReport } from "../../../model/run";
import type { EvidenceLookup, ResultTime } from "../evidence-view";
import { byFeature, controlHead, HDF_FILE, HDF_PROFILE, hdfResult, hdfStatistics, newTally, profileHead, tallyResult, type ControlTally } from "./hdf";
import { AppendSpool, StreamFile, type Written } from "../../output/stream-file";
import type { Format } from "../format";
import { inParts } from "../parts";

/** What the run knows at its end, for the HDF file's platform, statistics and passthrough. */
export type HdfRunInfo = Pick<RunReport, "tool" | "estate" | "inventoryFile" | "startedAt" | "finishedAt" | "asOf" | "failOn" | "tags" | "verdict" | "exitCode"> & {
  totals: StatusTotals;
  /** The controls the run selected, in the order the reports list them. */
  controls: readonly ControlMeta[];
};

interface ControlSpool {
  tally: ControlTally;
  spool: AppendSpool | undefined;
  written: number;
}

export class HdfStream {
  private readonly controls = new Map<string, ControlSpool>();
  private spools = 0;

  constructor(
    private readonly dir: string,
    private readonly runStartedAt: string,
  ) {}

  add(results: readonly Result[], lookup: EvidenceLookup, timeOf: ResultTime): void {
    const parts = new Map<ControlSpool, string[]>();
    for (const r of results) {
      const entry = this.entry(r.control);
      tallyResult(entry.tally, r);
      const views = r.evidence.map(lookup);
      const line = `${entry.written === 0 ? "\n" : ",\n"}        ${JSON.stringify(hdfResult(r, views, timeOf(r, views), this.runStartedAt))}`;
      entry.written += 1;
      const list = parts.get(entry);
      if (list === undefined) parts.set(entry, [line]);
      else list.push(line);
    }
    for (const [entry, lines] of parts) {
      // Numbered, not named after the control: a user's control ID need not be a valid file name.
      entry.spool ??= new AppendSpool(join(this.dir, `.${HDF_FILE}.${this.spools++}`));
      entry.spool.write(lines.join(""));
    }
  }

  private entry(meta: ControlMeta): ControlSpool {
    let entry = this.controls.get(meta.id);
    if (entry === undefined) {
      entry = { tally: newTally(meta), spool: undefined, written: 0 };
      this.controls.set(meta.id, entry);
    }
    return entry;
  }

  async finish(file: StreamFile, info: HdfRunInfo): Promise<Written> {
    // The run's controls in its order, then any a result named that the list did not (none, unless
    // a caller hands an incomplete list): a control with no result is still reported.
    for (const c of info.controls) this.entry(c);
    const entries = byFeature(this.controls.values(), (e) => e.tally.meta);

    file.write(`{\n${members(documentHead(info, entries))},\n  "profiles": [`);
    if (entries.length > 0) {
      // Heimdall shows a profile's title as text (File Info), so it is not escaped as the HTML fields are.
      const title = `hostproof controls on ${info.estate ?? info.inventoryFile}`;
      const profile = profileHead(HDF_PROFILE, title, entries.map((e) => e.tally.meta), info.tool.version);
      file.write(`\n    ${openObject(profile)},"controls": [`);
      for (const [i, entry] of entries.entries()) {
        file.write(`${i === 0 ? "\n" : ",\n"}      ${openObject(controlHead(entry.tally))},"results": [`);
        if (entry.spool !== undefined) await file.append(entry.spool);
        file.write(`${entry.written === 0 ? "" : "\n      "}]}`);
      }
      file.write(`\n    ]}\n  `);
    }
    file.write(`]\n}\n`);
    return file.close();
  }

  /** On a failed run: the spools go (the staging folder is removed whole anyway). */
  discard(): void {
    for (const entry of this.controls.values()) entry.spool?.discard();
  }
}

/**
 * platform: an estate has many hosts, so the platform is the family (windows) and target_id the
 * estate. statistics count HDF result statuses (error: undetermined; skipped: not applicable and
 * waived). passthrough carries what HDF has no field for: the hostproof run's verdict, exit code,
 * --fail-on, as-of day, estate and inventory, as hostproof's summary.json states them.
 */
function documentHead(info: HdfRunInfo, entries: readonly ControlSpool[]): object {
  const sum = (status: ResultStatus): number => entries.reduce((n, e) => n + e.tally.counts[status], 0);
  const duration = (Date.parse(info.finishedAt) - Date.parse(info.startedAt)) / 1000;
  const { tool, estate, inventoryFile, startedAt, finishedAt, asOf, failOn, tags, verdict, exitCode, totals } = info;
  const counts = { passed: sum("passed"), failed: sum("failed"), undetermined: sum("undetermined"), notApplicable: sum("notApplicable"), waived: sum("waived") };
  return {
    platform: { name: "windows", release: "estate", target_id: estate ?? inventoryFile },
    version: tool.version,
    statistics: hdfStatistics(counts, duration),
    passthrough: {
      hostproof: {
        tool,
        ...(estate !== undefined ? { estate } : {}),
        inventoryFile,
        startedAt,
        finishedAt,
        asOf,
        failOn,
        ...(tags !== undefined ? { tags } : {}),
        verdict,
        exitCode,
        totals,
      },
    },
  };
}

/** An object's members as they sit inside a top-level JSON.stringify(…, null, 2), without the braces. */
export function members(value: object): string {
  return JSON.stringify(value, null, 2).slice(2, -2);
}

/** `{"a":1,"b":2` : the object open, for a last member written after it. */
export function openObject(value: object): string {
  return JSON.stringify(value).slice(0, -1);
}

/** hdf.json as a format. The run's facts come from summary.json's head and tail, as a reader of both sees them. */
export const hdfFormat: Format = {
  name: "hdf",
  description: "MITRE Heimdall Data Format: a profile per feature, a control per ID, a result per host or cluster (Heimdall, the SAF CLI)",
  files: [HDF_FILE],
  open(ctx) {
    const stream = new HdfStream(ctx.dir, ctx.head.startedAt);
    return {
      add: (slice) => inParts(slice.results, (part) => stream.add(part, slice.lookup, slice.timeOf)),
      async finish({ tail }) {
        const { tool, estate, inventoryFile, startedAt, asOf, failOn, tags } = ctx.head;
        const { finishedAt, verdict, exitCode, totals, controls } = tail;
        const run = { tool, inventoryFile, startedAt, finishedAt, asOf, failOn, verdict, exitCode, totals, controls, ...(estate !== undefined ? { estate } : {}), ...(tags !== undefined ? { tags } : {}) };
        ctx.record(HDF_FILE, await stream.finish(new StreamFile(join(ctx.dir, HDF_FILE)), run));
      },
      abort: () => stream.discard(),
    };
  },
};
