import type { Alert } from '../alerts/alert.js';
import { alertNotification, summaryNotification, type AiSessionRef } from './alert-notification.js';
import type { Notifier } from './notifier.js';
import { RuleRateLimiter, type RateLimitOptions, type RateLimiterStats } from './rule-rate-limiter.js';

export interface AlertNotifierOptions extends RateLimitOptions {
  /** How often pending flood summaries are checked (default 1000 ms). */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/**
 * Alerts to desktop notifications: one per alert, rate-limited per rule, with "N more alerts of rule X"
 * summaries under floods. What `vigil run` (in a desktop session) and `vigil notify` both use:
 *
 *   const notifier = new AlertNotifier(new NodeNotifierNotifier({ log }), { perRulePerMinute: 5 });
 *   notifier.alert(result.alert);      // after the store committed it (and only when result.inserted)
 *   await notifier.close();            // flushes pending summaries
 */
export class AlertNotifier {
  readonly #notifier: Notifier;
  readonly #limiter: RuleRateLimiter;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;

  constructor(notifier: Notifier, options: AlertNotifierOptions = {}) {
    this.#notifier = notifier;
    this.#now = options.now ?? Date.now;
    this.#limiter = new RuleRateLimiter(options, this.#now());
    this.#timer = setInterval(() => this.tick(), options.tickMs ?? 1000);
    this.#timer.unref();
  }

  /** `session`: the AI-agent session the activity journal linked the alert to, named in the notification. */
  alert(alert: Alert, session: AiSessionRef | null = null): void {
    if (this.#limiter.admit(alert.rule.id, alert.rule.name, this.#now())) this.#notifier.notify(alertNotification(alert, session));
  }

  /** Sends the flood summaries that are due (called by the internal timer). */
  tick(flush = false): void {
    for (const s of this.#limiter.due(this.#now(), flush)) this.#notifier.notify(summaryNotification(s));
  }

  stats(): RateLimiterStats {
    return this.#limiter.stats();
  }

  /** Stops the timer, sends every pending summary, and waits (at most `timeoutMs`) for delivery. */
  async close(timeoutMs = 3000): Promise<void> {
    clearInterval(this.#timer);
    this.tick(true);
    await this.#notifier.drain(timeoutMs);
  }
}
