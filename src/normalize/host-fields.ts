import type { EcsObject } from '../ecs/ecs-event.js';
import type { HostIdentity } from '../collectors/host-identity.js';

/**
 * The `host.*` field set, as a factory: the values are computed once per host, and every document gets its
 * own copy (later stages may annotate a document; no document shares a mutable object with another).
 */
export function hostFields(host: HostIdentity): () => EcsObject {
  const os: EcsObject = { type: host.os.type, family: host.os.family, kernel: host.os.kernel };
  if (host.os.name !== undefined) os['name'] = host.os.name;
  if (host.os.platform !== undefined) os['platform'] = host.os.platform;
  if (host.os.version !== undefined) os['version'] = host.os.version;
  if (host.os.full !== undefined) os['full'] = host.os.full;
  const id = host.hostId;
  const name = host.hostname;
  const architecture = host.architecture;
  const { type, family, kernel, name: osName, platform, version, full } = host.os;
  // the usual case (every os field known) as one literal, in the same key order as the general copy
  if (osName !== undefined && platform !== undefined && version !== undefined && full !== undefined) {
    return () => ({ id, name, hostname: name, architecture, os: { type, family, kernel, name: osName, platform, version, full } });
  }
  return () => ({ id, name, hostname: name, architecture, os: { ...os } });
}
