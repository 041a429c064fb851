import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostIdentity } from '../../../src/collectors/host-identity.js';
import { etwRecordToRaw } from '../../../src/collectors/win32/etw-record-to-raw.js';
import type { EtwRecord } from '../../../src/collectors/win32/etw-record.js';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { deriveAgentId } from '../../../src/normalize/agent-fields.js';
import { Normalizer } from '../../../src/normalize/normalizer.js';
import type { UserDirectory } from '../../../src/normalize/user-directory.js';

/** The project root: compiled tests run from dist/test/..., two levels below it. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export const FIXTURE_NAMES = [
  'process-start-long-command-line',
  'process-start-non-ascii',
  'network-ipv6-connect',
  'network-accept',
  'process-stop',
  'genai-encoding-scenario',
  'file-changes',
] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** Records as the addon hands them to JS, written from the providers' manifests (test/fixtures/win32/). */
export function loadRecords(name: FixtureName): EtwRecord[] {
  const text = readFileSync(join(projectRoot, 'test', 'fixtures', 'win32', `${name}.json`), 'utf8');
  return (JSON.parse(text) as { records: EtwRecord[] }).records;
}

/** A Windows workstation, as the normalizer's host identity (what a Windows host reader would produce). */
export const WINDOWS_HOST: HostIdentity = {
  platform: 'windows',
  hostId: '6f0d3a0c-8b51-4d1e-9a57-2c0f4f1e9b11',
  bootId: '77',
  bootTimeMs: Date.parse('2026-11-20T08:00:00.000Z'),
  clockTicksPerSecond: 100,
  hostname: 'DEV-WS01',
  architecture: 'x86_64',
  os: {
    type: 'windows',
    family: 'windows',
    name: 'Windows 11 Pro',
    platform: 'windows',
    version: '10.0.22631',
    full: 'Windows 11 Pro 23H2',
    kernel: '10.0.22631.4460 (WinBuild.160101.0800)',
  },
};

/** Windows reports account names itself (RawProcess.userName): no uid -> name directory is needed. */
const NO_DIRECTORY: UserDirectory = { userName: () => undefined, groupName: () => undefined };

/** Records -> RawEvents (etw-record-to-raw) -> ECS documents (the real normalizer), in record order. */
export function normalizeRecords(records: readonly EtwRecord[]): EcsEvent[] {
  const normalizer = new Normalizer({
    host: WINDOWS_HOST,
    agent: { id: deriveAgentId(WINDOWS_HOST.hostId), version: '0.1.0' },
    users: NO_DIRECTORY,
    nowMs: () => Date.parse('2026-11-20T10:30:00.000Z'),
  });
  const docs: EcsEvent[] = [];
  for (const record of records) {
    const mapped = etwRecordToRaw(record);
    if (!mapped.ok) throw new Error(`fixture record did not map: ${mapped.reason}`);
    const doc = normalizer.normalize(mapped.event);
    if (doc !== null) docs.push(doc);
  }
  return docs;
}
