import type { EcsObject } from '../ecs/ecs-event.js';
import type { HostFacts } from '../collectors/host-facts.js';
import type { HostIdentity } from '../collectors/host-identity.js';

/**
 * The `host.*` field set, as a factory: the values are computed once per host (and again when the refreshed
 * host facts change), and every document gets its own copy (later stages may annotate a document; no document
 * shares a mutable object with another). `facts` gives the current host facts (addresses, domain, os as
 * systeminformation reads it), or null before the first read.
 */
export function hostFields(host: HostIdentity, facts: () => HostFacts | null = () => null): () => EcsObject {
  const id = host.hostId;
  const name = host.hostname;
  const architecture = host.architecture;
  let seen: HostFacts | null | undefined;
  let make: () => EcsObject = () => ({});
  const build = (f: HostFacts | null): (() => EcsObject) => {
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
    // The usual case (every os field and the addresses known) as one literal: one object shape per document.
    if (ip !== null && mac !== null && domain === undefined && osName !== undefined && platform !== undefined && version !== undefined && full !== undefined) {
      return () => ({ id, name, hostname: name, architecture, os: { type, family, kernel, name: osName, platform, version, full }, ip: ip.slice(), mac: mac.slice() });
    }
    return () => {
      const doc: EcsObject = { id, name, hostname: name, architecture, os: { ...os } };
      if (ip !== null) doc['ip'] = [...ip];
      if (mac !== null) doc['mac'] = [...mac];
      if (domain !== undefined) doc['domain'] = domain;
      return doc;
    };
  };
  return () => {
    const f = facts();
    if (f !== seen) {
      seen = f;
      make = build(f);
    }
    return make();
  };
}
