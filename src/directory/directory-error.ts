/**
 * What went wrong talking to the directory, in words that say what to do. The password is never
 * part of a message: errors are built from the URL, the bind DN, the base and the server's result
 * code, never from what was sent.
 */
import { InputError } from "../errors";

/** The directory could not be reached at all: the network's or the server's fault (exit 5). */
export class DirectoryUnreachable extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}. ${fix}`);
    this.name = "DirectoryUnreachable";
  }
}

export function directoryInputError(url: string, problem: string, fix: string): InputError {
  return new InputError({ file: url, problem, fix });
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

const CERT_CODES: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "is signed by a CA this machine does not trust",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "is signed by a CA this machine does not trust",
  SELF_SIGNED_CERT_IN_CHAIN: "is signed by a CA this machine does not trust (a self-signed root)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "is self-signed",
  CERT_HAS_EXPIRED: "has expired",
  CERT_NOT_YET_VALID: "is not valid yet",
  CERT_SIGNATURE_FAILURE: "has a signature that does not verify",
  ERR_TLS_CERT_ALTNAME_INVALID: "does not name the host connected to",
};

/** The ldapts / Node error of a connection, bind or search, as an error the CLI reports. */
export function describeLdapError(err: unknown, context: { url: string; bindDn?: string; base: string; stage: "connect" | "starttls" | "bind" | "search" }): Error {
  const e = err as NodeJS.ErrnoException & { code?: string | number; reason?: string; host?: string };
  const code = typeof e.code === "string" ? e.code : undefined;
  const message = typeof e.message === "string" ? e.message : String(err);
  const { url } = context;
  if (code !== undefined && CERT_CODES[code] !== undefined) {
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
      return directoryInputError(url, `the directory's TLS certificate does not name the host in --ldap (${e.reason ?? message})`, "Connect by a name the certificate holds (usually the DC's fully qualified DNS name, e.g. ldaps://dc1.corp.example), not by an address or alias it does not list.");
    }
    return directoryInputError(url, `the directory's TLS certificate ${CERT_CODES[code]} (${code})`, "Give the CA that signed the domain controller's certificate with --ca-file ca.pem (export it from the DC or your PKI); the certificate is never accepted unverified.");
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new DirectoryUnreachable(`the directory at ${url} does not answer (${code})`, "Check the host name and port, that the domain controller is up, and that a firewall lets this machine reach it (636 for ldaps://, 389 for ldap://).");
  }
  if (/timeout|timed out/i.test(message) || (e.name ?? "").includes("Timeout")) {
    return new DirectoryUnreachable(`the directory at ${url} did not answer in time (${context.stage})`, "Check that the host and port are a domain controller's LDAP service and that a firewall does not drop the packets.");
  }
  const name = (err as Error)?.constructor?.name ?? "";
  switch (name) {
    case "InvalidCredentialsError":
      return directoryInputError(url, `the directory refused the bind as '${context.bindDn ?? "(anonymous)"}': wrong account name or password, or the account is disabled, locked or expired`, "Check --bind-dn (a DN, or user@domain) and the password in --password-env / --password-file.");
    case "NoSuchObjectError":
      return directoryInputError(url, `the base DN '${context.base}' does not exist in this directory`, "Give the domain's DN (e.g. --base DC=corp,DC=example) or an OU that exists; the DC's rootDSE lists the naming contexts (defaultNamingContext).");
    case "InvalidDNSyntaxError":
      return directoryInputError(url, `a DN is not valid (${context.stage === "bind" ? `--bind-dn '${context.bindDn ?? ""}'` : `--base '${context.base}'`})`, "Write it as a distinguished name, e.g. CN=hp-reader,CN=Users,DC=corp,DC=example.");
    case "StrongAuthRequiredError":
    case "ConfidentialityRequiredError":
      return directoryInputError(url, "the directory requires a protected connection for this bind", "Use ldaps:// or ldap:// with StartTLS (the default), not --no-starttls.");
    case "InsufficientAccessError":
      return directoryInputError(url, `the account '${context.bindDn ?? "(anonymous)"}' may not search '${context.base}'`, "Bind as an account that may read computer objects (any authenticated domain user may, by default).");
    case "OperationsError":
      if (context.bindDn === undefined) {
        return directoryInputError(url, "the directory refuses to be searched without a bind (anonymous)", "Give --bind-dn and --password-env or --password-file of a read-only domain account.");
      }
      break;
    case "ProtocolError":
    case "UnavailableError":
    case "UnwillingToPerformError":
      if (context.stage === "starttls") {
        return directoryInputError(url, "the directory does not offer StartTLS", "Use ldaps:// (port 636) instead.");
      }
      break;
    default:
      break;
  }
  if (context.stage === "connect" || context.stage === "starttls") {
    return new DirectoryUnreachable(`the TLS or LDAP connection to ${url} failed (${code ?? name}: ${message})`, "Check that the host and port are a domain controller's LDAP service (636 for ldaps://, 389 for ldap://).");
  }
  return directoryInputError(url, `the directory refused the ${context.stage} (${name || code || "error"}: ${message})`, "Check --base, --bind-dn and the account's rights; the message above is the server's.");
}
