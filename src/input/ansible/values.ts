/**
 * Reading one host's Ansible variables as plain values. ansible-inventory prints variables as
 * written, never evaluated: a Jinja2 template (`{{ … }}`) is printed as its source text and a
 * vault-encrypted value as `{"__ansible_vault": "<ciphertext>"}`. hostproof evaluates neither, so
 * a variable it needs in either form is refused with what to write instead.
 */
import type { AnsibleProblems } from "./problems";
import type { HostVars, ResolvedVar } from "./host-vars";

export const isVaultValue = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && "__ansible_vault" in v;

export const isTemplate = (v: unknown): boolean => typeof v === "string" && /\{\{|\{%/.test(v);

export class HostView {
  constructor(
    readonly host: string,
    readonly vars: HostVars,
    private readonly problems: AnsibleProblems,
  ) {}

  /** A variable set to null (YAML ~) is unset: that is how a subgroup or host cancels a group's value. */
  get(name: string): ResolvedVar | undefined {
    const found = this.vars.get(name);
    return found?.value === null ? undefined : found;
  }

  /**
   * The variable Ansible would use among aliases: `names` are listed as a connection plugin lists
   * them, generic first, and the last one set wins (ansible_winrm_user over ansible_user).
   */
  pick(names: readonly string[]): { name: string; resolved: ResolvedVar } | undefined {
    for (const name of [...names].reverse()) {
      const resolved = this.vars.get(name);
      if (resolved !== undefined && resolved.value !== null) return { name, resolved };
    }
    return undefined;
  }

  problem(path: (string | number)[], problem: string, fix: string): void {
    this.problems.add(this.host, path, problem, fix);
  }

  /** A text value (numbers as written); undefined, with a problem recorded, when it cannot be used. */
  text(names: readonly string[], fix: string): { name: string; value: string; resolved: ResolvedVar } | undefined {
    const found = this.pick(names);
    if (found === undefined) return undefined;
    const { name, resolved } = found;
    const v = resolved.value;
    if (isVaultValue(v)) {
      this.problem(resolved.path, `${name} is encrypted with Ansible Vault, which hostproof does not decrypt`, fix);
      return undefined;
    }
    if (isTemplate(v)) {
      this.problem(resolved.path, `${name} is a Jinja2 template, which ansible-inventory prints unevaluated and hostproof does not evaluate`, fix);
      return undefined;
    }
    if (typeof v === "number") return { name, value: String(v), resolved };
    if (typeof v !== "string" || v.trim() === "") {
      this.problem(resolved.path, `${name} must be a text value, found ${v === "" ? "an empty one" : Array.isArray(v) ? "a list" : typeof v}`, fix);
      return undefined;
    }
    return { name, value: v.trim(), resolved };
  }

  port(names: readonly string[]): number | undefined {
    const fix = "Write the port as a number from 1 to 65535.";
    const found = this.text(names, fix);
    if (found === undefined) return undefined;
    const n = /^\d{1,5}$/.test(found.value) ? Number(found.value) : NaN;
    if (n >= 1 && n <= 65535) return n;
    this.problem(found.resolved.path, `${found.name} ${JSON.stringify(found.value)} is not a port`, fix);
    return undefined;
  }
}
