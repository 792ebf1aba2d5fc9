/**
 * Before any host is contacted: is there a pwsh, does it start, and is it new enough? A pwsh that
 * is missing, broken (the Windows pwsh.dll of the .NET tool run on Linux dies with exit 150) or
 * older than 7.3 (no `Invoke-Command -Options`, which carries the ssh host-key policy) would
 * otherwise fail every host the same way, as if the estate were unreachable. This turns each into
 * one clear input error (exit 3) naming the executable and what to do.
 */
import { InputError } from "../errors";
import { checkEnvironment, NODE_POWERSHELL } from "../input/env-vars";
import { describeExecutable, INSTALL_HINT, PowerShellError } from "../powershell/errors";
import { resolvePwsh } from "../powershell/find";
import { PowerShellSession } from "../powershell/session";
import { shownArg } from "../util/shell-quote";

/** `Invoke-Command -Options` arrived in 7.3. */
export const MINIMUM_PWSH = { major: 7, minor: 3 };

export interface PwshCheck {
  /** The inventory, for the error's file. */
  file: string;
  /** How many hosts need it, for the error's field. */
  liveHosts: number;
  env: NodeJS.ProcessEnv;
}

/** The version of the pwsh hostproof will run, or an InputError saying why it cannot be used. */
export async function checkPwsh({ file, liveHosts, env }: PwshCheck): Promise<string> {
  const field = `hosts (${liveHosts} with a live transport)`;
  checkEnvironment("live", env, [NODE_POWERSHELL]);
  const resolved = resolvePwsh(undefined, env);
  if (resolved === undefined) {
    throw new InputError({ file, field, problem: "PowerShell 7 (pwsh) was not found on this machine, and live transports need it", fix: `${capitalise(INSTALL_HINT)}; or judge snapshots collected elsewhere.` });
  }
  const where = describeExecutable(resolved.path, resolved.source);
  const session = PowerShellSession.start({ executable: resolved.path, invocationTimeoutMs: 60_000, env });
  let version: string;
  try {
    version = (await session.invoke("$PSVersionTable.PSVersion.ToString()")).stdout.trim();
  } catch (err) {
    if (!(err instanceof PowerShellError)) throw err;
    throw new InputError({ file, field, problem: `PowerShell at ${where} could not be used: ${err.message}`, fix: `Check that it starts (\`${shownArg(resolved.path)} -NoProfile -Command '$PSVersionTable'\`), or ${INSTALL_HINT}.` });
  } finally {
    await session.dispose();
  }
  const [major, minor] = version.split(".").map(Number);
  if (!(major > MINIMUM_PWSH.major || (major === MINIMUM_PWSH.major && minor >= MINIMUM_PWSH.minor))) {
    throw new InputError({ file, field, problem: `PowerShell at ${where} is ${version || "of an unknown version"}; live collection needs ${MINIMUM_PWSH.major}.${MINIMUM_PWSH.minor} or later (Invoke-Command -Options carries the ssh host-key policy)`, fix: `Install a newer PowerShell 7: ${INSTALL_HINT}.` });
  }
  return version;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
