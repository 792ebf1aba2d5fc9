/**
 * Memory bounded by the slice (issue 20): once a slice is written, nothing of it may stay
 * reachable while the next ones are judged. Checked with the garbage collector itself, twice:
 * - the reader keeps a weak reference to every snapshot it hands over, and when it is asked for a
 *   slice's hosts, every snapshot of the slices two or more back must have been collected;
 * - a format added to the run keeps a weak reference to every host record it is given to write
 *   (with judge workers, the copies the workers sent back), and when it is given a slice, every
 *   record of the slices two or more back must have been collected.
 * Both with every slice judged in the main thread and with judge workers, which judge ahead.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { runEstate } from "../../src/engine/run";
import type { HostReader } from "../../src/collect/collect-hosts";
import { FORMATS, formatRegistry } from "../../src/report/formats";
import type { Format } from "../../src/report/formats/format";
import type { HostRecord } from "../../src/model/run";
import type { Snapshot } from "../../src/model/snapshot";
import type { EstateSpec } from "../helpers/snapshot-builder";
import { liveAnswers, writeLiveEstate } from "../helpers/live-estate";
import { AS_OF, tempDir } from "../e2e/cli";

// A full collection on demand, as `node --expose-gc` gives it, without changing how tests are run.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * A WeakRef keeps its target alive until the current job ends (ECMAScript's KeepDuringJob), and
 * with judge workers the reader is asked for the next slices in one chain of promises: the check
 * lets the event loop turn first, so that only what the run itself holds survives the collection.
 */
async function collectedAfterATurn(): Promise<void> {
  await new Promise((done) => setImmediate(done));
  collectGarbage();
}

/** Every object of `refs` in a slice two or more before `slice` that is still reachable. */
function stillHeld<T extends object>(refs: ReadonlyMap<number, WeakRef<T>>, slice: number, what: string): string[] {
  const held: string[] = [];
  for (const [i, ref] of refs) if (Math.floor(i / 2) <= slice - 2 && ref.deref() !== undefined) held.push(`h${String(i).padStart(2, "0")}'s ${what} still held at slice ${slice}`);
  return held;
}

for (const judgeWorkers of [0, 2]) {
  test(`a written slice is released (${judgeWorkers === 0 ? "judged in process" : `${judgeWorkers} judge workers`}): no snapshot or host record of the slices two back is still held`, async () => {
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
        await collectedAfterATurn();
        held.push(...stillHeld(handed, slice, "snapshot"));
      }
      const snapshot = answer(target.host, probes, generic);
      handed.set(index, new WeakRef(snapshot));
      return snapshot;
    };

    const written = new Map<number, WeakRef<HostRecord>>();
    let slices = 0;
    const watcher: Format = {
      name: "memory-watcher",
      description: "keeps a weak reference to every host record written",
      files: [],
      open: () => ({
        add: async (view) => {
          const slice = slices++;
          if (slice >= 2) {
            await collectedAfterATurn();
            held.push(...stillHeld(written, slice, "record"));
          }
          for (const h of view.hosts) written.set(Number(h.name.slice(1)), new WeakRef(h));
        },
        finish: () => undefined,
        abort: () => undefined,
      }),
    };
    const registry = formatRegistry([...FORMATS, watcher]);
    const outcome = await runEstate({ inventory, out: join(tempDir(), "out"), failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, reader: r, sliceHosts: 2, registry, judgeWorkers });
    assert.equal(outcome.report.hostCount, 12);
    assert.equal(handed.size, 12);
    assert.equal(written.size, 12);
    assert.deepEqual(held, []);
  });
}
