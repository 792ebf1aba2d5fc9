/**
 * Makes the demo's directory snapshot, examples/demo/directory.json, the way a user makes theirs:
 * `hostproof discover` over LDAPS against a real Active Directory domain controller (Debian's
 * samba-ad-dc, provisioned on a loopback address by test/helpers/samba-dc.ts, as the tests do),
 * bound as a plain domain user.
 *
 *   npm run build && node --import tsx scripts/make-demo-directory.ts [--out <file>]
 *
 * The objects are the demo's domain, corp.contoso.test: the inventory's domain members, and what
 * an estate holds that its inventory forgets (below). Times come from the directory itself (when
 * the objects were made, when discover read them), so two runs differ in their times only;
 * test/directory/demo-directory.test.ts makes it again and compares everything else with the
 * committed file, and the times relative to the moment each file was read.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { findSamba, SAMBA_HINT, startSambaDc, type ComputerSpec } from "../test/helpers/samba-dc";

export const DEMO_REALM = "CORP.CONTOSO.TEST";
const DOMAIN = DEMO_REALM.toLowerCase();

/** A machine account that logged on `days` ago and changed its password as machines do (every 30 days). */
function seen(days: number): Pick<ComputerSpec, "lastLogonDaysAgo" | "pwdLastSetDaysAgo"> {
  return { lastLogonDaysAgo: days, pwdLastSetDaysAgo: days + 11 };
}

function member(cn: string, os: string, version: string, parent = "OU=Servers", extra: Partial<ComputerSpec> = {}): ComputerSpec {
  return { cn, parent, dnsHostName: `${cn.toLowerCase()}.${DOMAIN}`, operatingSystem: os, operatingSystemVersion: version, ...seen(1), ...extra };
}

/**
 * The demo domain's computer objects. md-node2 is in emea.contoso.test and the wgclus nodes in no
 * domain: this directory holds none of them, and HP-DIR-003 says so for each.
 */
export const DEMO_COMPUTERS: readonly ComputerSpec[] = [
  // The inventory's domain members, as their own snapshots describe them.
  member("MD-NODE1", "Windows Server 2019 Datacenter", "10.0 (17763)", "OU=Cluster Nodes"),
  member("APP2016", "Windows Server 2016 Standard", "10.0 (14393)"),
  member("FS01", "Windows Server 2019 Datacenter", "10.0 (17763)"),
  member("HV01", "Windows Server 2022 Datacenter", "10.0 (20348)"),
  member("APP01", "Windows Server 2022 Datacenter", "10.0 (20348)"),
  member("NANO2016", "Windows Server 2016 Datacenter", "10.0 (14393)"),
  member("LEGACY2003", "Windows Server 2003", "5.2 (3790)", "OU=Legacy", { operatingSystemServicePack: "Service Pack 2" }),
  // ctr01 was rebuilt on Windows Server 2022 under its old name, and its object still describes
  // the Windows Server 2016 machine it replaced: the directory and the host disagree (HP-DIR-003).
  member("CTR01", "Windows Server 2016 Datacenter", "10.0 (14393)", "OU=Servers", seen(40)),
  // What the inventory forgets. A Windows Server 2003 R2 machine still logging on: past end of
  // support (HP-DIR-001) and audited by no one (HP-DIR-002).
  member("OLD2003", "Windows Server 2003 R2", "5.2 (3790)", "OU=Legacy", { operatingSystemServicePack: "Service Pack 2", ...seen(3) }),
  // A Windows domain controller beside this one: a server the inventory leaves to the directory
  // team, accepted by a waiver of the whole OU (examples/demo/waivers.yaml, WVR-2026-031).
  member("DC02", "Windows Server 2022 Datacenter", "10.0 (20348)", "OU=Domain Controllers", { userAccountControl: 532480 }),
  // Stale: no logon and no password change for over a year. Listed, neither passed nor failed.
  member("SQL2008", "Windows Server 2008 R2 Enterprise", "6.1 (7601)", "OU=Servers", { lastLogonDaysAgo: 420, pwdLastSetDaysAgo: 430 }),
  // Disabled: not a live host, not counted.
  member("FS2012", "Windows Server 2012 R2 Standard", "6.3 (9600)", "OU=Servers", { userAccountControl: 4098 }),
  // Workstations: dated against their own lifecycle, never asked to be in a server inventory.
  member("PC-ANNA", "Windows 11 Enterprise", "10.0 (26100)", "OU=Workstations"),
  member("PC-KIOSK", "Windows 10 Enterprise LTSC", "10.0 (17763)", "OU=Workstations", seen(6)),
];

export const DEMO_OUS = ["Servers", "Cluster Nodes", "Workstations"];

/** Starts the directory, discovers it into `outFile`, and stops it. Needs dist/ built (bin/hostproof.js). */
export async function makeDemoDirectory(outFile: string): Promise<void> {
  const samba = findSamba();
  if (samba === undefined) throw new Error(`no Samba AD DC here: ${SAMBA_HINT}`);
  const dc = await startSambaDc({ samba, realm: DEMO_REALM, ous: DEMO_OUS, computers: DEMO_COMPUTERS });
  const work = mkdtempSync(join(tmpdir(), "hostproof-demo-directory-"));
  try {
    const bin = join(__dirname, "..", "bin", "hostproof.js");
    const args = ["discover", "--ldap", dc.ldapsUrl, "--base", dc.baseDn, "--bind-dn", dc.reader.dn, "--password-env", "HP_DEMO_BIND", "--ca-file", dc.caFile, "--out", work];
    const res = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, HP_DEMO_BIND: dc.reader.password, NO_COLOR: "1" } });
    if (res.status !== 0) throw new Error(`hostproof discover exited ${res.status}: ${res.stderr}${res.stdout}`);
    copyFileSync(join(work, "directory.json"), outFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await dc.stop();
  }
}

if (require.main === module) {
  const at = process.argv.indexOf("--out");
  const given = at >= 0 && process.argv[at + 1] !== undefined;
  const out = resolve(given ? process.argv[at + 1]! : join(__dirname, "..", "examples", "demo", "directory.json"));
  makeDemoDirectory(out).then(
    () => {
      // examples/ansible is the same estate and keeps its own copy beside its JSON file.
      if (!given) copyFileSync(out, join(__dirname, "..", "examples", "ansible", "directory.json"));
      process.stdout.write(`wrote ${out}${given ? "" : " and examples/ansible/directory.json"}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
