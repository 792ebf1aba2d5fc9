/**
 * How hostproof reaches one Ansible host: its transport, address, port, WinRM settings and login,
 * from the connection variables a Windows estate's inventory sets. What cannot be mapped is a
 * problem naming the host and the variable; connection variables hostproof has no use for are
 * ignored (README, "Ansible inventories", lists which).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import type { InventoryHost, SecretSource, Transport } from "../../model/inventory";
import { passwordSource, WHERE_THE_PASSWORD_IS } from "./secrets";
import { isTemplate, isVaultValue, type HostView } from "./values";

type Live = Exclude<Transport, "snapshot">;
/** WinRM as Ansible's winrm plugin speaks it, or as its psrp plugin does: their variables differ. */
type Flavour = "ssh" | "winrm" | "psrp" | "local";

/**
 * ansible_connection values hostproof can honour. psrp is PowerShell Remoting over WinRM, which is
 * exactly what hostproof's winrm transport is (Invoke-Command -ComputerName); Ansible's winrm
 * plugin speaks WinRM's own shell protocol to the same listener, so it maps there too. `smart` is
 * Ansible's name for its ssh default.
 */
const CONNECTIONS: Record<string, { transport: Live; flavour: Flavour }> = {
  ssh: { transport: "ssh", flavour: "ssh" },
  "ansible.builtin.ssh": { transport: "ssh", flavour: "ssh" },
  smart: { transport: "ssh", flavour: "ssh" },
  winrm: { transport: "winrm", flavour: "winrm" },
  "ansible.builtin.winrm": { transport: "winrm", flavour: "winrm" },
  psrp: { transport: "winrm", flavour: "psrp" },
  "ansible.builtin.psrp": { transport: "winrm", flavour: "psrp" },
  local: { transport: "local", flavour: "local" },
  "ansible.builtin.local": { transport: "local", flavour: "local" },
};

/** Each connection plugin's aliases, generic first: the last one set wins, as in Ansible. */
const PORT_VARS: Record<Flavour, string[]> = { ssh: ["ansible_port", "ansible_ssh_port"], winrm: ["ansible_port", "ansible_winrm_port"], psrp: ["ansible_port", "ansible_psrp_port"], local: [] };
const USER_VARS: Record<Flavour, string[]> = { ssh: ["ansible_user", "ansible_ssh_user"], winrm: ["ansible_user", "ansible_winrm_user"], psrp: ["ansible_user", "ansible_psrp_user"], local: [] };
const PASSWORD_VARS: Record<Flavour, string[]> = {
  ssh: ["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"],
  winrm: ["ansible_password", "ansible_winrm_pass", "ansible_winrm_password"],
  psrp: ["ansible_password", "ansible_psrp_pass", "ansible_psrp_password"],
  local: [],
};
const ADDRESS_VARS = ["ansible_ssh_host", "ansible_host"];
const KEY_VARS = ["ansible_private_key_file", "ansible_ssh_private_key_file"];

/**
 * Invoke-Command's -Authentication for Ansible's winrm transports (pywinrm) and psrp auth values.
 * NTLM alone cannot be asked of Invoke-Command: Negotiate is NTLM where Kerberos is not to be had.
 * pywinrm's plaintext and ssl are Basic authentication (over HTTP and HTTPS).
 */
const AUTHENTICATION: Record<string, NonNullable<NonNullable<InventoryHost["winrm"]>["authentication"]>> = {
  basic: "Basic",
  plaintext: "Basic",
  ssl: "Basic",
  ntlm: "Negotiate",
  negotiate: "Negotiate",
  kerberos: "Kerberos",
  credssp: "CredSSP",
};

export interface Login {
  username: string;
  password?: SecretSource;
  keyFile?: string;
  /** Where the user name was set, for messages about the credential. */
  path: (string | number)[];
}

export interface MappedHost {
  host: InventoryHost;
  login?: Login;
}

const NOT_MAPPABLE_FIX =
  "Set hostproof_transport (ssh, winrm or local) on the host or its group if hostproof can reach it another way, hostproof_snapshot to read it from a snapshot, or hostproof_skip: true to leave it out.";

export function mapHost(view: HostView, snapshot: string | undefined): MappedHost | undefined {
  const how = transportOf(view, snapshot);
  if (how === undefined) return undefined;
  if (how.transport === "snapshot") return { host: { name: view.host, transport: "snapshot", snapshot } };
  // A snapshot host is never contacted: its address is of no use, and is not read.
  const address = view.text(ADDRESS_VARS, "Write the host's DNS name or IP address itself.");
  const host: InventoryHost = { name: view.host, ...(address !== undefined ? { address: address.value } : {}), transport: how.transport };
  if (how.flavour === "local") return { host };
  if (how.flavour === "ssh") {
    const port = view.port(PORT_VARS.ssh);
    return { host: { ...host, ...(port !== undefined ? { ssh: { port } } : {}) }, login: sshLogin(view) };
  }
  const winrm = winrmSettings(view, how.flavour);
  return { host: { ...host, ...(winrm !== undefined ? { winrm } : {}) }, login: winrmLogin(view, how.flavour) };
}

function transportOf(view: HostView, snapshot: string | undefined): { transport: Transport; flavour: Flavour } | undefined {
  const override = view.get("hostproof_transport");
  const connection = view.text(["ansible_connection"], NOT_MAPPABLE_FIX);
  if (view.get("ansible_connection") !== undefined && connection === undefined) return undefined;
  const mapped = connection !== undefined ? CONNECTIONS[connection.value] : undefined;
  if (typeof override?.value === "string") {
    const transport = override.value as Transport;
    if (transport === "snapshot") {
      if (snapshot === undefined) {
        view.problem(override.path, "hostproof_transport is snapshot but no hostproof_snapshot names the file", "Add hostproof_snapshot: <path of the snapshot, relative to the Ansible JSON file>.");
        return undefined;
      }
      return { transport, flavour: "local" };
    }
    if (snapshot !== undefined) {
      view.problem(override.path, `hostproof_transport is ${transport} but hostproof_snapshot is set too`, "Keep hostproof_snapshot to read the host from its snapshot, or hostproof_transport to reach it live, not both.");
      return undefined;
    }
    // The connection's own variables (psrp's or winrm's) still say how to reach it.
    const flavour: Flavour = transport === "winrm" ? (mapped?.flavour === "psrp" ? "psrp" : "winrm") : transport;
    return { transport, flavour };
  }
  // A snapshot host is never contacted, so its ansible_connection does not matter.
  if (snapshot !== undefined) return { transport: "snapshot", flavour: "local" };
  if (connection === undefined) return CONNECTIONS.ssh; // Ansible's own default connection
  if (mapped === undefined) {
    view.problem(connection.resolved.path, `ansible_connection '${connection.value}' is not a connection hostproof can use (it reaches hosts over ssh, winrm or psrp, or runs locally)`, NOT_MAPPABLE_FIX);
    return undefined;
  }
  return mapped;
}

/**
 * Ansible's defaults, which an Ansible user's hosts rely on: the winrm plugin connects to 5986 and
 * uses https unless the port is 5985; psrp uses https unless the port is 5985, and 5986 for https,
 * 5985 for http. They are written out because Invoke-Command's own default is http on 5985.
 */
function winrmSettings(view: HostView, flavour: "winrm" | "psrp"): InventoryHost["winrm"] {
  const port = view.port(PORT_VARS[flavour]);
  const schemeVar = flavour === "winrm" ? "ansible_winrm_scheme" : "ansible_psrp_protocol";
  const scheme = view.text([schemeVar], "Use http or https.");
  let useSsl = port !== 5985;
  if (scheme !== undefined) {
    const s = scheme.value.toLowerCase();
    if (s !== "http" && s !== "https") view.problem(scheme.resolved.path, `${schemeVar} '${scheme.value}' is neither http nor https`, "Use http or https.");
    useSsl = s !== "http";
  }
  const authentication = authenticationOf(view, flavour);
  return { port: port ?? (flavour === "winrm" || useSsl ? 5986 : 5985), useSsl, ...(authentication !== undefined ? { authentication } : {}) };
}

function authenticationOf(view: HostView, flavour: "winrm" | "psrp"): NonNullable<InventoryHost["winrm"]>["authentication"] | undefined {
  const name = flavour === "winrm" ? "ansible_winrm_transport" : "ansible_psrp_auth";
  const found = view.get(name);
  if (found === undefined || found.value === null) return undefined;
  const fix = `Use one of ${Object.keys(AUTHENTICATION).join(", ")}, or set hostproof_transport: ssh to reach the host over SSH instead.`;
  // The winrm plugin takes a list of transports to try (a list, or comma-separated text).
  const value: unknown = found.value;
  const listed: unknown[] | undefined = Array.isArray(value) ? value : typeof value === "string" && !isTemplate(value) ? value.split(",") : undefined;
  if (listed === undefined || listed.some((x) => typeof x !== "string")) {
    view.problem(found.path, `${name} must be text (or a list of transports)`, fix);
    return undefined;
  }
  const mapped = new Set<string>();
  for (const raw of listed as string[]) {
    const t = raw.trim().toLowerCase();
    const a = AUTHENTICATION[t];
    if (a === undefined) {
      view.problem(found.path, `${name} '${t}' has no PowerShell remoting equivalent hostproof can use${t === "certificate" ? " (certificate authentication is not supported)" : ""}`, fix);
      return undefined;
    }
    mapped.add(a);
  }
  if (mapped.size === 1) return [...mapped][0] as NonNullable<InventoryHost["winrm"]>["authentication"];
  // kerberos then ntlm is what Negotiate does by itself.
  if ([...mapped].every((a) => a === "Kerberos" || a === "Negotiate")) return "Negotiate";
  view.problem(found.path, `${name} lists transports with different PowerShell equivalents (${[...mapped].join(", ")})`, "List one transport (or kerberos and ntlm together, which is Negotiate).");
  return undefined;
}

/** hostproof's ssh logs in with a key (ssh runs in BatchMode): a user name and an optional key file. */
function sshLogin(view: HostView): Login | undefined {
  const user = view.text(USER_VARS.ssh, "Write the user name itself.");
  if (user === undefined) {
    if (view.pick(USER_VARS.ssh) === undefined) {
      view.problem(["_meta", "hostvars", view.host], "the host is reached over ssh (ansible_connection, or Ansible's default when it is not set) but no ansible_user says as whom", "Set ansible_user on the host or its group; hostproof does not guess the account it audits with.");
    }
    return undefined;
  }
  const key = view.text(KEY_VARS, "Write the key file's path itself.");
  // Ansible expands ~ in the key file's path when it connects; ansible-inventory prints it as written.
  const keyFile = key === undefined ? undefined : key.value.startsWith("~/") ? join(homedir(), key.value.slice(2)) : key.value;
  return { username: user.value, ...(keyFile !== undefined ? { keyFile } : {}), path: user.resolved.path };
}

/**
 * With ansible_user, WinRM needs the password's place (hostproof_password_env or _vault); without
 * it, hostproof connects as the Windows account it runs under, as Invoke-Command does.
 */
function winrmLogin(view: HostView, flavour: "winrm" | "psrp"): Login | undefined {
  const userSet = view.pick(USER_VARS[flavour]);
  const password = passwordSource(view);
  const secretVar = view.pick(PASSWORD_VARS[flavour]);
  if (userSet === undefined) {
    const refVar = view.get("hostproof_password_env") ?? view.get("hostproof_password_vault");
    if (password !== undefined && refVar !== undefined) {
      view.problem(refVar.path, "a WinRM password is named but no ansible_user says whose", "Set ansible_user, or remove the password variable to connect as the account hostproof runs under.");
    }
    return undefined;
  }
  const user = view.text(USER_VARS[flavour], "Write the user name itself (DOMAIN\\user or user@domain).");
  if (user === undefined) return undefined;
  if (password === undefined) {
    const why =
      secretVar !== undefined && (isVaultValue(secretVar.resolved.value) || isTemplate(secretVar.resolved.value))
        ? `its password (${secretVar.name}) is ${isVaultValue(secretVar.resolved.value) ? "encrypted with Ansible Vault" : "a Jinja2 template"}, which hostproof does not evaluate`
        : "no password is given for it";
    view.problem(user.resolved.path, `WinRM as ${user.name} '${user.value}' needs a password, and ${why}`, `Tell hostproof where the password is: ${WHERE_THE_PASSWORD_IS}.`);
    return undefined;
  }
  return { username: user.value, password, path: user.resolved.path };
}
