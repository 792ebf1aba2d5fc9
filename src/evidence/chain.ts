/**
 * The chain from a merged report back to its shards (`hostproof merge`): the merged manifest
 * records each shard's manifest SHA-256. Following a link means finding the shard's folder,
 * verifying the shard on its own, checking that its manifest is the one recorded, and checking that
 * each snapshot the merged report holds is byte for byte the one its shard's manifest lists: the
 * merged evidence is then what the shard's run judged, not just what the merge wrote.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors";
import { briefProblems, verifyReport, type Manifest, type ManifestShard, type VerifyOutcome } from "./manifest";
import { formatContradiction } from "./summary-check";

export const SNAPSHOT_PREFIX = "evidence/snapshots/";

export interface ChainLink {
  shard: string;
  /** Where the shard was looked for. */
  dir: string;
  state: "verified" | "broken" | "absent";
  /** Why a link is broken. */
  problems: string[];
}

/**
 * `shardDirs` (verify --shards) are matched with the recorded links by their manifest digest;
 * without them each shard is looked for where merge read it, relative to the merged report.
 */
export async function followChain(reportDir: string, manifest: Manifest, shardDirs?: readonly string[]): Promise<ChainLink[]> {
  const links = manifest.shards ?? [];
  // A report that was not merged has no chain: its snapshots are its own run's.
  if (links.length === 0) return [];
  const given: { dir: string; outcome: VerifyOutcome | undefined }[] | undefined = shardDirs === undefined ? undefined : [];
  for (const dir of shardDirs ?? []) given!.push({ dir, outcome: await verifiedOrNot(dir) });
  const merged = new Map(manifest.files.filter((f) => f.path.startsWith(SNAPSHOT_PREFIX)).map((f) => [f.path, f.sha256] as const));
  const seen = new Set<string>();
  const out: ChainLink[] = [];
  for (const link of links) {
    const found = given !== undefined ? given.find((g) => g.outcome?.manifestSha256 === link.manifestSha256) : undefined;
    const dir = found?.dir ?? resolve(reportDir, link.report);
    const outcome = found?.outcome ?? (given === undefined ? await verifiedOrNot(dir) : undefined);
    out.push(check(link, dir, outcome, merged, seen));
  }
  const unclaimed = [...merged.keys()].filter((p) => !seen.has(p));
  if (unclaimed.length > 0 && out.every((l) => l.state === "verified")) {
    out.push({ shard: "(none)", dir: reportDir, state: "broken", problems: [`${unclaimed.length} snapshot(s) of the merged report are in no shard: ${unclaimed.slice(0, 3).join(", ")}`] });
  }
  return out;
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

function check(link: ManifestShard, dir: string, outcome: VerifyOutcome | undefined, merged: ReadonlyMap<string, string>, seen: Set<string>): ChainLink {
  if (outcome === undefined) return { shard: link.shard, dir, state: "absent", problems: [] };
  const problems: string[] = [];
  if (outcome.manifestSha256 !== link.manifestSha256) problems.push(`its manifest's SHA-256 is ${outcome.manifestSha256}, but the merged report recorded ${link.manifestSha256}: this is not the shard that was merged, or it was rewritten`);
  if (outcome.problems.length > 0) problems.push(`${outcome.problems.length} of its files differ from its own manifest (${briefProblems(outcome.problems)})`);
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
