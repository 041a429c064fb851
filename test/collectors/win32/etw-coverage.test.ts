import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TELEMETRY_COVERAGE } from '../../../src/ecs/emitted-fields.js';
import { FIXTURE_NAMES, loadRecords, normalizeRecords } from './win32-fixtures.js';
import { leafPaths } from '../../helpers/leaf-paths.js';


test('every field of the Windows documents is one TELEMETRY_COVERAGE.windows lists', () => {
  const emitted = new Set<string>();
  for (const name of FIXTURE_NAMES) {
    for (const doc of normalizeRecords(loadRecords(name))) leafPaths(doc, '', emitted);
  }
  const listed = new Set(TELEMETRY_COVERAGE.windows.fields);
  const unlisted = [...emitted].filter((f) => !listed.has(f)).sort();
  assert.deepEqual(unlisted, []);
  // and the fields the seed rule reads are among them
  for (const f of ['process.name', 'process.command_line', 'process.parent.name', 'process.entity_id', 'destination.ip', 'event.action', 'event.type']) {
    assert.ok(emitted.has(f), f);
  }
});
