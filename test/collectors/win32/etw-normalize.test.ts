import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../../src/ecs/field-getter.js';
import { loadRecords, normalizeRecords } from './win32-fixtures.js';

const get = (doc: EcsEvent | undefined, path: string): unknown => {
  assert.ok(doc, 'a document was emitted');
  return compileFieldGetter(path)(doc);
};

function expectFields(doc: EcsEvent | undefined, rows: ReadonlyArray<readonly [string, unknown]>): void {
  for (const [path, value] of rows) assert.deepEqual(get(doc, path), value, path);
}

test('the seed scenario normalizes into Defend-shaped Windows documents', () => {
  const docs = normalizeRecords(loadRecords('genai-encoding-scenario'));
  const [explorer, claude, ps, dns, connect, stop] = docs;
  for (const d of docs) {
    assert.equal(get(d, 'host.os.type'), 'windows');
    assert.equal(get(d, 'host.os.family'), 'windows');
  }
  expectFields(explorer, [
    ['event.action', 'already_running'],
    ['process.name', 'explorer.exe'],
    ['process.executable', 'C:\\Windows\\explorer.exe'],
  ]);
  expectFields(claude, [
    ['event.category', ['process']],
    ['event.type', ['start']],
    ['process.pid', 10244],
    ['process.name', 'claude.exe'],
    ['process.parent.name', 'explorer.exe'],
    ['process.parent.entity_id', get(explorer, 'process.entity_id')],
  ]);
  expectFields(ps, [
    ['event.category', ['process']],
    ['event.type', ['start']],
    ['process.pid', 11876],
    ['process.name', 'powershell.exe'],
    ['process.executable', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'],
    ['process.args_count', 5],
    ['process.parent.pid', 10244],
    ['process.parent.name', 'claude.exe'],
    ['process.parent.executable', 'C:\\Users\\dev\\AppData\\Local\\AnthropicClaude\\claude.exe'],
    ['process.parent.entity_id', get(claude, 'process.entity_id')],
    ['process.Ext.ancestry', [get(claude, 'process.entity_id'), get(explorer, 'process.entity_id')]],
    ['process.start', '2026-11-20T10:20:05.300Z'],
    ['user.name', 'dev'],
    ['@timestamp', '2026-11-20T10:20:05.301Z'],
  ]);
  assert.match(String(get(ps, 'process.command_line')), /\[Convert\]::ToBase64String\(/);
  expectFields(dns, [
    ['event.action', 'connection_attempted'],
    ['network.transport', 'udp'],
    ['destination.ip', '192.168.1.1'],
    ['destination.port', 53],
  ]);
  expectFields(connect, [
    ['event.category', ['network']],
    ['event.type', ['start']],
    ['event.action', 'connection_attempted'],
    ['event.outcome', 'success'],
    ['network.transport', 'tcp'],
    ['network.type', 'ipv4'],
    ['network.direction', 'egress'],
    ['destination.ip', '140.82.112.3'],
    ['destination.port', 443],
    ['source.ip', '192.168.1.20'],
    ['process.pid', 11876],
    ['process.name', 'powershell.exe'],
    // one process, one identity: the network event joins the process start on process.entity_id
    ['process.entity_id', get(ps, 'process.entity_id')],
    ['process.parent.entity_id', get(claude, 'process.entity_id')],
  ]);
  expectFields(stop, [
    ['event.action', 'end'],
    ['event.type', ['end']],
    ['process.entity_id', get(ps, 'process.entity_id')],
    ['process.exit_code', 0],
  ]);
});

test('a long command line reaches ECS whole', () => {
  const [, start] = normalizeRecords(loadRecords('process-start-long-command-line'));
  const args = get(start, 'process.args') as string[];
  assert.equal(args.length, 5);
  assert.equal(args[4]!.length, 16000);
  assert.ok(String(get(start, 'process.command_line')).length > 16000);
  assert.equal(get(start, 'process.name'), 'pwsh.exe');
  assert.equal(get(start, 'process.parent.name'), 'explorer.exe');
});

test('non-ASCII paths and arguments are kept as they are', () => {
  const [start, stop] = normalizeRecords(loadRecords('process-start-non-ascii'));
  const image = 'C:\\Users\\Jürgen Müller\\Документы\\工具\\análisis.exe';
  expectFields(start, [
    ['process.executable', image],
    ['process.name', 'análisis.exe'],
    ['process.args', [image, '--input', 'C:\\Users\\Jürgen Müller\\Desktop\\naïve café.txt', '--lang=日本語']],
    ['user.name', 'Jürgen'],
  ]);
  expectFields(stop, [
    ['event.action', 'end'],
    ['process.entity_id', get(start, 'process.entity_id')],
    ['process.name', 'análisis.exe'],
  ]);
});

test('IPv6 connect and disconnect, and an accept, keep Defend network semantics', () => {
  const [connect, disconnect] = normalizeRecords(loadRecords('network-ipv6-connect'));
  expectFields(connect, [
    ['network.type', 'ipv6'],
    ['destination.ip', '2606:4700:4700::1111'],
    ['destination.port', 443],
    ['source.ip', '2001:db8:85a3::8a2e:370:7334'],
    ['process.name', 'pwsh.exe'],
  ]);
  expectFields(disconnect, [
    ['event.action', 'disconnect_received'],
    ['event.type', ['end']],
    ['process.entity_id', get(connect, 'process.entity_id')],
  ]);
  const [accept] = normalizeRecords(loadRecords('network-accept'));
  expectFields(accept, [
    ['event.action', 'connection_accepted'],
    ['network.direction', 'ingress'],
    ['source.ip', '192.168.1.77'],
    ['destination.port', 3000],
    ['process.name', 'node.exe'],
  ]);
});
