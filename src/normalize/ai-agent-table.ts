import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { packageRoot } from '../package-root.js';
import { BoundedMemo } from '../bounded-memo.js';

/** The bundled table (config/ai-agents.toml). */
export const BUNDLED_AI_AGENTS_PATH = join(packageRoot, 'config', 'ai-agents.toml');

/** How one AI-agent tool is recognised (config/ai-agents.toml documents the keys). */
export interface AiAgentSpec {
  readonly names: readonly string[];
  readonly executables: readonly string[];
  readonly interpreters: readonly string[];
  readonly args: readonly string[];
}

const SPEC_KEYS = ['names', 'executables', 'interpreters', 'args'] as const;

/** A table problem, naming the file and the entry. */
export class AiAgentTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AiAgentTableError';
  }
}

/**
 * `*` any run, `?` one character, everything else literal; the greedy two-pointer walk is O(pattern x input)
 * whatever the input (a hostile executable path cannot make it backtrack).
 */
export function globMatch(pattern: string, s: string): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === s.charCodeAt(i)) && c !== 42) {
      p++;
      i++;
    } else if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/** The longest run of literal characters in a glob: every string the glob matches contains it. */
function longestLiteral(pattern: string): string {
  let best = '';
  for (const run of pattern.split(/[*?]/)) if (run.length > best.length) best = run;
  return best;
}

/** A glob with its cheap necessary condition (most paths hold none of the table's literals). */
interface CompiledGlob {
  readonly pattern: string;
  readonly literal: string;
  readonly agent: string;
}

function globHolds(g: CompiledGlob, s: string): boolean {
  return s.includes(g.literal) && globMatch(g.pattern, s);
}

/** Executable paths whose answer is remembered (an exec storm runs few images many times); cleared when full. */
const EXECUTABLE_MEMO_MAX = 1024;

/** Arguments looked at after argv[0] for an interpreter entry (the script comes early; flags before it are few). */
const MAX_ARGS_SCANNED = 6;

/**
 * The compiled table: which canonical name (if any) a process image is. Asked once per process entry, at exec
 * or when a process is first seen — never per event.
 */
export class AiAgentTable {
  readonly #byName = new Map<string, string>();
  readonly #executables: CompiledGlob[] = [];
  readonly #byInterpreter = new Map<string, CompiledGlob[]>();
  /** executable path -> agent name, or null for none (bounded by EXECUTABLE_MEMO_MAX). */
  readonly #byExecutable = new BoundedMemo<string, string | null>(EXECUTABLE_MEMO_MAX);
  readonly agents: readonly string[];

  constructor(specs: Readonly<Record<string, AiAgentSpec>>) {
    this.agents = Object.keys(specs);
    for (const [agent, spec] of Object.entries(specs)) {
      for (const n of spec.names) if (!this.#byName.has(n)) this.#byName.set(n, agent);
      for (const pattern of spec.executables) this.#executables.push({ pattern, literal: longestLiteral(pattern), agent });
      for (const interp of spec.interpreters) {
        const list = this.#byInterpreter.get(interp) ?? [];
        for (const pattern of spec.args) list.push({ pattern, literal: longestLiteral(pattern), agent });
        this.#byInterpreter.set(interp, list);
      }
    }
  }

  /** The canonical agent name of a process image, or undefined. */
  match(name: string | undefined, executable: string | undefined, args: readonly string[] | undefined): string | undefined {
    if (name !== undefined) {
      const byName = this.#byName.get(name);
      if (byName !== undefined) return byName;
    }
    if (executable !== undefined && executable !== '') {
      const byExecutable = this.#matchExecutable(executable);
      if (byExecutable !== null) return byExecutable;
    }
    if (name !== undefined && args !== undefined && args.length > 1) {
      const globs = this.#byInterpreter.get(name);
      if (globs !== undefined) {
        const n = Math.min(args.length, MAX_ARGS_SCANNED + 1);
        // globs grouped by agent in table order: the first agent with a pattern matching a scanned argument wins
        for (const g of globs) {
          for (let i = 1; i < n; i++) if (globHolds(g, args[i]!)) return g.agent;
        }
      }
    }
    return undefined;
  }

  #matchExecutable(executable: string): string | null {
    const known = this.#byExecutable.get(executable);
    if (known !== undefined) return known;
    let agent: string | null = null;
    for (const g of this.#executables) {
      if (globHolds(g, executable)) {
        agent = g.agent;
        break;
      }
    }
    return this.#byExecutable.set(executable, agent);
  }

  /** Parses table text (config/ai-agents.toml format) into specs; errors name the file and the entry. */
  static parse(text: string, file: string): Record<string, AiAgentSpec> {
    let table: Record<string, unknown>;
    try {
      table = parse(text) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof TomlError) throw new AiAgentTableError(`${file}:${err.line}:${err.column}: TOML syntax error: ${err.message.split('\n')[0]}`);
      throw err;
    }
    const out: Record<string, AiAgentSpec> = {};
    for (const [agent, value] of Object.entries(table)) {
      if (!/^[a-z0-9_]+$/.test(agent)) throw new AiAgentTableError(`${file}: [${agent}]: an agent name is lower case letters, digits and _`);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AiAgentTableError(`${file}: ${agent} must be a table ([${agent}])`);
      const spec: Record<string, string[]> = { names: [], executables: [], interpreters: [], args: [] };
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(SPEC_KEYS as readonly string[]).includes(key)) throw new AiAgentTableError(`${file}: unknown key ${agent}.${key} (known: ${SPEC_KEYS.join(', ')})`);
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) throw new AiAgentTableError(`${file}: ${agent}.${key} must be an array of non-empty strings`);
        spec[key] = v as string[];
      }
      if ((spec['interpreters']!.length > 0) !== (spec['args']!.length > 0)) {
        throw new AiAgentTableError(`${file}: ${agent}: interpreters and args go together (an interpreter entry needs both)`);
      }
      out[agent] = spec as unknown as AiAgentSpec;
    }
    return out;
  }

  /** The bundled table, plus a user table whose entries add to it (same key: lists appended). */
  static load(extraFile?: string): AiAgentTable {
    const read = (file: string): Record<string, AiAgentSpec> => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new AiAgentTableError(`${file}: cannot read AI-agent table: ${(err as Error).message}`);
      }
      return AiAgentTable.parse(text, file);
    };
    const specs = read(BUNDLED_AI_AGENTS_PATH);
    if (extraFile !== undefined && extraFile !== '') {
      for (const [agent, spec] of Object.entries(read(extraFile))) {
        const cur = specs[agent];
        specs[agent] =
          cur === undefined
            ? spec
            : {
                names: [...cur.names, ...spec.names],
                executables: [...cur.executables, ...spec.executables],
                interpreters: [...cur.interpreters, ...spec.interpreters],
                args: [...cur.args, ...spec.args],
              };
      }
    }
    return new AiAgentTable(specs);
  }
}
