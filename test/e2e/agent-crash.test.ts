import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { startAgent } from '../helpers/agent-process.js';

const cannotLoad = await EbpfCollector.probe();
const MARKER = 'vigil-burst-marker';

test('kill -9 during a burst of alerts loses no committed alert; a reader holding the database never blocks the agent', { skip: cannotLoad ?? false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-crash-'));
  const db = join(dir, 'alerts.db');
  const rules = join(dir, 'burst.eql');
  writeFileSync(rules, `// name: Burst marker\n// severity: low\nprocess where event.type == "start" and process.name == "true" and process.args == "${MARKER}"\n`);
  // Every alert its own row (no flood folding): this test counts committed rows.
  const config = join(dir, 'vigil.toml');
  writeFileSync(config, '[storage]\naggregate_after = 0\n');
  const agent = await startAgent(['--config', config, '--db', db, '--state-dir', dir, '--rules', rules, '--backend', 'ebpf', '--log-format', 'json', '--no-notify']);
  // A reader that holds a read transaction open for the whole burst.
  const reader = new Database(db, { readonly: true });
  reader.prepare('BEGIN').run();
  const before = (reader.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
  const burst = spawn('sh', ['-c', `i=0; while [ $i -lt 3000 ]; do /bin/true ${MARKER} $i; i=$((i+1)); done`], { stdio: 'ignore' });
  try {
    // Wait until the agent has committed a good number of alerts while the reader holds its snapshot.
    const committed = () => agent.logs.filter((l) => typeof l['alert_id'] === 'number').map((l) => l['alert_id'] as number);
    const deadline = Date.now() + 20000;
    while (committed().length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(committed().length >= 200, `the agent committed ${committed().length} alerts while a reader held the database`);
    assert.equal((reader.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, before, 'the reader kept its snapshot');
    agent.child.kill('SIGKILL');
    await new Promise((r) => agent.child.once('exit', r));
    const reported = new Set(committed());
    reader.prepare('COMMIT').run();
    reader.close();
    const check = new Database(db, { readonly: true });
    try {
      assert.equal((check.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      const stored = new Set((check.prepare('SELECT id FROM alerts').all() as Array<{ id: number }>).map((r) => r.id));
      const lost = [...reported].filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `every alert the agent reported committed (${reported.size}) is in the database (${stored.size})`);
    } finally {
      check.close();
    }
  } finally {
    burst.kill('SIGKILL');
    if (reader.open) reader.close();
    await agent.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
