/**
 * Issue 18, class 4: a command's --out (and --history) never replaces, holds or lies inside what
 * the command reads. `run -o snaps` on the folder `collect` wrote used to replace the inventory and
 * snapshots it judged with the report. Each refusal is exit 3 before anything is written, naming
 * the input and the option, however the path is spelled (links, `..`).
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { AS_OF, DEMO, DEMO_HOSTS, runCli, spawnCli, tempDir } from "./cli";

const RUN = ["--as-of", AS_OF, "--no-html"];

/** Every file under `dir` with its size and modification time: what "left as it was" means. */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const rel = relative(dir, full);
      if (e.isDirectory()) {
        out[`${rel}/`] = "dir";
        walk(full);
      } else {
        const st = statSync(full);
        out[rel] = `${st.size}:${st.mtimeMs}:${e.isSymbolicLink() ? "link" : "file"}`;
      }
    }
  };
  walk(dir);
  return out;
}

/** The demo's inventory and snapshots collected into root/snaps, as `collect` writes them. */
function collected(root: string): string {
  const res = spawnCli(["collect", "-i", DEMO, "-o", join(root, "snaps")]);
  assert.equal(res.code, 0, res.stderr);
  return join(root, "snaps");
}

async function refused(root: string, args: string[], patterns: RegExp[]): Promise<void> {
  const before = state(root);
  const res = await runCli(args);
  assert.equal(res.code, 3, `${args.join(" ")}\n${res.stdout}${res.stderr}`);
  for (const p of patterns) assert.match(res.stderr, p, args.join(" "));
  assert.match(res.stderr, /nothing was written/);
  assert.deepEqual(state(root), before, `${args.join(" ")}: something was written or removed`);
}

test("run -o on the folder collect wrote, the folder it reads its inventory and snapshots from, is refused: the inputs stay", async () => {
  const root = tempDir();
  const snaps = collected(root);
  await refused(root, ["run", "-i", join(snaps, "inventory.json"), "-o", snaps, ...RUN], [
    /--out: the inventory .*snaps\/inventory\.json is inside --out .*snaps: replacing --out would delete it/,
    /--out: the snapshot of host wg-node1 .*snaps\/snapshots\/wg-node1\.json is inside --out .*snaps/,
    new RegExp(`--out: ${DEMO_HOSTS - 1} more snapshot\\(s\\) are there too`),
  ]);
  // However the same folder is spelled: through a link, with `..`, with `.`.
  symlinkSync(snaps, join(root, "alias"));
  for (const out of [join(root, "alias"), join(snaps, "snapshots", ".."), `${root}/./snaps`, `${root}/alias/.`]) {
    await refused(root, ["run", "-i", join(snaps, "inventory.json"), "-o", out, ...RUN], [/inside --out/]);
  }
});

test("collect -o over the folder it collects from (its inventory and the snapshots it copies) is refused, however it is spelled", async () => {
  const root = tempDir();
  const snaps = collected(root);
  await refused(root, ["collect", "-i", join(snaps, "inventory.json"), "-o", snaps], [/--out: the inventory .*snaps\/inventory\.json is inside --out .*snaps/]);
  await refused(root, ["collect", "-i", join(snaps, "inventory.json"), "-o", join(root, "elsewhere", "..", "snaps")], [/inside --out/]);
});

test("an earlier report into which the inputs were copied, a waiver file or a --features folder inside --out, --out inside a --features folder or inside a report: refused", async () => {
  const root = tempDir();
  const reports = join(root, "reports");
  assert.ok((await runCli(["run", "-i", DEMO, "-o", reports, ...RUN, "--exit-zero"])).code === 0);
  // The inputs copied into the earlier report, then judged from there into it again.
  cpSync(join(DEMO, ".."), join(reports, "inputs"), { recursive: true });
  await refused(root, ["run", "-i", join(reports, "inputs", "inventory.yaml"), "-o", reports, ...RUN], [/the inventory .*reports\/inputs\/inventory\.yaml is inside --out/]);
  await refused(root, ["run", "-i", DEMO, "-w", join(reports, "inputs", "waivers.yaml"), "-o", reports, ...RUN], [/--out: the waiver file .*waivers\.yaml is inside --out .*reports: replacing --out would delete it/]);
  mkdirSync(join(root, "controls"));
  cpSync(join(__dirname, "..", "..", "examples", "custom-controls"), join(reports, "controls"), { recursive: true });
  await refused(root, ["run", "-i", DEMO, "--features", join(reports, "controls"), "-o", reports, ...RUN], [/--out: the --features folder .*reports\/controls is inside --out/]);
  cpSync(join(__dirname, "..", "..", "examples", "custom-controls"), join(root, "controls"), { recursive: true });
  await refused(root, ["run", "-i", DEMO, "--features", join(root, "controls"), "-o", join(root, "controls", "reports"), ...RUN], [/--out: --out .*controls\/reports is inside the --features folder .*controls: writing there would change it/]);
  // Not an input, but a report of its own: a report or history written into it would change it.
  await refused(root, ["run", "-i", DEMO, "-o", join(reports, "sub"), ...RUN], [/--out: --out .*reports\/sub is inside .*reports, a folder hostproof wrote \(a report or a collection\): writing there would change it/]);
  await refused(root, ["run", "-i", DEMO, "-o", join(root, "r2"), "--history", join(reports, "h"), ...RUN], [/--history: --history .*reports\/h is inside .*reports, a folder hostproof wrote/]);
});

test("--history is kept apart from the inputs and from --out: inside --out it would be deleted with it, over the snapshots it would write among them", async () => {
  const root = tempDir();
  const snaps = collected(root);
  const inventory = join(snaps, "inventory.json");
  writeFileSync(join(root, "keep.txt"), "");
  await refused(root, ["run", "-i", inventory, "-o", join(root, "r"), "--history", snaps, ...RUN], [/--history: the inventory .* is inside --history .*snaps: hostproof writes its history files there/]);
  mkdirSync(join(root, "r"));
  await refused(root, ["run", "-i", inventory, "-o", join(root, "r"), "--history", join(root, "r", "h"), ...RUN], [/--history .*r\/h is inside --out .*r: one would overwrite the other/]);
  await refused(root, ["run", "-i", inventory, "-o", join(root, "r", "x"), "--history", join(root, "r"), ...RUN], [/--out .*r\/x is inside --history .*r: one would overwrite the other/]);
});

test("merge -o inside a shard reached through a link is refused: the shard is left as it was written", async () => {
  const root = tempDir();
  for (const k of [1, 2]) assert.equal(spawnCli(["run", "-i", DEMO, ...RUN, "--no-history", "--exit-zero", "--shard", `${k}/2`, "-o", join(root, `s${k}`)]).code, 0);
  symlinkSync(join(root, "s1"), join(root, "alias"));
  await refused(root, ["merge", join(root, "s1"), join(root, "s2"), "-o", join(root, "alias", "merged"), "--no-html", "--no-history"], [/--out .*alias\/merged is inside the shard .*s1/]);
  await refused(root, ["merge", join(root, "s1"), join(root, "s2"), "-o", join(root, "alias"), "--no-html", "--no-history"], [/--out .*alias is the shard .*s1/]);
  assert.equal(spawnCli(["verify", join(root, "s1")]).code, 0, "the shard is as it was written");
  assert.equal(readFileSync(join(root, "s1", ".hostproof-report"), "utf8").length > 0, true);
});
