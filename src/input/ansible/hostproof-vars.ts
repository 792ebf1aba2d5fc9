/**
 * The hostproof_* variables (schemas/ansible-vars.schema.json), checked where they were written:
 * on a group (--export output) or a host. A hostproof_* name the schema does not know is a typo
 * and refused; Ansible's own variables are not checked here.
 */
import type { InputProblem } from "../../errors";
import { checkSchema, formatPath } from "../../schema/validate";
import type { AnsibleDocument, Vars } from "./document";
import type { HostView } from "./values";

export const PREFIX = "hostproof_";

export function checkHostproofVars(doc: AnsibleDocument, file: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const check = (vars: Vars, at: (string | number)[]): void => {
    // null (YAML ~) cancels a group's value for a subgroup or host: it is unset, not wrong.
    const own = Object.fromEntries(Object.entries(vars).filter(([k, v]) => k.startsWith(PREFIX) && v !== null));
    if (Object.keys(own).length === 0) return;
    for (const p of checkSchema("ansible-vars", { file, value: own, lineOf: () => undefined })) {
      const inner = p.field === undefined || p.field === "(top level)" ? "" : p.field.startsWith("[") ? p.field : `.${p.field}`;
      const unknown = /is not a known field/.test(p.problem);
      problems.push({
        file,
        field: `${formatPath(at)}${inner}`,
        problem: p.problem,
        fix: unknown ? `${p.fix} hostproof's variables are ${KNOWN.join(", ")} (schemas/ansible-vars.schema.json).` : p.fix,
      });
    }
  };
  for (const g of doc.groups.values()) check(g.vars, [g.name, "vars"]);
  for (const [host, vars] of doc.hostvars) check(vars, ["_meta", "hostvars", host]);
  return problems;
}

const KNOWN = ["hostproof_skip", "hostproof_transport", "hostproof_snapshot", "hostproof_password_env", "hostproof_password_vault", "hostproof_inputs", "hostproof_cluster", "hostproof_estate"];

/**
 * hostproof_snapshot, with {{ inventory_hostname }} (or _short) replaced by the host's name, so
 * that one group variable names every host's file. Any other template is refused: hostproof does
 * not evaluate Jinja2.
 */
export function snapshotOf(view: HostView): string | undefined {
  const found = view.get("hostproof_snapshot");
  if (found === undefined || typeof found.value !== "string") return undefined;
  const replaced = found.value
    .replace(/\{\{\s*inventory_hostname\s*\}\}/g, view.host)
    .replace(/\{\{\s*inventory_hostname_short\s*\}\}/g, view.host.split(".")[0]!);
  if (/\{\{|\{%/.test(replaced)) {
    view.problem(found.path, "hostproof_snapshot holds a Jinja2 template other than {{ inventory_hostname }} or {{ inventory_hostname_short }}", "Write the path itself, or use only {{ inventory_hostname }} / {{ inventory_hostname_short }} in it.");
    return undefined;
  }
  return replaced;
}
