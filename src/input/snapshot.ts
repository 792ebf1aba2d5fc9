/** Loads one host's snapshot file and checks that it is the host the inventory says it is. */
import { InputError } from "../errors";
import type { Snapshot } from "../model/snapshot";
import { checkSchema } from "../schema/validate";
import { parseDocumentBytes } from "./read-document";
import { readRegularFile } from "./regular-file";
import { snapshotProblems } from "./snapshot-checks";
import { nameKey } from "./inventory";

export function loadSnapshot(file: string, displayName: string, expectedHost?: string): Snapshot {
  return loadSnapshotFile(file, displayName, expectedHost).snapshot;
}

/** The snapshot and the exact bytes it was read from: the evidence kept is what was judged. */
export function loadSnapshotFile(file: string, displayName: string, expectedHost?: string): { snapshot: Snapshot; raw: Buffer } {
  return loadSnapshotBytes(readRegularFile(file, displayName, "snapshot"), file, displayName, expectedHost);
}

/** A snapshot from bytes already read (and checked) by the caller: a merge compares them with the shard's manifest first. */
export function loadSnapshotBytes(bytes: Buffer, file: string, displayName: string, expectedHost?: string): { snapshot: Snapshot; raw: Buffer } {
  const doc = parseDocumentBytes(bytes, file, displayName);
  const problems = checkSchema("snapshot", doc);
  if (problems.length > 0) throw new InputError(problems);
  const snapshot = doc.value as Snapshot;
  const inconsistent = snapshotProblems(doc, snapshot);
  if (inconsistent.length > 0) throw new InputError(inconsistent);
  if (expectedHost !== undefined && nameKey(snapshot.host) !== nameKey(expectedHost) && !sameShortName(snapshot.host, expectedHost)) {
    throw new InputError({
      file: displayName,
      field: "host",
      problem: `this snapshot belongs to host '${snapshot.host}', but the inventory uses it for '${expectedHost}'`,
      fix: `Point host '${expectedHost}' at its own snapshot, or collect one from it.`,
    });
  }
  return { snapshot, raw: doc.raw };
}

/** `node1` and `node1.corp.example` name the same host; the first label decides. */
function sameShortName(a: string, b: string): boolean {
  const short = (s: string): string => nameKey(s).split(".")[0];
  const bothQualified = a.includes(".") && b.includes(".");
  return !bothQualified && short(a) === short(b);
}
