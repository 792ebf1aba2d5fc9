/** Finding executables the way a shell would: on PATH, executable bit set. */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The first executable file called `name` on env's PATH (with .exe on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // A copied env object loses process.env's case-insensitivity, and Windows spells it Path.
  const path = env.PATH ?? env.Path ?? "";
  const file = process.platform === "win32" ? `${name}.exe` : name;
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, file);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
