/**
 * What a key of each kind is called in messages. Only names from these tables are ever shown:
 * a type name read from a hostile file is not echoed (it could be anything, key material too).
 */

/** OpenSSH key type names (the first field of a .pub line, the type inside a key blob). */
const SSH_KEY_KINDS: Record<string, string> = {
  "ssh-ed25519": "an Ed25519",
  "ssh-rsa": "an RSA",
  "ssh-dss": "a DSA",
  "ecdsa-sha2-nistp256": "an ECDSA",
  "ecdsa-sha2-nistp384": "an ECDSA",
  "ecdsa-sha2-nistp521": "an ECDSA",
  "sk-ssh-ed25519@openssh.com": "an Ed25519 FIDO security",
  "sk-ecdsa-sha2-nistp256@openssh.com": "an ECDSA FIDO security",
};

const SSH_CERTIFICATE_TYPES = new Set([
  "ssh-ed25519-cert-v01@openssh.com",
  "ssh-rsa-cert-v01@openssh.com",
  "ssh-dss-cert-v01@openssh.com",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com",
  "sk-ssh-ed25519-cert-v01@openssh.com",
  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
]);

/** "an RSA" for "ssh-rsa"; undefined for a name OpenSSH does not use. */
export function sshKeyKind(typeName: string): string | undefined {
  return Object.hasOwn(SSH_KEY_KINDS, typeName) ? SSH_KEY_KINDS[typeName] : undefined;
}

/** True for an OpenSSH certificate type ("ssh-ed25519-cert-v01@openssh.com" and the like). */
export function isSshCertificateType(typeName: string): boolean {
  return SSH_CERTIFICATE_TYPES.has(typeName);
}

/** A key type name OpenSSH writes, plain or certificate. */
export function isSshKeyType(typeName: string): boolean {
  return sshKeyKind(typeName) !== undefined || isSshCertificateType(typeName);
}

/** node:crypto's asymmetricKeyType, as a message names it. */
const NODE_KEY_KINDS: Record<string, string> = {
  ed25519: "an Ed25519",
  ed448: "an Ed448",
  rsa: "an RSA",
  "rsa-pss": "an RSA-PSS",
  dsa: "a DSA",
  ec: "an ECDSA (EC)",
  x25519: "an X25519 (key-agreement)",
  x448: "an X448 (key-agreement)",
  dh: "a Diffie-Hellman (key-agreement)",
};

export function nodeKeyKind(type: string | undefined): string {
  return type !== undefined && Object.hasOwn(NODE_KEY_KINDS, type) ? NODE_KEY_KINDS[type]! : "an unknown kind of";
}

/** PEM labels of private keys (RFC 7468 and the older OpenSSL ones), with the kind they hold when the label says. */
export const PRIVATE_PEM_LABELS: Record<string, string | undefined> = {
  "PRIVATE KEY": undefined,
  "ENCRYPTED PRIVATE KEY": undefined,
  "OPENSSH PRIVATE KEY": undefined,
  "RSA PRIVATE KEY": "an RSA",
  "EC PRIVATE KEY": "an ECDSA (EC)",
  "DSA PRIVATE KEY": "a DSA",
};

export const PUBLIC_PEM_LABELS: Record<string, string | undefined> = {
  "PUBLIC KEY": undefined,
  "RSA PUBLIC KEY": "an RSA",
};

export const CERTIFICATE_PEM_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"]);

/** OpenSSH private-key ciphers, named in the message about a passphrase-protected key. */
export const SSH_CIPHERS = new Set([
  "aes128-ctr",
  "aes192-ctr",
  "aes256-ctr",
  "aes128-cbc",
  "aes192-cbc",
  "aes256-cbc",
  "aes128-gcm@openssh.com",
  "aes256-gcm@openssh.com",
  "chacha20-poly1305@openssh.com",
  "3des-cbc",
]);
