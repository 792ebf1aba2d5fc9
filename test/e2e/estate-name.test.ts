/**
 * The estate's name (the inventory's `name`) is the Allure report's title, which hostproof hands
 * to Allure on its command line. A name no command line can carry (a NUL, which Node refuses;
 * 200,000 characters, past Linux's 128 KiB per argument: E2BIG) stopped the run with exit 4 and a
 * stack trace after every result was judged. The run now makes its report with the name's control
 * characters shown as visible escapes and a long name cut, and keeps the whole name in summary.json.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, spawnCli, tempDir, writeCompliantEstate } from "./cli";

for (const [what, name, title] of [
  ["a NUL and a line break", "Contoso\u0000 estate\nsecond line", "hostproof: Contoso\\x00 estate\\nsecond line"],
  ["200,000 characters", `Contoso ${"A".repeat(200_000)}`, `hostproof: Contoso ${"A".repeat(1000 - 1 - "hostproof: Contoso ".length)}…`],
] as const) {
  test(`an estate name holding ${what} titles the Allure report; the run does not fail on it`, { timeout: 180_000 }, (t) => {
    if (!requireTool(t, "java", findJava(), "apt-get install default-jre-headless")) return;
    const dir = tempDir();
    const inventory = writeCompliantEstate(dir, { name, hosts: [{ name: "solo1" }] });
    const out = join(dir, "out");
    const res = spawnCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-history"], dir);
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /internal error|\n\s+at |warning/);
    const html = readFileSync(join(out, "allure-report", "index.html"), "utf8");
    const shown = /<title>([^<]*)<\/title>/.exec(html)?.[1];
    assert.equal(shown, title.replace(/&/g, "&amp;"));
    assert.equal((JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { estate: string }).estate, name);
  });
}
