import type { Command } from 'commander';
import { join } from 'node:path';
import { loadConfig } from '../agent/config-loader.js';
import { readHostFacts } from '../collectors/host-facts.js';
import { currentPlatform, readHostIdentity } from '../collectors/host-identity.js';
import type { EcsObject } from '../ecs/ecs-event.js';
import { hostFields } from '../normalize/host-fields.js';
import { runDoctor, type DoctorReport } from '../service/doctor.js';
import { hostPlatform } from '../service/install-context.js';
import { serviceState } from '../service/service-state.js';
import { choiceOption } from './cli-options.js';
import { SYSTEM_DATABASE_PATH, userDatabasePath } from './default-paths.js';
import { printError, terminalText } from './terminal-text.js';
import { packageRoot } from '../package-root.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', info: 'info' } as const;

export function formatDoctorText(report: DoctorReport, uid: number | null): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines = [`vigil doctor (${report.platform}, uid ${uid ?? 'unknown'})`];
  for (const c of report.checks) {
    lines.push(`  ${MARK[c.status]}  ${c.title.padEnd(width)}  ${c.detail}`);
    if (c.fix !== null && c.status !== 'ok') lines.push(`  ${' '.repeat(4)}  ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  lines.push('');
  lines.push(report.collectorSummary, ...report.misses.map((m) => `  - ${m}`));
  const s = report.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${s.ok} ok, ${plural(s.warn, 'warning')}, ${plural(s.fail, 'failure')}`);
  return terminalText(lines.join('\n')) + '\n';
}

/** `vigil doctor [--format text|json] [--config PATH] [--db PATH]`: exit 1 when a check fails, else 0. */
/** The `host.*` fields this machine's events carry (the agent's own host-facts and host-fields modules). */
async function hostDocument(): Promise<EcsObject | null> {
  const platform = currentPlatform();
  if (platform === null) return null;
  const facts = await readHostFacts().catch(() => null);
  return hostFields(readHostIdentity(platform), () => facts)();
}

function formatHostText(host: EcsObject | null): string {
  if (host === null) return '';
  const os = (host['os'] ?? {}) as EcsObject;
  const list = (v: unknown): string => (Array.isArray(v) && v.length > 0 ? v.join(', ') : 'none found');
  const lines = [
    `host ${String(host['hostname'])}${host['domain'] !== undefined ? `.${String(host['domain'])}` : ''}: ${String(os['full'] ?? os['name'] ?? os['type'])}, kernel ${String(os['kernel'])}, ${String(host['architecture'])}`,
    `  ip ${list(host['ip'])}; mac ${list(host['mac'])}`,
  ];
  return terminalText(lines.join('\n')) + '\n';
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check what Vigil needs here (privileges, BTF, tracefs, eBPF helper, database, notifications, rules), each with a fix')
    .addOption(choiceOption('--format <format>', 'output format', ['text', 'json'], 'text'))
    .option('--config <path>', 'agent config to check against (rules paths, database, poll interval)')
    .option('--db <path>', 'alert database to check (default: from the config, else the service\'s when running as root with the service installed, else the per-user one)')
    .action(async (options: { format: string; config?: string; db?: string }) => {
      let config;
      try {
        config = loadConfig(options.config);
      } catch (err) {
        printError('doctor', (err as Error).message);
        process.exitCode = 2;
        return;
      }
      const uid = process.geteuid?.() ?? null;
      const platform = hostPlatform();
      const serviceInstalled = platform !== null && serviceState(platform).installed;
      const dbPath = options.db ?? (config.storage.db !== '' ? config.storage.db : uid === 0 && serviceInstalled ? SYSTEM_DATABASE_PATH : userDatabasePath());
      const rulePaths = config.rules.paths.length > 0 ? config.rules.paths : [join(packageRoot, 'config', 'rules')];
      const [report, host] = await Promise.all([runDoctor({ dbPath, rulePaths, pollIntervalMs: config.collector.poll_interval_ms }), hostDocument()]);
      process.stdout.write(options.format === 'json' ? JSON.stringify({ ...report, host }, null, 2) + '\n' : formatHostText(host) + formatDoctorText(report, uid));
      process.exitCode = report.summary.fail > 0 ? 1 : 0;
    });
}
