/**
 * Memory bounded by the slice (issue 20): once a slice is written, nothing of it may stay
 * reachable while the next ones are judged. Checked with the garbage collector itself: the reader
 * keeps a weak reference to every snapshot it hands over, and when it is asked for a slice's
 * hosts, every snapshot of the slices two or more back must have been collected.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { runEstate } from "../../src/engine/run";
import type { HostReader } from "../../src/collect/collect-hosts";
import type { Snapshot } from "../../src/model/snapshot";
import type { EstateSpec } from "../helpers/snapshot-builder";
import { liveAnswers, writeLiveEstate } from "../helpers/live-estate";
import { AS_OF, tempDir } from "../e2e/cli";

// A full collection on demand, as `node --expose-gc` gives it, without changing how tests are run.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

test("a written slice is released: when a slice's live hosts are read, no snapshot of the slices two back is still held", async () => {
  // 12 standalone live hosts in slices of 2: six slices. Slice s is read while slice s-1 is
  // judged and written; slice s-2 is done by then.
  const many: EstateSpec = { hosts: Array.from({ length: 12 }, (_, i) => ({ name: `h${String(i).padStart(2, "0")}` })) };
  const inventory = writeLiveEstate(tempDir(), many);
  const answer = liveAnswers(many);

  const handed = new Map<number, WeakRef<Snapshot>>();
  const held: string[] = [];
  const r: HostReader = async (target, probes, _ms, generic) => {
    const index = Number(target.host.slice(1));
    const slice = Math.floor(index / 2);
    if (slice >= 2 && index % 2 === 0) {
      collectGarbage();
      for (const [i, ref] of handed) if (Math.floor(i / 2) <= slice - 2 && ref.deref() !== undefined) held.push(`h${String(i).padStart(2, "0")} still held when slice ${slice} is read`);
    }
    const snapshot = answer(target.host, probes, generic);
    handed.set(index, new WeakRef(snapshot));
    return snapshot;
  };
  const outcome = await runEstate({ inventory, out: join(tempDir(), "out"), failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, reader: r, sliceHosts: 2 });
  assert.equal(outcome.report.hostCount, 12);
  assert.equal(handed.size, 12);
  assert.deepEqual(held, []);
});
