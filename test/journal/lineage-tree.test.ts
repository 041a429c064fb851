import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ActivityJournal } from '../../src/journal/activity-journal.js';
import { JournalReader } from '../../src/journal/journal-reader.js';
import { eventLineage, sessionLineage } from '../../src/journal/lineage-tree.js';
import { treeLines } from '../../src/cli/session-tree-text.js';
import { tempDir } from '../alerts/temp-dir.js';
import { LIMITS, normalize, scenario } from './journal-scenario.js';

test('an alert linked to a session: its lineage is the path from the root to its processes, siblings left out', () => {
  const tmp = tempDir('lineage');
  try {
    const docs = normalize(scenario());
    const python = docs.filter((d) => (d['process'] as { pid: number }).pid === 14);
    const alertEvents = [python.find((d) => (d['event'] as { action: string }).action === 'exec')!, python.find((d) => (d['event'] as { action: string }).action === 'connection_attempted')!];
    const path = join(tmp.dir, 'alerts-ai.db');
    const j = ActivityJournal.open(path, LIMITS);
    for (const d of docs) j.ingest(d, Date.parse(d['@timestamp'] as string));
    assert.deepEqual(j.linkAlert(7, 'Interpreter Connecting Out', 'high', alertEvents, Date.parse(alertEvents[1]!['@timestamp'] as string)), { sessionId: 1, agent: 'claude_code' });
    assert.equal(j.linkAlert(8, 'Unrelated', 'low', [docs[0]!], 0), null, 'an alert outside any session links nowhere');
    j.close();
    const r = JournalReader.open(path);
    try {
      const ref = r.sessionOfAlert(7)!;
      assert.deepEqual(ref, { id: 1, agent: 'claude_code' });
      assert.equal(r.sessionOfAlert(8), null);
      assert.equal(r.sessions()[0]!.alerts, 1);
      const lines = treeLines(sessionLineage(r.session(ref.id)!, alertEvents), 120);
      assert.deepEqual(lines, [
        'claude -p fix \\x1b[31mthe\\x1b[0m tests  [pid 11]',
        '└── python3 fetch.py  [pid 14, exit 1]',
        '        connect to 127.0.0.1:8080 tcp (success)',
        '        connect to 93.184.216.34:443 tcp (failure)',
        '        !! alert 7 high: Interpreter Connecting Out',
      ]);
    } finally {
      r.close();
    }
    // without a journal: the events' own lineage (the parent as the event names it, the matched connection)
    assert.deepEqual(treeLines(eventLineage(alertEvents), 120), [
      'claude -p fix \\x1b[31mthe\\x1b[0m tests  [pid 11]',
      '└── python3 fetch.py  [pid 14]',
      '        connect to 127.0.0.1:8080 tcp (success)',
    ]);
  } finally {
    tmp.cleanup();
  }
});
