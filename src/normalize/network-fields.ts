import type { EcsObject } from '../ecs/ecs-event.js';
import type { RawAccept, RawConnect, RawDisconnect, RawEndpoint } from '../collectors/raw-event.js';

type RawNetwork = RawConnect | RawAccept | RawDisconnect;

const MAPPED_V4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * An IPv4-mapped IPv6 address (a dual-stack socket talking IPv4) as plain IPv4 text, as Elasticsearch's `ip`
 * type treats it: rules' `cidrMatch(destination.ip, "127.0.0.0/8", ...)` then match it as they would there.
 */
export function unmapIp(ip: string): string {
  const m = MAPPED_V4.exec(ip);
  return m === null ? ip : m[1]!;
}

function endpoint(ep: RawEndpoint): EcsObject {
  const ip = unmapIp(ep.ip);
  return { ip, address: ip, port: ep.port };
}

/**
 * `source.*`, `destination.*` and `network.*` onto a document (in that key order: destination, network,
 * source). Source is always the local end and destination the remote end for a connect; for an accept the
 * remote peer is the source and the local listener the destination (the collector reports them that way round
 * in RawAccept, and for the disconnect of an accepted connection), and `network.direction` says which way it went.
 */
export function assignNetworkFields(doc: EcsObject, raw: RawNetwork): void {
  doc['destination'] = endpoint(raw.destination);
  const inbound = raw.kind === 'accept' || (raw.kind === 'disconnect' && raw.inbound === true);
  doc['network'] = { transport: raw.transport, type: raw.family, direction: inbound ? 'ingress' : 'egress' };
  if (raw.source !== undefined) doc['source'] = endpoint(raw.source);
}
