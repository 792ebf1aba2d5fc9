/**
 * Which host an untagged line of the fan-out's stdout belongs to.
 *
 * ssh clients started by pwsh's SSH transport write their own failures straight to the stdout
 * they inherit, pwsh's, untagged, and several hosts' ssh clients run at once, so their lines
 * interleave. They carry the words the classifier and the operator need ("Host key verification
 * failed.", "Permission denied (publickey)"), so they are attributed, by this heuristic:
 *
 * 1. A line that names an address (and port) is the in-flight host's with that address: ssh names
 *    its peer as `[addr]:port`, `host addr port p`, `user@addr:`, `hostname addr`, or
 *    `Connection to addr port p`. When several hosts in flight share the address, the port
 *    decides; when that leaves several, the lowest index (hosts start in inventory order; the
 *    line cannot say more).
 * 2. ssh's verdict after a line that named the peer ("Host key verification failed.") goes to the
 *    host whose previous ssh line came last: ssh writes a failure's lines in one burst.
 *    Any other line that names no host ("Connection timed out during banner exchange") is held
 *    as an orphan, and claimed by the first host that then fails without a document and without
 *    ssh lines of its own (claimOrphans): only a failing host's ssh client writes such lines.
 * 3. Except ssh's host-key-changed warning, whose banner (`@@@…`, "REMOTE HOST IDENTIFICATION HAS
 *    CHANGED", the fingerprint, the offending file) comes *before* any line naming the host: from
 *    a banner line on, unnamed lines are held and go to the host the next naming line names.
 * 4. An orphan nobody claims is dropped.
 * Only hosts in flight (started, not done) are candidates: a finished host's words are complete.
 */

export interface InFlightHost {
  index: number;
  address: string;
  port: number | undefined;
}

const NAMED: readonly RegExp[] = [
  /\[([^\]\s]+)\]:(\d+)/, // [addr]:port (known_hosts form, host-key lines)
  /\bhost (\S+) port (\d+)/, // ssh: connect to host addr port p: ...
  /\bConnection to (\S+) port (\d+)/, // Connection to addr port p timed out / closed
  /\bConnection (?:closed|reset) by (?:authenticating user \S+ )?(\S+) port (\d+)/,
  /^[^\s@]+@([^\s:]+):/, // user@addr: Permission denied (publickey).
  /\bhostname ([^\s:]+)/, // ssh: Could not resolve hostname addr: ...
  /\bfor '?([^\s'(),]+?)'? \((?:[\d.:a-f]+)\)/i, // Warning: Permanently added 'addr' (ED25519) ...
];

const BANNER = /^@+/;
/** Lines ssh writes right after the one naming its peer. */
const FOLLOWER = /^Host key verification failed\.$/;

export class SshLineAttributor {
  private readonly inFlight = new Map<number, InFlightHost & { since: number }>();
  private last: number | undefined;
  private held: string[] = [];
  private orphans: Array<{ seq: number; line: string }> = [];
  private seq = 0;

  start(host: InFlightHost): void {
    this.inFlight.set(host.index, { ...host, since: this.seq });
  }

  /** The orphan lines that arrived while `index` was in flight; they are its from now on. */
  claimOrphans(index: number): string[] {
    const since = this.inFlight.get(index)?.since;
    if (since === undefined) return [];
    const mine = this.orphans.filter((o) => o.seq > since);
    this.orphans = this.orphans.filter((o) => o.seq <= since);
    return mine.map((o) => o.line);
  }

  done(index: number): void {
    this.inFlight.delete(index);
    if (this.last === index) this.last = undefined;
  }

  /** The lines to give to hosts: usually one pair; several when held banner lines are released. */
  attribute(line: string): Array<{ index: number | undefined; line: string }> {
    this.seq++;
    const named = this.named(line);
    if (named !== undefined) {
      this.last = named;
      const out = [...this.held, line].map((l) => ({ index: named, line: l }));
      this.held = [];
      return out;
    }
    if (BANNER.test(line.trim()) || this.held.length > 0) {
      this.held.push(line);
      return [];
    }
    if (FOLLOWER.test(line.trim()) && this.last !== undefined) return [{ index: this.last, line }];
    this.orphans.push({ seq: this.seq, line });
    // Only hosts that started before a line can have written it; older orphans are nobody's.
    const oldest = Math.min(...[...this.inFlight.values()].map((h) => h.since));
    this.orphans = this.orphans.filter((o) => o.seq > oldest);
    return [];
  }

  /** Held lines no naming line followed (the run ended): nobody's. */
  flush(): string[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  private named(line: string): number | undefined {
    for (const pattern of NAMED) {
      const m = pattern.exec(line);
      if (m === null) continue;
      const address = m[1];
      const port = m[2] === undefined ? undefined : Number(m[2]);
      const same = [...this.inFlight.values()].filter((h) => h.address.toLowerCase() === address.toLowerCase());
      const exact = same.filter((h) => port === undefined || (h.port ?? 22) === port);
      const pick = (exact.length > 0 ? exact : same).sort((a, b) => a.index - b.index)[0];
      if (pick !== undefined) return pick.index;
    }
    return undefined;
  }
}
