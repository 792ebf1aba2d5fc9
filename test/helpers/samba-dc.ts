/**
 * A throwaway Active Directory domain controller (Debian's samba-ad-dc) on a loopback address, for
 * the `discover` tests: provisioned into a temporary folder, filled with computer objects, served
 * over LDAPS (636) and LDAP + StartTLS (389), and removed with everything it wrote.
 *
 * Traps met on Samba 4.17 (Debian 12, running as root in a gVisor container), and what is done:
 * - `--targetdir` keeps the provisioned databases, the generated smb.conf (<dir>/etc/smb.conf) and
 *   the Kerberos file out of /etc and /var/lib. The generated smb.conf still points the log at
 *   /var/log/samba and `samba` writes its pid to /run/samba/samba.pid: both are overridden
 *   ("log file", "pid directory"), with every other directory, so nothing lands outside <dir>.
 * - `interfaces = 127.0.0.x` (a bare address) is silently ignored ("WARNING: no network interfaces
 *   found") unless an interface holds that exact address; `127.0.0.x/8` makes Samba listen on it.
 * - Samba's self-signed certificate (private/tls, made at first start) names only
 *   CN=DC1.<realm>, with no subjectAltName: a client reaching the DC by IP address cannot verify
 *   it, and a name needs /etc/hosts. So the tests make their own CA and a server certificate for
 *   the DC's address (openssl), as an administrator deploying LDAPS would. A second address
 *   that the certificate does not name gives the hostname-mismatch case.
 * - `pwdLastSet` may only be written as 0 or -1 ("setup_last_set_field: pwdLastSet must be 0 or -1
 *   only!"), even through ldbadd on sam.ldb; Samba's private control
 *   DSDB_CONTROL_PASSWORD_BYPASS_LAST_SET (OID 1.3.6.1.4.1.7165.4.3.20, passed as
 *   `--controls=local_oid:…:0`) lets a past time be written, which stale objects need.
 * - Samba checks attribute syntax: a value that is not UTF-8 is refused ("contains at least one
 *   invalid value"), even with the relax control. Non-UTF-8 directory text therefore cannot come
 *   from this DC; the decoder is tested on bytes directly.
 * - "server services = ldap" only: the DC needs no KDC, DNS, SMB or RPC for these tests, and
 *   every extra service is a port that could collide with another test.
 * - Objects are added offline with one ldbadd of one LDIF before the DC starts (250 samba-tool
 *   calls take minutes; one ldbadd of 250 takes about a second).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { findOnPath } from "../../src/powershell/find";

export const SAMBA_HINT = "install Debian's samba-ad-dc and ldb-tools (apt-get install samba-ad-dc ldb-tools)";

/** `samba` when samba, samba-tool, ldbadd and openssl are all there. */
export function findSamba(): string | undefined {
  const samba = ["/usr/sbin/samba", findOnPath("samba")].find((p) => p !== undefined && spawnSync(p, ["--version"]).status === 0);
  if (samba === undefined) return undefined;
  for (const tool of ["samba-tool", "ldbadd", "ldbmodify", "openssl"]) if (findOnPath(tool) === undefined) return undefined;
  return samba;
}

export interface ComputerSpec {
  /** The CN (also the name attribute); may hold any characters the DN escaping allows. */
  cn: string;
  /** Parent container, relative to the base DN. Default CN=Computers. */
  parent?: string;
  samAccountName?: string;
  dnsHostName?: string;
  operatingSystem?: string;
  operatingSystemVersion?: string;
  operatingSystemServicePack?: string;
  /** Days before now; written as FILETIME. Absent: never logged on. */
  lastLogonDaysAgo?: number;
  /** Days before now; written as FILETIME. Absent: 0 (must change). */
  pwdLastSetDaysAgo?: number;
  /** 4096 (workstation trust), 4098 (disabled), 532480 (server trust). */
  userAccountControl?: number;
}

export interface Account {
  dn: string;
  password: string;
}

export interface SambaDc {
  dir: string;
  address: string;
  /** A second address of the same DC that its certificate does not name. */
  otherAddress: string;
  ldapsUrl: string;
  ldapUrl: string;
  /** The CA that signed the DC's certificate (for --ca-file). */
  caFile: string;
  /** Samba's own self-signed CA (signs nothing the DC serves here). */
  baseDn: string;
  realm: string;
  /** Domain administrator. */
  admin: Account;
  /** A plain domain user: the read-only account discover is meant to bind as. */
  reader: Account;
  /** A domain user denied read of operatingSystem on every object below the base. */
  blindReader: Account;
  /** An OU with no computer objects in it. */
  emptyOu: string;
  /** An OU whose computers (parent "OU=Hidden") blindReader may not read operatingSystem of. */
  hiddenOu: string;
  samLdb: string;
  confFile: string;
  /** Seconds spent provisioning, adding objects and starting. */
  timings: { provisionMs: number; populateMs: number; startMs: number };
  /** Adds computer objects offline-style through ldbadd on sam.ldb (works while the DC runs). */
  addComputers(computers: readonly ComputerSpec[]): void;
  stop(): Promise<void>;
}

export interface SambaOptions {
  samba: string;
  /** Third octet of 127.0.x.y to search for free addresses in. Default 23. */
  octet?: number;
  computers?: readonly ComputerSpec[];
  /** The domain's DNS name, upper case (Default CORP.EXAMPLE; the demo's is CORP.CONTOSO.TEST). */
  realm?: string;
  /** More OUs below the base, made before the computers (OU=Empty, OU=Legacy and OU=Hidden always are). */
  ous?: readonly string[];
}

const REALM = "CORP.EXAMPLE";
/** DC=corp,DC=example for CORP.EXAMPLE. */
const baseOf = (realm: string): string => realm.toLowerCase().split(".").map((l) => `DC=${l}`).join(",");
/** Samba enforces password complexity: these pass it. Test-only secrets of a throwaway domain. */
const ADMIN_PASSWORD = "Adm1n!Throwaway-23";
const READER_PASSWORD = "Re4der!Throwaway-23";
const BLIND_PASSWORD = "Bl1nd!Throwaway-23";
const OPERATING_SYSTEM_GUID = "3e978925-8c01-11d0-afda-00c04fd930c9";

export async function startSambaDc(options: SambaOptions): Promise<SambaDc> {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-samba-"));
  const realm = options.realm ?? REALM;
  const BASE = baseOf(realm);
  let proc: ChildProcess | undefined;
  const cleanup = async (): Promise<void> => {
    if (proc !== undefined) await stopGroup(proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [address, otherAddress] = await freeAddresses(options.octet ?? 23, 2);
    const t0 = Date.now();
    const confFile = provision(dir, realm, address as string, otherAddress as string);
    const samLdb = join(dir, "private", "sam.ldb");
    const provisionMs = Date.now() - t0;

    const t1 = Date.now();
    const tool = (...args: string[]): string => run("samba-tool", [...args, "-s", confFile, "-H", samLdb]);
    tool("user", "create", "hp-reader", READER_PASSWORD);
    tool("user", "create", "hp-blind", BLIND_PASSWORD);
    const blindSid = sidOf(samLdb, "CN=hp-blind,CN=Users," + BASE);
    ldbadd(samLdb, ["Empty", "Legacy", "Hidden", ...(options.ous ?? [])].map((ou) => `dn: OU=${ou},${BASE}\nobjectClass: organizationalUnit\n`).join("\n"));
    if (options.computers && options.computers.length > 0) ldbadd(samLdb, computersLdif(BASE, options.computers));
    // hp-blind may not read operatingSystem on the objects in OU=Hidden. The deny must be on each
    // object: an inherited deny comes after the computer class's explicit allow for
    // Authenticated Users, and AD (Samba too) takes the first ACE that matches.
    for (const c of options.computers ?? []) {
      if (c.parent !== "OU=Hidden") continue;
      // OD = object-specific deny; RP = read property; the GUID is operatingSystem's schemaIDGUID.
      tool("dsacl", "set", `--objectdn=CN=${escapeRdn(c.cn)},OU=Hidden,${BASE}`, `--sddl=(OD;;RP;${OPERATING_SYSTEM_GUID};;${blindSid})`);
    }
    const populateMs = Date.now() - t1;

    const caFile = makeCertificates(dir, `dc1.${realm.toLowerCase()}`, address as string);

    const t2 = Date.now();
    const log = join(dir, "samba.out");
    const out = openAppend(log);
    // -i: foreground, no daemon fork; -M single: one process; detached: its own process group.
    proc = spawn(options.samba, ["-i", "-M", "single", "--debug-stdout", "-d", "1", "-s", confFile], {
      detached: true,
      stdio: ["ignore", out, out],
    });
    await waitForLdaps(proc, address as string, log, 60_000);
    const startMs = Date.now() - t2;

    const started = proc;
    return {
      dir,
      address: address as string,
      otherAddress: otherAddress as string,
      ldapsUrl: `ldaps://${address}:636`,
      ldapUrl: `ldap://${address}:389`,
      caFile,
      baseDn: BASE,
      realm,
      admin: { dn: `CN=Administrator,CN=Users,${BASE}`, password: ADMIN_PASSWORD },
      reader: { dn: `CN=hp-reader,CN=Users,${BASE}`, password: READER_PASSWORD },
      blindReader: { dn: `CN=hp-blind,CN=Users,${BASE}`, password: BLIND_PASSWORD },
      emptyOu: `OU=Empty,${BASE}`,
      hiddenOu: `OU=Hidden,${BASE}`,
      samLdb,
      confFile,
      timings: { provisionMs, populateMs, startMs },
      addComputers: (computers) => ldbadd(samLdb, computersLdif(BASE, computers)),
      stop: async () => {
        await stopGroup(started);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

function provision(dir: string, realm: string, address: string, otherAddress: string): string {
  const d = (name: string): string => {
    const p = join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const options = {
    interfaces: `${address}/8 ${otherAddress}/8`,
    "bind interfaces only": "yes",
    "server services": "ldap",
    "log file": join(dir, "log.%m"),
    "pid directory": d("run"),
    "lock directory": d("lock"),
    "state directory": d("state"),
    "cache directory": d("cache"),
    "ncalrpc dir": d("ncalrpc"),
    "winbindd socket directory": d("winbindd"),
    "tls enabled": "yes",
    "tls keyfile": join(dir, "tls", "server.key"),
    "tls certfile": join(dir, "tls", "server.pem"),
    "tls cafile": join(dir, "tls", "ca.pem"),
  };
  run("samba-tool", [
    "domain", "provision", "--use-rfc2307", `--realm=${realm}`, `--domain=${realm.split(".")[0]}`, "--server-role=dc",
    "--dns-backend=NONE", `--adminpass=${ADMIN_PASSWORD}`, "--host-name=dc1", `--host-ip=${address}`,
    `--targetdir=${dir}`, ...Object.entries(options).map(([k, v]) => `--option=${k}=${v}`),
  ]);
  return join(dir, "etc", "smb.conf");
}

function makeCertificates(dir: string, dnsName: string, address: string): string {
  const tls = join(dir, "tls");
  mkdirSync(tls, { recursive: true });
  const ca = join(tls, "ca.pem");
  run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hostproof test CA",
    "-keyout", join(tls, "ca.key"), "-out", ca]);
  run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${dnsName}`,
    "-keyout", join(tls, "server.key"), "-out", join(tls, "server.csr")]);
  writeFileSync(join(tls, "ext.cnf"), `subjectAltName=DNS:${dnsName},IP:${address}\nextendedKeyUsage=serverAuth\n`);
  run("openssl", ["x509", "-req", "-in", join(tls, "server.csr"), "-CA", ca, "-CAkey", join(tls, "ca.key"),
    "-CAcreateserial", "-days", "2", "-extfile", join(tls, "ext.cnf"), "-out", join(tls, "server.pem")]);
  return ca;
}

/** FILETIME (100-ns ticks since 1601) of `days` before now. */
export function filetimeDaysAgo(days: number, now = Date.now()): string {
  return ((BigInt(now - Math.round(days * 86_400_000)) + 11_644_473_600_000n) * 10_000n).toString();
}

function computersLdif(base: string, computers: readonly ComputerSpec[]): string {
  const out: string[] = [];
  computers.forEach((c) => {
    const lines = [
      ldifLine("dn", `CN=${escapeRdn(c.cn)},${c.parent ?? "CN=Computers"},${base}`),
      "objectClass: computer",
      // Unique per CN, also across several addComputers calls; at most 20 characters.
      ldifLine("sAMAccountName", c.samAccountName ?? `HP${createHash("sha256").update(c.cn).digest("hex").slice(0, 14)}$`),
      `userAccountControl: ${c.userAccountControl ?? 4096}`,
    ];
    if (c.dnsHostName !== undefined) lines.push(ldifLine("dNSHostName", c.dnsHostName));
    if (c.operatingSystem !== undefined) lines.push(ldifLine("operatingSystem", c.operatingSystem));
    if (c.operatingSystemVersion !== undefined) lines.push(ldifLine("operatingSystemVersion", c.operatingSystemVersion));
    if (c.operatingSystemServicePack !== undefined) lines.push(ldifLine("operatingSystemServicePack", c.operatingSystemServicePack));
    if (c.lastLogonDaysAgo !== undefined) lines.push(`lastLogonTimestamp: ${filetimeDaysAgo(c.lastLogonDaysAgo)}`);
    if (c.pwdLastSetDaysAgo !== undefined) lines.push(`pwdLastSet: ${filetimeDaysAgo(c.pwdLastSetDaysAgo)}`);
    out.push(lines.join("\n"), "");
  });
  return out.join("\n") + "\n";
}

/** An LDIF line, base64 when the value is not safe as plain text (RFC 2849). */
function ldifLine(name: string, value: string): string {
  const safe = /^[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(value) && !value.endsWith(" ");
  return safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`;
}

/** RFC 4514 escaping of an RDN value. */
function escapeRdn(value: string): string {
  return value
    .replace(/[\\,+"<>;=#]/g, (ch) => `\\${ch}`)
    .replace(/[\x00-\x1f]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/^ | $/g, (ch) => `\\${ch}`);
}

function ldbadd(samLdb: string, ldif: string): void {
  const res = spawnSync("ldbadd", ["-H", samLdb, "--controls=local_oid:1.3.6.1.4.1.7165.4.3.20:0"], { input: ldif, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`ldbadd failed (${res.status}): ${res.stderr}${res.stdout}`);
}

function sidOf(samLdb: string, dn: string): string {
  const out = run("ldbsearch", ["-H", samLdb, "-b", dn, "-s", "base", "objectSid"]);
  const m = /^objectSid: (S-[0-9-]+)$/m.exec(out);
  if (!m) throw new Error(`no objectSid for ${dn}: ${out}`);
  return m[1] as string;
}

function run(cmd: string, args: string[]): string {
  const res = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} failed (${res.status ?? res.signal}): ${res.stderr}${res.stdout}`.slice(0, 4000));
  return res.stdout;
}

function openAppend(file: string): number {
  writeFileSync(file, "");
  // A numeric fd for spawn's stdio: the child writes straight into the file, nobody drains a pipe.
  return openSync(file, "a");
}

/** `count` addresses 127.0.<octet>.y on which nothing listens on 389 or 636. */
async function freeAddresses(octet: number, count: number): Promise<string[]> {
  const found: string[] = [];
  // Start at a random host part, so two test files starting at once rarely try the same one.
  const start = 2 + Math.floor(Math.random() * 200);
  for (let i = 0; i < 250 && found.length < count; i++) {
    const address = `127.0.${octet}.${2 + ((start - 2 + i) % 250)}`;
    if ((await canBind(address, 389)) && (await canBind(address, 636))) found.push(address);
  }
  if (found.length < count) throw new Error(`no free loopback address in 127.0.${octet}.0/24 for LDAP`);
  return found;
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function waitForLdaps(proc: ChildProcess, address: string, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  proc.once("exit", (code, signal) => (exited = `samba exited (${code ?? signal})`));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${exited}: ${readFileSync(log, "utf8").slice(-3000)}`);
    if (await handshakes(address)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`samba did not answer LDAPS on ${address}:636 within ${timeoutMs} ms: ${readFileSync(log, "utf8").slice(-3000)}`);
}

function handshakes(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: 636, rejectUnauthorized: false }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** SIGTERM to the whole process group, SIGKILL after 5 s; resolves when samba has exited. */
async function stopGroup(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const pid = proc.pid;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  // A worker that outlived the parent would still hold the port.
  signal("SIGKILL");
}
