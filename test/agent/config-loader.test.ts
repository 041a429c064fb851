import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError } from '../../src/agent/config-loader.js';
import { DEFAULT_CONFIG } from '../../src/agent/agent-config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('config/vigil.toml documents exactly the defaults', () => {
  assert.deepEqual(loadConfig(join(root, 'config', 'vigil.toml')), DEFAULT_CONFIG);
});

test('no file means defaults', () => {
  assert.deepEqual(loadConfig(undefined), DEFAULT_CONFIG);
});

const bad: Array<[string, string, string | null, RegExp]> = [
  ['unknown section', '[colector]\nbackend = "auto"\n', 'colector', /unknown section \[colector\]/],
  ['unknown key', '[engine]\nreorder_hold = 5\n', 'engine.reorder_hold', /unknown key engine\.reorder_hold/],
  ['wrong type', '[engine]\nreorder_hold_ms = "250"\n', 'engine.reorder_hold_ms', /engine\.reorder_hold_ms must be an integer/],
  ['bad enum', '[collector]\nbackend = "kprobe"\n', 'collector.backend', /collector\.backend must be one of/],
  ['ring not power of two', '[collector]\nring_buffer_bytes = 5000\n', 'collector.ring_buffer_bytes', /power of two/],
  ['section not a table', 'engine = 3\n', 'engine', /must be a table/],
  ['files: unknown key', '[collector.files]\nenable = true\n', 'collector.files', /collector\.files has an unknown key enable/],
  ['files: bad sensitive entry', '[collector.files]\nsensitive = ["known_hosts"]\n', 'collector.files', /collector\.files sensitive: entries must read/],
  ['files: relative exclude', '[collector.files]\nexclude_prefixes = ["tmp"]\n', 'collector.files', /entries must be absolute paths/],
  ['syntax error has position', '[engine]\nreorder_hold_ms = = 3\n', null, /:2:\d+: TOML syntax error/],
];

for (const [name, text, key, message] of bad) {
  test(`bad config stops with the key: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
    try {
      const file = join(dir, 'vigil.toml');
      writeFileSync(file, text);
      assert.throws(
        () => loadConfig(file),
        (err: unknown) => err instanceof ConfigError && err.key === key && message.test(err.message) && err.message.startsWith(file),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a partial config keeps the other defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  try {
    const file = join(dir, 'vigil.toml');
    writeFileSync(file, '[engine]\nreorder_hold_ms = 50\n[rules]\npaths = ["/x"]\n');
    const config = loadConfig(file);
    assert.equal(config.engine.reorder_hold_ms, 50);
    assert.equal(config.engine.max_sequences_per_rule, DEFAULT_CONFIG.engine.max_sequences_per_rule);
    assert.deepEqual(config.rules.paths, ['/x']);
    assert.equal(config.collector.backend, 'auto');
    writeFileSync(file, '[collector.files]\nexclude_prefixes = ["/var/cache"]\n');
    assert.deepEqual(loadConfig(file).collector.files, { enabled: true, sensitive: [], exclude_prefixes: ['/var/cache'] }, '[collector.files] keys merge over its defaults');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
