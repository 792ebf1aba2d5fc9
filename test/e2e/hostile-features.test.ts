/**
 * Feature files found by walking --features folders (issue 18): they get the same regular-file and
 * size rules as every other input. Pipes, devices, sockets, dangling links, links to folders,
 * link loops and oversized files are refused with exit 3 naming the file, through the real CLI
 * (`controls`, `validate`, `run`): never a hang, a stack trace or exit 4.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ACME_EOS, AS_OF, BIN, DEMO, readJson, workspace } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

/**
 * The CLI as a child, with a guard against a hang: a FIFO once blocked it for ever, deaf to SIGTERM.
 * The guard is no timed assertion: it only turns a hang into a failure instead of a stuck suite.
 */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, uid?: number): { code: number | null; stdout: string; stderr: string; hung: boolean } {
  const user = uid !== undefined ? { uid, gid: uid } : {};
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1" }, timeout: 120_000, killSignal: "SIGKILL", ...user });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, hung: res.signal === "SIGKILL" };
}

const COMMANDS = (folder: string): string[][] => [
  ["controls", "--features", folder],
  ["validate", folder],
  ["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--features", folder],
];

/** Every command refuses the folder with exit 3 and `line` on stderr; run writes nothing. */
function refusedEverywhere(cwd: string, folder: string, line: string, uid?: number): void {
  for (const args of COMMANDS(folder)) {
    const res = cli(args, cwd, process.env, uid);
    assert.equal(res.hung, false, `${args[0]} hung on ${folder}`);
    assert.equal(res.code, 3, `${args[0]}: exit ${res.code}\n${res.stdout}\n${res.stderr}`);
    const lines = res.stderr.split("\n").map((l) => l.replace(/^\s*✘ /, ""));
    assert.ok(lines.includes(line), `${args[0]}: expected the line\n  ${line}\nin\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, /\n\s+at |internal error/);
  }
  assert.equal(existsSync(join(cwd, "out")), false, "a report was written");
}

test("a FIFO named *.feature is refused at once, not read", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  execFileSync("mkfifo", [join(cwd, "acme", "pipe.feature")]);
  refusedEverywhere(cwd, "acme", "acme/pipe.feature: this is a named pipe (FIFO), not a regular file. Make it a regular .feature file, or remove it from the --features folder.");
  const named = cli(["validate", "acme/pipe.feature"], cwd);
  assert.equal(named.hung, false);
  assert.equal(named.code, 3, named.stderr);
  assert.match(named.stderr, /acme\/pipe\.feature: this is a named pipe \(FIFO\), not a regular file/);
});

test("a *.feature link to /dev/zero is refused before a byte is read", { skip: !existsSync("/dev/zero") }, () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  symlinkSync("/dev/zero", join(cwd, "acme", "zero.feature"));
  refusedEverywhere(cwd, "acme", "acme/zero.feature: this is a device, not a regular file. Make it a regular .feature file, or remove it from the --features folder.");
});

test("a dangling *.feature link, and a link that loops, are refused naming where they lead", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  symlinkSync("gone/eos.feature", join(cwd, "acme", "dangling.feature"));
  refusedEverywhere(cwd, "acme", 'acme/dangling.feature: this is a symbolic link to "gone/eos.feature", which does not exist. Point the link at an existing file, or remove it.');
  const loop = workspace({ "acme/eos.feature": ACME_EOS });
  symlinkSync("loop.feature", join(loop, "acme", "loop.feature"));
  refusedEverywhere(loop, "acme", 'acme/loop.feature: this is a symbolic link to "loop.feature" that leads round in a loop. Point the link at an existing file, or remove it.');
});

test("a link to a folder, or a folder link that loops, is refused, not skipped (its controls would silently not run)", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS, "shared/net/rdp.feature": ACME_EOS.replace("ACME-EOS-001", "ACME-RDP-001") });
  symlinkSync(join(cwd, "shared", "net"), join(cwd, "acme", "net"));
  refusedEverywhere(cwd, "acme", "acme/net: this is a symbolic link to a folder, which hostproof does not follow inside a --features folder (it may loop, or lead anywhere). Give the folder it points to as another --features, or put the folder itself here.");
  const loop = workspace({ "acme/eos.feature": ACME_EOS });
  symlinkSync(".", join(loop, "acme", "again"));
  refusedEverywhere(loop, "acme", "acme/again: this is a symbolic link to a folder, which hostproof does not follow inside a --features folder (it may loop, or lead anywhere). Give the folder it points to as another --features, or put the folder itself here.");
  const gone = workspace({ "acme/eos.feature": ACME_EOS });
  symlinkSync("unmounted-share/controls", join(gone, "acme", "more"));
  refusedEverywhere(gone, "acme", "acme/more: this is a symbolic link that leads nowhere (its target is missing, or it loops): it may have stood for a folder of controls. Restore what it points to, or remove the link.");
});

test("a socket named *.feature, and a *.feature link to a folder, are refused", async () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  const server = createServer();
  await new Promise<void>((done) => server.listen(join(cwd, "acme", "sock.feature"), done));
  try {
    refusedEverywhere(cwd, "acme", "acme/sock.feature: this is a socket, not a regular file. Make it a regular .feature file, or remove it from the --features folder.");
  } finally {
    server.close();
  }
  const dir = workspace({ "acme/eos.feature": ACME_EOS, "other/x.txt": "" });
  symlinkSync(join(dir, "other"), join(dir, "acme", "folder.feature"));
  refusedEverywhere(dir, "acme", "acme/folder.feature: this is a symbolic link to a folder, which hostproof does not follow inside a --features folder (it may loop, or lead anywhere). Give the folder it points to as another --features, or put the folder itself here.");
});

test("a feature file over 1 MiB is refused naming the limit; HOSTPROOF_MAX_INPUT_MB raises it", () => {
  const padding = `# ${"x".repeat(1022)}\n`.repeat(1030);
  const cwd = workspace({ "acme/eos.feature": padding + ACME_EOS });
  refusedEverywhere(cwd, "acme", "acme/eos.feature: the file is 1.0 MiB, over the 1.0 MiB size limit for a feature file. Check that this is the file you meant; if it is, set HOSTPROOF_MAX_INPUT_MB to a larger number of MiB.");
  const raised = cli(["controls", "--features", "acme"], cwd, { ...process.env, HOSTPROOF_MAX_INPUT_MB: "2" });
  assert.equal(raised.code, 0, raised.stderr);
  assert.match(raised.stdout, /^ACME-EOS-001 /m);
});

/** nobody: root reads every file, so as root the CLI runs as this account, for which permissions count. */
const NOBODY = 65534;

test("an unreadable feature file is refused naming it", () => {
  const cwd = workspace({ "acme/eos.feature": ACME_EOS });
  const uid = process.getuid?.() === 0 ? NOBODY : undefined;
  // The unprivileged account must reach the workspace and write its report there.
  if (uid !== undefined) for (const dir of [cwd, join(cwd, "acme")]) chmodSync(dir, 0o777);
  chmodSync(join(cwd, "acme", "eos.feature"), 0o000);
  refusedEverywhere(cwd, "acme", "acme/eos.feature: permission denied (EACCES). Let the account hostproof runs as read it, or name another file.", uid);
});

test("a real folder named x.feature is walked like any folder; a feature whose name starts with @ is run, not taken for a rerun list", () => {
  const cwd = workspace({ "acme/nested.feature/eos.feature": ACME_EOS, "acme/@rdp.feature": ACME_EOS.replace("ACME-EOS-001", "ACME-RDP-001") });
  const res = cli(["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--features", "acme", "--no-builtin"], cwd);
  assert.equal(res.code, 1, res.stderr);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.deepEqual(summary.controls.map((c) => [c.id, c.feature]), [["ACME-RDP-001", "acme/@rdp.feature"], ["ACME-EOS-001", "acme/nested.feature/eos.feature"]]);
  assert.equal(summary.results.filter((r) => r.controlId === "ACME-RDP-001").length, summary.hosts.length);
  assert.deepEqual(readdirSync(join(cwd, "acme")).sort(), ["@rdp.feature", "nested.feature"]);
});

test("a *.feature link to a regular file is read; the same file reached twice defines its controls once", () => {
  const cwd = workspace({ "shared/eos.feature": ACME_EOS });
  mkdirSync(join(cwd, "acme"));
  symlinkSync(join(cwd, "shared", "eos.feature"), join(cwd, "acme", "eos.feature"));
  writeFileSync(join(cwd, "acme", "notes.txt"), "not a control\n");
  const res = cli(["controls", "--features", "acme", "--features", "shared", "--no-builtin"], cwd);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^1 control\(s\)\.$/m);
});
