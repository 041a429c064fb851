import type { EcsObject } from '../ecs/ecs-event.js';
import type { RawAccept, RawConnect, RawDisconnect, RawEndpoint } from '../collectors/raw-event.js';

type RawNetwork = RawConnect | RawAccept | RawDisconnect;

function endpoint(ep: RawEndpoint): EcsObject {
  return { ip: ep.ip, address: ep.ip, port: ep.port };
}

/**
 * `source.*`, `destination.*` and `network.*`. Source is always the local end and destination the remote end
 * for a connect; for an accept the remote peer is the source and the local listener the destination (the
 * collector reports them that way round in RawAccept), and `network.direction` says which way it went.
 */
export function networkFields(raw: RawNetwork): { source?: EcsObject; destination: EcsObject; network: EcsObject } {
  const out: { source?: EcsObject; destination: EcsObject; network: EcsObject } = {
    destination: endpoint(raw.destination),
    network: { transport: raw.transport, type: raw.family, direction: raw.kind === 'accept' ? 'ingress' : 'egress' },
  };
  if (raw.source !== undefined) out.source = endpoint(raw.source);
  return out;
}
