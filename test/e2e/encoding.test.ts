/**
 * hostproof reads UTF-8 text (a byte-order mark allowed), and says so when a file is anything
 * else. Windows PowerShell 5.1's `>` and Out-File write UTF-16: such an inventory was "not valid
 * JSON (line 1 column 1)" or "its top level is a string", a feature file eleven Gherkin errors
 * quoting \x00; a Latin-1 byte became U+FFFD in every report without a word. Through the real CLI,
 * for each kind of file a run reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, ROOT, spawnCli, tempDir } from "./cli";

const DEMO = join(ROOT, "examples", "demo");
const SAVE = /Save it as UTF-8 \(.*Out-File -Encoding utf8/;

function utf16le(text: string, bom: boolean): Buffer {
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, "utf16le")]);
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
}

/** A one-host estate (hv01 of the demo) with a waiver file and a feature folder, each as UTF-8. */
function estate(): string {
  const dir = tempDir("hostproof-encoding-");
  mkdirSync(join(dir, "snapshots"));
  mkdirSync(join(dir, "features"));
  copyFileSync(join(DEMO, "snapshots", "hv01.json"), join(dir, "snapshots", "hv01.json"));
  writeFileSync(join(dir, "inventory.yaml"), "version: 1\nname: Café estate\ndirectory: { none: \"test estate: no Active Directory\" }\nhosts:\n  - name: hv01\n    transport: snapshot\n    snapshot: snapshots/hv01.json\n");
  writeFileSync(join(dir, "waivers.yaml"), "version: 1\nwaivers:\n  - controlId: HP-HV-001\n    scope: { host: hv01 }\n    justification: DC keeps its own time\n    approver: Jane Roe, CISO\n    reference: CHG-1\n    expires: 2027-06-30\n");
  copyFileSync(join(ROOT, "examples", "custom-controls", "smb.feature"), join(dir, "features", "smb.feature"));
  return dir;
}

function run(dir: string): ReturnType<typeof spawnCli> {
  return spawnCli(["run", "-i", "inventory.yaml", "-w", "waivers.yaml", "--features", "features", "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"], dir);
}

function refused(dir: string, file: string, problem: RegExp, fix: RegExp = SAVE): void {
  for (const res of [run(dir), spawnCli(["validate", file], dir)]) {
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, problem);
    assert.match(res.stderr, fix);
    assert.doesNotMatch(res.stderr, /not valid JSON|not valid YAML|top level is|Gherkin|\\x00|internal error/);
  }
}

test("the estate as UTF-8, with or without a byte-order mark, runs", () => {
  const dir = estate();
  assert.equal(run(dir).code, 0, run(dir).stderr);
  for (const f of ["inventory.yaml", "waivers.yaml", "snapshots/hv01.json", "features/smb.feature"]) writeFileSync(join(dir, f), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(dir, f))]));
  const res = spawnCli(["run", "-i", "inventory.yaml", "-w", "waivers.yaml", "--features", "features", "-o", "out2", "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"], dir);
  assert.equal(res.code, 0, res.stderr);
  assert.equal((JSON.parse(readFileSync(join(dir, "out2", "summary.json"), "utf8")) as { estate: string }).estate, "Café estate");
});

for (const [file, kind] of [
  ["inventory.yaml", "an inventory"],
  ["waivers.yaml", "a waiver file"],
  ["snapshots/hv01.json", "a snapshot"],
  ["features/smb.feature", "a feature file"],
] as const) {
  test(`${kind} in UTF-16 is refused naming the encoding, with or without a byte-order mark, either byte order`, () => {
    for (const [encode, said] of [
      [(t: string) => utf16le(t, true), /the file is UTF-16 \(it starts with a UTF-16 little-endian byte-order mark\); hostproof reads UTF-8 text/],
      [(t: string) => utf16le(t, false), /the file is UTF-16 \(little-endian, without a byte-order mark: every other byte is zero\)/],
      [utf16be, /the file is UTF-16 \(it starts with a UTF-16 big-endian byte-order mark\)/],
    ] as const) {
      const dir = estate();
      writeFileSync(join(dir, file), encode(readFileSync(join(dir, file), "utf8")));
      refused(dir, file, new RegExp(`${file.replace(/[./]/g, "\\$&")}: ${said.source}`));
    }
  });

  test(`${kind} holding a Latin-1 byte is refused naming the byte and where it is, not read as U+FFFD`, () => {
    const dir = estate();
    const text = readFileSync(join(dir, file));
    const at = text.indexOf(0x0a) + 1; // the start of line 2
    writeFileSync(join(dir, file), Buffer.concat([text.subarray(0, at), Buffer.from("# caf\xe9\n", "latin1"), text.subarray(at)]));
    refused(dir, file, new RegExp(`${file.replace(/[./]/g, "\\$&")}:2: the file is not UTF-8 text: byte 0xE9 at line 2, column 6 \\(counting bytes\\)`));
  });
}

test("a NUL byte in a file is refused: no file hostproof reads is binary", () => {
  const dir = estate();
  writeFileSync(join(dir, "inventory.yaml"), Buffer.concat([readFileSync(join(dir, "inventory.yaml")), Buffer.from("# \u0000\n")]));
  refused(dir, "inventory.yaml", /inventory\.yaml:8: the file holds a NUL byte at line 8, column 3: it is not a text file/, /Check that this is the right file/);
});
