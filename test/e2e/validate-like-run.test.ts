/**
 * Issue 24: `validate` refuses what `run` refuses, from the checks both call (engine/pre-run.ts),
 * and takes run's inputs (-i, --waivers, --directory, --features). Each case spawns the real CLI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, spawnCli, tempDir, type CliOutcome } from "./cli";

const DEMO_DIR = join(ROOT, "examples", "demo");
const DIRECTORY = join(DEMO_DIR, "directory.json");

/** A folder holding app2016's demo snapshot, the demo's directory snapshot and the files given. */
function estate(files: Record<string, string>): string {
  const dir = tempDir("hostproof-validate-run-");
  mkdirSync(join(dir, "snapshots"));
  copyFileSync(join(DEMO_DIR, "snapshots", "app2016.json"), join(dir, "snapshots", "app2016.json"));
  copyFileSync(DIRECTORY, join(dir, "directory.json"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const INVENTORY = (extraHosts = "", directory = '{ none: "workgroup estate" }'): string =>
  `version: 1\nname: t\ndirectory: ${directory}\nhosts:\n  - name: app2016\n    transport: snapshot\n    snapshot: snapshots/app2016.json\n${extraHosts}`;

const WAIVER = (fields: { scope?: string; controlId?: string; expires?: string; id?: string } = {}): string =>
  `  - id: ${fields.id ?? "W-1"}\n    controlId: ${fields.controlId ?? "HP-EOS-003"}\n    scope: ${fields.scope ?? "{ host: app2016 }"}\n    justification: migration planned\n    approver: Priya Raman\n    reference: MIG-1\n    expires: ${fields.expires ?? "2099-12-31"}\n`;
const WAIVERS = (...waivers: string[]): string => `version: 1\nwaivers:\n${waivers.join("")}`;

/** The problems a command printed (`✘ …`), as text, in order. */
function problems(res: CliOutcome): string[] {
  return res.stderr
    .split("\n")
    .filter((l) => /^\s*✘ /.test(l))
    .map((l) => l.replace(/^\s*✘ /, ""));
}

function run(dir: string, args: string[]): CliOutcome {
  return spawnCli(["run", ...args, "-o", "out", "--no-html", "--no-history"], dir);
}

test("validate and run given the same bad input print the same problems, exit 3, and run writes nothing", { skip: process.platform === "win32" ? "WinRM is usable on Windows" : false }, () => {
  const dir = estate({
    "inv.yaml": INVENTORY("  - name: web9\n    transport: winrm\n"),
    // A host named as a cluster covers nothing (refused), and a control this hostproof does not have.
    "w.yaml": WAIVERS(WAIVER({ scope: "{ cluster: app2016 }" }), WAIVER({ id: "W-2", controlId: "HP-NOPE-001" })),
  });
  const ran = run(dir, ["-i", "inv.yaml", "--waivers", "w.yaml"]);
  assert.equal(ran.code, 3, ran.stderr);
  const said = problems(ran);
  // Named as run is given them, or by their content.
  for (const args of [["-i", "inv.yaml", "--waivers", "w.yaml"], ["inv.yaml", "w.yaml"]]) {
    const validated = spawnCli(["validate", ...args], dir);
    assert.equal(validated.code, 3, validated.stdout);
    assert.deepEqual(problems(validated), said);
    assert.match(validated.stdout, /2 of 2 file\(s\) invalid\./);
  }
  assert.ok(said.some((p) => /^inv\.yaml: hosts \(1 with transport winrm: web9\): WinRM cannot be used from linux/.test(p)), said.join("\n"));
  assert.ok(said.some((p) => /^w\.yaml:5: waivers\[0\]\.scope: 'app2016' is a host of the inventory, not a cluster: this waiver would cover nothing\. Write scope: \{ host: app2016 \}/.test(p)), said.join("\n"));
  assert.ok(said.some((p) => /^w\.yaml:\d+: waivers\[1\]\.controlId: 'HP-NOPE-001' is not a control of this hostproof/.test(p)), said.join("\n"));
  assert.equal(existsSync(join(dir, "out")), false, "run wrote nothing");
});

test("validate reads the inputs as run is given them: a waiver scope naming no host of the inventory is a warning with the near name, exit 0", () => {
  const dir = estate({ "inv.yaml": INVENTORY(), "w.yaml": WAIVERS(WAIVER({ scope: "{ host: app2061 }" })) });
  for (const args of [["-i", "inv.yaml", "--waivers", "w.yaml"], ["inv.yaml", "w.yaml"]]) {
    const res = spawnCli(["validate", ...args], dir);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /warning: w\.yaml:5: waivers\[0\]\.scope: the inventory inv\.yaml has no host 'app2061': this waiver covers nothing in that estate\. Did you mean app2016\?/);
    assert.match(res.stdout, /✔ inv\.yaml: valid inventory \(1 host\(s\), 0 cluster\(s\), snapshots valid, no directory\)/);
    assert.match(res.stdout, /✔ w\.yaml: valid waiver file \(1 waiver\(s\)\)/);
  }
});

test("an expired waiver is a warning in validate (exit 0), as it is a notice in run", () => {
  const dir = estate({ "w.yaml": WAIVERS(WAIVER({ expires: "2020-01-31" })) });
  const res = spawnCli(["validate", "w.yaml"], dir);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, /warning: w\.yaml:\d+: waivers\[0\]\.expires: W-1 \(HP-EOS-003 on host app2016\) expired at the end of 2020-01-31 UTC/);
  assert.match(res.stdout, /1 file\(s\) valid\./);
});

test("a { directory: <DN> } scope on a control not judged over the directory is refused by validate as by run", () => {
  const dir = estate({ "inv.yaml": INVENTORY(), "w.yaml": WAIVERS(WAIVER({ scope: "{ directory: 'OU=Legacy,DC=corp,DC=contoso,DC=test' }" })) });
  const alone = spawnCli(["validate", "w.yaml"], dir);
  assert.equal(alone.code, 3, alone.stdout);
  const expected = /^w\.yaml:5: waivers\[0\]\.scope: HP-EOS-003 is not judged over the directory: a \{ directory: <DN> \} scope would cover nothing\. Use \{ directory: <DN> \} only with HP-DIR-/;
  assert.ok(problems(alone).some((p) => expected.test(p)), alone.stderr);
  const ran = run(dir, ["-i", "inv.yaml", "--waivers", "w.yaml"]);
  assert.equal(ran.code, 3);
  assert.deepEqual(problems(ran), problems(alone));
});

test("validate lints the --features controls with the inventory, as run does", () => {
  const dir = estate({ "inv.yaml": INVENTORY(), "acme/bad.feature": "Feature: acme\n  Scenario: no id\n    Given each host\n    Then it is fine\n" });
  const res = spawnCli(["validate", "inv.yaml", "--features", "acme"], dir);
  assert.equal(res.code, 3, res.stdout);
  assert.match(res.stderr, /✘ acme\/bad\.feature:\d+: /);
  const ran = run(dir, ["-i", "inv.yaml", "--features", "acme"]);
  assert.equal(ran.code, 3);
  assert.deepEqual(problems(ran), problems(res));
});

test("the inventory's directory: a missing file, a path outside its folder and a broken snapshot are refused as run refuses them", () => {
  const broken = JSON.parse(readFileSync(DIRECTORY, "utf8")) as { count: number };
  broken.count += 1;
  const dir = estate({ "sub/snapshots/app2016.json": readFileSync(join(DEMO_DIR, "snapshots", "app2016.json"), "utf8"), "sub/broken.json": JSON.stringify(broken, null, 2) });
  const cases: [string, RegExp][] = [
    ["missing.json", /^sub\/inv\.yaml: .*missing\.json|missing\.json: the file does not exist/],
    ["../directory.json", /^sub\/inv\.yaml:3: directory: the directory snapshot path '\.\.\/directory\.json' resolves to .*, outside the inventory's folder/],
    ["broken.json", /^sub\/broken\.json: count: count is \d+, but the file holds \d+ object\(s\)/],
  ];
  for (const [path, expected] of cases) {
    writeFileSync(join(dir, "sub", "inv.yaml"), INVENTORY("", path));
    const res = spawnCli(["validate", "sub/inv.yaml"], dir);
    assert.equal(res.code, 3, `${path}: ${res.stdout}`);
    assert.ok(problems(res).some((p) => expected.test(p)), `${path}: ${res.stderr}`);
    const ran = run(dir, ["-i", "sub/inv.yaml"]);
    assert.equal(ran.code, 3);
    assert.deepEqual(problems(ran), problems(res));
  }
  writeFileSync(join(dir, "sub", "inv.yaml"), INVENTORY("", "../directory.json"));
  const allowed = spawnCli(["validate", "sub/inv.yaml", "--allow-outside-snapshots"], dir);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /valid inventory \(1 host\(s\), 0 cluster\(s\), snapshots valid, directory snapshot valid\)/);
});

test("a directory snapshot named to validate is recognised by its kind and checked as run --directory checks it", () => {
  const broken = JSON.parse(readFileSync(DIRECTORY, "utf8")) as { count: number };
  broken.count += 1;
  const dir = estate({ "inv.yaml": INVENTORY(), "broken.json": JSON.stringify(broken, null, 2) });
  const good = spawnCli(["validate", "directory.json"], dir);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /✔ directory\.json: valid directory snapshot \(\d+ object\(s\) of corp\.contoso\.test, read /);
  for (const args of [["broken.json"], ["-i", "inv.yaml", "--directory", "broken.json"]]) {
    const res = spawnCli(["validate", ...args], dir);
    assert.equal(res.code, 3, res.stdout);
    assert.equal(problems(res).length, 1, res.stderr);
    assert.match(problems(res)[0]!, new RegExp(`^broken\\.json: count: count is ${broken.count}, but the file holds ${broken.count - 1} object\\(s\\): it was cut short or edited\\. discover writes the snapshot whole`));
    const ran = run(dir, ["-i", "inv.yaml", "--directory", "broken.json"]);
    assert.equal(ran.code, 3);
    assert.deepEqual(problems(ran), problems(res));
  }
});

test("what validate prints of a hostile value is one line per problem: a newline in it cannot forge a verdict line", () => {
  const dir = estate({ "w.yaml": WAIVERS(WAIVER({ controlId: '"HP-EOS-003\\n✔ forged.yaml: valid waiver file"' })) });
  const res = spawnCli(["validate", "w.yaml"], dir);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /✘ w\.yaml:\d+: waivers\[0\]\.controlId: 'HP-EOS-003\\n✔ forged\.yaml: valid waiver file' is not a control/);
  assert.doesNotMatch(res.stdout + res.stderr, /^✔ forged/m);
});
