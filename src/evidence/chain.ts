/**
 * The chain from a merged report back to its shards (`hostproof merge`): the merged manifest
 * records each shard's manifest SHA-256. Following a link means finding the shard's folder,
 * verifying the shard on its own, checking that its manifest is the one recorded, and checking that
 * each snapshot the merged report holds is byte for byte the one its shard's manifest lists: the
 * merged evidence is then what the shard's run judged, not just what the merge wrote. Once every
 * shard is verified, the merged report's results must be its shards' results, each written the
 * same, control by control: a merged summary.json rewritten consistently (a failure made a pass,
 * totals, heads and manifest to match) agrees with itself, but not with the shards it names.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors";
import { briefProblems, verifyReport, type ManifestShard, type VerifyOutcome } from "./manifest";
import { formatContradiction } from "./summary-check";
import { checkSignature, describeSignature } from "../sign/attestation";
import type { TrustedKey } from "../sign/keys";

export const SNAPSHOT_PREFIX = "evidence/snapshots/";

export interface ChainLink {
  shard: string;
  /** Where the shard was looked for. */
  dir: string;
  state: "verified" | "broken" | "absent";
  /** Why a link is broken. */
  problems: string[];
}

/** Controls whose differing results are named one by one; the rest are counted. */
const NAMED_CONTROLS = 5;

/**
 * `shardDirs` (verify --shards) are matched with the recorded links by their manifest digest;
 * without them each shard is looked for where merge read it, relative to the merged report.
 */
export async function followChain(reportDir: string, merged: Pick<VerifyOutcome, "manifest" | "resultDigests">, shardDirs?: readonly string[], keys?: readonly TrustedKey[]): Promise<ChainLink[]> {
  const { manifest } = merged;
  const links = manifest.shards ?? [];
  // A report that was not merged has no chain: its snapshots are its own run's.
  if (links.length === 0) return [];
  const given: { dir: string; outcome: VerifyOutcome | undefined }[] | undefined = shardDirs === undefined ? undefined : [];
  for (const dir of shardDirs ?? []) given!.push({ dir, outcome: await verifiedOrNot(dir) });
  const snapshots = new Map(manifest.files.filter((f) => f.path.startsWith(SNAPSHOT_PREFIX)).map((f) => [f.path, f.sha256] as const));
  const seen = new Set<string>();
  const out: ChainLink[] = [];
  const outcomes: (VerifyOutcome | undefined)[] = [];
  for (const link of links) {
    const found = given !== undefined ? given.find((g) => g.outcome?.manifestSha256 === link.manifestSha256) : undefined;
    const dir = found?.dir ?? resolve(reportDir, link.report);
    const outcome = found?.outcome ?? (given === undefined ? await verifiedOrNot(dir) : undefined);
    outcomes.push(outcome);
    out.push(check(link, dir, outcome, snapshots, seen, keys));
  }
  const unclaimed = [...snapshots.keys()].filter((p) => !seen.has(p));
  if (unclaimed.length > 0 && out.every((l) => l.state === "verified")) {
    out.push({ shard: "(none)", dir: reportDir, state: "broken", problems: [`${unclaimed.length} snapshot(s) of the merged report are in no shard: ${unclaimed.slice(0, 3).join(", ")}`] });
  }
  if (out.every((l) => l.state === "verified")) {
    const differ = differingControls(merged.resultDigests, outcomes.map((o) => o?.resultDigests));
    if (differ !== undefined && differ.length > 0) {
      const named = `${differ.slice(0, NAMED_CONTROLS).join(", ")}${differ.length > NAMED_CONTROLS ? `, and ${differ.length - NAMED_CONTROLS} more` : ""}`;
      out.push({ shard: "(all)", dir: reportDir, state: "broken", problems: [`the merged summary.json's results of ${named} are not its shards' results (a result changed, added or left out after the merge)`] });
    }
  }
  return out;
}

/**
 * The controls whose results in the merged report differ from the shards' together (each
 * control's digests summed over the shards); undefined when some report's results could not be
 * read whole, which its own check already reports.
 */
function differingControls(merged: ReadonlyMap<string, bigint> | undefined, shards: readonly (ReadonlyMap<string, bigint> | undefined)[]): string[] | undefined {
  if (merged === undefined || shards.some((s) => s === undefined)) return undefined;
  const mask = (1n << 256n) - 1n;
  const sum = new Map<string, bigint>();
  for (const shard of shards) for (const [id, d] of shard!) sum.set(id, ((sum.get(id) ?? 0n) + d) & mask);
  const ids = [...new Set([...merged.keys(), ...sum.keys()])];
  return ids.filter((id) => merged.get(id) !== sum.get(id));
}

/** A folder that is not there, or is not a report (another folder now where the shard was), is no shard: the link is not checked. */
async function verifiedOrNot(dir: string): Promise<VerifyOutcome | undefined> {
  if (!existsSync(dir)) return undefined;
  try {
    return await verifyReport(dir, dir);
  } catch (err) {
    if (err instanceof InputError) return undefined;
    throw err;
  }
}

function check(link: ManifestShard, dir: string, outcome: VerifyOutcome | undefined, merged: ReadonlyMap<string, string>, seen: Set<string>, keys: readonly TrustedKey[] | undefined): ChainLink {
  if (outcome === undefined) return { shard: link.shard, dir, state: "absent", problems: [] };
  const problems: string[] = [];
  if (outcome.manifestSha256 !== link.manifestSha256) problems.push(`its manifest's SHA-256 is ${outcome.manifestSha256}, but the merged report recorded ${link.manifestSha256}: this is not the shard that was merged, or it was rewritten`);
  if (outcome.problems.length > 0) problems.push(`${outcome.problems.length} of its files differ from its own manifest (${briefProblems(outcome.problems)})`);
  // With keys, a shard is checked as the merge checked it (merge --key): signed by one of them.
  if (keys !== undefined) {
    const signature = checkSignature(dir, dir, outcome, keys);
    if (signature.state !== "verified") problems.push(signature.state === "unsigned" ? "it is not signed" : describeSignature(signature));
  }
  for (const c of outcome.contradictions.slice(0, 3)) problems.push(`it contradicts itself: ${c.file}: ${formatContradiction(c)}`);
  if (outcome.contradictions.length > 3) problems.push(`it contradicts itself in ${outcome.contradictions.length - 3} more places`);
  for (const f of outcome.manifest.files) {
    if (!f.path.startsWith(SNAPSHOT_PREFIX)) continue;
    const mine = merged.get(f.path);
    if (mine === undefined) problems.push(`its snapshot ${f.path} is not in the merged report`);
    else if (mine !== f.sha256) problems.push(`the merged report's ${f.path} differs from the one this shard judged`);
    seen.add(f.path);
  }
  return { shard: link.shard, dir, state: problems.length === 0 ? "verified" : "broken", problems };
}
