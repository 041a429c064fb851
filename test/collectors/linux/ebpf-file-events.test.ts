import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../../src/collectors/linux/ebpf-collector.js';
import { readHostIdentity } from '../../../src/collectors/host-identity.js';
import { Normalizer } from '../../../src/normalize/normalizer.js';
import { SensitiveFilePolicy } from '../../../src/sensitive-file-policy.js';
import { run } from './ebpf-live-helpers.js';
import { PYTHON } from './procfs-test-helpers.js';

// Issue 12's live acceptance: file events from a shell and from python3, through the real eBPF helper and
// the normalizer, as ECS documents.
const whyNot = await EbpfCollector.probe();
const host = readHostIdentity('linux');

interface FileDoc {
  event: { action: string; type: string[]; outcome?: string; category: string[]; dataset: string };
  file: { path: string; name: string; directory?: string; extension?: string; mode?: string; inode?: string; Ext?: { original?: { path: string; name: string } } };
  process: { pid: number; entity_id: string; name?: string };
}

let dir = '';
let collector: EbpfCollector | null = null;
const docs: FileDoc[] = [];

before(async () => {
  if (whyNot !== null) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-files-')));
  const n = new Normalizer({ host, agent: { id: 'test', version: '0' } });
  const policy = new SensitiveFilePolicy([{ field: 'name', value: 'secret.key', wildcard: false, insensitive: false, source: 'test' }]);
  collector = new EbpfCollector({ files: { policy, excludePrefixes: [] } });
  await collector.start((raw) => {
    if (raw.kind !== 'file' || !raw.path.startsWith(dir)) return;
    const d = n.normalize(raw);
    if (d) docs.push(d as unknown as FileDoc);
  });
});

after(async () => {
  await collector?.stop();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** Waits until `pred` holds for the docs of `pid` (or 10 s), then returns them. */
async function docsOf(pid: number, pred: (d: FileDoc[]) => boolean): Promise<FileDoc[]> {
  const t0 = Date.now();
  const mine = (): FileDoc[] => docs.filter((d) => d.process.pid === pid);
  while (!pred(mine()) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  return mine();
}

const summary = (ds: FileDoc[]) => ds.map((d) => `${d.event.action} ${d.event.outcome} ${d.file.path}${d.file.Ext?.original ? ` <- ${d.file.Ext.original.path}` : ''}`);

test('a shell creates, writes, truncates, renames, chmods and deletes: one ECS event each, right process and outcome', { skip: whyNot ?? false }, async () => {
  const d = join(dir, 'sh');
  mkdirSync(d);
  const script = `echo $$; cd ${d} && echo one > a.txt && echo two >> a.txt && : > a.txt && mv a.txt b.txt && chmod 640 b.txt && rm b.txt; rm missing 2>/dev/null; exit 0`;
  // bash runs `rm`, `mv`, `chmod` as children: their events carry their own pids, under this shell's session
  const r = await run('bash', ['-c', script]);
  const shPid = Number(r.stdout.trim());
  await docsOf(shPid, (x) => x.length >= 3);
  const all = docs.filter((x) => x.file.path.startsWith(d));
  const want = [
    `creation success ${d}/a.txt`,
    `modification success ${d}/a.txt`,
    `modification success ${d}/a.txt`,
    `rename success ${d}/b.txt <- ${d}/a.txt`,
    `attributes_modified success ${d}/b.txt`,
    `deletion success ${d}/b.txt`,
    `deletion failure ${d}/missing`,
  ];
  const t0 = Date.now();
  while (all.length < want.length && Date.now() - t0 < 10_000) {
    await new Promise((res) => setTimeout(res, 50));
    all.splice(0, all.length, ...docs.filter((x) => x.file.path.startsWith(d)));
  }
  assert.deepEqual(summary(all), want);
  const byShell = all.filter((x) => x.process.pid === shPid).map((x) => x.event.action);
  assert.deepEqual(byShell, ['creation', 'modification', 'modification'], 'redirections are opens by the shell itself');
  assert.equal(all[0]!.process.entity_id, all[1]!.process.entity_id);
  assert.deepEqual(all[0]!.event.category, ['file']);
  assert.deepEqual(all[0]!.event.type, ['creation']);
  assert.equal(all[0]!.event.dataset, 'endpoint.events.file');
  assert.deepEqual(all[3]!.file.Ext, { original: { path: `${d}/a.txt`, name: 'a.txt' } });
  assert.equal(all[3]!.file.name, 'b.txt');
  assert.equal(all[3]!.file.extension, 'txt');
  assert.equal(all[4]!.file.mode, '0640');
  assert.equal(all[4]!.process.name, 'chmod');
});

test('python3: relative names under a dirfd, `..`, a symlinked directory, a 4 KiB path; one event per call', { skip: whyNot ?? false }, async () => {
  const d = join(dir, 'py');
  mkdirSync(join(d, 'real', 'sub'), { recursive: true });
  symlinkSync(join(d, 'real'), join(d, 'link'));
  // 19 directories of 200 bytes: a path of ~3.9 KiB, then a file name that takes it to ~4 KiB
  const deep = join(d, ...Array.from({ length: 19 }, (_, i) => `${String(i).padStart(2, '0')}${'d'.repeat(198)}`));
  mkdirSync(deep, { recursive: true });
  const longName = 'f'.repeat(4090 - deep.length - 1);
  const code = [
    'import os, sys',
    `d = ${JSON.stringify(d)}`,
    'print(os.getpid(), flush=True)',
    "fd = os.open(d + '/real', os.O_RDONLY | os.O_DIRECTORY)",
    "os.close(os.open('x.bin', os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=fd))",
    "os.rename('x.bin', 'sub/../y.bin', src_dir_fd=fd, dst_dir_fd=fd)",
    "os.chmod('y.bin', 0o600, dir_fd=fd)",
    "os.unlink('y.bin', dir_fd=fd)",
    "os.chdir(d)",
    "open('link/sub/z.txt', 'w').close()",
    "os.unlink('link/sub/../sub/z.txt')",
    `open(${JSON.stringify(join(deep, longName))}, 'w').close()`,
    'try:\n    os.unlink(d + "/nope")\nexcept FileNotFoundError:\n    pass',
  ].join('\n');
  const r = await run(PYTHON, ['-c', code]);
  assert.equal(r.code, 0);
  const pid = Number(r.stdout.trim());
  const got = await docsOf(pid, (x) => x.length >= 8);
  assert.deepEqual(summary(got), [
    `creation success ${d}/real/x.bin`,
    `rename success ${d}/real/y.bin <- ${d}/real/x.bin`,
    `attributes_modified success ${d}/real/y.bin`,
    `deletion success ${d}/real/y.bin`,
    `creation success ${d}/real/sub/z.txt`,
    `deletion success ${d}/real/sub/z.txt`,
    `creation success ${join(deep, longName)}`,
    `deletion failure ${d}/nope`,
  ]);
  assert.ok(got[6]!.file.path.length >= 4000, `${got[6]!.file.path.length}-byte path`);
  assert.ok(got.every((x) => x.process.entity_id === got[0]!.process.entity_id), 'one process entity');
});

test('read-only opens: only sensitive paths, once per process and file; failed opens with the requested path', { skip: whyNot ?? false }, async () => {
  const d = join(dir, 'open');
  mkdirSync(d);
  writeFileSync(join(d, 'secret.key'), 'k');
  writeFileSync(join(d, 'plain.txt'), 'p');
  const r = await run('bash', ['-c', `echo $$; cd ${d}; read -r l < secret.key; read -r l < secret.key; read -r l < plain.txt; read -r l < gone/secret.key 2>/dev/null; exit 0`]);
  const pid = Number(r.stdout.trim());
  const got = await docsOf(pid, (x) => x.length >= 2);
  await new Promise((res) => setTimeout(res, 300));
  assert.deepEqual(summary(docs.filter((x) => x.process.pid === pid)), [`open success ${d}/secret.key`, `open failure ${d}/gone/secret.key`]);
  assert.deepEqual(got[0]!.event.type, ['access']);
  const files = collector!.helperState().files;
  assert.equal(files.attached, true);
});
