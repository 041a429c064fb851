import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, XmlError } from '../../src/service/xml-parse.js';
import { launchdJobProblems, parsePlist } from '../../src/service/plist-validate.js';

const plist = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n${body}\n</plist>\n`;

test('parsePlist reads dicts, arrays and scalars', () => {
  const { value, problems } = parsePlist(plist('<dict><key>Label</key><string>a &amp; b</string><key>N</key><integer>23</integer><key>On</key><true/><key>A</key><array><string>x</string></array></dict>'));
  assert.deepEqual(problems, []);
  assert.deepEqual(value, { Label: 'a & b', N: 23, On: true, A: ['x'] });
});

const malformed: Array<[string, string, RegExp]> = [
  ['unclosed element', '<plist version="1.0"><dict></plist>', /<\/plist> closes <dict>/],
  ['bare ampersand', '<plist version="1.0"><string>a & b</string></plist>', /bare &/],
  ['trailing content', '<plist version="1.0"><true/></plist><x/>', /content after the root/],
  ['never closed', '<plist version="1.0"><dict>', /never closed/],
];
for (const [name, text, message] of malformed) {
  test(`malformed XML is rejected with a position: ${name}`, () => {
    assert.throws(() => parseXml(text), (err: unknown) => err instanceof XmlError && message.test(err.message) && err.line >= 1);
  });
}

const badPlists: Array<[string, string, RegExp]> = [
  ['key without value', '<dict><key>Label</key></dict>', /key>\/value pairs/],
  ['duplicate key', '<dict><key>A</key><true/><key>A</key><false/></dict>', /duplicate key A/],
  ['unknown element', '<dict><key>A</key><bool>1</bool></dict>', /<bool> is not a plist element/],
  ['bad integer', '<dict><key>A</key><integer>ten</integer></dict>', /bad integer/],
];
for (const [name, body, message] of badPlists) {
  test(`plist grammar errors are reported: ${name}`, () => {
    const { problems } = parsePlist(plist(body));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, message);
  });
}

test('launchdJobProblems names what launchd would refuse', () => {
  assert.deepEqual(launchdJobProblems({ Label: 'x', ProgramArguments: ['/bin/true'], RunAtLoad: true, KeepAlive: { SuccessfulExit: false } }), []);
  assert.deepEqual(launchdJobProblems({ ProgramArguments: ['true'], RunAtLoad: 'yes' }), [
    'Label must be a non-empty string',
    'ProgramArguments[0] must be an absolute path',
    'RunAtLoad must be a boolean',
  ]);
  assert.deepEqual(launchdJobProblems({ Label: 'x' }), ['ProgramArguments or Program is required']);
});
