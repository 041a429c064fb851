import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { networkInterfaces, release } from 'node:os';
import { ecsMac, HostFactsSource, readHostFacts, readNetworkFacts, type HostFacts } from '../../src/collectors/host-facts.js';
import { normalizeIp } from '../../src/collectors/ip-address.js';
import { cliPath } from '../helpers/agent-process.js';

test('ecsMac: ECS form (upper case, dashes); the zero address is no address', () => {
  assert.equal(ecsMac('02:fc:00:00:00:01'), '02-FC-00-00-00-01');
  assert.equal(ecsMac('a:b:c:d:e:f'), '0A-0B-0C-0D-0E-0F');
  assert.equal(ecsMac('00-1A-2b-3C-4d-5E'), '00-1A-2B-3C-4D-5E');
  for (const bad of ['00:00:00:00:00:00', '', 'zz:00:00:00:00:01', '02:fc:00:00:01']) assert.equal(ecsMac(bad), null, bad);
});

test('readHostFacts: every address of every interface but loopback; the OS and kernel from systeminformation', async () => {
  const facts = await readHostFacts();
  const external = Object.values(networkInterfaces()).flat().filter((a) => a !== undefined && !a.internal);
  const known = new Set(external.map((a) => normalizeIp(a!.address)?.ip));
  assert.deepEqual(facts.ip, [...known].filter((x): x is string => x !== undefined).sort());
  const macs = new Set(external.map((a) => ecsMac(a!.mac)).filter((m) => m !== null));
  assert.deepEqual(facts.mac, [...macs].sort());
  assert.ok(!facts.ip.some((ip) => ip === '127.0.0.1' || ip === '::1'), 'no loopback');
  assert.equal(facts.os.kernel, release());
  assert.ok(facts.os.full !== undefined && facts.os.full.length > 0);
});

test('HostFactsSource: one refresh at a time, failures keep the last facts and are counted', async () => {
  let reads = 0;
  let fail = false;
  const facts: HostFacts = { ip: ['192.0.2.1'], mac: [], os: {} };
  const source = new HostFactsSource(async () => {
    reads++;
    await new Promise((r) => setTimeout(r, 20));
    if (fail) throw new Error('boom');
    return facts;
  }, null);
  assert.equal(source.current(), null);
  assert.deepEqual(new HostFactsSource().current(), { ...readNetworkFacts(), os: {} }, 'addresses from the start');
  await Promise.all([source.refresh(), source.refresh(), source.refresh()]);
  assert.equal(reads, 1, 'joined the refresh in flight');
  assert.equal(source.current(), facts);
  fail = true;
  await source.refresh();
  assert.equal(source.current(), facts, 'kept');
  assert.equal(source.failures, 1);
  source.start(5);
  await new Promise((r) => setTimeout(r, 40));
  source.stop();
  assert.ok(reads >= 3, 'refreshed on its interval');
});

test('live: every collected event carries host.ip, host.mac, host.os.full and host.os.kernel as doctor reports them', { skip: process.platform !== 'linux' }, () => {
  const r = spawnSync(process.execPath, [cliPath, 'collect', '--backend', 'procfs', '--duration', '1'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { host: Record<string, any> });
  assert.ok(docs.length > 0);
  const doctor = spawnSync(process.execPath, [cliPath, 'doctor', '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  const host = (JSON.parse(doctor.stdout) as { host: Record<string, any> }).host;
  assert.ok(host['os']['full'] && host['os']['kernel'] === release());
  for (const d of docs) {
    assert.deepEqual(d.host['ip'], host['ip']);
    assert.deepEqual(d.host['mac'], host['mac']);
    assert.equal(d.host['os']['full'], host['os']['full']);
    assert.equal(d.host['os']['kernel'], host['os']['kernel']);
  }
  if (Object.values(networkInterfaces()).flat().some((a) => a !== undefined && !a.internal)) assert.ok(host['ip'].length > 0 && host['mac'].length > 0);
});
