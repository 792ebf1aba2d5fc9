/**
 * What the judge pool (engine/judge-pool.ts) and its workers (engine/judge-worker.ts) say to each
 * other. Messages are structured clones: plain data only. So an error crosses as its fields (a
 * clone would drop `code`, which tells a refusal of the file system, exit 5, from a bug, and an
 * InputError's problems), and a slice carries its own entries of the inventory, not the estate.
 */
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

export type WireReply = { id: number; outcome: WireOutcome };

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
