/**
 * oscal-assessment-results.json: the run as one OSCAL 1.2.3 assessment-results document (NIST's
 * JSON Schema), written on request (`export --format oscal`, `run --export oscal`) for GRC tools
 * (eMASS, a FedRAMP assessor's, Trestle, any OSCAL reader). ./oscal-build.ts says what maps to what.
 *
 * Streamed: OSCAL holds every observation and finding inside the one result, while a slice brings
 * hosts (inventory items, observations, snapshots) and results (findings) together. Each array is
 * therefore a spool of its own, written a line per object as the slices pass, and the document is
 * put together when the run ends (its metadata needs the run's end, its risks the waivers that
 * applied): the head, then each spool copied behind its key. Memory holds one slice, the names of
 * the clusters and the waivers that applied, whatever the size of the estate.
 *
 * One object per line in every long array, so that the 5.5 GB document of 100,000 hosts stays
 * greppable, and splits by line for a tool that cannot stream-parse JSON (docs/oscal.md).
 *
 * The same record gives the same bytes: every time comes from the record, every UUID is v5 of the
 * run's identity (./oscal-ids.ts), so an export gives the document the run wrote.
 */
import { join } from "node:path";
import type { HostRecord } from "../../../model/run";
import { recordKeyFor, type AnyProbeId } from "../../../probes/generic";
import { giveTurn } from "../../../util/turns";
import { RUN_RECORD_FILE } from "../../bookkeeping/run-record";
import { Spool, StreamFile } from "../../output/stream-file";
import { STATUS_WORDS } from "../../text";
import type { EndView, Format, FormatContext, SliceView } from "../format";
import { inParts } from "../parts";
import { SUMMARY_FILE, type SummaryHead } from "../summary";
import { clusterComponent, directoryComponent, directoryObservation, directoryResource, findings, ids, inventoryItem, observationsOf, probeObservation, prop, risk, snapshotObservation, snapshotResource, type Namer, type RiskWaiver } from "./oscal-build";
import { nistTargets, runNamer, UNMAPPED } from "./oscal-ids";
import { markdownText, markupLine, markupMulti, oscalDateTime, stringValue } from "./oscal-text";

export const OSCAL_FILE = "oscal-assessment-results.json";
export const OSCAL_VERSION = "1.2.3";

/** Hosts between two turns of the event loop: each is a few dozen observations. */
const HOSTS_PER_TURN = 32;

/** A spool of one array's members, a line each. */
class ArraySpool {
  private readonly spool: Spool;
  count = 0;

  constructor(path: string) {
    this.spool = new Spool(path);
  }

  add(value: object): void {
    this.spool.write(`${this.count === 0 ? "\n" : ",\n"}${JSON.stringify(value)}`);
    this.count += 1;
  }

  /** `"key": [ …members… ]` behind what `file` holds, or nothing when the array is empty (OSCAL's arrays hold at least one). */
  async writeInto(file: StreamFile, key: string, lead: string): Promise<boolean> {
    if (this.count === 0) {
      this.spool.discard();
      return false;
    }
    file.write(`${lead}${JSON.stringify(key)}: [`);
    await file.append(this.spool);
    file.write("\n]");
    return true;
  }

  /** The members behind others already in `file` (the array's first member is written). */
  async appendInto(file: StreamFile): Promise<void> {
    if (this.count === 0) {
      this.spool.discard();
      return;
    }
    file.write(",");
    await file.append(this.spool);
  }

  discard(): void {
    this.spool.discard();
  }
}

/** What the document needs of the run at its end. */
export type OscalEnd = Pick<EndView, "tail" | "digest">;

export class OscalStream {
  private readonly name: Namer;
  private readonly components: ArraySpool;
  private readonly items: ArraySpool;
  private readonly observations: ArraySpool;
  private readonly findings: ArraySpool;
  private readonly resources: ArraySpool;
  private readonly spools: ArraySpool[];
  /** Clusters met so far: a node names its cluster's component only when the document holds it. */
  private readonly clusters = new Set<string>();
  /** The directory met (it is judged in one slice): its component, and its snapshot's observation when it had one. */
  private directory: { name: string; observed: boolean } | undefined;
  private readonly runStart: string;

  constructor(
    dir: string,
    private readonly head: SummaryHead,
    targets: { hosts: number; clusters: number },
    private readonly signer?: string,
  ) {
    this.name = runNamer({ ...head, ...targets });
    const spool = (part: string): ArraySpool => new ArraySpool(join(dir, `.${OSCAL_FILE}.${part}`));
    this.components = spool("components");
    this.items = spool("items");
    this.observations = spool("observations");
    this.findings = spool("findings");
    this.resources = spool("resources");
    this.spools = [this.components, this.items, this.observations, this.findings, this.resources];
    this.runStart = oscalDateTime(head.startedAt) ?? EPOCH;
  }

  async add(slice: Pick<SliceView, "hosts" | "clusters" | "results" | "lookup" | "kept">): Promise<void> {
    const n = this.name;
    for (const c of slice.clusters) {
      if (this.clusters.has(c.name)) continue;
      this.clusters.add(c.name);
      this.components.add(clusterComponent(n, c));
    }
    const hosts = new Map<string, HostRecord>();
    for (const [i, h] of slice.hosts.entries()) {
      hosts.set(h.name, h);
      this.addHost(h, slice);
      if (i % HOSTS_PER_TURN === HOSTS_PER_TURN - 1) await giveTurn();
    }
    const nodes = new Map(slice.clusters.map((c) => [c.name, c.nodes] as const));
    const keyOf = (host: string, probe: string): string | undefined => recordKeyFor(hosts.get(host)?.snapshot.probes, probe);
    const tool = ids.tool(n);
    await inParts(slice.results, (part) => {
      for (const r of part) {
        const views = r.evidence.map(slice.lookup);
        const observations = r.target.kind === "directory" ? this.directoryObservations(r.target.name) : observationsOf(n, r, views, keyOf, (c) => nodes.get(c) ?? [], (h) => hosts.has(h));
        // The result's waiver, or the waivers of the directory objects its rows accept: each a risk (made at the end, from the digest's counts).
        const accepted = new Set<number>(r.waiver !== undefined ? [r.waiver.index] : []);
        for (const row of r.details ?? []) if (row.waiverIndex !== undefined && row.outcome === "allowed") accepted.add(row.waiverIndex);
        const risks = [...accepted].sort((a, b) => a - b).map((i) => ids.risk(n, i));
        for (const f of findings(n, r, { observations, risks }, tool)) this.findings.add(f);
      }
    });
  }

  /** The directory's component (and its snapshot's observation) the first time a result names it; the observations its results rely on. */
  private directoryObservations(name: string): string[] {
    const n = this.name;
    if (this.directory === undefined) {
      const d = this.head.directory !== undefined && this.head.directory.name === name ? this.head.directory : undefined;
      this.components.add(directoryComponent(n, name, d));
      if (d !== undefined) {
        this.resources.add(directoryResource(n, d));
        this.observations.add(directoryObservation(n, d, this.runStart));
      }
      this.directory = { name, observed: d !== undefined };
    }
    return this.directory.observed && this.directory.name === name ? [ids.directoryWhole(n, name)] : [];
  }

  private addHost(h: HostRecord, slice: Pick<SliceView, "lookup" | "kept">): void {
    const n = this.name;
    const kept = slice.kept(h.name);
    this.items.add(inventoryItem(n, h, h.cluster !== undefined && this.clusters.has(h.cluster)));
    if (kept !== undefined) this.resources.add(snapshotResource(n, h.name, kept));
    const whole = snapshotObservation(n, h, kept, this.runStart);
    this.observations.add(whole);
    const collected = (whole as { collected: string }).collected;
    for (const [probe, record] of Object.entries(h.snapshot.probes ?? {})) {
      if (record === undefined || record === null) continue;
      // A snapshot's keys are probe ids as it names them; lookup says an unknown one is its own title.
      const title = slice.lookup({ host: h.name, probe: probe as AnyProbeId }).title;
      this.observations.add(probeObservation(n, h.name, probe, title, record, kept, collected));
    }
  }

  async finish(file: StreamFile, end: OscalEnd): Promise<ReturnType<StreamFile["close"]>> {
    const n = this.name;
    const { head } = this;
    const { tail, digest } = end;
    const finished = oscalDateTime(tail.finishedAt) ?? this.runStart;
    const subject = head.estate ?? head.inventoryFile;
    // Each waiver that took something is a risk: what it took is the digest's count, over every slice.
    const listed = tail.waivers?.waivers ?? [];
    const risks: RiskWaiver[] = [...digest.waived]
      .sort((a, b) => a[0] - b[0])
      .map(([index, waived]) => {
        const { state: _s, applied: _a, ...waiver } = listed[index]!;
        return { waiver, waived };
      });
    const approvers = new Map<string, string>();
    for (const { waiver } of risks) approvers.set(waiver.approver, ids.party(n, waiver.approver));

    const metadata = {
      title: markupLine(`hostproof assessment results: ${subject}`),
      published: finished,
      "last-modified": finished,
      version: "1.0",
      "oscal-version": OSCAL_VERSION,
      ...roles(approvers, this.signer, n),
      remarks: markupMulti(
        `Made by hostproof ${markdownText(head.tool.version)} from the report of the run that started at ${markdownText(head.startedAt)}. Paths (hrefs of the back-matter's resources) are relative to that report's folder; an export's export.json names the report.`,
      ),
    };
    const importAp = {
      href: `#${ids.plan(n)}`,
      remarks: markupMulti(
        "hostproof makes no OSCAL assessment plan. The plan of this assessment is the run's own inputs: the inventory, the controls its feature files select, the waiver file, the --fail-on severity and the as-of day. The report records them in evidence/run.json and summary.json; the back-matter resource this points at names those files.",
      ),
    };
    const counts = (["passed", "failed", "undetermined", "notApplicable", "waived"] as const).map((s) => `${tail.totals[s]} ${STATUS_WORDS[s]}`).join(", ");
    const result = {
      uuid: n("result"),
      title: markupLine(`hostproof run on ${subject}`),
      description: markupMulti(
        `Verdict: **${tail.verdict.toUpperCase()}** (exit code ${tail.exitCode}; fails on ${markdownText(head.failOn)}), as of ${markdownText(head.asOf)}. ${digest.hostCount} hosts, ${digest.clusterCount} clusters, ${tail.controls.length} controls; ${tail.totals.total} results: ${counts}.`,
      ),
      start: oscalDateTime(digest.collected?.earliest) ?? this.runStart,
      end: oscalDateTime(digest.collected?.latest) ?? finished,
      props: [
        ...prop("verdict", tail.verdict),
        ...prop("exit-code", String(tail.exitCode)),
        ...prop("fail-on", head.failOn),
        ...prop("as-of", head.asOf),
        ...(head.estate !== undefined ? prop("estate", head.estate) : []),
        ...prop("inventory", head.inventoryFile),
        ...(head.tags !== undefined ? prop("tags", head.tags) : []),
        ...prop("run-started", head.startedAt),
        ...prop("run-finished", tail.finishedAt),
        ...prop("hostproof-version", head.tool.version),
      ],
    };

    file.write(`{\n"assessment-results": {\n"uuid": ${JSON.stringify(n("document"))},\n"metadata": ${JSON.stringify(metadata)},\n"import-ap": ${JSON.stringify(importAp)},\n"results": [\n`);
    file.write(`${JSON.stringify(result).slice(0, -1)},\n"local-definitions": {`);
    let lead = "\n";
    if (await this.components.writeInto(file, "components", lead)) lead = ",\n";
    if (await this.items.writeInto(file, "inventory-items", lead)) lead = ",\n";
    file.write(`${lead}"assessment-assets": ${JSON.stringify(assessmentAssets(n, head.tool.version))}\n},\n"reviewed-controls": ${JSON.stringify(reviewedControls(tail.controls))}`);
    await this.observations.writeInto(file, "observations", ",\n");
    if (risks.length > 0) {
      file.write(`,\n"risks": [`);
      risks.forEach((w, i) => file.write(`${i === 0 ? "\n" : ",\n"}${JSON.stringify(risk(n, w, this.runStart, approvers.get(w.waiver.approver)!))}`));
      file.write("\n]");
    }
    await this.findings.writeInto(file, "findings", ",\n");
    file.write(`\n}\n],\n"back-matter": {"resources": [\n${JSON.stringify(planResource(n))}`);
    await this.resources.appendInto(file);
    file.write("\n]}\n}\n}\n");
    return file.close();
  }

  discard(): void {
    for (const s of this.spools) s.discard();
  }
}

/** The last resort for a record whose times OSCAL cannot carry (the summary schema makes it rare). */
const EPOCH = "1970-01-01T00:00:00Z";

/** The metadata's roles, parties and who holds which: the waivers' approvers, and the key the report is signed with. */
function roles(approvers: ReadonlyMap<string, string>, signer: string | undefined, n: Namer): object {
  const roles: object[] = [];
  const parties: object[] = [];
  const responsible: object[] = [];
  if (approvers.size > 0) {
    roles.push({ id: "waiver-approver", title: "Approver of a waiver (an accepted risk)" });
    for (const [who, uuid] of approvers) parties.push({ uuid, type: "person", name: stringValue(who) ?? "(unnamed approver)", remarks: "As the waiver file names the approver; it may name a role or a team." });
    responsible.push({ "role-id": "waiver-approver", "party-uuids": [...approvers.values()] });
  }
  if (signer !== undefined) {
    const uuid = n("signer", signer);
    roles.push({ id: "report-signer", title: "Signer of the hostproof report" });
    parties.push({ uuid, type: "organization", name: stringValue(`holder of the signing key ${signer}`)!, props: prop("keyid", signer), remarks: "The report's manifest is signed with this key; check it with: hostproof verify <report> --key <its public key>." });
    responsible.push({ "role-id": "report-signer", "party-uuids": [uuid] });
  }
  return roles.length === 0 ? {} : { roles, parties, "responsible-parties": responsible };
}

/** hostproof as the tool every finding's origin names. */
function assessmentAssets(n: Namer, version: string): object {
  return {
    components: [
      {
        uuid: ids.tool(n),
        type: "software",
        title: markupLine(`hostproof ${version}`),
        description: "Checks Windows Server and Hyper-V hosts and clusters against controls written in Gherkin, from snapshots of facts PowerShell read from each host.",
        props: prop("version", version),
        status: { state: "operational" },
      },
    ],
    "assessment-platforms": [{ uuid: ids.platform(n), title: "hostproof", "uses-components": [{ "component-uuid": ids.tool(n) }] }],
  };
}

/** The NIST controls the run's controls map to: a control once, with the statements named when only parts of it are. */
function reviewedControls(controls: EndView["tail"]["controls"]): object {
  const byControl = new Map<string, Set<string> | "whole">();
  let unmapped = false;
  for (const c of controls) {
    const targets = nistTargets(c);
    if (targets.length === 0) unmapped = true;
    for (const t of targets) {
      const had = byControl.get(t.control);
      if (t.type === "objective-id" || had === "whole") byControl.set(t.control, "whole");
      else byControl.set(t.control, new Set([...(had ?? []), t.id]));
    }
  }
  if (unmapped) byControl.set(UNMAPPED.control, "whole");
  const include = [...byControl].map(([id, parts]) => ({ "control-id": id, ...(parts === "whole" ? {} : { "statement-ids": [...parts] }) }));
  return {
    description: "The NIST SP 800-53 rev5 controls (and parts of controls) the run's controls map to, in the NIST OSCAL catalog's ids.",
    "control-selections": [
      {
        "include-controls": include,
        ...(unmapped ? { remarks: "hostproof-unmapped stands for the run's controls that name no NIST SP 800-53 control: it is no control of the catalog." } : {}),
      },
    ],
  };
}

/**
 * evidence/manifest.ts's MANIFEST_PATH, written out: that module reads the format registry, which
 * lists this one (test/report/oscal.test.ts holds the two equal).
 */
export const PLAN_MANIFEST = "evidence/manifest.json";

/** What import-ap points at: the report's record of the run's inputs, in place of an assessment plan. */
function planResource(n: Namer): object {
  return {
    uuid: ids.plan(n),
    title: "The plan of this assessment: the run's inputs, as the report records them",
    description: "The inventory, the selected controls with their feature files, the waiver file, --fail-on and the as-of day, as the report that this document was made from records them (paths relative to its folder). The manifest lists every file of the report with its SHA-256.",
    rlinks: [RUN_RECORD_FILE, SUMMARY_FILE, PLAN_MANIFEST].map((href) => ({ href, "media-type": "application/json" })),
  };
}

/** oscal-assessment-results.json as a format. */
export const oscalFormat: Format = {
  name: "oscal",
  onRequest: true,
  description: "OSCAL 1.2.3 assessment results (JSON): observations per probe read, findings per NIST control and target, waivers as risks (GRC tools, eMASS, FedRAMP)",
  files: [OSCAL_FILE],
  open(ctx: FormatContext) {
    const stream = new OscalStream(ctx.dir, ctx.head, ctx.targets, ctx.signer);
    return {
      add: (slice) => stream.add(slice),
      finish: async (end) => ctx.record(OSCAL_FILE, await stream.finish(new StreamFile(join(ctx.dir, OSCAL_FILE)), end)),
      abort: () => stream.discard(),
    };
  },
};
