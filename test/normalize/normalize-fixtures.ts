import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostIdentity } from '../../src/collectors/host-identity.js';
import type { RawProcess } from '../../src/collectors/raw-event.js';
import { Normalizer, type NormalizerOptions } from '../../src/normalize/normalizer.js';
import { PasswdUserDirectory } from '../../src/normalize/user-directory.js';

/** A fixed host, so entity ids and times are reproducible. */
export const HOST: HostIdentity = {
  platform: 'linux',
  hostId: '3d1219c7c4c5404aaa1f6d2a48adfda4',
  bootId: '649f98a4-c9e9-44f7-994b-2ae9e7dfcc41',
  bootTimeMs: Date.UTC(2026, 0, 1),
  clockTicksPerSecond: 100,
  hostname: 'testhost',
  architecture: 'x86_64',
  os: { type: 'linux', family: 'debian', kernel: '6.18.0', name: 'Debian GNU/Linux', platform: 'debian', version: '12', full: 'Debian GNU/Linux 12 (bookworm)' },
};

/** A temporary /etc with passwd and group files; `dispose()` removes it. */
export function fixtureEtc(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-etc-'));
  writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nbroken line\n');
  writeFileSync(join(dir, 'group'), 'root:x:0:\nalice:x:1000:\nwheel:x:10:alice\n');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeNormalizer(etcDir: string, extra: Partial<NormalizerOptions> = {}): Normalizer {
  return new Normalizer({
    host: HOST,
    agent: { id: '00000000-0000-5000-8000-000000000001', version: '0.1.0' },
    users: new PasswdUserDirectory({ etcDir }),
    ...extra,
  });
}

export function proc(pid: number, startKey: string, extra: Partial<RawProcess> = {}): RawProcess {
  return { pid, startKey, ...extra };
}

export const T0 = Date.UTC(2026, 0, 1, 12);
