/**
 * Passwords stay out of hostproof. An ansible-inventory output carries whatever the inventory
 * holds, so a password written there in clear is in the file hostproof was given: it is refused
 * (never copied, never shown, not even in the error) with what to write instead. hostproof is
 * told where a password is (an environment variable or a SecretManagement vault entry) and its
 * PowerShell reads it, as for a hostproof inventory (README, "Credentials").
 */
import type { SecretSource } from "../../model/inventory";
import type { HostVars, ResolvedVar } from "./host-vars";
import { isTemplate, isVaultValue, type HostView } from "./values";

/** ansible_password, ansible_ssh_pass, ansible_winrm_password, ansible_become_pass, ansible_sudo_pass, …_passphrase. */
const SECRET_VAR = /^ansible_(?:[a-z0-9]+_)*(?:pass|password|passphrase)$/i;
const BECOME_VAR = /^ansible_(?:become|sudo|su|runas|doas|pbrun|pfexec|dzdo|ksu|machinectl|enable)_/i;

export const WHERE_THE_PASSWORD_IS =
  "hostproof_password_env: <VARIABLE> (an environment variable holding it) or hostproof_password_vault: { vault: <vault>, secret: <name> } (a PowerShell SecretManagement entry), on the host or its group";

/** The password-like variables of a set of group variables, found once for every host sharing it. */
const inheritedSecrets = new WeakMap<ReadonlyMap<string, ResolvedVar>, [string, ResolvedVar][]>();

function secretVars(vars: HostVars): [string, ResolvedVar][] {
  let inherited = inheritedSecrets.get(vars.inherited);
  if (inherited === undefined) {
    inherited = [...vars.inherited].filter(([name]) => SECRET_VAR.test(name));
    inheritedSecrets.set(vars.inherited, inherited);
  }
  return [...[...vars.own].filter(([name]) => SECRET_VAR.test(name)), ...inherited.filter(([name]) => !vars.own.has(name))];
}

/** Refuses every password-like ansible_* variable whose value is written out in the file. */
export function refuseWrittenSecrets(view: HostView): void {
  for (const [name, resolved] of secretVars(view.vars)) {
    const v = resolved.value;
    // Encrypted, a template pointing elsewhere, or empty: no secret is in the file.
    if (v === null || v === "" || isVaultValue(v) || isTemplate(v)) continue;
    const become = BECOME_VAR.test(name);
    view.problem(
      resolved.path,
      `${name} holds a password written into the inventory (its value is not shown); hostproof does not read secrets from an inventory and copied nothing`,
      become
        ? "Encrypt it (ansible-vault encrypt_string) or leave it out of the inventory (--ask-become-pass); hostproof never uses become and needs no such password."
        : `Encrypt it (ansible-vault encrypt_string) or leave it out of the inventory, and tell hostproof where the password is: ${WHERE_THE_PASSWORD_IS}.`,
    );
  }
}

/** Where hostproof's PowerShell reads the host's WinRM password, from hostproof_password_env or _vault (schema-checked). */
export function passwordSource(view: HostView): SecretSource | undefined {
  const env = view.get("hostproof_password_env");
  const vault = view.get("hostproof_password_vault");
  if (env !== undefined && vault !== undefined) {
    view.problem(vault.path, "both hostproof_password_env and hostproof_password_vault are set", "Keep one: the password comes from either an environment variable or a vault entry.");
    return undefined;
  }
  if (env !== undefined && typeof env.value === "string") return { env: env.value };
  const v = vault?.value as { vault?: unknown; secret?: unknown } | undefined;
  if (v !== undefined && typeof v.vault === "string" && typeof v.secret === "string") return { vault: v.vault, secret: v.secret };
  return undefined;
}
