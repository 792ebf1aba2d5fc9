/**
 * A judge worker: loads and judges the slices the judge pool (engine/judge-pool.ts) sends it, one
 * at a time, and sends each outcome back. It has its own Cucumber and step definitions, loaded
 * once by its first slice, as the main thread's are when it judges in process.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Envelope } from "@cucumber/messages";
import type { LoadedInventory } from "../input/inventory";
import type { InventoryCluster, InventoryHost } from "../model/inventory";
import { seal, toWire, type WireJob, type WireOutcome, type WorkerSetup } from "./judge-wire";
import { judgeSlice } from "./slice-judge";

const port = parentPort;
if (port === null) throw new Error("engine/judge-worker runs in a worker thread started by the judge pool");
const setup = workerData as WorkerSetup;

async function answer(job: WireJob): Promise<WireOutcome> {
  // The slice's entries at their inventory indexes: buildEstate and the problems it reports
  // address hosts and clusters by index, and a worker holds the slice, never the whole estate.
  const hosts: InventoryHost[] = [];
  for (const [i, h] of job.hosts) hosts[i] = h;
  const clusters: InventoryCluster[] = [];
  for (const [ci, c] of job.clusters) clusters[ci] = c;
  const asked: (string | number)[][] = [];
  const loaded: LoadedInventory = {
    file: setup.inventoryFile,
    inventory: { ...setup.inventory, hosts, clusters },
    doc: {
      file: setup.docFile,
      value: undefined,
      lineOf: (path) => {
        asked.push(path);
        return undefined;
      },
    },
  };
  const lines: string[] = [];
  const onMessage = (m: Envelope): void => void lines.push(JSON.stringify(m));
  const outcome = await judgeSlice(loaded, setup.judge, { slice: job.slice, collected: job.collected, judge: job.judge }, onMessage);
  switch (outcome.kind) {
    case "problems":
      return { ...outcome, asked };
    case "failed":
      return { kind: "failed", stage: outcome.stage, error: toWire(outcome.error) };
    default:
      return { ...outcome, messages: lines.join("\n") };
  }
}

// One slice at a time, in the order sent: the pool sends a worker its next slice only after the
// answer to the last, and this keeps it so should that change.
let queue: Promise<void> = Promise.resolve();
port.on("message", (job: WireJob) => {
  queue = queue.then(async () => {
    const { reply, transfer } = seal(job.id, await answer(job));
    port.postMessage(reply, transfer);
  });
});
