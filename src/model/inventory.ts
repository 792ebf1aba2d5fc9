/** The inventory a user writes (schemas/inventory.schema.json). */

/** `snapshot` reads facts from a file; the live transports are reserved for the collector. */
export type Transport = "snapshot" | "local" | "winrm" | "ssh";

export type ClusterType = "single-domain" | "multi-domain" | "workgroup";

/** An offload keyword left enabled on purpose. */
export interface OffloadAllowance {
  /** Standardized NDIS keyword, e.g. `*RSS`; compared case-insensitively. */
  keyword: string;
  /** Why it is allowed; shown to auditors next to the result. */
  reason: string;
  /** Adapter `Name` the allowance is limited to; absent means every adapter of the host. */
  adapter?: string;
}

/** A Hyper-V integration service left off (or Guest Service Interface left on) on purpose. */
export interface IntegrationServiceAllowance {
  /**
   * The VM's name as Hyper-V shows it (compared without case); absent: every VM of the host. Inside
   * the VM (HP-HV-002) it is matched with the guest's inventory or computer name.
   */
  vm?: string;
  /** The service: its well-known name (Heartbeat, Shutdown, TimeSynchronization, KeyValuePairExchange, VSS, GuestServiceInterface) or the GUID ending its Id. */
  service: string;
  /** Why it is allowed; shown to auditors next to the result. */
  reason: string;
}

export interface ControlInputs {
  offloads?: { allowed?: OffloadAllowance[] };
  endOfSupport?: { warningDays?: number };
  integrationServices?: { allowed?: IntegrationServiceAllowance[] };
  /** The window Windows Update for Business may hold quality updates back, in days. */
  updateDeferral?: { minDays?: number; maxDays?: number };
  /** The estate-wide controls over the directory snapshot: estate inputs only, refused on a host. */
  directory?: { activeDays?: number };
}

/** An environment variable or a SecretManagement vault entry: the secret itself is never in a file. */
export type SecretSource = { env: string } | { vault: string; secret: string };

export interface Credential {
  name: string;
  username: string | SecretSource;
  password?: SecretSource;
  keyFile?: string;
}

/** How ssh decides whether it reached the right host. */
export interface SshSettings {
  /** A known_hosts file, relative to the inventory; default: ssh's own (~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** strict (default): an unknown or changed key fails the host. accept-new: an unknown key is recorded, a changed one still fails. */
  hostKeyChecking?: "strict" | "accept-new";
  /** Seconds to connect and exchange banners (default 15). */
  connectTimeoutSeconds?: number;
}

export interface CollectionSettings {
  concurrency?: number;
  timeoutSeconds?: number;
  /** Limit for one probe inside the host's one round trip (default 30). */
  probeTimeoutSeconds?: number;
  ssh?: SshSettings;
}

export interface InventoryHost {
  name: string;
  /** DNS name or IP address (checked by the schema); the name is used when absent. */
  address?: string;
  transport: Transport;
  /** Name of an entry in `credentials`. */
  credential?: string;
  ssh?: { port?: number };
  winrm?: { port?: number; useSsl?: boolean; authentication?: "Default" | "Kerberos" | "Negotiate" | "CredSSP" | "Basic" };
  /** Path of the host's snapshot, relative to the inventory file. */
  snapshot?: string;
  inputs?: ControlInputs;
}

export interface InventoryCluster {
  name: string;
  type: ClusterType;
  nodes: string[];
  /** The local account the cluster was created with (workgroup and multi-domain clusters). */
  adminAccount?: string;
  /** DNS domains of the nodes of a multi-domain cluster. */
  domains?: string[];
}

/**
 * What a snapshot that cannot be believed to be its host's, as collected when it says
 * (engine/snapshot-trust.ts), does to the run: by default that host's results are undetermined,
 * naming why; `strict` refuses the run instead (exit 3).
 */
export type IdentityPolicy = "undetermined" | "strict";

export interface Inventory {
  version: 1;
  name?: string;
  identity?: IdentityPolicy;
  /** Estate-wide control inputs; a host's own inputs are added to these. */
  inputs?: ControlInputs;
  /**
   * A directory snapshot (hostproof discover), relative to the inventory; run --directory overrides
   * it. `{ none }`: the estate has no directory, for the reason given (the directory controls are
   * then not applicable with it); without either they are undetermined.
   */
  directory?: string | { none: string };
  hosts: InventoryHost[];
  clusters?: InventoryCluster[];
  credentials?: Credential[];
  collection?: CollectionSettings;
}
