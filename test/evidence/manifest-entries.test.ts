/**
 * Each manifest entry names its own file, one way: a manifest listing a file twice (the same path,
 * two spellings of it, names that differ only in case or Unicode form, which are one file on the
 * Windows and macOS machines auditors open reports on) is refused with exit 3 naming both entries,
 * and so is a path that leaves the report. The count verify prints is then the number of files.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { verifyCommand } from "../../src/cli/commands/verify";
import { InputError } from "../../src/errors";
import { MANIFEST_PATH, writeManifest, type Manifest, type ManifestEntry } from "../../src/evidence/manifest";
import { scratch } from "../report/tmp";
import { writeEmptyRun } from "./empty-report";

const CAFE = "café.json".normalize("NFC");

async function report(t: TestContext): Promise<string> {
  const dir = scratch(t);
  mkdirSync(join(dir, "evidence", "snapshots"), { recursive: true });
  writeFileSync(join(dir, "evidence", "snapshots", "fs01.json"), '{"host":"fs01"}\n');
  writeFileSync(join(dir, "evidence", "snapshots", CAFE), '{"host":"cafe"}\n');
  await writeEmptyRun(dir);
  writeFileSync(join(dir, ".hostproof-report"), "marker\n");
  writeManifest(dir);
  return dir;
}

function editManifest(dir: string, edit: (m: Manifest) => void): void {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST_PATH), "utf8")) as Manifest;
  edit(m);
  writeFileSync(join(dir, MANIFEST_PATH), JSON.stringify(m, null, 2));
}

async function verify(dir: string): Promise<{ code: number | InputError; out: string }> {
  let out = "";
  const io = { out: (s: string) => (out += s), err: (s: string) => (out += s), color: false, now: () => new Date() };
  try {
    return { code: await verifyCommand([dir], io), out };
  } catch (err) {
    if (err instanceof InputError) return { code: err, out };
    throw err;
  }
}

const entry = (m: Manifest, path: string): ManifestEntry => ({ ...m.files.find((f) => f.path === path)! });

test("a file listed twice, however spelled, is refused naming both entries; so is a path that leaves the report", async (t) => {
  const cases: [string, (m: Manifest) => void, RegExp][] = [
    ["the same path twice", (m) => m.files.push(entry(m, "summary.json")), /files\[\d\] "summary\.json" and files\[\d\] "summary\.json" are the same path twice/],
    ["./ in front", (m) => m.files.push({ ...entry(m, "summary.json"), path: "./summary.json" }), /files\[\d\] "\.\/summary\.json" is not written the one way hostproof writes it \(it means "summary\.json"\)[^]*files\[\d\] "summary\.json" and files\[\d\] "\.\/summary\.json" are the same file, spelled two ways/],
    ["a doubled slash", (m) => m.files.push({ ...entry(m, "evidence/snapshots/fs01.json"), path: "evidence//snapshots/fs01.json" }), /files\[\d\] "evidence\/snapshots\/fs01\.json" and files\[\d\] "evidence\/\/snapshots\/fs01\.json" are the same file, spelled two ways/],
    ["a name that differs only in case", (m) => m.files.push({ ...entry(m, "summary.json"), path: "Summary.JSON" }), /files\[\d\] "summary\.json" and files\[\d\] "Summary\.JSON" are names that differ only in case, one file on Windows and macOS/],
    ["a name in the other Unicode form", (m) => m.files.push({ ...entry(m, `evidence/snapshots/${CAFE}`), path: `evidence/snapshots/${CAFE.normalize("NFD")}` }), /files\[1\] "evidence\/snapshots\/café\.json" and files\[\d\] "evidence\/snapshots\/cafe\u0301\.json" are one name in two Unicode forms, one file on macOS/],
    ["a trailing dot, which Windows drops", (m) => m.files.push({ ...entry(m, "summary.json"), path: "summary.json." }), /files\[\d\] "summary\.json" and files\[\d\] "summary\.json\." are one file on Windows/],
    ["an absolute path", (m) => m.files.push({ ...entry(m, "summary.json"), path: "/etc/passwd" }), /files\[\d\] "\/etc\/passwd" is absolute: it points outside the report/],
    ["a climb out with ..", (m) => m.files.push({ ...entry(m, "summary.json"), path: "evidence/../../summary.json" }), /files\[\d\] "evidence\/\.\.\/\.\.\/summary\.json" climbs out of its folder with '\.\.'/],
    ["backslashes", (m) => m.files.push({ ...entry(m, "evidence/snapshots/fs01.json"), path: "evidence\\snapshots\\fs01.json" }), /files\[\d\] "evidence\\\\snapshots\\\\fs01\.json" holds a backslash/],
    ["a folder covered twice", (m) => m.covers.push("Evidence/"), /covers\[\d+\] "evidence" and covers\[\d+\] "Evidence" are names that differ only in case/],
  ];
  const accepted: string[] = [];
  for (const [what, edit, pattern] of cases) {
    const dir = await report(t);
    editManifest(dir, edit);
    const { code, out } = await verify(dir);
    if (!(code instanceof InputError)) {
      accepted.push(`${what}: exit ${code}: ${out.trim()}`);
      continue;
    }
    assert.match(code.message, new RegExp(`evidence/manifest\\.json: \\w+: ${pattern.source}`), what);
  }
  assert.deepEqual(accepted, [], "verify took a manifest that lists a file twice or outside the report");
});

test("a merged report's manifest lists each shard once, every shard of one run", async (t) => {
  const link = (shard: string, c: string, report: string): { shard: string; manifestSha256: string; report: string } => ({ shard, manifestSha256: c.repeat(64), report });
  const cases: [string, ReturnType<typeof link>[], RegExp][] = [
    ["one shard twice", [link("1/2", "a", "../s1"), link("1/2", "b", "../s2")], /shards\[0\] and shards\[1\] have the same shard "1\/2": one shard would be checked twice/],
    ["one manifest twice", [link("1/2", "a", "../s1"), link("2/2", "a", "../s2")], /have the same manifestSha256/],
    ["one folder twice", [link("1/2", "a", "../s1"), link("2/2", "b", "../S1")], /have the same report "\.\.\/S1"/],
    ["a shard missing", [link("1/3", "a", "../s1"), link("2/3", "b", "../s2")], /shards lists 2 of 3 shards \(1\/3, 2\/3\): a merge is made of every shard, each once/],
    ["shards of two runs", [link("1/2", "a", "../s1"), link("2/3", "b", "../s2")], /shards name different numbers of shards/],
  ];
  for (const [what, shards, pattern] of cases) {
    const dir = await report(t);
    editManifest(dir, (m) => (m.shards = shards));
    const { code } = await verify(dir);
    assert.ok(code instanceof InputError, `${what}: exit ${String(code)}`);
    assert.match(code.message, pattern, what);
  }
});

test("the count verify prints is the number of files in the report", async (t) => {
  const dir = await report(t);
  const files = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? files(join(d, e.name)) : 1), 0);
  const { code, out } = await verify(dir);
  assert.equal(code, 0, out);
  assert.match(out, new RegExp(`evidence intact: ${files(dir) - 1} files match the manifest`), "every file but the manifest itself");
});
