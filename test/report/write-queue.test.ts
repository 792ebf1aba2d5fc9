import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { WriteQueue } from "../../src/report/output/write-queue";
import { scratch } from "./tmp";

test("the write queue writes every file handed over, in order, links included, by drain", async (t) => {
  const dir = scratch(t);
  const queue = new WriteQueue();
  for (let i = 0; i < 1000; i++) queue.write(join(dir, `f${i}.txt`), i % 2 === 0 ? `text ${i}` : Buffer.from(`bytes ${i}`));
  // A link right after the write of its source: the worker keeps the order.
  queue.link(join(dir, "f999.txt"), join(dir, "linked.txt"));
  await queue.drain();
  assert.equal(readFileSync(join(dir, "f0.txt"), "utf8"), "text 0");
  assert.equal(readFileSync(join(dir, "f999.txt"), "utf8"), "bytes 999");
  assert.equal(statSync(join(dir, "linked.txt")).ino, statSync(join(dir, "f999.txt")).ino);
  await queue.close();
});

test("the first failed write is thrown by drain with its code, and nothing more is accepted", async (t) => {
  const dir = scratch(t);
  const queue = new WriteQueue();
  queue.write(join(dir, "ok.txt"), "fine");
  queue.write(join(dir, "no-such-folder", "x.txt"), "lost");
  await assert.rejects(queue.drain(), (err: NodeJS.ErrnoException) => err.code === "ENOENT" && err.syscall === "open" && /no-such-folder/.test(err.path ?? ""));
  assert.throws(() => queue.write(join(dir, "later.txt"), "refused"), /ENOENT/);
  assert.equal(readFileSync(join(dir, "ok.txt"), "utf8"), "fine");
  await queue.close();
});
