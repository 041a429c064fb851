import type { EcsObject } from '../ecs/ecs-event.js';
import type { HostIdentity } from '../collectors/host-identity.js';
import { setDefined } from './set-defined.js';

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v !== null && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

/** The `host.*` field set: built once per host and shared (frozen) by every document. */
export function hostFields(host: HostIdentity): EcsObject {
  const os: EcsObject = { type: host.os.type, family: host.os.family, kernel: host.os.kernel };
  setDefined(os, 'name', host.os.name);
  setDefined(os, 'platform', host.os.platform);
  setDefined(os, 'version', host.os.version);
  setDefined(os, 'full', host.os.full);
  return deepFreeze({
    id: host.hostId,
    name: host.hostname,
    hostname: host.hostname,
    architecture: host.architecture,
    os,
  });
}
