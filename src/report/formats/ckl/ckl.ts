/**
 * STIG checklists (`export --format ckl`, `run --export ckl`): ckl/<host>.ckl, one DISA STIG Viewer
 * checklist per host (ckl-document.ts), and ckl/index.json listing every host with its file, STIG,
 * counts per status and SHA-256, or why it has no checklist. Written on request only.
 *
 * A checklist is an asset's: hosts get one, clusters do not (a cluster's own results are in the
 * other reports; the index counts those that map a STIG rule). Each host's file is written when its
 * slice is added, so memory holds one slice and the set of file names written (to refuse two hosts
 * whose names differ only in case, which would be one file on a case-insensitive file system).
 */
import { mkdirSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { InputError } from "../../../errors";
import { hostFileName } from "../../../input/host-file-name";
import type { HostRecord } from "../../../model/run";
import type { Result } from "../../../model/result";
import { giveTurn } from "../../../util/turns";
import { StreamFile, writtenOf } from "../../output/stream-file";
import type { Format, FormatContext, FormatOutcome, SliceView } from "../format";
import type { SummaryTail } from "../summary";
import { members } from "../hdf/hdf-stream";
import { buildCkl, CKL_STATUSES, type CklStatus } from "./ckl-document";
import { stigChoiceOf } from "../stig-choice";

export const CKL_DIR = "ckl";
export const CKL_INDEX_FILE = `${CKL_DIR}/index.json`;

/** A host's checklist file, relative to ckl/: named as evidence/snapshots/ names its snapshot, with .ckl. */
export function cklFileName(host: string): string {
  return hostFileName(host).replace(/\.json$/, ".ckl");
}

/** One host of index.json: its checklist, or why it has none. */
export type CklIndexEntry = {
  host: string;
  cluster?: string;
  /** The Windows Server release whose STIG the checklist holds; null where it is not known. */
  release: string | null;
} & ({ file: string; stigs: string[]; vulns: number; sha256: string; bytes: number } & Record<CklStatus, number>) | { host: string; cluster?: string; release: string | null; file: null; why: string };

export class CklWriter {
  private readonly index: StreamFile;
  private readonly written = new Map<string, string>();
  private entries = 0;
  private checklists = 0;
  private readonly totals: Record<CklStatus, number> = { Open: 0, Not_Reviewed: 0, NotAFinding: 0, Not_Applicable: 0 };
  private clusterResults = 0;
  private directoryResults = 0;

  constructor(private readonly ctx: FormatContext) {
    mkdirSync(join(ctx.dir, CKL_DIR), { recursive: true });
    this.index = new StreamFile(join(ctx.dir, CKL_INDEX_FILE));
    const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn } = ctx.head;
    const first = { schemaVersion: 1, tool, ...(estate !== undefined ? { estate } : {}), inventoryFile, startedAt, asOf, ...(tags !== undefined ? { tags } : {}), failOn };
    this.index.write(`{\n${members(first)},\n  "hosts": [`);
  }

  async add(slice: SliceView): Promise<void> {
    const byHost = new Map<string, Result[]>();
    for (const r of slice.results) {
      // Checklists are of hosts: a cluster's or the directory's result mapping a STIG rule is counted, not placed in one.
      if (r.target.kind !== "host") {
        if ((r.control.mappings?.stig.length ?? 0) > 0) {
          if (r.target.kind === "cluster") this.clusterResults += 1;
          else this.directoryResults += 1;
        }
        continue;
      }
      const list = byHost.get(r.target.name);
      if (list === undefined) byHost.set(r.target.name, [r]);
      else list.push(r);
    }
    for (const h of slice.hosts) {
      this.write(h, byHost.get(h.name) ?? [], slice);
      await giveTurn();
    }
  }

  private write(h: HostRecord, results: readonly Result[], slice: SliceView): void {
    const file = cklFileName(h.name);
    const key = file.toLowerCase();
    const before = this.written.get(key);
    if (before !== undefined) {
      const who = before === h.name ? `host '${before}' comes twice in the report` : `host '${h.name}' and host '${before}' are one host (names are compared without regard to case)`;
      throw new InputError({
        file: "the report's hosts",
        problem: `${who}: its checklist ${CKL_DIR}/${file} is written already`,
        fix: "Give every host one entry in the inventory; a report that lists a host twice was not written by hostproof.",
      });
    }
    this.written.set(key, h.name);
    const { choice, role } = stigChoiceOf(h.snapshot);
    const kept = slice.kept(h.name);
    const built = buildCkl({
      host: {
        name: h.name,
        ...(h.cluster !== undefined ? { cluster: h.cluster } : {}),
        ...(h.address !== undefined && isIP(h.address) !== 0 ? { ip: h.address } : {}),
        role,
        choice,
        ...(h.snapshot.collectedAt !== undefined ? { collectedAt: h.snapshot.collectedAt } : {}),
        ...(kept !== undefined ? { snapshot: kept } : {}),
      },
      results,
      lookup: slice.lookup,
      tool: this.ctx.head.tool,
    });
    const head = { host: h.name, ...(h.cluster !== undefined ? { cluster: h.cluster } : {}), release: choice.kind === "platform" ? choice.platform : null };
    let entry: CklIndexEntry;
    if (!built.ok) entry = { ...head, file: null, why: built.unplaced.length > 0 ? `${built.why}; rules of a STIG hostproof cannot place: ${built.unplaced.join(", ")}` : built.why };
    else {
      const data = Buffer.from(built.xml);
      const rel = `${CKL_DIR}/${file}`;
      this.ctx.queue(join(this.ctx.dir, rel), data);
      const written = writtenOf(data);
      this.ctx.record(rel, written);
      this.checklists += 1;
      for (const s of CKL_STATUSES) this.totals[s] += built.counts[s];
      const vulns = CKL_STATUSES.reduce((n, s) => n + built.counts[s], 0);
      entry = { ...head, file, stigs: built.stigs, vulns, ...built.counts, ...written };
    }
    this.index.write(`${this.entries++ === 0 ? "\n" : ",\n"}    ${JSON.stringify(entry)}`);
  }

  async finish(tail: Pick<SummaryTail, "finishedAt">): Promise<FormatOutcome> {
    const without = this.entries - this.checklists;
    const last = { checklists: this.checklists, hostsWithoutChecklist: without, vulns: this.totals, clusterResultsMappingStig: this.clusterResults, directoryResultsMappingStig: this.directoryResults, finishedAt: tail.finishedAt };
    this.index.write(`${this.entries === 0 ? "]" : "\n  ]"},\n${members(last)}\n}\n`);
    this.ctx.record(CKL_INDEX_FILE, this.index.close());
    await this.ctx.drain();
    if (without === 0) return { ok: true };
    return { ok: true, warning: `${without} of ${this.entries} host${this.entries === 1 ? " has" : "s have"} no STIG checklist (no STIG applies, or no control maps a rule of theirs); ${CKL_INDEX_FILE} says why for each` };
  }

  abort(): void {
    this.index.abandon();
  }
}

export const cklFormat: Format = {
  name: "ckl",
  description: "DISA STIG checklists: a STIG Viewer .ckl per host, a VULN per STIG rule the controls map under the STIG of the host's release, and index.json (STIG Viewer, eMASS, saf convert ckl2hdf); not written by default: hostproof export --format ckl",
  files: [`${CKL_DIR}/`],
  opens: CKL_INDEX_FILE,
  onRequest: true,
  open(ctx) {
    const writer = new CklWriter(ctx);
    return {
      add: (slice) => writer.add(slice),
      finish: ({ tail }) => writer.finish(tail),
      abort: () => writer.abort(),
    };
  },
};
