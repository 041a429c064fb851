import { Option, type Command } from 'commander';
import { HostFactsSource } from '../collectors/host-facts.js';
import { currentPlatform, readHostIdentity } from '../collectors/host-identity.js';
import type { RawEvent } from '../collectors/raw-event.js';
import { BACKEND_CHOICES, describeCollector, openCollector, type BackendChoice } from '../collectors/select-collector.js';
import { deriveAgentId } from '../normalize/agent-fields.js';
import { Normalizer } from '../normalize/normalizer.js';
import { choiceOption, positiveNumberArg } from './cli-options.js';
import { printError, terminalText } from './terminal-text.js';
import { VERSION } from './version.js';

const OUTPUTS = ['ndjson'] as const;

interface CollectOptions {
  backend: BackendChoice;
  duration?: number;
  output: (typeof OUTPUTS)[number];
  pollMs?: number;
}

/**
 * `vigil collect`: live ECS events as NDJSON on stdout (the way to record data for `vigil hunt`); a summary
 * (backend, why others were skipped, counters) goes to stderr at the end. Stops after --duration seconds, on
 * SIGINT/SIGTERM, or when stdout closes.
 */
async function collect(opts: CollectOptions): Promise<void> {
  const durationMs = opts.duration === undefined ? undefined : opts.duration * 1000;
  const platform = currentPlatform();
  if (platform === null) throw new Error(`no collector for platform ${process.platform}`);
  const host = readHostIdentity(platform);
  const facts = new HostFactsSource();
  const normalizer = new Normalizer({ host, hostFacts: () => facts.current(), agent: { id: deriveAgentId(host.hostId), version: VERSION } });
  void facts.refresh();
  facts.start();

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
    process.stderr.write(terminalText(`vigil collect: ${level}: ${msg}${data ? ' ' + JSON.stringify(data) : ''}`) + '\n');
  };
  const opened = await openCollector(opts.backend, platform, sink, {
    host,
    log,
    ...(opts.pollMs !== undefined ? { procfs: { intervalMs: opts.pollMs } } : {}),
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
  facts.stop();
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
    .addOption(choiceOption('--backend <name>', 'collector backend', BACKEND_CHOICES, 'auto'))
    .addOption(new Option('--duration <seconds>', 'stop after this many seconds (default: until interrupted)').argParser(positiveNumberArg))
    .addOption(choiceOption('--output <format>', 'output format', OUTPUTS, 'ndjson'))
    .addOption(new Option('--poll-ms <ms>', 'procfs poll period in milliseconds (default 100)').argParser(positiveNumberArg))
    .action(async (opts: CollectOptions) => {
      try {
        await collect(opts);
      } catch (err) {
        printError('collect', err instanceof Error ? err.message : String(err));
        process.exit(1); // as before: nothing the failed start left behind may keep the process alive
      }
    });
}
