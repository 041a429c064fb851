import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml, XmlError } from '../helpers/xml-parse.js';
import { launchdJobProblems, parsePlist } from '../../src/service/plist-validate.js';

const plist = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n${body}\n</plist>\n`;

test('parsePlist reads dicts, arrays and scalars', () => {
  const { value, problems } = parsePlist(plist('<dict><key>Label</key><string>a &amp; b</string><key>N</key><integer>23</integer><key>On</key><true/><key>A</key><array><string>x</string></array></dict>'));
  assert.deepEqual(problems, []);
  assert.deepEqual(value, { Label: 'a & b', N: 23, On: true, A: ['x'] });
});

// The test helper that checks the generated Windows task XML is itself checked here.
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

const badPlists: Array<[string, string]> = [
  ['unclosed element', '<plist version="1.0"><dict></plist>'],
  ['not a plist at all', '<html><body/></html>'],
  ['not XML', 'Label = x'],
];
for (const [name, text] of badPlists) {
  test(`the plist library refuses what is not a property list: ${name}`, () => {
    const { value, problems } = parsePlist(text);
    assert.equal(value, null);
    assert.equal(problems.length, 1, JSON.stringify(problems));
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
