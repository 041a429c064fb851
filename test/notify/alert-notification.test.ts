import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/alerts/alert.js';
import { alertNotification, summaryNotification } from '../../src/notify/alert-notification.js';
import { plainText } from '../../src/notify/plain-text.js';
import { sampleMatch, SEED_RULE } from '../alerts/sample-match.js';

function alertOf(n: number, overrides: Partial<Alert> = {}): Alert {
  const m = sampleMatch(n);
  return {
    id: 12, uuid: 'u', time: '', createdAt: '', dedupKey: 'k', aggregateCount: 1, state: 'open', stateChangedAt: null,
    rule: { ...SEED_RULE, description: null, file: null, version: null },
    host: m.host, collector: m.collector, joinKeys: m.joinKeys, events: m.events, lostEvents: 0,
    ...overrides,
  };
}

test('an alert notification names the rule, severity, process and destination', () => {
  const n = alertNotification(alertOf(7));
  assert.equal(n.title, `Vigil: ${SEED_RULE.name}`);
  assert.equal(n.urgency, 'normal');
  assert.match(n.body, /^Severity medium \(risk 47\) on ws-01$/m);
  assert.match(n.body, /^Process: python3 — python3 -c import base64/m);
  assert.match(n.body, /^Destination: 203\.0\.113\.7:443$/m);
  assert.match(n.body, /vigil alerts show 12/);
});

test('high and critical rules are critical; lost events are mentioned; missing events are skipped', () => {
  const a = alertOf(1, { rule: { ...SEED_RULE, severity: 'high', description: null, file: null, version: null }, lostEvents: 4 });
  const n = alertNotification({ ...a, events: [null, a.events[1]!] });
  assert.equal(n.urgency, 'critical');
  assert.match(n.body, /4 events lost/);
  assert.match(n.body, /Process: python3/);
  assert.equal(alertNotification(alertOf(1, { rule: { ...SEED_RULE, severity: 'low', description: null, file: null, version: null } })).urgency, 'low');
});

test('untrusted text is made plain: control characters, markup and length', () => {
  const rows: Array<[string, number, string]> = [
    ['a\nb\tc\u0007d', 100, 'a b c d'],
    // A bidi override would show `invoiceexe.pdf`; U+2028 and the isolates likewise become spaces.
    ['invoice\u202efdp.exe', 100, 'invoice fdp.exe'],
    ['a\u2066b\u2069c\u061cd\u200fe\u2028f', 100, 'a b c d e f'],
    ['<b>x</b> & y', 100, '&lt;b&gt;x&lt;/b&gt; &amp; y'],
    ['abcdefghij', 5, 'abcd…'],
    ['', 5, ''],
  ];
  for (const [input, max, expected] of rows) assert.equal(plainText(input, max), expected, JSON.stringify(input));
  const evil = alertOf(1);
  const e0 = { ...evil.events[0]!, process: { name: 'x', command_line: 'sh -c "$(rm -rf /)" `id` <i>\n' + 'A'.repeat(500) } };
  const n = alertNotification({ ...evil, events: [e0] });
  assert.ok(!n.body.includes('<i>'));
  assert.ok(n.body.split('\n').every((l) => l.length < 260));
});

test('the flood summary says how many more alerts of which rule', () => {
  const s = summaryNotification({ ruleName: 'Rule X', count: 95 });
  assert.equal(s.title, 'Vigil: 95 more alerts of rule Rule X');
  assert.equal(summaryNotification({ ruleName: 'R', count: 1 }).title, 'Vigil: 1 more alert of rule R');
});

test('an alert in an AI-agent session names the agent, and the journal session when linked', () => {
  const a = alertOf(3);
  const e0 = { ...a.events[0]!, process: { ...(a.events[0]!['process'] as object), ai_agent: { name: 'claude_code', is_descendant: true } } };
  const withAgent = { ...a, events: [e0, a.events[1]!] };
  assert.match(alertNotification(withAgent).body, /^AI agent: claude_code$/m);
  assert.match(alertNotification(withAgent, { id: 4, agent: 'claude_code' }).body, /^AI agent: claude_code, session 4 \(vigil ai show 4\)$/m);
  assert.doesNotMatch(alertNotification(a).body, /AI agent/);
});
