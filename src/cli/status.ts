import type { Command } from 'commander';
import { resolve } from 'node:path';
import {
  readStatusFile,
  serviceStateDir,
  statusFilePath,
  STATUS_STAGES,
  userStateDir,
  type StatusReading,
} from '../agent/status-file.js';
import { hostPlatform } from '../service/install-context.js';
import { serviceState, type ServiceState } from '../service/service-state.js';
import { choiceOption } from './cli-options.js';
import { terminalText } from './terminal-text.js';
import { textTable } from './text-table.js';

export interface StatusReport {
  readonly service: ServiceState | null;
  /** The reading shown: the running agent, else the most recent one. */
  readonly agent: StatusReading;
  /** Seconds since the shown agent started (until it stopped), or null. */
  readonly uptimeS: number | null;
  /** Every state dir looked at. */
  readonly readings: readonly StatusReading[];
}

const STATUS_EXIT: Readonly<Record<StatusReading['state'], number>> = { running: 0, stale: 3, stopped: 3, missing: 3, unreadable: 4, invalid: 4 };

const RANK: Readonly<Record<StatusReading['state'], number>> = { running: 0, stale: 1, stopped: 2, unreadable: 3, invalid: 4, missing: 5 };

/** Reads the status of every candidate state dir (the given one, else the service's and the user's). */
export function statusReport(stateDir: string | undefined, now = Date.now()): StatusReport {
  const platform = hostPlatform();
  const dirs = stateDir !== undefined ? [resolve(stateDir)] : [...new Set([userStateDir(), serviceStateDir()])];
  const readings = dirs.map((d) => readStatusFile(statusFilePath(d), { now }));
  const best = [...readings].sort((a, b) => RANK[a.state] - RANK[b.state] || (a.ageMs ?? Infinity) - (b.ageMs ?? Infinity))[0]!;
  const st = best.status;
  const uptimeS = st === null ? null : Math.round(((st.stopped !== undefined ? Date.parse(st.stopped) : now) - Date.parse(st.started)) / 1000);
  return { service: platform === null ? null : serviceState(platform), agent: best, uptimeS, readings };
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = d > 0 ? [`${d}d`, `${h}h`, `${m}m`] : h > 0 ? [`${h}h`, `${m}m`, `${s % 60}s`] : m > 0 ? [`${m}m`, `${s % 60}s`] : [`${s}s`];
  return parts.join(' ');
}

function serviceLine(s: ServiceState | null): string {
  if (s === null) return 'not supported on this OS';
  if (!s.installed) return 'not installed (`sudo vigil install`)';
  const bits = [s.enabled === true ? 'enabled' : s.enabled === false ? 'disabled' : null, s.managerState, s.detail].filter((b) => b !== null);
  return `installed: ${s.unit}${bits.length > 0 ? ` (${bits.join('; ')})` : ''}`;
}

export function formatStatusText(report: StatusReport, now = Date.now()): string {
  const { agent } = report;
  const st = agent.status;
  const lines: string[] = [`service    ${serviceLine(report.service)}`];
  if (st === null || agent.state === 'missing' || agent.state === 'invalid' || agent.state === 'unreadable') {
    lines.push(`agent      not running: ${agent.reason ?? agent.state}`);
    for (const r of report.readings) lines.push(`           ${r.path}: ${r.state}${r.reason && r.reason !== agent.reason ? ` (${r.reason})` : ''}`);
    return terminalText(lines.join('\n')) + '\n';
  }
  const up = formatDuration((st.stopped !== undefined ? Date.parse(st.stopped) : now) - Date.parse(st.started));
  const state = agent.state === 'running' ? 'running' : `${agent.state.toUpperCase()}: ${agent.reason}`;
  lines.push(`agent      ${state}`);
  lines.push(`           pid ${st.pid} (${st.mode}), version ${st.version}, up ${up}, updated ${formatDuration(agent.ageMs ?? 0)} ago`);
  lines.push(`           status file ${agent.path}`);
  lines.push(`collector  ${st.backend ?? '(starting)'}${st.fallbackReason !== null ? ` — fallback: ${st.fallbackReason}` : ''}`);
  lines.push(`rules      ${st.rules.loaded} loaded, ${st.rules.errors} with errors, ${st.rules.skipped} skipped${(st.rules.disabled ?? 0) > 0 ? `, ${st.rules.disabled} DISABLED (over their evaluation budget)` : ''}`);
  lines.push(`alerts     ${st.alerts.total} total${st.alerts.last !== undefined ? `, last ${st.alerts.last}` : ''}; database ${st.db}`);
  const evicted = st.sequences.evicted ?? 0;
  lines.push(`sequences  ${st.sequences.inFlight} in flight${evicted > 0 ? `, ${evicted} evicted by floods (${Object.entries(st.sequences.evictedByRule ?? {}).map(([r, n]) => `${r}: ${n}`).join('; ')})` : ''}`);
  const lost = STATUS_STAGES.reduce((n, s) => n + (st.stages[s]?.lost ?? 0), 0);
  lines.push(`lost       ${lost} events`);
  const cols = ['in', 'out', 'lost', 'late', 'dropped', 'malformed'] as const;
  const rows = STATUS_STAGES.filter((s) => st.stages[s] !== undefined).map((s) => [s, ...cols.map((c) => String(st.stages[s][c]))]);
  lines.push('events');
  const table = textTable([{ header: 'stage' }, ...cols.map((header) => ({ header, align: 'right' as const }))], rows, { indent: '  ' });
  return terminalText(lines.join('\n')) + '\n' + table;
}

/**
 * `vigil status [--state-dir DIR] [--format text|json]`. Exit codes as LSB `status`: 0 running, 3 not running
 * (stopped, stale, never ran), 4 unknown (the status file is unreadable or invalid).
 */
export function register(program: Command): void {
  program
    .command('status')
    .description('is the agent installed and running; its backend, rules and counters (from its status file)')
    .option('--state-dir <dir>', 'the agent state directory to read (default: the per-user one and the service one)')
    .addOption(choiceOption('--format <format>', 'output format', ['text', 'json'], 'text'))
    .action((options: { stateDir?: string; format: 'text' | 'json' }) => {
      const now = Date.now();
      const report = statusReport(options.stateDir, now);
      process.stdout.write(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatStatusText(report, now));
      process.exitCode = STATUS_EXIT[report.agent.state];
    });
}
