import type { EcsObject } from '../ecs/ecs-event.js';
import type { HostFacts } from '../collectors/host-facts.js';
import type { HostIdentity } from '../collectors/host-identity.js';

/**
 * The `host.*` field set, as a factory: the values are computed once per host (and again when the refreshed
 * host facts change) into one deeply frozen object that every document shares (no stage annotates a document
 * after normalization; frozen, a mutation would throw rather than leak into other documents). `facts` gives
 * the current host facts (addresses, domain, os as systeminformation reads it), or null before the first read.
 */
export function hostFields(host: HostIdentity, facts: () => HostFacts | null = () => null): () => EcsObject {
  const id = host.hostId;
  const name = host.hostname;
  const architecture = host.architecture;
  let seen: HostFacts | null | undefined;
  let fields: EcsObject = {};
  const build = (f: HostFacts | null): EcsObject => {
    // The identity reader's os fields (os-release on Linux, sw_vers on macOS) win; the facts fill what is missing.
    const o = host.os;
    const osName = o.name ?? f?.os.name;
    const version = o.version ?? f?.os.version;
    const full = o.full ?? f?.os.full;
    const { type, family, kernel, platform } = o;
    const os: EcsObject = { type, family, kernel };
    if (osName !== undefined) os['name'] = osName;
    if (platform !== undefined) os['platform'] = platform;
    if (version !== undefined) os['version'] = version;
    if (full !== undefined) os['full'] = full;
    const ip = f !== null && f.ip.length > 0 ? f.ip : null;
    const mac = f !== null && f.mac.length > 0 ? f.mac : null;
    const domain = f?.domain;
    const doc: EcsObject = { id, name, hostname: name, architecture, os: Object.freeze(os) };
    if (ip !== null) doc['ip'] = Object.freeze([...ip]) as string[];
    if (mac !== null) doc['mac'] = Object.freeze([...mac]) as string[];
    if (domain !== undefined) doc['domain'] = domain;
    return Object.freeze(doc);
  };
  return () => {
    const f = facts();
    if (f !== seen) {
      seen = f;
      fields = build(f);
    }
    return fields;
  };
}
