/** Per-test scratch directories under the OS temp dir, removed when the test ends. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-report-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The entries of `dir` once background deleters (report/output/background-remove.ts) are done with it:
 * polled until no `.trash-`/`.old-` folder is left, for at most `limitMs` (a bound on waiting for
 * another process, not a measure of speed).
 */
export async function entriesSettled(dir: string, limitMs = 60_000): Promise<string[]> {
  const busy = (names: string[]): boolean => names.some((n) => /\.(trash|old)-\d+-/.test(n));
  const until = Date.now() + limitMs;
  let names = readdirSync(dir);
  while (busy(names) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    names = readdirSync(dir);
  }
  return names.sort();
}
