/**
 * Gives hosts of an estate writeEstate wrote names its builder cannot write a snapshot file for
 * (a 253-character FQDN is longer than a file name may be): the inventory and each snapshot's
 * `host` take the new name, the snapshot keeps its file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function renameHosts(dir: string, inventory: string, names: Readonly<Record<string, string>>): void {
  const inv = JSON.parse(readFileSync(inventory, "utf8")) as { hosts: { name: string }[] };
  for (const h of inv.hosts) {
    const to = names[h.name];
    if (to === undefined) continue;
    const snap = join(dir, "snapshots", `${h.name}.json`);
    writeFileSync(snap, readFileSync(snap, "utf8").replace(`"host": "${h.name}"`, `"host": "${to}"`));
    h.name = to;
  }
  writeFileSync(inventory, JSON.stringify(inv, null, 2));
}
