import type { EtwProvider } from './etw-record.js';

/** What an (provider, event id) pair means to Vigil. */
export const ETW_EVENT_KINDS = [
  'process_start', 'process_stop', 'process_snapshot', 'tcp_connect', 'tcp_accept', 'tcp_disconnect', 'udp_send', 'udp_recv',
  'file_change',
] as const;
export type EtwEventKind = (typeof ETW_EVENT_KINDS)[number];

export interface EtwEventInfo {
  readonly kind: EtwEventKind;
  readonly family?: 'ipv4' | 'ipv6';
}

/**
 * The events the session enables (native/win32/src/etw-defs.h keeps the same ids), from the providers'
 * manifests: Kernel-Process task ProcessStart / ProcessStop; Kernel-Network KERNEL_NETWORK_TASK_TCPIP opcodes
 * connect / disconnect / accept and KERNEL_NETWORK_TASK_UDPIP send / receive, IPv4 then IPv6.
 */
export const ETW_EVENT_TABLE: Readonly<Record<EtwProvider, Readonly<Record<number, EtwEventInfo>>>> = {
  'kernel-process': {
    1: { kind: 'process_start' },
    2: { kind: 'process_stop' },
  },
  'kernel-network': {
    12: { kind: 'tcp_connect', family: 'ipv4' },
    13: { kind: 'tcp_disconnect', family: 'ipv4' },
    15: { kind: 'tcp_accept', family: 'ipv4' },
    28: { kind: 'tcp_connect', family: 'ipv6' },
    29: { kind: 'tcp_disconnect', family: 'ipv6' },
    31: { kind: 'tcp_accept', family: 'ipv6' },
    42: { kind: 'udp_send', family: 'ipv4' },
    43: { kind: 'udp_recv', family: 'ipv4' },
    58: { kind: 'udp_send', family: 'ipv6' },
    59: { kind: 'udp_recv', family: 'ipv6' },
  },
  // Kernel-File as the addon's file tracker reports it: one record per change, under the id of the event that
  // completed it (Create for a sensitive open, Cleanup/Close for modifications, overwrites and delete-on-close,
  // DeletePath, RenamePath, CreateNewFile); `enrich.fileAction` says which change.
  'kernel-file': {
    12: { kind: 'file_change' },
    13: { kind: 'file_change' },
    14: { kind: 'file_change' },
    26: { kind: 'file_change' },
    27: { kind: 'file_change' },
    30: { kind: 'file_change' },
  },
  snapshot: {
    0: { kind: 'process_snapshot' },
  },
};

export function etwEventInfo(provider: EtwProvider, eventId: number): EtwEventInfo | undefined {
  return ETW_EVENT_TABLE[provider]?.[eventId];
}
