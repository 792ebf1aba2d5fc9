import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { InputError } from "../../src/errors";
import { verifyCommand } from "../../src/cli/commands/verify";
import type { Io } from "../../src/cli/io";
import {
  buildManifest,
  formatProblemLine,
  isSafeRelativePath,
  MANIFEST_PATH,
  MANIFEST_SCHEMA_FILE,
  sha256Hex,
  verifyReport,
  writeManifest,
  type Manifest,
} from "../../src/evidence/manifest";
import { AS_OF, DEMO, DEMO_HOSTS, runCli } from "../e2e/cli";
import { scratch } from "../report/tmp";
import { writeEmptyRun } from "./empty-report";

/** A small report folder shaped like the one hostproof run writes (no HTML). */
async function miniReport(t: TestContext): Promise<string> {
  const dir = scratch(t);
  mkdirSync(join(dir, "evidence", "snapshots"), { recursive: true });
  mkdirSync(join(dir, "allure-results"));
  writeFileSync(join(dir, "evidence", "snapshots", "fs01.json"), '{"host":"fs01","probes":{}}\n');
  writeFileSync(join(dir, "evidence", "snapshots", "イーサネット.json"), '{"host":"x"}\n');
  await writeEmptyRun(dir);
  writeFileSync(join(dir, "cucumber-messages.ndjson"), "{}\n");
  writeFileSync(join(dir, "allure-results", "a-result.json"), "{}");
  writeFileSync(join(dir, ".hostproof-report"), "marker\n");
  return dir;
}

function validate(data: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const fn = ajv.compile(JSON.parse(readFileSync(MANIFEST_SCHEMA_FILE, "utf8")) as object);
  return fn(data) ? [] : (fn.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), color: false, now: () => new Date(), stdout: () => out, stderr: () => err };
}

test("the manifest lists every covered file with its SHA-256 and size, and validates against its schema", async (t) => {
  const dir = await miniReport(t);
  const { manifest, manifestSha256 } = writeManifest(dir, { now: new Date("2026-11-22T10:00:00Z"), version: "9.9.9" });
  const text = readFileSync(join(dir, MANIFEST_PATH), "utf8");
  const parsed = JSON.parse(text) as Manifest;
  assert.deepEqual(parsed, manifest, "what is written is what is returned");
  assert.equal(manifestSha256, sha256Hex(text));
  assert.deepEqual(validate(parsed), []);
  assert.equal(parsed.tool.version, "9.9.9");
  assert.equal(parsed.createdAt, "2026-11-22T10:00:00.000Z");
  assert.deepEqual(
    parsed.files.map((f) => f.path),
    [".hostproof-report", "allure-results/a-result.json", "cucumber-messages.ndjson", "evidence/snapshots/fs01.json", "evidence/snapshots/イーサネット.json", "junit.xml", "summary.json"],
    "sorted, POSIX paths, the manifest itself not listed",
  );
  const fs01 = parsed.files.find((f) => f.path === "evidence/snapshots/fs01.json")!;
  assert.equal(fs01.sha256, sha256Hex('{"host":"fs01","probes":{}}\n'));
  assert.equal(fs01.bytes, 28);
  assert.equal(text.split("\n").filter((l) => l.startsWith('    {"path":')).length, 7, "one entry per line");
});

test("the schema is not vacuous", () => {
  const good: Manifest = { schemaVersion: 1, tool: { name: "hostproof", version: "1" }, createdAt: "2026-11-22T10:00:00Z", algorithm: "sha256", covers: ["evidence/"], files: [{ path: "evidence/a.json", sha256: "a".repeat(64), bytes: 1 }] };
  assert.deepEqual(validate(good), []);
  for (const bad of [
    { ...good, algorithm: "md5" },
    { ...good, files: [{ path: "../etc/passwd", sha256: "a".repeat(64), bytes: 1 }] },
    { ...good, files: [{ path: "a", sha256: "A".repeat(64), bytes: 1 }] },
    { ...good, covers: ["/abs/"] },
    { ...good, extra: 1 },
  ]) {
    assert.notDeepEqual(validate(bad), [], JSON.stringify(bad).slice(0, 120));
  }
});

test("an intact report verifies; a file added anywhere, even beside the summary, is unexpected", async (t) => {
  const dir = await miniReport(t);
  writeManifest(dir);
  const outcome = await verifyReport(dir);
  assert.deepEqual(outcome.problems, []);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.checked, 7);
  writeFileSync(join(dir, "notes.txt"), "an auditor's note beside the report\n");
  assert.deepEqual((await verifyReport(dir)).problems, [{ path: "notes.txt", kind: "unexpected" }]);
});

test("one changed byte in a snapshot is 'modified', with both digests", async (t) => {
  const dir = await miniReport(t);
  writeManifest(dir);
  const file = join(dir, "evidence", "snapshots", "fs01.json");
  const bytes = readFileSync(file);
  bytes[10] = bytes[10]! ^ 1;
  writeFileSync(file, bytes);
  const outcome = await verifyReport(dir);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.problems.length, 1);
  const [p] = outcome.problems;
  assert.equal(p!.kind, "modified");
  assert.equal(p!.path, "evidence/snapshots/fs01.json");
  assert.match(p!.expected!, /^sha256:[0-9a-f]{64} \(28 bytes\)$/);
  assert.match(p!.actual!, /^sha256:[0-9a-f]{64} \(28 bytes\)$/);
  assert.notEqual(p!.expected, p!.actual);
  assert.match(formatProblemLine(p!), /^✘ modified +evidence\/snapshots\/fs01\.json: expected sha256:/);
});

test("a deleted file is 'missing', an added one 'unexpected' (in evidence/ and in allure-results/)", async (t) => {
  const dir = await miniReport(t);
  writeManifest(dir);
  unlinkSync(join(dir, "junit.xml"));
  writeFileSync(join(dir, "evidence", "snapshots", "planted.json"), "{}");
  writeFileSync(join(dir, "allure-results", "b-result.json"), "{}");
  const { problems, ok } = await verifyReport(dir);
  assert.equal(ok, false);
  assert.deepEqual(
    problems.map((p) => [p.kind, p.path]),
    [
      ["missing", "junit.xml"],
      ["unexpected", "allure-results/b-result.json"],
      ["unexpected", "evidence/snapshots/planted.json"],
    ],
  );
});

test("a symbolic link is never followed: planted it is unexpected, in place of a file it is modified", async (t) => {
  const dir = await miniReport(t);
  writeManifest(dir);
  const target = join(dir, "summary.json");
  symlinkSync(target, join(dir, "evidence", "snapshots", "link.json"));
  rmSync(join(dir, "evidence", "snapshots", "fs01.json"));
  symlinkSync(target, join(dir, "evidence", "snapshots", "fs01.json"));
  const { problems } = await verifyReport(dir);
  assert.deepEqual(
    problems.map((p) => [p.kind, p.path, p.actual]),
    [
      ["modified", "evidence/snapshots/fs01.json", "a symbolic link"],
      ["unexpected", "evidence/snapshots/link.json", "a symbolic link"],
    ],
  );
});

test("no folder, no manifest, a broken manifest or one pointing outside the report: InputError, nothing read", async (t) => {
  const dir = await miniReport(t);
  await assert.rejects(() => verifyReport(join(dir, "nope")), (e: unknown) => e instanceof InputError && /no such folder/.test(e.message));
  await assert.rejects(() => verifyReport(join(dir, "junit.xml")), (e: unknown) => e instanceof InputError && /a file, not a report folder/.test(e.message));
  await assert.rejects(() => verifyReport(dir, "reports"), (e: unknown) => e instanceof InputError && /reports\/evidence\/manifest\.json: the report has no manifest/.test(e.message));
  writeFileSync(join(dir, MANIFEST_PATH), "{not json");
  await assert.rejects(() => verifyReport(dir), (e: unknown) => e instanceof InputError && /not valid JSON/.test(e.message));
  const m = buildManifest(dir);
  writeFileSync(join(dir, MANIFEST_PATH), JSON.stringify({ ...m, files: [{ path: "../../../etc/passwd", sha256: "a".repeat(64), bytes: 1 }] }));
  await assert.rejects(() => verifyReport(dir), (e: unknown) => e instanceof InputError && /"\.\.\/\.\.\/\.\.\/etc\/passwd" climbs out of its folder with '\.\.': it points outside the report/.test(e.message));
});

test("isSafeRelativePath refuses every way out of the report", () => {
  for (const ok of ["evidence/snapshots/a.json", "summary.json", "a..b/c"]) assert.equal(isSafeRelativePath(ok), true, ok);
  for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "C:/x", "a\\..\\x", "a\0b"]) assert.equal(isSafeRelativePath(bad), false, bad);
});

test("hostproof verify: exit 0 intact, 1 tampered or the manifest not the expected one, 3 bad usage", async (t) => {
  const dir = await miniReport(t);
  const { manifestSha256 } = writeManifest(dir);

  let io = captureIo();
  assert.equal(await verifyCommand([dir], io), 0);
  assert.match(io.stdout(), /^evidence intact: 7 files match the manifest, and the folder holds nothing else \(every file, folder and link under .* checked; links not followed\) \(made by hostproof .* manifest SHA-256 [0-9a-f]{64}\)/);
  io = captureIo();
  assert.equal(await verifyCommand([dir, "--expect", manifestSha256.toUpperCase()], io), 0);
  assert.match(io.stdout(), /as expected/);

  io = captureIo();
  assert.equal(await verifyCommand([dir, "--expect", "0".repeat(64)], io), 1);
  assert.match(io.stderr(), /the manifest itself was replaced/);
  assert.match(io.stdout(), /evidence NOT intact: manifest replaced/);

  appendFileSync(join(dir, "summary.json"), " ");
  writeFileSync(join(dir, "evidence", "extra.json"), "{}");
  io = captureIo();
  assert.equal(await verifyCommand([dir], io), 1);
  assert.match(io.stderr(), /✘ modified +summary\.json/);
  assert.match(io.stderr(), /✘ unexpected +evidence\/extra\.json: not in the manifest/);
  assert.match(io.stdout(), /evidence NOT intact: 1 modified, 1 unexpected; 7 files listed in the manifest/);

  for (const argv of [[], [dir, dir], [dir, "--expect", "abc"], [dir, "--bogus"], [join(dir, "missing")]]) {
    await assert.rejects(verifyCommand(argv, captureIo()), InputError, argv.join(" "));
  }
  io = captureIo();
  assert.equal(await verifyCommand(["--help"], io), 0);
  assert.match(io.stdout(), /Usage: hostproof verify/);
});

test("a real run's report verifies, and stops verifying when a snapshot changes", { timeout: 120_000 }, async (t) => {
  const out = join(scratch(t), "reports");
  const res = await runCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  const { manifest } = writeManifest(out);
  const paths = manifest.files.map((f) => f.path);
  for (const p of ["summary.json", "junit.xml", "hdf.json", "results.csv", "cucumber-messages.ndjson", "evidence/snapshots/fs01.json", "allure-results/environment.properties"]) assert.ok(paths.includes(p), p);
  assert.equal(paths.filter((p) => p.startsWith("evidence/snapshots/")).length, DEMO_HOSTS);
  assert.equal((await verifyReport(out)).ok, true);
  appendFileSync(join(out, "evidence", "snapshots", "fs01.json"), "\n");
  // The host's Allure evidence attachment is the same file (a hard link): both names are reported.
  const problems = (await verifyReport(out)).problems;
  assert.deepEqual(problems.map((p) => p.kind), ["modified", "modified"]);
  assert.ok(problems.some((p) => p.path === "evidence/snapshots/fs01.json"));
  assert.ok(problems.some((p) => /^allure-results\/[0-9a-f-]+-attachment\.json$/.test(p.path)));
});
