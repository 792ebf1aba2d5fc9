/**
 * An export carries its provenance: export.json names the report it was derived from by that
 * report's manifest SHA-256 (and summary.json's), the report's signature as export found it, the
 * hostproof and formats that made it, and every file it wrote with its SHA-256. `hostproof verify`
 * on the export's folder checks the files against it, finds anything planted, and checks that the
 * report (beside it, or given with --source) is the one recorded, so that a GRC team can show
 * the export came from that report unaltered.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";
import { MANIFEST_PATH } from "../../src/evidence/manifest";
import { checkSchema } from "../../src/schema/validate";
import { findOnPath } from "../../src/util/executables";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, DEMO, runCli, tempDir } from "./cli";

const sha = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/** Every file under `root`, by path relative to it, `/`-separated. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full).split("\\").join("/"));
    }
  };
  walk(root);
  return out.sort();
}

interface ExportJson {
  tool: { version: string };
  source: { report: string; manifestSha256: string; summarySha256: string; signature: { state: string; keyid?: string; keyids?: string[] }; verdict: string; asOf: string };
  formats: string[];
  files: { path: string; sha256: string; bytes: number }[];
}

const readExport = (dir: string): ExportJson => JSON.parse(readFileSync(join(dir, "export.json"), "utf8")) as ExportJson;

test("export.json names the report by its manifest, the formats, and every file written with its SHA-256; verify checks the export and the report beside it", async () => {
  const dir = tempDir();
  const report = join(dir, "report");
  assert.equal((await runCli(["run", "-i", DEMO, "-o", report, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"])).code, 0);
  const out = join(dir, "report-hdf+csv");
  const exported = await runCli(["export", report, "--format", "hdf,csv", "-o", out]);
  assert.equal(exported.code, 0, exported.stderr);

  const record = readExport(out);
  assert.deepEqual(checkSchema("export", { file: "export.json", value: record, lineOf: () => undefined }), []);
  assert.equal(record.source.manifestSha256, sha(readFileSync(join(report, MANIFEST_PATH))));
  assert.equal(record.source.summarySha256, sha(readFileSync(join(report, "summary.json"))));
  assert.equal(resolve(out, record.source.report), report);
  assert.deepEqual(record.source.signature, { state: "unsigned" });
  assert.equal(record.source.asOf, AS_OF);
  assert.deepEqual(record.formats, ["hdf", "csv"]);
  // Every file the export wrote, each with its digest; export.json itself is the one not listed.
  assert.deepEqual(record.files.map((f) => f.path).sort(), filesUnder(out).filter((p) => p !== "export.json"));
  for (const f of record.files) {
    const bytes = readFileSync(join(out, f.path));
    assert.equal(f.sha256, sha(bytes), f.path);
    assert.equal(f.bytes, bytes.length, f.path);
  }
  const recordSha = sha(readFileSync(join(out, "export.json")));
  assert.match(exported.stdout, new RegExp(`SHA-256 ${recordSha}; check the export with: hostproof verify .* --expect ${recordSha}`));

  const intact = await runCli(["verify", out, "--expect", recordSha]);
  assert.equal(intact.code, 0, intact.stderr);
  assert.match(intact.stdout, /^export intact: \d+ files match export\.json, and the folder holds nothing else/m);
  assert.match(intact.stdout, /✔ report .*: verified, and its manifest is the one the export recorded/);
  assert.equal((await runCli(["verify", out, "--expect", "0".repeat(64)])).code, 1);

  // A file of the export changed, or one planted: refused.
  const csv = join(out, "results.csv");
  const original = readFileSync(csv);
  writeFileSync(csv, Buffer.concat([original, Buffer.from("fs01,passed\n")]));
  const changed = await runCli(["verify", out]);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /modified +results\.csv/);
  assert.match(changed.stdout, /export NOT intact: 1 modified/);
  writeFileSync(csv, original);
  writeFileSync(join(out, "extra.csv"), "planted\n");
  const planted = await runCli(["verify", out]);
  assert.equal(planted.code, 1);
  assert.match(planted.stderr, /unexpected +extra\.csv/);
  rmSync(join(out, "extra.csv"));

  // The report moved: not checked, unless given where it is now.
  const moved = join(dir, "moved");
  renameSync(report, moved);
  const away = await runCli(["verify", out]);
  assert.equal(away.code, 0, away.stderr);
  assert.match(away.stderr, /· report +not at .*: not checked \(give it with --source\)/);
  const given = await runCli(["verify", out, "--source", moved]);
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stdout, /✔ report .*moved: verified/);
  assert.equal((await runCli(["verify", out, "--source", join(dir, "nowhere")])).code, 1);

  // Another report (the same estate, run again: another manifest) is not the one the export came from.
  const other = join(dir, "other");
  assert.equal((await runCli(["run", "-i", DEMO, "-o", other, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"])).code, 0);
  const wrong = await runCli(["verify", out, "--source", other]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /its manifest's SHA-256 is [0-9a-f]{64}, but the export recorded [0-9a-f]{64}: this is not the report the export was made from/);
  // The moved report, changed: it does not verify, so neither does the export's provenance.
  writeFileSync(join(moved, "summary.md"), "# rewritten\n");
  const rewritten = await runCli(["verify", out, "--source", moved]);
  assert.equal(rewritten.code, 1);
  assert.match(rewritten.stderr, /it is not as it was written/);
  assert.equal((await runCli(["verify", out, "--shards", moved])).code, 3);
});

test("a signed report: export.json records the signature, verified with --key; a key that did not sign it refuses the export, with nothing written", async (t) => {
  if (!requireTool(t, "openssl", findOnPath("openssl"), "apt-get install openssl")) return;
  const dir = tempDir();
  const key = (name: string): { priv: string; pub: string } => {
    const priv = join(dir, `${name}.pem`);
    const pub = join(dir, `${name}.pub.pem`);
    assert.equal(spawnSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", priv]).status, 0);
    assert.equal(spawnSync("openssl", ["pkey", "-in", priv, "-pubout", "-out", pub]).status, 0);
    return { priv, pub };
  };
  const ci = key("ci");
  const other = key("other");
  const report = join(dir, "signed");
  const run = await runCli(["run", "-i", DEMO, "-o", report, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero", "--sign-key", ci.priv]);
  assert.equal(run.code, 0, run.stderr);

  const unchecked = join(dir, "unchecked");
  assert.equal((await runCli(["export", report, "-f", "junit", "-o", unchecked])).code, 0);
  const claimed = readExport(unchecked).source.signature;
  assert.equal(claimed.state, "unchecked");
  assert.equal(claimed.keyids?.length, 1);

  const checked = join(dir, "checked");
  const withKey = await runCli(["export", report, "-f", "junit", "-o", checked, "--key", ci.pub]);
  assert.equal(withKey.code, 0, withKey.stderr);
  assert.match(withKey.stdout, /signature verified: signed by keyid [0-9a-f]{64}/);
  const verified = readExport(checked).source.signature;
  assert.equal(verified.state, "verified");
  assert.equal(verified.keyid, claimed.keyids![0]);
  assert.equal((await runCli(["verify", checked, "--key", ci.pub])).code, 0);
  assert.equal((await runCli(["verify", checked, "--key", other.pub])).code, 1);

  const refused = join(dir, "refused");
  const wrongKey = await runCli(["export", report, "-f", "junit", "-o", refused, "--key", other.pub]);
  assert.equal(wrongKey.code, 1, wrongKey.stderr);
  assert.match(wrongKey.stderr, /✘ signature +signature NOT valid/);
  assert.match(wrongKey.stderr, /nothing was exported/);
  assert.equal(existsSync(refused), false);
});
