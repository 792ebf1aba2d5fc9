/** Per-test scratch directories under the OS temp dir, removed when the test ends. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-report-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
