import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installContext } from '../../src/service/install-context.js';
import { windowsInstallPlan, windowsUninstallPlan } from '../../src/service/windows-plan.js';
import { windowsCommand } from '../../src/service/command-quote.js';
import { parseXml, type XmlElement } from '../helpers/xml-parse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ctx = installContext({ platform: 'windows', packageRoot: root });
const plan = windowsInstallPlan(ctx);

test('the Windows service and its failure actions, as exact command lines', () => {
  const lines = plan.after.map((c) => windowsCommand(c.argv));
  assert.deepEqual(lines, [
    'icacls C:\\ProgramData\\Vigil /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F VigilReaders:(OI)(CI)RX',
    'sc.exe create Vigil binPath= "\\"C:\\Program Files\\Vigil\\dist\\src\\service\\vigil-service.exe\\" --name Vigil --log C:\\ProgramData\\Vigil\\logs\\agent.log --state-dir C:\\ProgramData\\Vigil -- \\"C:\\Program Files\\nodejs\\node.exe\\" \\"C:\\Program Files\\Vigil\\dist\\src\\cli\\main.js\\" run --config C:\\ProgramData\\Vigil\\vigil.toml" start= auto obj= LocalSystem DisplayName= "Vigil endpoint detection agent"',
    'sc.exe description Vigil "Vigil: live endpoint detection with Elastic EQL rules; alerts in C:\\ProgramData\\Vigil\\alerts.db"',
    'sc.exe failure Vigil reset= 86400 actions= restart/5000/restart/10000/restart/60000',
    'sc.exe failureflag Vigil 1',
    'sc.exe start Vigil',
    'schtasks /Create /TN Vigil\\Notify /XML C:\\ProgramData\\Vigil\\vigil-notify-task.xml /F',
  ]);
  assert.deepEqual(plan.before.map((c) => c.argv), [['net', 'localgroup', 'VigilReaders', '/add', '/comment:Readers of Vigil alerts']]);
  assert.deepEqual(windowsUninstallPlan(ctx).before.map((c) => windowsCommand(c.argv)), ['sc.exe stop Vigil', 'sc.exe delete Vigil', 'schtasks /Delete /TN Vigil\\Notify /F']);
});

test('sc.exe takes binPath as one argument whose inner quotes survive', () => {
  const create = plan.after.find((c) => c.argv[1] === 'create')!;
  const binPath = create.argv[create.argv.indexOf('binPath=') + 1]!;
  assert.equal(binPath, '"C:\\Program Files\\Vigil\\dist\\src\\service\\vigil-service.exe" --name Vigil --log C:\\ProgramData\\Vigil\\logs\\agent.log --state-dir C:\\ProgramData\\Vigil -- "C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\Vigil\\dist\\src\\cli\\main.js" run --config C:\\ProgramData\\Vigil\\vigil.toml');
});

function child(e: XmlElement, ...path: string[]): XmlElement {
  let cur = e;
  for (const name of path) {
    const next = cur.children.find((c) => c.name === name);
    assert.ok(next, `<${name}> under <${cur.name}>`);
    cur = next;
  }
  return cur;
}

test('the logon task XML is UTF-16LE with a BOM and runs the notifier for every user at logon', () => {
  const f = plan.files.find((x) => x.path.endsWith('vigil-notify-task.xml'))!;
  const bytes = Buffer.from(f.content as Uint8Array);
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
  const xml = parseXml(bytes.subarray(2).toString('utf16le'));
  assert.equal(xml.name, 'Task');
  assert.equal(xml.attributes.xmlns, 'http://schemas.microsoft.com/windows/2004/02/mit/task');
  assert.equal(child(xml, 'Triggers', 'LogonTrigger', 'Enabled').text, 'true');
  assert.equal(child(xml, 'Principals', 'Principal', 'GroupId').text, 'S-1-5-32-545');
  assert.equal(child(xml, 'Principals', 'Principal', 'RunLevel').text, 'LeastPrivilege');
  assert.equal(child(xml, 'Actions').attributes.Context, child(xml, 'Principals', 'Principal').attributes.id);
  assert.equal(child(xml, 'Actions', 'Exec', 'Command').text, 'C:\\Program Files\\nodejs\\node.exe');
  assert.equal(child(xml, 'Actions', 'Exec', 'Arguments').text, '"C:\\Program Files\\Vigil\\dist\\src\\cli\\main.js" notify --db C:\\ProgramData\\Vigil\\alerts.db');
  assert.equal(child(xml, 'RegistrationInfo', 'URI').text, '\\Vigil\\Notify');
});
