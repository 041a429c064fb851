import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLstart } from '../../../src/collectors/darwin/lstart.js';
import { parseLsofCwd } from '../../../src/collectors/darwin/lsof-cwd.js';
import { LsofConnectionTracker } from '../../../src/collectors/darwin/lsof-connection-tracker.js';
import { parseLsofAddress, parseLsofFields } from '../../../src/collectors/darwin/lsof-parser.js';
import { PidGapCounter } from '../../../src/collectors/darwin/pid-gap-counter.js';
import { parsePsExecutables, parsePsProcesses } from '../../../src/collectors/darwin/ps-parser.js';

test('lstart: both ps formats in UTC, space-padded days; negative rows', () => {
  const rows: Array<[string, number | undefined]> = [
    ['Sat Nov 28 08:15:38 2026', Date.UTC(2026, 10, 28, 8, 15, 38) / 1000],
    ['Tue Nov  3 07:04:05 2026', Date.UTC(2026, 10, 3, 7, 4, 5) / 1000],
    ['  Thu Jan  1 00:00:00 1970 ', 0],
    ['Sat Nov 28 08:15 2026', undefined],
    ['Sat Foo 28 08:15:38 2026', undefined],
    ['Sat Nov 32 08:15:38 2026', undefined],
    ['2026-11-28 08:15:38', undefined],
  ];
  for (const [text, want] of rows) assert.equal(parseLstart(text), want, text);
});

test('ps rows: procps (Linux) and BSD (macOS) output, kernel threads, zombies, unreadable args, junk', () => {
  const text = [
    // procps: -o pid=,ppid=,pgid=,ruid=,uid=,rgid=,lstart=,args=
    '    1     0     0     0     0     0 Sat Nov 28 07:54:28 2026 /sbin/init splash',
    '    2     0     0     0     0     0 Sat Nov 28 07:54:28 2026 [kthreadd]',
    '  812   700   812  1000  1000  1000 Sat Nov 28 08:01:02 2026 python3 -c import time;  time.sleep(60)',
    '13353 11398 11021     0     0     0 Sat Nov 28 08:20:48 2026 [exec-nop] <defunct>',
    // macOS: the same keywords; (name) when args cannot be read; <defunct> for zombies; padded day
    '  401     1   401   501   501    20 Tue Nov  3 09:12:44 2026 /Applications/Claude.app/Contents/MacOS/Claude',
    '  402     1   402     0     0     0 Tue Nov  3 09:12:45 2026 (launchd)',
    '  403   401   401   501   501    20 Tue Nov  3 09:12:46 2026 <defunct>',
    '  404   401   401   501     0    20 Tue Nov  3 09:12:47 2026 ',
    'garbage line',
    '  405   401   401   501   501    20 Tue Nov  3 25:12:47 2026 bad-hour',
  ].join('\n');
  const { rows, malformed } = parsePsProcesses(text);
  assert.equal(malformed, 2);
  const by = new Map(rows.map((r) => [r.pid, r]));
  assert.deepEqual(by.get(1)!.args, ['/sbin/init', 'splash']);
  assert.equal(by.get(1)!.startSeconds, Date.UTC(2026, 10, 28, 7, 54, 28) / 1000);
  assert.equal(by.get(2)!.name, 'kthreadd');
  assert.equal(by.get(2)!.args, undefined);
  assert.equal(by.get(812)!.commandLine, 'python3 -c import time;  time.sleep(60)', 'the args column is kept verbatim');
  assert.deepEqual(by.get(812)!.args, ['python3', '-c', 'import', 'time;', '', 'time.sleep(60)'], 'argv boundaries are lost: split at single spaces, so join(" ") gives the column back');
  assert.equal(by.get(812)!.args!.join(' '), by.get(812)!.commandLine);
  assert.deepEqual([by.get(812)!.ppid, by.get(812)!.pgid, by.get(812)!.ruid, by.get(812)!.euid, by.get(812)!.rgid], [700, 812, 1000, 1000, 1000]);
  assert.equal(by.get(13353)!.zombie, true);
  assert.equal(by.get(13353)!.name, 'exec-nop');
  assert.equal(by.get(401)!.startSeconds, Date.UTC(2026, 10, 3, 9, 12, 44) / 1000);
  assert.equal(by.get(402)!.name, 'launchd');
  assert.equal(by.get(403)!.zombie, true);
  assert.equal(by.get(404)!.args, undefined);
  assert.equal(by.get(404)!.euid, 0, 'setuid: real 501, effective 0');
});

test('ps executables: procps exe and macOS comm give absolute paths, else a bare name; "-" is left out', () => {
  const m = parsePsExecutables('    1 /usr/lib/systemd/systemd\n    2 -\n  401 /Applications/Claude.app/Contents/MacOS/Claude Helper (Renderer)\n  500 kworker/0:1\n');
  assert.deepEqual(m.get(1), { executable: '/usr/lib/systemd/systemd' });
  assert.deepEqual(m.get(401), { executable: '/Applications/Claude.app/Contents/MacOS/Claude Helper (Renderer)' });
  assert.equal(m.has(2), false);
  assert.deepEqual(m.get(500), { name: 'kworker/0:1' });
});

test('lsof addresses: IPv4, bracketed IPv6, wildcards, zone ids; negative rows', () => {
  assert.deepEqual(parseLsofAddress('127.0.0.1:8080'), { ip: '127.0.0.1', port: 8080, wildcard: false });
  assert.deepEqual(parseLsofAddress('[::1]:443'), { ip: '::1', port: 443, wildcard: false });
  assert.deepEqual(parseLsofAddress('*:5353'), { ip: '*', port: 5353, wildcard: true });
  assert.deepEqual(parseLsofAddress('[fe80::1%lo0]:22'), { ip: 'fe80::1', port: 22, wildcard: false });
  assert.deepEqual(parseLsofAddress('*:*'), { ip: '*', port: 0, wildcard: true });
  assert.equal(parseLsofAddress('localhost'), undefined);
  assert.equal(parseLsofAddress('1.2.3.4:http'), undefined);
});

test('lsof -F fields: NUL- and newline-terminated, several files per process, UDP, malformed sets', () => {
  const nul =
    'p3385\0R3383\0cpython3\0u0\0\nf3\0tIPv4\0PTCP\0n127.0.0.1:35325\0TST=LISTEN\0TQR=0\0TQS=0\0\n' +
    'f4\0tIPv4\0PTCP\0n127.0.0.1:45254->127.0.0.1:35325\0TST=ESTABLISHED\0TQR=0\0TQS=0\0\n' +
    'f5\0tIPv6\0PUDP\0n[::1]:5000->[::1]:53\0\nf6\0tIPv4\0PTCP\0\n' + // fd 6 has no name: malformed
    'p77\0cmDNSResp\0u65\0\nf9\0tIPv4\0PUDP\0n*:5353\0\nf10\0tIPv4\0PTCP\0nnot-an-address->x\0\n';
  const nl = nul.replace(/\0\n/g, '\n').replace(/\0/g, '\n');
  for (const text of [nul, nl]) {
    const { sockets, malformed } = parseLsofFields(text);
    assert.equal(malformed, 2);
    assert.equal(sockets.length, 4);
    const [listen, est, udp, mdns] = sockets;
    assert.deepEqual([listen!.pid, listen!.ppid, listen!.command, listen!.uid, listen!.fd, listen!.tcpState], [3385, 3383, 'python3', 0, '3', 'LISTEN']);
    assert.equal(listen!.remote, undefined);
    assert.deepEqual([est!.local?.port, est!.remote?.ip, est!.remote?.port, est!.tcpState, est!.family], [45254, '127.0.0.1', 35325, 'ESTABLISHED', 'ipv4']);
    assert.deepEqual([udp!.transport, udp!.family, udp!.remote?.ip, udp!.tcpState], ['udp', 'ipv6', '::1', undefined]);
    assert.deepEqual([mdns!.pid, mdns!.local?.wildcard, mdns!.remote], [77, true, undefined]);
  }
  assert.deepEqual(parseLsofFields(''), { sockets: [], malformed: 0 }, 'lsof exit 1 (no socket): empty');
});

test('lsof tracker: baseline, connect vs accept by listening port, disconnect, cap', () => {
  const t = new LsofConnectionTracker(8);
  const sock = (pid: number, fd: string, l: string, r?: string, st = 'ESTABLISHED') => parseLsofFields(`p${pid}\0\nf${fd}\0tIPv4\0PTCP\0n${l}${r ? `->${r}` : ''}\0TST=${st}\0\n`).sockets[0]!;
  const old = sock(10, '3', '10.0.0.2:50000', '93.184.216.34:443');
  assert.deepEqual(t.update([old]), { opened: [], closed: [] }, 'the first poll is the baseline');
  const listen = sock(20, '3', '*:8080', undefined, 'LISTEN');
  const server = sock(20, '4', '127.0.0.1:8080', '127.0.0.1:51000');
  const client = sock(30, '5', '127.0.0.1:51000', '127.0.0.1:8080');
  const syn = sock(31, '3', '10.0.0.2:50001', '160.79.104.10:443', 'SYN_SENT');
  const r = t.update([old, listen, server, client, syn]);
  assert.deepEqual(r.opened.map((v) => [v.kind, v.socket.pid]), [['accept', 20], ['connect', 30], ['connect', 31]]);
  assert.equal(t.update([old, listen, server, client, syn]).opened.length, 0, 'seen once');
  const gone = t.update([old, listen, server]);
  assert.deepEqual(gone.closed.map((s) => s.pid).sort(), [30, 31], 'reported sockets that vanished are disconnects');
  const small = new LsofConnectionTracker(3);
  small.update([sock(40, '3', '10.0.0.2:1', '1.1.1.1:1'), sock(41, '3', '10.0.0.2:2', '1.1.1.1:2'), sock(42, '3', '10.0.0.2:3', '1.1.1.1:3'), sock(43, '3', '10.0.0.2:4', '1.1.1.1:4')]);
  assert.deepEqual(small.stats(), { tracked: 3, dropped: 1 }, 'over the cap the oldest is forgotten and counted');
});

test('pid gaps: pids allocated between two ps runs and never seen are missed; own helper runs and wraps are not', () => {
  const g = new PidGapCounter();
  g.update(100, [50, 60], [100, 101, 102]);
  assert.equal(g.missed, 0, 'first poll: the baseline marker');
  // 103..119 allocated (17): new processes 105 and 110, own helpers 101/102 (before the marker, ignored) and 111
  g.update(120, [105, 110], [111, 120, 121]);
  assert.equal(g.missed, 17 - 3);
  // 121 was ours (reported with the previous poll, kept for this interval); nothing else ran
  g.update(122, [], [122]);
  assert.equal(g.missed, 14);
  g.update(40, [30], []);
  assert.equal(g.wraps, 1);
  assert.equal(g.missed, 14);
});

test('lsof cwd fields: pid -> directory, NUL or newline terminated, bad pids skipped', () => {
  const text = 'p1\0\nfcwd\0n/\0\np812\0\nfcwd\0n/Users/dev/My Projects\0\npx\0\nfcwd\0n/nowhere\0\n';
  assert.deepEqual([...parseLsofCwd(text)], [[1, '/'], [812, '/Users/dev/My Projects']]);
  assert.deepEqual([...parseLsofCwd(text.replace(/\0\n/g, '\n').replace(/\0/g, '\n'))], [[1, '/'], [812, '/Users/dev/My Projects']]);
  assert.equal(parseLsofCwd('').size, 0);
});
