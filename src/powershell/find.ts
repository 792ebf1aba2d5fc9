/**
 * Which pwsh to run. Order: an explicit path from the caller, then NODE_POWERSHELL, then `pwsh`
 * on PATH. The result carries its source so errors can say which one was wrong.
 *
 * We resolve it ourselves rather than letting node-powershell do it, because node-powershell
 * reads process.env.NODE_POWERSHELL even when given an explicit executable (env wins), and
 * falls back to a bare `pwsh` it cannot report on.
 *
 * Not supported: `dotnet tool run pwsh` (a local dotnet tool). node-powershell spawns one
 * executable with fixed arguments (`-NoLogo … -NoExit -Command -`) and no shell, so a
 * multi-word command cannot be the executable. A *global* tool (`dotnet tool install --global
 * PowerShell`) installs a real `pwsh` shim in ~/.dotnet/tools: put that on PATH or point
 * NODE_POWERSHELL at it.
 */
import { findOnPath } from "../util/executables";

export { findOnPath };

export type ExecutableSource = "executable option" | "NODE_POWERSHELL" | "PATH";

export interface ResolvedExecutable {
  path: string;
  source: ExecutableSource;
}

/** NODE_POWERSHELL when set (not checked: a wrong value should fail loudly later), else pwsh on PATH. */
export function findPwsh(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return resolvePwsh(undefined, env)?.path;
}

/** As findPwsh, with an explicit executable first, and saying where the answer came from. */
export function resolvePwsh(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedExecutable | undefined {
  if (explicit) return { path: explicit, source: "executable option" };
  if (env.NODE_POWERSHELL) return { path: env.NODE_POWERSHELL, source: "NODE_POWERSHELL" };
  const onPath = findOnPath("pwsh", env);
  return onPath === undefined ? undefined : { path: onPath, source: "PATH" };
}
