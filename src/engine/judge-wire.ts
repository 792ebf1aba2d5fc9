/**
 * What the judge pool (engine/judge-pool.ts) and its workers (engine/judge-worker.ts) say to each
 * other. Messages are structured clones: plain data only. So an error crosses as its fields (a
 * clone would drop `code`, which tells a refusal of the file system, exit 5, from a bug, and an
 * InputError's problems), and a slice carries its own entries of the inventory, not the estate.
 *
 * An outcome comes back sealed: serialized by the worker as soon as the slice is judged, opened by
 * the main thread only when it writes that slice. A judged slice waiting its turn is then one
 * buffer, not a slice's worth of objects on the main thread's heap (measured at 10,000 hosts, those
 * objects were about 150 MiB more heap at the peak), and the worker lets its own objects go at once.
 * The snapshots' bytes travel beside it, each moved (not copied) in a buffer of its own: a Buffer
 * viewing a shared one would take the whole of it along whenever it is handed on (the write queue).
 */
import { deserialize, serialize } from "node:v8";
import { InputError, type InputProblem } from "../errors";
import type { Inventory, InventoryCluster, InventoryHost } from "../model/inventory";
import type { Snapshot } from "../model/snapshot";
import type { JudgeSetup, SliceOutcome } from "./slice-judge";
import type { Slice } from "./slices";

/** The inventory without its hosts and clusters (each slice brings its own) and without what only collection reads. */
export type InventoryHead = Omit<Inventory, "hosts" | "clusters" | "credentials" | "collection">;

/** A worker's `workerData`: what every slice of the run shares. */
export interface WorkerSetup {
  inventoryFile: string;
  /** The inventory as problems name it. */
  docFile: string;
  inventory: InventoryHead;
  judge: JudgeSetup;
}

export interface WireJob {
  id: number;
  slice: Slice;
  /** The slice's hosts and clusters, each with its index in the inventory (its place in messages and order). */
  hosts: [number, InventoryHost][];
  clusters: [number, InventoryCluster][];
  collected: ReadonlyMap<string, Snapshot>;
  judge: boolean;
}

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  syscall?: string;
  path?: string;
  problems?: InputProblem[];
}

/**
 * The outcome as the worker sends it. Cucumber's messages come as the lines the run writes (in the
 * order Cucumber gave them); `asked` are the inventory fields whose line a problem wanted, found on
 * the main thread, which holds the parsed document.
 */
export type WireOutcome =
  | (Exclude<SliceOutcome, { kind: "failed" } | { kind: "problems" }> & { messages: string })
  | { kind: "problems"; problems: InputProblem[]; asked: (string | number)[][] }
  | { kind: "failed"; stage: "load" | "judge"; error: WireError };

export interface WireReply {
  id: number;
  /** The WireOutcome, v8-serialized, with every host's `raw` taken out. */
  sealed: Uint8Array;
  /** A judged slice's hosts' `raw` bytes, host by host (null for a host read live). */
  raws: (ArrayBuffer | null)[];
}

/** The reply for `outcome`, and what to move rather than copy with it. */
export function seal(id: number, outcome: WireOutcome): { reply: WireReply; transfer: ArrayBuffer[] } {
  const moved = new Set<ArrayBuffer>();
  const own = (bytes: Buffer): ArrayBuffer => {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !moved.has(bytes.buffer as ArrayBuffer);
    const buffer = whole ? (bytes.buffer as ArrayBuffer) : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    moved.add(buffer);
    return buffer;
  };
  const raws = outcome.kind === "judged" ? outcome.hosts.map((h) => (h.raw !== undefined ? own(h.raw) : null)) : [];
  const sealed = serialize(outcome.kind === "judged" ? { ...outcome, hosts: outcome.hosts.map(({ raw: _raw, ...h }) => h) } : outcome);
  if (sealed.byteOffset === 0 && sealed.byteLength === sealed.buffer.byteLength) moved.add(sealed.buffer as ArrayBuffer);
  return { reply: { id, sealed, raws }, transfer: [...moved] };
}

/** The outcome of `reply`, its hosts' bytes back in place, each a Buffer of its own. */
export function unseal(reply: WireReply): WireOutcome {
  const outcome = deserialize(reply.sealed) as WireOutcome;
  if (outcome.kind === "judged") {
    outcome.hosts.forEach((h, i) => {
      const raw = reply.raws[i];
      if (raw !== null && raw !== undefined) h.raw = Buffer.from(raw);
    });
  }
  return outcome;
}

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const e = error as NodeJS.ErrnoException;
  const wire: WireError = { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  if (typeof e.code === "string") wire.code = e.code;
  if (e.syscall !== undefined) wire.syscall = e.syscall;
  if (e.path !== undefined) wire.path = e.path;
  if (error instanceof InputError) wire.problems = error.problems;
  return wire;
}

export function fromWire(wire: WireError): Error {
  if (wire.problems !== undefined) return new InputError(wire.problems);
  const error = Object.assign(new Error(wire.message), { name: wire.name }) as NodeJS.ErrnoException;
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.syscall !== undefined) error.syscall = wire.syscall;
  if (wire.path !== undefined) error.path = wire.path;
  return error;
}
