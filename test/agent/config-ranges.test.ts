import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/agent/config-loader.js';
import { cliPath } from '../helpers/agent-process.js';

/**
 * Issue 19 defect 12 (config half): numbers that overflow Node's timers (setTimeout/setInterval take at most
 * 2^31-1 ms; beyond it Node fires after 1 ms, so `[status] interval_s = 2200000` spun the CPU) or that make no
 * sense for their key are refused at load with the key named.
 */
const outOfRange: Array<[string, string, string]> = [
  ['status interval beyond the timer limit', '[status]\ninterval_s = 2200000\n', 'status.interval_s'],
  ['poll interval beyond the timer limit', '[collector]\npoll_interval_ms = 3000000000\n', 'collector.poll_interval_ms'],
  ['reorder hold beyond the timer limit', '[engine]\nreorder_hold_ms = 2147483648\n', 'engine.reorder_hold_ms'],
  ['sequence lifetime beyond the timer limit', '[engine]\ndefault_sequence_lifetime_s = 9007199254740\n', 'engine.default_sequence_lifetime_s'],
  ['retention past any date', '[storage]\nretention_days = 1000000000\n', 'storage.retention_days'],
  ['ring buffer beyond 1 GiB', '[collector]\nring_buffer_bytes = 4294967296\n', 'collector.ring_buffer_bytes'],
  ['sequence cap beyond memory', '[engine]\nmax_sequences_per_rule = 1000000000000\n', 'engine.max_sequences_per_rule'],
  ['reorder cap beyond memory', '[engine]\nreorder_max_events = 1000000000000\n', 'engine.reorder_max_events'],
];

for (const [name, text, key] of outOfRange) {
  test(`config range: ${name} is refused naming ${key}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-config-range-'));
    try {
      const file = join(dir, 'vigil.toml');
      writeFileSync(file, text);
      assert.throws(
        () => loadConfig(file),
        (err: unknown) => err instanceof ConfigError && err.key === key && err.message.includes(key) && /in \d+\.\.\d+/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('config range: the largest accepted values load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-range-'));
  try {
    const file = join(dir, 'vigil.toml');
    writeFileSync(file, '[status]\ninterval_s = 86400\n[engine]\nreorder_hold_ms = 60000\n[storage]\nretention_days = 36500\n');
    const c = loadConfig(file);
    assert.equal(c.status.interval_s, 86400);
    assert.equal(c.engine.reorder_hold_ms, 60000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('config range: vigil run with interval_s = 2200000 exits 2 naming the key, before starting anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-range-'));
  try {
    const file = join(dir, 'vigil.toml');
    writeFileSync(file, '[status]\ninterval_s = 2200000\n');
    const r = spawnSync(process.execPath, [cliPath, 'run', '--config', file, '--db', join(dir, 'alerts.db'), '--state-dir', join(dir, 'state'), '--log-format', 'json', '--no-notify'], {
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /status\.interval_s must be an integer in 1\.\.86400/);
    assert.doesNotMatch(r.stderr, /ready/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
