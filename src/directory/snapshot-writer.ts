/**
 * The directory snapshot (schemas/directory-snapshot.schema.json), written as the pages arrive:
 * one object per line inside "objects", so the file never has to be held in memory. What is
 * known only at the end (the page count, the finish time, the count) comes after the objects;
 * JSON object members have no order, and a reader gets the whole object either way.
 */
import { VERSION } from "../version";
import { openAtomicFile, type AtomicFile } from "./atomic-file";
import type { DirectoryObject } from "../model/directory";
import { COMPUTER_ATTRIBUTES, COMPUTER_FILTER } from "./query";
import type { TlsMode } from "./connection";

export interface SnapshotSource {
  url: string;
  base: string;
  bindDn?: string;
  tls: TlsMode;
  pageSize: number;
}

export interface SnapshotWriter {
  add(objects: readonly DirectoryObject[]): void;
  finish(pages: number, finishedAt: Date): { count: number };
  discard(): void;
}

export function openSnapshotWriter(path: string, source: SnapshotSource, collectedAt: Date): SnapshotWriter {
  const file: AtomicFile = openAtomicFile(path);
  let count = 0;
  try {
    file.write(`{"schemaVersion":1,"kind":"hostproof-directory","tool":${JSON.stringify({ name: "hostproof", version: VERSION })},\n`);
    file.write(`"collectedAt":${JSON.stringify(collectedAt.toISOString())},\n"objects":[`);
  } catch (err) {
    file.discard();
    throw err;
  }
  return {
    add(objects) {
      if (objects.length === 0) return;
      const lines = objects.map((o, i) => `${count + i === 0 ? "\n" : ",\n"}${JSON.stringify(o)}`);
      count += objects.length;
      file.write(lines.join(""));
    },
    finish(pages, finishedAt) {
      const full = {
        url: source.url,
        base: source.base,
        scope: "sub",
        filter: COMPUTER_FILTER,
        attributes: COMPUTER_ATTRIBUTES,
        ...(source.bindDn !== undefined ? { bindDn: source.bindDn } : {}),
        tls: source.tls,
        pageSize: source.pageSize,
        pages,
      };
      file.write(`\n],\n"source":${JSON.stringify(full)},\n"finishedAt":${JSON.stringify(finishedAt.toISOString())},\n"count":${count}}\n`);
      file.commit();
      return { count };
    },
    discard: () => file.discard(),
  };
}
