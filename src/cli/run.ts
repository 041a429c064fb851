import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import { Agent } from '../agent/agent.js';
import { ConfigError, loadConfig } from '../agent/config-loader.js';
import { acquireInstanceLock, describeHolder, InstanceLockedError, type InstanceLock } from '../agent/instance-lock.js';
import { createLogger, LOG_FORMATS, type LogFn } from '../agent/logger.js';
import { agentStateDir, type AgentMode } from '../agent/status-file.js';
import { tuneAgentHeap } from '../agent/agent-heap.js';
import { ensurePrivateDir, UnsafePathError } from '../alerts/safe-files.js';
import { BACKEND_CHOICES, NoCollectorError, type BackendChoice } from '../collectors/select-collector.js';
import { choiceOption, USAGE_EXIT } from './cli-options.js';
import { terminalCell } from './terminal-text.js';
import { EventReader } from '../ecs/event-reader.js';
import { userDatabasePath } from './default-paths.js';
import { packageRoot } from '../package-root.js';
import { VERSION } from './version.js';

interface RunFlags {
  config?: string;
  db?: string;
  rules: string[];
  backend?: BackendChoice;
  replay?: string;
  stateDir?: string;
  notify: boolean;
  logFormat?: (typeof LOG_FORMATS)[number];
}

/** The bundled default rule set. */
export const BUNDLED_RULES = join(packageRoot, 'config', 'rules');

/** A service manager started us: systemd sets STATE_DIRECTORY, the launchd/Windows units set VIGIL_STATE_DIR. */
function serviceMode(env: NodeJS.ProcessEnv): AgentMode {
  return env.STATE_DIRECTORY || env.VIGIL_STATE_DIR ? 'service' : 'foreground';
}

/** A desktop session we can notify in directly (the service leaves that to `vigil notify`). */
function inDesktopSession(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== 'linux' || Boolean(env.DBUS_SESSION_BUS_ADDRESS);
}

async function run(flags: RunFlags, log: LogFn): Promise<number> {
  let config;
  try {
    config = loadConfig(flags.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      log('error', `bad config: ${err.message}`, { key: err.key, file: err.file });
      return USAGE_EXIT;
    }
    throw err;
  }
  const backend = flags.backend ?? config.collector.backend;
  const mode = serviceMode(process.env);
  const stateDir = flags.stateDir ?? agentStateDir(config.status.dir);
  const dbPath = flags.db ?? (config.storage.db !== '' ? config.storage.db : mode === 'service' ? join(stateDir, 'alerts.db') : userDatabasePath());
  const rulePaths = flags.rules.length > 0 ? flags.rules : config.rules.paths.length > 0 ? config.rules.paths : [BUNDLED_RULES];
  const missing = rulePaths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    log('error', `no such rule file or directory: ${missing.join(', ')}`, { rules: rulePaths });
    return USAGE_EXIT;
  }
  // The replay input is opened before anything starts, so a typo fails before `ready`.
  let input: NodeJS.ReadableStream | undefined;
  if (flags.replay !== undefined) {
    try {
      input = flags.replay === '-' ? process.stdin : await openForReading(flags.replay);
    } catch (err) {
      log('error', `cannot read ${flags.replay}: ${(err as Error).message}`, {});
      return USAGE_EXIT;
    }
  }

  // Paths first: a state, database or log dir that is not safe to write through is a configuration problem
  // (nothing is created in it, not even a lock file).
  try {
    ensurePrivateDir(stateDir);
    if (!config.storage.allow_db_symlink) ensurePrivateDir(dirname(dbPath));
  } catch (err) {
    if (err instanceof UnsafePathError) {
      log('error', err.message, { path: err.path });
      return USAGE_EXIT;
    }
    throw err;
  }
  // One agent per state dir and per database: a second one exits 2 naming the first.
  const locks: InstanceLock[] = [];
  try {
    locks.push(acquireInstanceLock(join(stateDir, 'agent.lock')));
    locks.push(acquireInstanceLock(`${dbPath}.agent-lock`));
  } catch (err) {
    locks.forEach((l) => l.release());
    if (input !== undefined && input !== process.stdin) (input as ReadStream).destroy();
    if (err instanceof InstanceLockedError) {
      const holder = err.pid === null ? null : await describeHolder(err.pid);
      log('error', holder === null ? err.message : new InstanceLockedError(err.path, err.pid, holder).message, { lock: err.path, pid: err.pid });
      return USAGE_EXIT;
    }
    throw err;
  }
  try {
    return await runLocked(flags, log, { config, backend, mode, stateDir, dbPath, rulePaths, input });
  } finally {
    locks.forEach((l) => l.release());
  }
}

interface Resolved {
  readonly config: ReturnType<typeof loadConfig>;
  readonly backend: BackendChoice;
  readonly mode: AgentMode;
  readonly stateDir: string;
  readonly dbPath: string;
  readonly rulePaths: readonly string[];
  readonly input: NodeJS.ReadableStream | undefined;
}

/** Opens a file for reading and waits until it is open (or failed), so errors come before the agent starts. */
function openForReading(path: string): Promise<ReadStream> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path);
    stream.once('open', () => {
      stream.off('error', reject);
      resolve(stream);
    });
    stream.once('error', reject);
  });
}

async function runLocked(flags: RunFlags, log: LogFn, r: Resolved): Promise<number> {
  const { config, backend, mode, stateDir, dbPath, rulePaths, input } = r;
  let agent: Agent;
  try {
    agent = new Agent({
      config,
      dbPath,
      rulePaths,
      stateDir,
      mode,
      version: VERSION,
      notify: flags.notify && mode === 'foreground' && inDesktopSession(process.env),
      log,
    });
  } catch (err) {
    // A database or log path that is not safe to write through (a symlink): a configuration problem.
    if (err instanceof UnsafePathError) {
      log('error', err.message, { path: err.path });
      return USAGE_EXIT;
    }
    throw err;
  }
  if (agent.ruleSet.rules.length === 0 && !config.rules.allow_empty) {
    log('error', `no rule loaded from ${rulePaths.join(', ')} (set [rules] allow_empty = true to run with none)`, { rule_errors: agent.ruleSet.errors.length });
    await agent.stop();
    return USAGE_EXIT;
  }

  let stopping: Promise<void> | null = null;
  const stop = (signal: string): Promise<void> => {
    if (stopping === null) {
      log('info', `${signal}: stopping`, {});
      stopping = agent.stop();
    }
    return stopping;
  };
  // Listening before `ready` is logged: a SIGTERM right after it stops the agent cleanly, not by the default action.
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      process.once(signal, () => void stop(signal).then(resolve));
    }
  });

  if (input !== undefined) {
    const reader = new EventReader({ onMalformed: (m) => log('warn', `${flags.replay}:${m.line}: malformed event skipped`, { reason: m.reason }) });
    await agent.replay(reader.read(input));
    const stats = agent.pipeline.stats();
    log('info', 'replay done', { events: reader.stats.events, malformed: reader.stats.malformed, alerts: stats.alertsInserted, duplicates: stats.alertsDuplicate });
    await stop('end of replay');
    return 0;
  }

  try {
    await agent.start(backend);
  } catch (err) {
    await agent.stop();
    if (err instanceof NoCollectorError) {
      log('error', err.message, { fallbacks: err.fallbacks });
      return 1;
    }
    throw err;
  }
  await stopped;
  return 0;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('run the agent in the foreground: collect, detect, store alerts, notify')
    .option('--config <path>', 'TOML config file (every key optional; see config/vigil.toml)')
    .option('--db <path>', 'alert database (default: [storage] db of the config, else alerts.db in the state dir under a service manager, or in the per-user state dir)')
    .addOption(
      new Option('--rules <path>', 'rule file or directory (repeatable)')
        .argParser((v: string, acc: string[]) => [...acc, v])
        .default([] as string[], '[rules] paths of the config, else the bundled config/rules'),
    )
    .addOption(choiceOption('--backend <name>', 'collector backend (default: [collector] backend of the config, else auto)', BACKEND_CHOICES))
    .option('--state-dir <dir>', 'where status.json is written (default: [status] dir, $VIGIL_STATE_DIR, $STATE_DIRECTORY, else the per-user state dir: $XDG_STATE_HOME/vigil or ~/.local/state/vigil)')
    .option('--replay <file>', 'feed recorded ECS NDJSON (e.g. from `vigil collect`) through the pipeline, then exit ("-" = stdin)')
    .option('--no-notify', 'no desktop notifications from this process')
    .addOption(choiceOption('--log-format <format>', 'log format (default: human on a terminal)', LOG_FORMATS))
    .action(async (flags: RunFlags) => {
      // A long-running agent: V8's young generation capped at 2 x 4 MiB (not up to 2 x 16) and the old generation
      // collected at 1.5x its live size (not up to 4x) keep memory flat under exec storms (agent-heap.ts; the
      // `--max-semi-space-size=4` set here before changed nothing: V8 reads it only when the heap is made).
      tuneAgentHeap();
      const log = createLogger({ ...(flags.logFormat ? { format: flags.logFormat } : {}), escape: terminalCell });
      try {
        process.exitCode = await run(flags, log);
      } catch (err) {
        log('error', `vigil run failed: ${err instanceof Error ? err.message : String(err)}`, {});
        process.exitCode = 1;
      }
    });
}
