import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegQuery, readWindowsHostIdentity } from '../../../src/collectors/win32/windows-host-identity.js';

const GUID_OUTPUT = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    6f0d3a0c-8b51-4d1e-9a57-2c0f4f1e9b11\r\n\r\n';
const BOOT_OUTPUT = '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\...\\PrefetchParameters\r\n    BootId    REG_DWORD    0x4d\r\n\r\n';

test('reg query output is parsed per value and type', () => {
  const rows: ReadonlyArray<readonly [string, string, string | undefined]> = [
    [GUID_OUTPUT, 'MachineGuid', '6f0d3a0c-8b51-4d1e-9a57-2c0f4f1e9b11'],
    [GUID_OUTPUT, 'machineguid', '6f0d3a0c-8b51-4d1e-9a57-2c0f4f1e9b11'],
    [BOOT_OUTPUT, 'BootId', '77'],
    [GUID_OUTPUT, 'BootId', undefined],
    ['', 'MachineGuid', undefined],
    ['    BootId    REG_DWORD    nonsense', 'BootId', undefined],
    ['    Display Name    REG_SZ    Vigil Agent', 'Display Name', 'Vigil Agent'],
  ];
  for (const [out, value, expected] of rows) assert.equal(parseRegQuery(out, value), expected, `${value} in ${JSON.stringify(out)}`);
});

test('the Windows host identity uses MachineGuid and the boot counter', () => {
  const values: Record<string, string> = { MachineGuid: 'guid-1', BootId: '77' };
  const host = readWindowsHostIdentity({ registry: (_k, v) => values[v] });
  assert.equal(host.platform, 'windows');
  assert.equal(host.hostId, 'guid-1');
  assert.equal(host.bootId, '77');
  assert.equal(host.os.type, 'windows');
  assert.equal(host.os.family, 'windows');
  const noBootId = readWindowsHostIdentity({ registry: (_k, v) => (v === 'MachineGuid' ? 'guid-1' : undefined), nowMs: () => 1_700_000_000_000 });
  assert.match(noBootId.bootId, /^boot-\d+$/);
  assert.throws(() => readWindowsHostIdentity({ registry: () => undefined }), /VIGIL_HOST_ID/);
});
