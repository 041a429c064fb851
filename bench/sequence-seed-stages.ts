/**
 * The seed rule's two stages, built by hand (used only while `compileQuery` is not built): the same
 * conditions as the rule text, through compiled field getters, as CompiledStage objects.
 */
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../src/ecs/field-getter.js';
import type { CompiledSequenceQuery, CompiledStage } from '../src/eql/compiled-query.js';

const get = compileFieldGetter;
const category = get('event.category');
const type = get('event.type');
const action = get('event.action');
const name = get('process.name');
const commandLine = get('process.command_line');
const parentName = get('process.parent.name');
const parentCommandLine = get('process.parent.command_line');
const destinationIp = get('destination.ip');
const entityId = get('process.entity_id');

const has = (v: unknown, x: string): boolean => v === x || (Array.isArray(v) && v.includes(x));
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const anyOf = (v: unknown, set: ReadonlySet<string>): boolean => {
  if (typeof v === 'string') return set.has(v);
  return Array.isArray(v) && v.some((x) => typeof x === 'string' && set.has(x));
};
const likeAny = (v: unknown, parts: readonly string[]): boolean => {
  const s = str(v)?.toLowerCase();
  return s !== undefined && s !== null && parts.some((p) => s.includes(p));
};

const ENCODERS = new Set(['base64', 'gzip', 'tar', 'zip', 'split', '7z', '7za', '7zr']);
const GENAI = new Set([
  'ollama.exe', 'ollama', 'Ollama', 'textgen.exe', 'textgen', 'text-generation-webui.exe', 'oobabooga.exe', 'lmstudio.exe', 'lmstudio',
  'LM Studio', 'claude.exe', 'claude', 'Claude', 'cursor.exe', 'cursor', 'Cursor', 'Cursor Helper', 'Cursor Helper (Plugin)', 'copilot.exe',
  'copilot', 'Copilot', 'codex.exe', 'codex', 'Jan', 'jan.exe', 'jan', 'Jan Helper', 'gpt4all.exe', 'gpt4all', 'GPT4All', 'gemini-cli.exe',
  'gemini-cli', 'genaiscript.exe', 'genaiscript', 'grok.exe', 'grok', 'qwen.exe', 'qwen', 'koboldcpp.exe', 'koboldcpp', 'KoboldCpp',
  'llama-server', 'llama-cli',
]);
const FRAMEWORKS = ['ollama', 'mcp-server', '@modelcontextprotocol', 'langchain', 'autogpt', 'babyagi', 'agentgpt', 'crewai', 'semantic-kernel', 'llama-index', 'haystack', 'openai', 'anthropic', 'cohere', 'mistral'];

function stage1(e: EcsEvent): boolean {
  if (!has(category(e), 'process') || !has(type(e), 'start')) return false;
  const n = name(e);
  const nl = str(n)?.toLowerCase() ?? '';
  const cl = commandLine(e);
  const encoding =
    anyOf(n, ENCODERS) ||
    ((n === 'powershell.exe' || n === 'pwsh.exe') && likeAny(cl, ['compress-archive', '[convert]::tobase64string'])) ||
    (nl.startsWith('python') && likeAny(cl, ['base64', 'gzip', 'zlib', 'tarfile', 'zipfile'])) ||
    ((n === 'node.exe' || n === 'node') && likeAny(cl, ['buffer.from', 'zlib', 'gzip']) && !likeAny(cl, ['mcp-server', 'npm exec']));
  if (!encoding) return false;
  const p = parentName(e);
  const pl = str(p)?.toLowerCase() ?? '';
  return (
    anyOf(p, GENAI) ||
    ((p === 'node.exe' || p === 'node' || p === 'deno.exe' || p === 'deno') && likeAny(parentCommandLine(e), FRAMEWORKS)) ||
    (pl.startsWith('python') && likeAny(parentCommandLine(e), FRAMEWORKS))
  );
}

// IPv4 ranges of the rule's cidrmatch list, as [network, mask].
const V4 = ['10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.31.196.0/24', '192.52.193.0/24',
  '192.168.0.0/16', '192.88.99.0/24', '224.0.0.0/4', '100.64.0.0/10', '192.175.48.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4'].map((c) => {
  const [ip, bits] = c.split('/') as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return [(v4(ip)! & mask) >>> 0, mask] as const;
});
function v4(ip: string): number | null {
  const p = ip.split('.');
  if (p.length !== 4) return null;
  let n = 0;
  for (const x of p) {
    const b = Number(x);
    if (!Number.isInteger(b) || b < 0 || b > 255) return null;
    n = n * 256 + b;
  }
  return n >>> 0;
}
function excluded(ip: string): boolean {
  const n = v4(ip);
  if (n !== null) return V4.some(([net, mask]) => ((n & mask) >>> 0) === net);
  const l = ip.toLowerCase();
  return l === '::1' || /^fe[89ab]/.test(l) || l.startsWith('ff');
}

function stage2(e: EcsEvent): boolean {
  if (!has(category(e), 'network') || !has(type(e), 'start') || action(e) !== 'connection_attempted') return false;
  const ip = destinationIp(e);
  return typeof ip === 'string' && !excluded(ip);
}

const stage = (filter: (e: EcsEvent) => boolean, cat: string): CompiledStage => ({
  filter,
  category: cat,
  constraints: {},
    fields: [],
    gate: null,
  keys: [entityId],
  keyNames: ['process.entity_id'],
  keyOptional: [false],
  missing: false,
  runs: 1,
});

export function handBuiltSeedQuery(): CompiledSequenceQuery {
  return {
    kind: 'sequence',
    text: '(seed rule, hand-built stages)',
    pipes: [],
    fields: [],
    stages: [stage(stage1, 'process'), stage(stage2, 'network')],
    until: null,
    maxspanMs: 30_000,
  };
}
