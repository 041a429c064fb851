import type { Command } from 'commander';
import { currentPlatform, readHostIdentity } from '../collectors/host-identity.js';
import type { RawEvent } from '../collectors/raw-event.js';
import { BACKEND_CHOICES, describeCollector, openCollector, type BackendChoice } from '../collectors/select-collector.js';
import { deriveAgentId } from '../normalize/agent-fields.js';
import { Normalizer } from '../normalize/normalizer.js';
import { VERSION } from './version.js';

const OUTPUTS = ['ndjson'] as const;

interface CollectOptions {
  backend: string;
  duration?: string;
  output: string;
  pollMs?: string;
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * `vigil collect`: live ECS events as NDJSON on stdout (the way to record data for `vigil hunt`); a summary
 * (backend, why others were skipped, counters) goes to stderr at the end. Stops after --duration seconds, on
 * SIGINT/SIGTERM, or when stdout closes.
 */
async function collect(opts: CollectOptions): Promise<void> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(opts.backend)) {
    throw new Error(`--backend: expected one of ${BACKEND_CHOICES.join(', ')}, got ${JSON.stringify(opts.backend)}`);
  }
  if (!(OUTPUTS as readonly string[]).includes(opts.output)) {
    throw new Error(`--output: expected one of ${OUTPUTS.join(', ')}, got ${JSON.stringify(opts.output)}`);
  }
  const durationMs = opts.duration === undefined ? undefined : positiveNumber('duration', opts.duration) * 1000;
  const platform = currentPlatform();
  if (platform === null) throw new Error(`no collector for platform ${process.platform}`);
  const host = readHostIdentity(platform);
  const normalizer = new Normalizer({ host, agent: { id: deriveAgentId(host.hostId), version: VERSION } });

  let stopping = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    resolveDone();
  };
  process.stdout.on('error', stop); // EPIPE: the reader went away
  const sink = (raw: RawEvent): void => {
    if (stopping) return;
    const doc = normalizer.normalize(raw);
    if (doc !== null) process.stdout.write(JSON.stringify(doc) + '\n');
  };
  const log = (level: string, msg: string, data?: object): void => {
    process.stderr.write(`vigil collect: ${level}: ${msg}${data ? ' ' + JSON.stringify(data) : ''}\n`);
  };
  const opened = await openCollector(opts.backend as BackendChoice, platform, sink, {
    host,
    log,
    ...(opts.pollMs !== undefined ? { procfs: { intervalMs: positiveNumber('poll-ms', opts.pollMs) } } : {}),
  });
  process.stderr.write(`vigil collect: collecting with ${describeCollector(opened)}\n`);
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = durationMs === undefined ? undefined : setTimeout(stop, durationMs);
  await done;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await opened.collector.stop();
  const summary = {
    backend: opened.backend,
    fallbacks: opened.fallbacks,
    snapshotEvents: opened.snapshotEvents,
    collector: opened.collector.stats(),
    normalizer: normalizer.stats(),
  };
  process.stderr.write(`vigil collect: summary ${JSON.stringify(summary)}\n`);
}

export function register(program: Command): void {
  program
    .command('collect')
    .description('stream live ECS events (process, network) as NDJSON to stdout: the way to record data for `vigil hunt`')
    .option('--backend <name>', `collector: ${BACKEND_CHOICES.join(' | ')}`, 'auto')
    .option('--duration <seconds>', 'stop after this many seconds (default: until interrupted)')
    .option('--output <format>', `output format: ${OUTPUTS.join(' | ')}`, 'ndjson')
    .option('--poll-ms <ms>', 'procfs poll period in milliseconds (default 100)')
    .action(async (opts: CollectOptions) => {
      try {
        await collect(opts);
      } catch (err) {
        process.stderr.write(`vigil collect: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1); // as before: nothing the failed start left behind may keep the process alive
      }
    });
}
