import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { runSequenceBatch } from '../../src/sequence/batch.js';
import { SequenceMatcher } from '../../src/sequence/sequence-matcher.js';
import { parseSeriesSpec } from './series-spec.js';
import { sequenceQuery, stage } from './stage-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const specFile = join(root, '..', 'shared', 'eql-conformance', 'sequences.series-spec');
const present = existsSync(specFile);
const specs = present ? parseSeriesSpec(readFileSync(specFile, 'utf8')) : [];

test('series-spec: the spec file is there and parses', { skip: present ? false : `${specFile} not found` }, () => {
  assert.ok(specs.length === 25, `only ${specs.length} specs parsed`);
});

for (const spec of specs) {
  test(`series-spec ${spec.name} (line ${spec.line})`, () => {
    const stages = Array.from({ length: spec.stages }, (_, i) =>
      stage({ filter: (e) => e['stage'] === i, keys: spec.hasKeys ? ['key'] : [] }),
    );
    const query = sequenceQuery(stages);
    const events: EcsEvent[] = spec.events
      .map((e) => ({ name: e.name, ts: e.ts, stage: e.stage, key: e.key }) as EcsEvent)
      .sort((a, b) => (a['ts'] as number) - (b['ts'] as number));
    const hits = runSequenceBatch(query, events, { timestamp: (e) => e['ts'] as number });
    const got = hits.map((h) => {
      const names = h.events.map((e) => String(e?.['name']));
      if (spec.hasKeys) names[0] = `${String(h.joinKeys[0])}|${names[0]}`;
      return names;
    });
    assert.deepEqual(got, spec.expected);

    // The live API gives the same sequences, one push at a time, with consistent collections.
    const live = new SequenceMatcher(query, { timestamp: (e) => e['ts'] as number });
    const liveHits = events.flatMap((e) => {
      const out = live.push(e);
      live.checkInvariants();
      return out;
    });
    assert.equal(liveHits.length, spec.expected.length);
  });
}
