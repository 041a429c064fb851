import type { Command } from 'commander';
import { loadConfig } from '../agent/config-loader.js';
import { createLogger } from '../agent/logger.js';
import { AlertNotifier } from '../notify/alert-notifier.js';
import { AlertWatcher } from '../notify/alert-watcher.js';
import { NodeNotifierNotifier } from '../notify/node-notifier-notifier.js';
import { integerArg } from './cli-options.js';
import { readerDatabasePath } from './default-paths.js';
import { terminalCell } from './terminal-text.js';

interface NotifyOptions {
  db?: string;
  config?: string;
  intervalMs: number;
  perRulePerMinute?: number;
  burst?: number;
}

/**
 * `vigil notify`: the per-user notification companion. Watches the alert database read-only and shows a
 * desktop notification for each new alert (rate-limited per rule, floods summarized). Starts from the newest
 * alert; SIGTERM / SIGINT stop it with exit code 0.
 */
export function register(program: Command): void {
  program
    .command('notify')
    .description('watch the alert database (read-only) and show desktop notifications for new alerts')
    .option('--db <path>', 'alert database (default: storage.db of --config, else the per-user database, else /var/lib/vigil/alerts.db)')
    .option('--config <path>', 'agent config (TOML): storage.db and notifications.per_rule_per_minute are used')
    .option('--interval-ms <ms>', 'poll interval', integerArg(1), 1000)
    .option('--per-rule-per-minute <n>', 'notifications per rule per minute before they are summarized (default: config, else 5)', integerArg(1))
    .option('--burst <n>', 'notifications a rule may raise at once (default: per-rule-per-minute)', integerArg(1))
    .action(async (opts: NotifyOptions) => {
      const log = createLogger({ escape: terminalCell });
      const config = loadConfig(opts.config);
      if (!config.notifications.enabled) {
        log('info', 'notifications are disabled in the config (notifications.enabled = false); vigil notify exits', { config: opts.config });
        return;
      }
      const db = opts.db ?? (config.storage.db !== '' ? config.storage.db : readerDatabasePath());
      const perMinute = opts.perRulePerMinute ?? config.notifications.per_rule_per_minute;
      const notifier = new AlertNotifier(new NodeNotifierNotifier({ log }), {
        perRulePerMinute: perMinute,
        perRuleBurst: opts.burst ?? perMinute,
      });
      const watcher = new AlertWatcher(db, (alerts) => alerts.forEach((a) => notifier.alert(a)), {
        intervalMs: opts.intervalMs,
        log,
      });
      watcher.start();
      log('info', 'vigil notify ready', { db, ...watcher.stats() });
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          log('info', 'vigil notify stopping', { signal, ...watcher.stats(), ...notifier.stats() });
          resolve();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      watcher.stop();
      await notifier.close(2000);
      process.exitCode = 0;
    });
}
