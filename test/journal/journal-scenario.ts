import { join } from 'node:path';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import type { RawEvent } from '../../src/collectors/raw-event.js';
import { ActivityJournal, type JournalLimits } from '../../src/journal/activity-journal.js';
import { journalPathFor } from '../../src/journal/journal-path.js';
import { fixtureEtc, makeNormalizer, proc, T0 } from '../normalize/normalize-fixtures.js';

export const L = { backend: 'ebpf', platform: 'linux' } as const;
export const LIMITS: JournalLimits = { maxProcessesPerSession: 5000, maxFilesPerSession: 5000, maxConnectionsPerSession: 5000, retentionDays: 30, maxBytes: 0 };

export function normalize(raws: RawEvent[]): EcsEvent[] {
  const etc = fixtureEtc();
  try {
    const n = makeNormalizer(etc.dir);
    return raws.map((r) => n.normalize(r)).filter((d): d is EcsEvent => d !== null);
  } finally {
    etc.dispose();
  }
}

const conn = (pid: number, key: string, t: number, ip: string, port: number, result: number): RawEvent => ({
  ...L, kind: 'connect', timeMs: t, transport: 'tcp', family: 'ipv4', source: { ip: '10.0.0.2', port: 40000 }, destination: { ip, port }, result, process: proc(pid, key),
});

/** claude (pid 11) runs sh -> git, python3; python3 connects twice; bash (pid 50) does the same outside any session. */
export function scenario(): RawEvent[] {
  const ex = (pid: number, ppid: number, t: number, exe: string, args: string[], cwd = '/tmp/proj'): RawEvent => ({
    ...L, kind: 'exec', timeMs: t, process: proc(pid, String(pid), { ppid, parentStartKey: String(ppid), executable: exe, args, cwd, uid: 1000, gid: 1000 }),
  });
  const fork = (pid: number, ppid: number, t: number): RawEvent => ({ ...L, kind: 'fork', timeMs: t, process: proc(pid, String(pid), { ppid, parentStartKey: String(ppid) }) });
  return [
    ex(10, 1, T0, '/usr/bin/bash', ['bash']),
    fork(11, 10, T0 + 1),
    ex(11, 10, T0 + 2, '/home/alice/.local/bin/claude', ['claude', '-p', 'fix \u001b[31mthe\u001b[0m tests']),
    fork(12, 11, T0 + 3),
    ex(12, 11, T0 + 4, '/usr/bin/sh', ['sh', '-c', 'git status']),
    fork(13, 12, T0 + 5),
    ex(13, 12, T0 + 6, '/usr/bin/git', ['git', 'status']),
    { ...L, kind: 'exit', timeMs: T0 + 7, exitCode: 0, process: proc(13, '13') },
    fork(14, 11, T0 + 8),
    ex(14, 11, T0 + 9, '/usr/bin/python3', ['python3', 'fetch.py']),
    conn(14, '14', T0 + 10, '127.0.0.1', 8080, 0),
    conn(14, '14', T0 + 11, '93.184.216.34', 443, -101),
    { ...L, kind: 'exit', timeMs: T0 + 12, exitCode: 1, process: proc(14, '14') },
    { ...L, kind: 'exit', timeMs: T0 + 13, exitCode: 0, process: proc(12, '12') },
    { ...L, kind: 'exit', timeMs: T0 + 14, exitCode: 0, process: proc(11, '11') },
    // the same work by a plain shell: no session
    fork(50, 10, T0 + 20),
    ex(50, 10, T0 + 21, '/usr/bin/python3', ['python3', 'fetch.py']),
    conn(50, '50', T0 + 22, '127.0.0.1', 8080, 0),
  ];
}

export function journalOf(dir: string, docs: EcsEvent[], limits: JournalLimits = LIMITS): void {
  const j = ActivityJournal.open(journalPathFor(join(dir, 'alerts.db')), limits);
  for (const d of docs) j.ingest(d, Date.parse(d['@timestamp'] as string));
  j.close();
}

