import type { LsofSocket } from './lsof-parser.js';

export type LsofVerdict = { readonly kind: 'connect' | 'accept'; readonly socket: LsofSocket };

export interface LsofTrackerStats {
  /** Sockets currently remembered. */
  readonly tracked: number;
  /** Sockets forgotten because the table was full (cap). */
  readonly dropped: number;
}

/** A socket's identity across polls: owner, descriptor and both endpoints (a reused fd has a new local port). */
function keyOf(s: LsofSocket): string {
  const r = s.remote === undefined ? '' : `${s.remote.ip}:${s.remote.port}`;
  return `${s.pid}|${s.fd}|${s.transport}|${s.local?.ip}:${s.local?.port}|${r}`;
}

/**
 * Diffs successive lsof polls:
 * - a TCP socket with a peer whose local port is one some socket of the same family LISTENs on (same address
 *   or a wildcard listener) is the server side of an accepted connection;
 * - any other TCP socket with a peer, in any state but LISTEN (SYN_SENT, ESTABLISHED, or already closing), is
 *   an outbound connection attempt; a connect()ed UDP socket (it has a peer) is one too;
 * - a reported socket that is gone at the next poll is a disconnect.
 * The first poll is the baseline: connections already open when the collector started are not reported.
 * Bounded: at most `cap` sockets remembered; past that the oldest are forgotten and counted in `dropped`.
 */
export class LsofConnectionTracker<Owner = unknown> {
  readonly #cap: number;
  #known = new Map<string, { socket: LsofSocket; reported: boolean; owner?: Owner }>();
  #baseline = true;
  #dropped = 0;

  constructor(cap = 16384) {
    this.#cap = cap;
  }

  /**
   * Feeds one complete poll; returns the new connections and the reported ones that ended, with the owner
   * attached to them (see attach()), since the owning process is usually gone by then.
   */
  update(sockets: readonly LsofSocket[]): { opened: LsofVerdict[]; closed: Array<LsofSocket & { owner?: Owner }> } {
    const listeners = new Set<string>();
    for (const s of sockets) {
      if (s.transport === 'tcp' && s.tcpState === 'LISTEN' && s.local !== undefined) {
        listeners.add(`${s.family}|${s.local.wildcard ? '*' : s.local.ip}|${s.local.port}`);
      }
    }
    const opened: LsofVerdict[] = [];
    const present = new Set<string>();
    for (const s of sockets) {
      if (s.remote === undefined || s.remote.port === 0 || s.tcpState === 'LISTEN') continue;
      const key = keyOf(s);
      present.add(key);
      if (this.#known.has(key)) continue;
      this.#remember(key, { socket: s, reported: !this.#baseline });
      if (this.#baseline) continue;
      const l = s.local!;
      const accepted = s.transport === 'tcp' && (listeners.has(`${s.family}|${l.ip}|${l.port}`) || listeners.has(`${s.family}|*|${l.port}`));
      opened.push({ kind: accepted ? 'accept' : 'connect', socket: s });
    }
    const closed: Array<LsofSocket & { owner?: Owner }> = [];
    for (const [key, e] of this.#known) {
      if (present.has(key)) continue;
      this.#known.delete(key);
      if (e.reported) closed.push(e.owner === undefined ? e.socket : { ...e.socket, owner: e.owner });
    }
    this.#baseline = false;
    return { opened, closed };
  }

  /** Marks a socket as not reported (its owner could not be named), so its end is not reported either. */
  unreport(socket: LsofSocket): void {
    const e = this.#known.get(keyOf(socket));
    if (e) e.reported = false;
  }

  /** Remembers who owned a reported socket, for its disconnect. */
  attach(socket: LsofSocket, owner: Owner): void {
    const e = this.#known.get(keyOf(socket));
    if (e) e.owner = owner;
  }

  #remember(key: string, entry: { socket: LsofSocket; reported: boolean; owner?: Owner }): void {
    this.#known.set(key, entry);
    while (this.#known.size > this.#cap) {
      this.#known.delete(this.#known.keys().next().value as string);
      this.#dropped++;
    }
  }

  stats(): LsofTrackerStats {
    return { tracked: this.#known.size, dropped: this.#dropped };
  }
}
