import { parseXml, type XmlElement } from './xml-parse.js';

/** A plist value as JSON (integers and reals as numbers, dates as ISO strings, data as base64). */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

export interface PlistProblem {
  readonly line: number;
  readonly message: string;
}

const SCALARS: Readonly<Record<string, (e: XmlElement) => PlistValue | string>> = {
  string: (e) => e.text,
  integer: (e) => (/^[+-]?\d+$/.test(e.text.trim()) ? Number(e.text.trim()) : `bad integer "${e.text}"`),
  real: (e) => (Number.isFinite(Number(e.text.trim())) && e.text.trim() !== '' ? Number(e.text.trim()) : `bad real "${e.text}"`),
  date: (e) => e.text.trim(),
  data: (e) => e.text.replace(/\s+/g, ''),
};

class Invalid extends Error {
  constructor(readonly problem: PlistProblem) {
    super(problem.message);
  }
}

function value(e: XmlElement): PlistValue {
  if (e.name === 'true' || e.name === 'false') {
    if (e.children.length > 0 || e.text.trim() !== '') throw new Invalid({ line: e.line, message: `<${e.name}/> must be empty` });
    return e.name === 'true';
  }
  if (e.name === 'array') return e.children.map(value);
  if (e.name === 'dict') {
    const out: Record<string, PlistValue> = {};
    const kids = e.children;
    if (kids.length % 2 !== 0) throw new Invalid({ line: e.line, message: '<dict> must hold <key>/value pairs' });
    for (let i = 0; i < kids.length; i += 2) {
      const k = kids[i]!;
      if (k.name !== 'key') throw new Invalid({ line: k.line, message: `expected <key>, found <${k.name}>` });
      if (k.text in out) throw new Invalid({ line: k.line, message: `duplicate key ${k.text}` });
      out[k.text] = value(kids[i + 1]!);
    }
    return out;
  }
  const scalar = SCALARS[e.name];
  if (scalar === undefined) throw new Invalid({ line: e.line, message: `<${e.name}> is not a plist element` });
  if (e.children.length > 0) throw new Invalid({ line: e.line, message: `<${e.name}> cannot hold elements` });
  const v = scalar(e);
  if (typeof v === 'string' && v.startsWith('bad ') && e.name !== 'string' && e.name !== 'date' && e.name !== 'data') throw new Invalid({ line: e.line, message: v });
  return v;
}

/** Parses an XML property list (well-formedness, then the plist grammar). Throws XmlError on bad XML. */
export function parsePlist(text: string): { value: PlistValue | null; problems: PlistProblem[] } {
  const root = parseXml(text);
  if (root.name !== 'plist') return { value: null, problems: [{ line: root.line, message: `root element is <${root.name}>, not <plist>` }] };
  if (root.attributes.version !== '1.0') return { value: null, problems: [{ line: root.line, message: 'plist version must be 1.0' }] };
  if (root.children.length !== 1) return { value: null, problems: [{ line: root.line, message: '<plist> must hold exactly one value' }] };
  try {
    return { value: value(root.children[0]!), problems: [] };
  } catch (err) {
    if (err instanceof Invalid) return { value: null, problems: [err.problem] };
    throw err;
  }
}

/**
 * What launchd needs of a job plist (launchd.plist(5)): a Label string; ProgramArguments, a non-empty array of
 * strings whose first is an absolute path (or Program); booleans where launchd takes booleans. Returns the
 * problems (empty when valid).
 */
export function launchdJobProblems(job: PlistValue | null): string[] {
  if (job === null || typeof job !== 'object' || Array.isArray(job)) return ['top level is not a <dict>'];
  const problems: string[] = [];
  if (typeof job.Label !== 'string' || job.Label === '') problems.push('Label must be a non-empty string');
  const args = job.ProgramArguments;
  if (args === undefined && typeof job.Program !== 'string') problems.push('ProgramArguments or Program is required');
  if (args !== undefined) {
    if (!Array.isArray(args) || args.length === 0 || !args.every((a) => typeof a === 'string')) problems.push('ProgramArguments must be a non-empty array of strings');
    else if (!(args[0] as string).startsWith('/')) problems.push('ProgramArguments[0] must be an absolute path');
  }
  for (const key of ['RunAtLoad', 'Disabled']) if (key in job && typeof job[key] !== 'boolean') problems.push(`${key} must be a boolean`);
  const keepAlive = job.KeepAlive;
  if (keepAlive !== undefined && typeof keepAlive !== 'boolean' && (typeof keepAlive !== 'object' || Array.isArray(keepAlive))) problems.push('KeepAlive must be a boolean or a dict');
  for (const key of ['ThrottleInterval', 'Umask']) if (key in job && typeof job[key] !== 'number') problems.push(`${key} must be an integer`);
  for (const key of ['StandardOutPath', 'StandardErrorPath', 'WorkingDirectory']) if (key in job && (typeof job[key] !== 'string' || !(job[key] as string).startsWith('/'))) problems.push(`${key} must be an absolute path`);
  return problems;
}
