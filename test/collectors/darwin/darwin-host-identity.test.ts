import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIoregPlatformUuid, parseKernBoottime, parseSwVers } from '../../../src/collectors/darwin/darwin-host-identity.js';

test('macOS host identity parsers on recorded ioreg, sysctl and sw_vers output; negative rows', () => {
  const ioreg = [
    '+-o J316sAP  <class IOPlatformExpertDevice, id 0x100000242, registered, matched, active, busy 0 (0 ms), retain 35>',
    '    {',
    '      "IOPlatformSerialNumber" = "FVFXC2ABCD12"',
    '      "IOPlatformUUID" = "C3F1B2A4-5D6E-4F70-8A91-B2C3D4E5F607"',
    '      "model" = <"MacBookPro18,1">',
    '    }',
  ].join('\n');
  assert.equal(parseIoregPlatformUuid(ioreg), 'C3F1B2A4-5D6E-4F70-8A91-B2C3D4E5F607');
  assert.equal(parseIoregPlatformUuid('"IOPlatformUUID" = ""'), undefined);
  assert.equal(parseKernBoottime('{ sec = 1795852800, usec = 123456 } Sat Nov 28 07:20:00 2026\n'), 1_795_852_800_123);
  assert.equal(parseKernBoottime('kern.boottime: unknown'), undefined);
  assert.deepEqual(parseSwVers('ProductName:\t\tmacOS\nProductVersion:\t\t15.1\nBuildVersion:\t\t24B83\n'), { name: 'macOS', version: '15.1', build: '24B83' });
  assert.deepEqual(parseSwVers(''), {});
});
