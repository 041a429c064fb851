import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RawAccept, RawConnect, RawDisconnect, RawEvent, RawExec, RawExit, RawSnapshot } from '../../../src/collectors/raw-event.js';
import { etwRecordToRaw, type EtwSkipReason } from '../../../src/collectors/win32/etw-record-to-raw.js';
import type { EtwRecord } from '../../../src/collectors/win32/etw-record.js';
import { loadRecords } from './win32-fixtures.js';

function mapAll(records: readonly EtwRecord[]): RawEvent[] {
  return records.map((r, i) => {
    const m = etwRecordToRaw(r);
    assert.ok(m.ok, `record ${i} (${r.provider} ${r.eventId}) did not map: ${m.ok ? '' : m.reason}`);
    return m.event;
  });
}

test('every mapped record is a windows/etw RawEvent', () => {
  for (const name of ['process-start-long-command-line', 'process-start-non-ascii', 'network-ipv6-connect', 'network-accept', 'process-stop'] as const) {
    for (const e of mapAll(loadRecords(name))) {
      assert.equal(e.platform, 'windows');
      assert.equal(e.backend, 'etw');
      assert.ok(Number.isFinite(e.timeMs));
    }
  }
});

test('ProcessStart v3 with a long command line: sequence numbers are the start keys, argv split, nothing cut', () => {
  const [snap, start] = mapAll(loadRecords('process-start-long-command-line')) as [RawSnapshot, RawExec];
  assert.equal(snap.kind, 'snapshot');
  assert.equal(snap.process.pid, 4312);
  assert.equal(snap.process.startKey, '1412');
  assert.equal(start.kind, 'exec');
  const p = start.process;
  assert.equal(p.pid, 9120);
  assert.equal(p.startKey, '20518'); // ProcessSequenceNumber, not CreateTime
  assert.equal(p.ppid, 4312);
  assert.equal(p.parentStartKey, '1412'); // ParentProcessSequenceNumber: the parent's own start key
  assert.equal(p.executable, 'C:\\Program Files\\PowerShell\\7\\pwsh.exe');
  assert.equal(p.comm, 'pwsh.exe');
  assert.ok(p.commandLine !== undefined && p.commandLine.length > 16000, `command line of ${p.commandLine?.length}`);
  assert.equal(p.args?.length, 5);
  assert.equal(p.args?.[0], 'C:\\Program Files\\PowerShell\\7\\pwsh.exe');
  assert.equal(p.args?.[3], '-EncodedCommand');
  assert.equal(p.args?.[4]?.length, 16000);
  assert.equal(p.argsTruncated, undefined);
  assert.equal(p.userName, 'dev');
  assert.equal(p.userDomain, 'DEV-WS01');
  assert.deepEqual(p.extra, { sessionId: 1, userSid: 'S-1-5-21-3623811015-3361044348-30300820-1013' });
  assert.equal(p.startTimeMs, Date.parse('2026-11-20T10:15:00.120Z') + 0.3456);
  assert.equal(start.timeMs, Date.parse('2026-11-20T10:15:00.121Z'));
});

test('non-ASCII paths survive; without sequence numbers the create time is the start key, for start and stop alike', () => {
  const [start, stop] = mapAll(loadRecords('process-start-non-ascii')) as [RawExec, RawExit];
  const image = 'C:\\Users\\Jürgen Müller\\Документы\\工具\\análisis.exe';
  assert.equal(start.process.executable, image);
  assert.equal(start.process.comm, 'análisis.exe');
  assert.deepEqual(start.process.args, [image, '--input', 'C:\\Users\\Jürgen Müller\\Desktop\\naïve café.txt', '--lang=日本語']);
  assert.equal(start.process.userName, 'Jürgen');
  const createTicks = loadRecords('process-start-non-ascii')[0]!.props['CreateTime'];
  assert.equal(start.process.startKey, createTicks);
  assert.equal(start.process.parentStartKey, loadRecords('process-start-non-ascii')[0]!.enrich.parentCreateTime);
  assert.equal(stop.kind, 'exit');
  assert.equal(stop.process.startKey, start.process.startKey);
  assert.equal(stop.process.executable, image);
  assert.equal(stop.exitCode, 0);
});

test('IPv6 connect and disconnect: local is the source, remote the destination, identity from the addon', () => {
  const [connect, disconnect] = mapAll(loadRecords('network-ipv6-connect')) as [RawConnect, RawDisconnect];
  assert.equal(connect.kind, 'connect');
  assert.equal(connect.transport, 'tcp');
  assert.equal(connect.family, 'ipv6');
  assert.deepEqual(connect.source, { ip: '2001:db8:85a3::8a2e:370:7334', port: 50412 });
  assert.deepEqual(connect.destination, { ip: '2606:4700:4700::1111', port: 443 });
  assert.equal(connect.result, 0);
  assert.equal(connect.process.pid, 9120); // the payload's PID, not the header's (System, 4)
  assert.equal(connect.process.startKey, '20518'); // same key as the ProcessStart of pid 9120
  assert.equal(connect.process.comm, 'pwsh.exe');
  assert.equal(disconnect.kind, 'disconnect');
  assert.deepEqual(disconnect.destination, connect.destination);
});

test('accept names the remote peer as source; a UDP flow opener is a connect', () => {
  const [accept, udp] = mapAll(loadRecords('network-accept')) as [RawAccept, RawConnect];
  assert.equal(accept.kind, 'accept');
  assert.equal(accept.family, 'ipv4');
  assert.deepEqual(accept.source, { ip: '192.168.1.77', port: 51544 });
  assert.deepEqual(accept.destination, { ip: '192.168.1.20', port: 3000 });
  assert.equal(accept.process.executable, 'C:\\Program Files\\nodejs\\node.exe');
  assert.equal(udp.kind, 'connect');
  assert.equal(udp.transport, 'udp');
  assert.deepEqual(udp.destination, { ip: '192.168.1.1', port: 53 });
});

test('ProcessStop v2: signed exit code, short ImageName, sequence number as start key', () => {
  const [stop] = mapAll(loadRecords('process-stop')) as [RawExit];
  assert.equal(stop.kind, 'exit');
  assert.equal(stop.exitCode, -1073741510); // 0xC000013A as ECS's signed long
  assert.equal(stop.process.startKey, '20518');
  assert.equal(stop.process.comm, 'pwsh.exe');
  assert.equal(stop.process.executable, 'C:\\Program Files\\PowerShell\\7\\pwsh.exe');
});

test('records that cannot be mapped say why', () => {
  const base = loadRecords('network-ipv6-connect')[0]!;
  const start = loadRecords('process-start-long-command-line')[1]!;
  const rows: ReadonlyArray<readonly [string, EtwRecord, EtwSkipReason]> = [
    ['unknown event id', { ...base, eventId: 10 }, 'unknown_event'],
    ['provider/id mismatch', { ...base, provider: 'kernel-process' }, 'unknown_event'],
    ['zero timestamp', { ...base, timestamp: '0' }, 'bad_timestamp'],
    ['non-numeric timestamp', { ...base, timestamp: '2026-11-20' }, 'bad_timestamp'],
    ['network without PID', { ...base, props: { ...base.props, PID: 'x' } }, 'missing_pid'],
    ['network without daddr', { ...base, props: { ...base.props, daddr: '' } }, 'bad_address'],
    ['port out of range', { ...base, props: { ...base.props, dport: 70000 } }, 'bad_address'],
    ['start without ProcessID', { ...start, props: { ...start.props, ProcessID: '9120' } }, 'missing_pid'],
    [
      'start without any identity',
      { ...start, props: { ...start.props, ProcessSequenceNumber: '0', CreateTime: '0' }, enrich: {} },
      'missing_identity',
    ],
  ];
  for (const [what, record, reason] of rows) {
    const m = etwRecordToRaw(record);
    assert.equal(m.ok, false, what);
    if (!m.ok) assert.equal(m.reason, reason, what);
  }
});

test('an IPv4 address decoded as a plain UInt32 is still read in network byte order', () => {
  const [accept] = loadRecords('network-accept');
  // 192.168.1.77 as TDH hands a UInt32 without the win:IPv4 out type: bytes c0 a8 01 4d read little-endian
  const m = etwRecordToRaw({ ...accept!, props: { ...accept!.props, daddr: 0x4d01a8c0 } });
  assert.ok(m.ok);
  if (m.ok && m.event.kind === 'accept') assert.deepEqual(m.event.source, { ip: '192.168.1.77', port: 51544 });
});

test('a network event for a process the addon could not identify keeps an empty start key', () => {
  const base = loadRecords('network-ipv6-connect')[0]!;
  const m = etwRecordToRaw({ ...base, enrich: {} });
  assert.ok(m.ok);
  if (m.ok) {
    assert.equal(m.event.process.startKey, '');
    assert.equal(m.event.process.executable, undefined);
  }
});
