/**
 * Where and how `discover` reaches the directory, checked before anything is sent: the URL, TLS,
 * the CA file, and the bind password, which only ever comes from an environment variable or a
 * file (a password on the command line is in `ps` output and shell history for everyone to read).
 */
import { readFileSync } from "node:fs";
import { usageError } from "../cli/args";

export type TlsMode = "ldaps" | "starttls" | "none";

export interface DirectoryConnection {
  /** The URL as given (never holds credentials: refused when it does). */
  url: string;
  host: string;
  port: number;
  tls: TlsMode;
  bindDn?: string;
  /** Never printed, never written. */
  password?: string;
  ca?: Buffer;
  caFile?: string;
}

export interface ConnectionArgs {
  ldap?: string;
  "bind-dn"?: string;
  "password-env"?: string;
  "password-file"?: string;
  "ca-file"?: string;
  "no-starttls"?: boolean;
}

export function connectionFrom(args: ConnectionArgs, env: NodeJS.ProcessEnv = process.env): DirectoryConnection {
  if (!args.ldap) throw usageError("--ldap is required", "Give the domain controller: --ldap ldaps://dc1.corp.example (or ldap://… for StartTLS)");
  const { host, port, secure } = parseUrl(args.ldap);
  if (secure && args["no-starttls"]) throw usageError("--no-starttls goes with ldap:// only", "Drop --no-starttls: ldaps:// is TLS from the first byte.");
  const tls: TlsMode = secure ? "ldaps" : args["no-starttls"] ? "none" : "starttls";
  if (args["password-env"] !== undefined && args["password-file"] !== undefined) {
    throw usageError("--password-env and --password-file both given", "Give the bind password one way only.");
  }
  const password = readPassword(args, env);
  if (password !== undefined && args["bind-dn"] === undefined) {
    throw usageError("a password was given without --bind-dn", "Name the account to bind as: --bind-dn 'CN=hp-reader,OU=Service,DC=corp,DC=example' (or its user@domain name).");
  }
  if (args["bind-dn"] !== undefined && password === undefined) {
    throw usageError(`--bind-dn was given without a password`, "Give the account's password with --password-env VAR (the name of an environment variable holding it) or --password-file FILE.");
  }
  if (tls === "none" && password !== undefined) {
    throw usageError(
      "a password over plain LDAP (ldap:// with --no-starttls) would cross the network in clear text",
      "Use ldaps://host (port 636) or ldap://host without --no-starttls (StartTLS on port 389).",
    );
  }
  let ca: Buffer | undefined;
  if (args["ca-file"] !== undefined) {
    try {
      ca = readFileSync(args["ca-file"]);
    } catch (err) {
      throw usageError(`--ca-file '${args["ca-file"]}' cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, "Give the PEM file of the CA that signed the domain controller's certificate.");
    }
    if (!ca.toString("latin1").includes("-----BEGIN CERTIFICATE-----")) {
      throw usageError(`--ca-file '${args["ca-file"]}' holds no PEM certificate`, "Give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----); convert a .cer with: openssl x509 -inform der -in ca.cer -out ca.pem");
    }
  }
  return {
    url: args.ldap,
    host,
    port,
    tls,
    ...(args["bind-dn"] !== undefined ? { bindDn: args["bind-dn"] } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(ca !== undefined ? { ca, caFile: args["ca-file"] } : {}),
  };
}

function parseUrl(text: string): { host: string; port: number; secure: boolean } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`--ldap '${text}' is not a URL`, "Write it as ldaps://dc1.corp.example or ldaps://dc1.corp.example:636.");
  }
  if (url.protocol !== "ldaps:" && url.protocol !== "ldap:") {
    throw usageError(`--ldap '${text}' is a ${url.protocol} URL`, "Use ldaps://host[:636], or ldap://host[:389] (StartTLS).");
  }
  // Never echo what the user typed as credentials.
  if (url.username !== "" || url.password !== "") {
    throw usageError("--ldap holds credentials (user:password@)", "Remove them from the URL; give --bind-dn and --password-env or --password-file.");
  }
  if ((url.pathname !== "" && url.pathname !== "/") || url.search !== "" || url.hash !== "") {
    throw usageError(`--ldap '${text}' has a path or query`, "Give only the server: ldaps://host[:port]; the base DN goes in --base.");
  }
  if (url.hostname === "") throw usageError(`--ldap '${text}' names no host`, "Write it as ldaps://dc1.corp.example.");
  const secure = url.protocol === "ldaps:";
  const port = url.port === "" ? (secure ? 636 : 389) : Number(url.port);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port, secure };
}

function readPassword(args: ConnectionArgs, env: NodeJS.ProcessEnv): string | undefined {
  const name = args["password-env"];
  if (name !== undefined) {
    const value = env[name];
    if (value === undefined || value === "") {
      throw usageError(`--password-env ${name}: the environment variable ${name} is not set or is empty`, `Set ${name} to the bind account's password (the option takes the variable's name, not the password).`);
    }
    // Out of the environment, so no child process inherits it.
    delete env[name];
    return value;
  }
  const file = args["password-file"];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw usageError(`--password-file '${file}' cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`, "Give a file holding the bind account's password (one line).");
    }
    // One line: the newline an editor or `echo` adds is not part of the password.
    const value = text.replace(/\r?\n$/, "");
    if (value === "") throw usageError(`--password-file '${file}' is empty`, "Put the bind account's password in it.");
    if (/[\r\n]/.test(value)) throw usageError(`--password-file '${file}' holds more than one line`, "Put only the password in it, on one line.");
    return value;
  }
  return undefined;
}
