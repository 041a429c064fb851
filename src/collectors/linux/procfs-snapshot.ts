import type { HostIdentity } from '../host-identity.js';
import type { RawSnapshot } from '../raw-event.js';
import { ProcfsProcessTable } from './procfs-process-table.js';

/**
 * One scan of /proc as `snapshot` raw events (ECS already_running), parents first. The agent runs it right
 * AFTER a live collector (eBPF) has attached, so a process started in between is seen by both and merged by
 * entity id in the normalizer, instead of falling into a gap.
 */
export function scanProcfsSnapshot(host: HostIdentity, procRoot = '/proc', nowMs: () => number = Date.now): RawSnapshot[] {
  const table = new ProcfsProcessTable(procRoot, host);
  const timeMs = nowMs();
  return table.scan().added.map(({ process }) => ({ kind: 'snapshot', timeMs, backend: 'procfs', platform: 'linux', process }));
}
