import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { LineIndex } from './line-index.js';
import type { ReadResult } from './read-result.js';
import type { RuleMeta } from './rule-meta.js';
import { normalizeOs } from './os-list.js';
import { defaultRiskScore } from './severity.js';

/**
 * A plain `.eql` file: one query, named after the file. Leading `//` comment lines may carry metadata as
 * `// key: value` (name, id, severity, risk_score, tags, description, os, version); the query is the whole
 * file (EQL reads `//` comments itself), so query positions are file positions.
 */
const HEADER_KEYS = ['name', 'id', 'rule_id', 'severity', 'risk_score', 'tags', 'description', 'os', 'version'] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

function readHeader(text: string): Partial<Record<HeaderKey, string>> {
  const out: Partial<Record<HeaderKey, string>> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('//')) break;
    const m = /^\/\/\s*([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    const key = m?.[1]!.toLowerCase();
    if (m && (HEADER_KEYS as readonly string[]).includes(key!)) out[key as HeaderKey] = m[2]!.trim();
  }
  return out;
}

function nameFromFile(file: string): string {
  return basename(file).replace(/\.eql$/i, '').replace(/[_-]+/g, ' ').trim();
}

export function readEqlFile(file: string, text: string, deprecatedPath: boolean): ReadResult {
  const h = readHeader(text);
  const name = h.name ?? nameFromFile(file);
  const id = h.id ?? h.rule_id ?? 'eql-' + createHash('sha256').update(resolve(file)).digest('hex').slice(0, 16);
  if (deprecatedPath) {
    return { kind: 'skipped', format: 'eql', name, id, reason: { code: 'SKIP_DEPRECATED', message: 'deprecated rule (in a _deprecated directory)' } };
  }
  const severity = (h.severity ?? 'medium').toLowerCase();
  const risk = h.risk_score !== undefined ? Number(h.risk_score) : NaN;
  const osList = h.os
    ?.split(',')
    .map(normalizeOs)
    .filter((o) => o !== null);
  const meta: RuleMeta = {
    id,
    name,
    severity,
    riskScore: Number.isFinite(risk) ? risk : defaultRiskScore(severity),
    tags: h.tags ? h.tags.split(',').map((t) => t.trim()).filter((t) => t !== '') : [],
    threat: [],
    file,
    ...(h.description !== undefined ? { description: h.description } : {}),
    ...(h.version !== undefined ? { version: h.version } : {}),
    ...(osList && osList.length > 0 ? { osList } : {}),
  };
  const lines = new LineIndex(text);
  return { kind: 'rule', format: 'eql', meta, query: text, position: (q) => lines.position(Math.max(0, Math.min(q, text.length))) };
}
