import { networkInterfaces } from 'node:os';
import si from 'systeminformation';
import ipaddr from 'ipaddr.js';
import { normalizeIp } from './ip-address.js';

/**
 * The host facts that change while the agent runs (addresses) or that a system library reads the same way on
 * Linux, macOS and Windows: `host.ip`, `host.mac`, `host.domain`, and `host.os.*`. The identity (host.id,
 * boot id) stays in host-identity.ts: it must be read synchronously and never change. `vigil doctor` prints
 * these same facts.
 *
 * Addresses come from the kernel's interface list (Node's os.networkInterfaces(): every address of every
 * interface, read in microseconds, so the first event already has them); systeminformation reads the OS
 * name, version and kernel and the FQDN on every OS (it runs system commands: about a second). Its own
 * interface list holds one IPv4 and one IPv6 address per interface, so it is not used for host.ip.
 */
export interface HostFacts {
  /** Every address of every interface except loopback, IPv4-mapped IPv6 written as IPv4, sorted, unique. */
  readonly ip: readonly string[];
  /** The interfaces' hardware addresses, ECS style (upper case, `-` separated), zero addresses left out. */
  readonly mac: readonly string[];
  /** DNS domain of the host (fqdn minus hostname) when there is one. */
  readonly domain?: string;
  readonly os: {
    readonly name?: string;
    readonly version?: string;
    readonly full?: string;
    readonly kernel?: string;
  };
}

/** Refresh period of the address facts: addresses change (DHCP, VPN), but not per event. */
export const HOST_FACTS_REFRESH_MS = 5 * 60_000;

/** `02:fc:00:00:00:01` -> `02-FC-00-00-00-01` (ECS host.mac); null for the all-zero address. */
export function ecsMac(mac: string): string | null {
  const parts = mac.trim().toLowerCase().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/.test(p))) return null;
  if (parts.every((p) => Number.parseInt(p, 16) === 0)) return null;
  return parts.map((p) => p.padStart(2, '0').toUpperCase()).join('-');
}

/** The addresses of every interface but loopback (synchronous; for the first events and every refresh). */
export function readNetworkFacts(): Pick<HostFacts, 'ip' | 'mac'> {
  const ip = new Set<string>();
  const mac = new Set<string>();
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal) continue;
      const n = normalizeIp(a.address);
      if (n !== null && ipaddr.parse(n.ip).range() !== 'loopback') ip.add(n.ip);
      const m = ecsMac(a.mac);
      if (m !== null) mac.add(m);
    }
  }
  return { ip: [...ip].sort(), mac: [...mac].sort() };
}

/** Reads every fact (systeminformation runs a few system commands: about a second, never per event). */
export async function readHostFacts(): Promise<HostFacts> {
  const os = await si.osInfo();
  const { ip, mac } = readNetworkFacts();
  const domain = os.fqdn.startsWith(`${os.hostname}.`) ? os.fqdn.slice(os.hostname.length + 1) : '';
  const name = os.distro.trim();
  const version = os.release.trim();
  // "Debian GNU/Linux 12 (bookworm)" as os-release's PRETTY_NAME writes it; "macOS 15.1", "Microsoft Windows 11 Pro 10.0.22631".
  const codename = os.codename.trim();
  const full = [name, version].filter((x) => x !== '').join(' ') + (codename !== '' && !codename.includes(name) ? ` (${codename})` : '');
  return {
    ip,
    mac,
    ...(domain !== '' ? { domain } : {}),
    os: {
      ...(name !== '' ? { name } : {}),
      ...(version !== '' ? { version } : {}),
      ...(full !== '' ? { full } : {}),
      ...(os.kernel.trim() !== '' ? { kernel: os.kernel.trim() } : {}),
    },
  };
}

/**
 * The current host facts, refreshed every `intervalMs` in the background (one refresh at a time; a failed one
 * keeps the previous facts and is counted). `current` is a snapshot object, replaced, never mutated. Until the
 * first refresh completes it holds the addresses only (read synchronously at construction).
 */
export class HostFactsSource {
  #current: HostFacts | null;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #failures = 0;
  readonly #read: () => Promise<HostFacts>;

  constructor(read: () => Promise<HostFacts> = readHostFacts, initial: HostFacts | null = { ...readNetworkFacts(), os: {} }) {
    this.#read = read;
    this.#current = initial;
  }

  current(): HostFacts | null {
    return this.#current;
  }

  get failures(): number {
    return this.#failures;
  }

  /** Reads the facts now (joins a refresh in flight). */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#read()
      .then((f) => {
        this.#current = f;
      })
      .catch(() => {
        this.#failures++;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  /** Refreshes every `intervalMs` until stop(); the timer never keeps the process alive. */
  start(intervalMs = HOST_FACTS_REFRESH_MS): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
