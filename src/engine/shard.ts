/**
 * `--shard K/N`: a deterministic share of the estate, so that N runners (CI matrix jobs, Ansible
 * control nodes at several sites) each read and judge part of it and `hostproof merge` puts the
 * parts back together. Shards are contiguous runs of the estate's units (engine/slices.ts) in
 * inventory order, balanced by host count: a cluster is never split, the same inventory always
 * gives the same shares, and the shards in order are the estate in order, which lets the merge
 * stream them instead of holding the estate.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors";
import type { Inventory } from "../model/inventory";
import { planUnits, type EstateShape, type Unit } from "./slices";

export interface Shard {
  /** 1-based, as the matrix job counts. */
  index: number;
  count: number;
}

/** More would be a typo: no estate is read from ten thousand runners. */
const MAX_SHARDS = 10_000;

export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,5})\s*\/\s*(\d{1,5})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InputError({
      file: "command line",
      field: "--shard",
      problem: m ? `'${text}' asks for shard ${index} of ${count}: K must be from 1 to N` : `'${text}' is not K/N`,
      fix: "Give the shard's number and the number of shards, counting from 1: --shard 1/4 ... --shard 4/4 (in GitHub Actions, ${{ matrix.shard }}/4).",
    });
  }
  return { index, count };
}

export const shardLabel = (s: Shard): string => `${s.index}/${s.count}`;

/** The units of shard `shard`: unit u goes to the shard its first host falls in, counting hosts. */
export function shardUnits(inv: EstateShape, shard: Shard): Unit[] {
  const units = planUnits(inv);
  const total = units.reduce((n, u) => n + u.hosts.length, 0);
  let start = 0;
  const mine: Unit[] = [];
  for (const u of units) {
    // Integer arithmetic: the same split on every runner, whatever its floating point.
    if (Math.floor((start * shard.count) / Math.max(total, 1)) + 1 === shard.index) mine.push(u);
    start += u.hosts.length;
  }
  return mine;
}

/**
 * What every shard of one estate agrees on: the inventory as read (hosts, clusters, inputs, the
 * lot), so that shards cut from two versions of the inventory are never merged.
 */
export function estateDigest(inv: Inventory): string {
  return createHash("sha256").update(JSON.stringify(inv)).digest("hex");
}
