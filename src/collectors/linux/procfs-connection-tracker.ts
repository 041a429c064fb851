import type { ProcNetRow } from './proc-net.js';

/** What a new socket row means. */
export type ConnectionVerdict =
  | { readonly kind: 'connect'; readonly row: ProcNetRow; readonly result: number }
  | { readonly kind: 'accept'; readonly row: ProcNetRow };

export interface ConnectionTrackerStats {
  /** Sockets currently remembered. */
  readonly tracked: number;
  /** Sockets forgotten because the table was full (cap). */
  readonly dropped: number;
}

/** -EINPROGRESS on Linux: a non-blocking connect() still in SYN_SENT went out and counts as a success. */
const EINPROGRESS = 115;

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/**
 * Diffs successive `/proc/net/{tcp,tcp6,udp,udp6}` reads by socket inode:
 * - a TCP socket bound to a port some socket LISTENs on (same address, or a wildcard listener) is an
 *   accepted connection; any other TCP socket with a peer is an outbound attempt (SYN_SENT -> -EINPROGRESS);
 * - a UDP socket with a peer (connect()ed) is an outbound attempt; unconnected UDP sockets are not connections;
 * - a reported socket that disappears is a disconnect.
 * The first read is the baseline: connections open before the collector started are not reported.
 * Bounded: at most `cap` sockets remembered; past that the oldest are forgotten and counted in `dropped`.
 */
export class ConnectionTracker {
  readonly #cap: number;
  /** inode -> row when first seen; `reported` when a verdict was handed out for it. */
  #known = new Map<number, { row: ProcNetRow; reported: boolean }>();
  #baseline = true;
  #dropped = 0;

  constructor(cap = 16384) {
    this.#cap = cap;
  }

  /** Feeds one complete read of all tables; returns the new connections and the reported ones that ended. */
  update(rows: readonly ProcNetRow[]): { opened: ConnectionVerdict[]; closed: ProcNetRow[] } {
    const listeners = new Set<string>();
    for (const r of rows) {
      if (r.tcpState === 'listen') listeners.add(`${isWildcard(r.localIp) ? '*' : r.localIp}|${r.localPort}`);
    }
    const opened: ConnectionVerdict[] = [];
    const present = new Set<number>();
    for (const r of rows) {
      if (r.inode === 0 || r.tcpState === 'listen') continue;
      if (r.remotePort === 0) continue; // unconnected UDP, or TCP without a peer
      present.add(r.inode);
      if (this.#known.has(r.inode)) continue;
      const entry = { row: r, reported: !this.#baseline };
      this.#remember(r.inode, entry);
      if (this.#baseline) continue;
      // Keyed without the family: an IPv4 peer of a dual-stack listener on `::` is an IPv4 row (::ffff:a.b.c.d
      // in tcp6 is decoded as IPv4), accepted by an IPv6 wildcard listener.
      const accepted = r.transport === 'tcp' && (listeners.has(`${r.localIp}|${r.localPort}`) || listeners.has(`*|${r.localPort}`));
      if (accepted) opened.push({ kind: 'accept', row: r });
      else opened.push({ kind: 'connect', row: r, result: r.tcpState === 'syn_sent' ? -EINPROGRESS : 0 });
    }
    const closed: ProcNetRow[] = [];
    for (const [inode, e] of this.#known) {
      if (present.has(inode)) continue;
      this.#known.delete(inode);
      if (e.reported) closed.push(e.row);
    }
    this.#baseline = false;
    return { opened, closed };
  }

  /** Marks a socket as not reported (its owner could not be found), so its end is not reported either. */
  unreport(inode: number): void {
    const e = this.#known.get(inode);
    if (e) e.reported = false;
  }

  #remember(inode: number, entry: { row: ProcNetRow; reported: boolean }): void {
    this.#known.set(inode, entry);
    while (this.#known.size > this.#cap) {
      const oldest = this.#known.keys().next().value as number;
      this.#known.delete(oldest);
      this.#dropped++;
    }
  }

  stats(): ConnectionTrackerStats {
    return { tracked: this.#known.size, dropped: this.#dropped };
  }
}
