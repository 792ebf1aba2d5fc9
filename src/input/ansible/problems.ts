/**
 * Problems found in an Ansible inventory, each naming the host it concerns. A group variable in
 * --export output is wrong for every host of the group at once: those are said once, naming the
 * first hosts, instead of once per host.
 */
import type { InputProblem } from "../../errors";
import { formatPath } from "../../schema/validate";

interface Found {
  path: (string | number)[];
  hosts: Set<string>;
  problem: string;
  fix: string;
}

export class AnsibleProblems {
  private readonly found = new Map<string, Found>();

  constructor(readonly file: string) {}

  /** `problem` is written without the host: it is prefixed with the host (or hosts) it concerns. */
  add(host: string | undefined, path: (string | number)[], problem: string, fix: string): void {
    const key = `${formatPath(path)}\u0000${problem}\u0000${fix}`;
    const known = this.found.get(key);
    if (known === undefined) this.found.set(key, { path, hosts: new Set(host === undefined ? [] : [host]), problem, fix });
    else if (host !== undefined) known.hosts.add(host);
  }

  get size(): number {
    return this.found.size;
  }

  list(): InputProblem[] {
    return [...this.found.values()].map((f) => ({ file: this.file, field: formatPath(f.path), problem: `${who([...f.hosts])}${f.problem}`, fix: f.fix }));
  }
}

function who(hosts: string[]): string {
  if (hosts.length === 0) return "";
  if (hosts.length === 1) return `host '${hosts[0]}': `;
  const named = hosts.slice(0, 3).map((h) => `'${h}'`).join(", ");
  return `hosts ${named}${hosts.length > 3 ? ` and ${hosts.length - 3} more` : ""}: `;
}
