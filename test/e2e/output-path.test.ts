/**
 * A folder hostproof writes (--out of run, collect and merge; --history) must be a path it can make:
 * a file, a device, or a symbolic link that leads nowhere or loops, as the path itself or as a
 * folder above it, is bad usage (exit 3) named before anything is read. Before: a file above --out
 * gave exit 4 and a stack trace (mkdir's EEXIST, or ENOENT below a dangling link), a dangling or
 * looping --out judged the whole estate and then exited 5 ("a part of the path is a file"), and a
 * --history that is a file or a device ran on and kept no history, with a raw errno as a warning.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, goodEstate, spawnCli } from "./cli";

function place(): { dir: string; inventory: string } {
  const { dir, inventory } = goodEstate();
  writeFileSync(join(dir, "afile"), "not a folder");
  symlinkSync(join(dir, "nowhere", "x"), join(dir, "dangling"));
  symlinkSync("loop2", join(dir, "loop1"));
  symlinkSync("loop1", join(dir, "loop2"));
  symlinkSync("afile", join(dir, "tofile"));
  return { dir, inventory };
}

function refused(dir: string, args: string[], expected: RegExp): void {
  const before = readdirSync(dir).sort();
  const res = spawnCli(args, dir);
  assert.equal(res.code, 3, `${args.join(" ")}: exit ${res.code}\n${res.stderr}`);
  assert.match(res.stderr, expected, args.join(" "));
  assert.doesNotMatch(res.stderr, /internal error|\n\s+at |the file system refused/);
  assert.deepEqual(readdirSync(dir).sort(), before, `${args.join(" ")} left something behind`);
}

const CASES: [string, RegExp][] = [
  ["afile/out", /--out: '.*afile' \(in --out 'afile\/out'\) is a file, not a folder/],
  ["afile/sub/out", /--out: '.*afile' \(in --out 'afile\/sub\/out'\) is a file, not a folder/],
  ["dangling", /--out: 'dangling' is a symbolic link to '.*nowhere\/x', which does not exist/],
  ["dangling/out", /--out: '.*dangling' \(in --out 'dangling\/out'\) is a symbolic link to '.*nowhere\/x', which does not exist/],
  ["loop1", /--out: 'loop1' is a symbolic link that loops \(to 'loop2'\)/],
  ["loop1/x/y", /--out: '.*loop1' \(in --out 'loop1\/x\/y'\) is a symbolic link that loops/],
  ["tofile/out", /--out: '.*tofile' \(in --out 'tofile\/out'\) is a symbolic link to 'afile', which is a file, not a folder/],
  ["/dev/null/out", /--out: '\/dev\/null' \(in --out '\/dev\/null\/out'\) is a device, not a folder/],
];

test("run --out on a path it cannot make a folder at is refused (exit 3) before anything is read", () => {
  const { dir, inventory } = place();
  for (const [out, expected] of CASES) refused(dir, ["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"], expected);
});

test("collect -o and merge -o on such a path are refused alike", () => {
  const { dir, inventory } = place();
  for (const [out, expected] of CASES.slice(0, 5)) {
    refused(dir, ["collect", "-i", inventory, "-o", out], expected);
    refused(dir, ["merge", "-o", out, "shard-1", "shard-2"], expected);
  }
});

test("a --history that is a file, a device or a link leading nowhere is refused, not silently left unkept", () => {
  const { dir, inventory } = place();
  const history = (h: string): string[] => ["run", "-i", inventory, "-o", "reports", "--history", h, "--as-of", AS_OF, "--no-html"];
  refused(dir, history("afile"), /--history: 'afile' is a file, not a folder/);
  refused(dir, history("afile/h"), /--history: '.*afile' \(in --history 'afile\/h'\) is a file, not a folder/);
  refused(dir, history("/dev/null"), /--history: '\/dev\/null' is a device, not a folder/);
  refused(dir, history("dangling"), /--history: 'dangling' is a symbolic link to '.*nowhere\/x', which does not exist/);
  // The default history folder beside --out is checked too.
  writeFileSync(join(dir, ".hostproof-history"), "a file where the history folder goes");
  refused(dir, ["run", "-i", inventory, "-o", "reports", "--as-of", AS_OF, "--no-html"], /--history: '.*\.hostproof-history' \(in --history .*\(the default history folder\)'\) is a file, not a folder/);
});
