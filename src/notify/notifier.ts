import type { Notification } from './notification.js';

/** The logger shape notify/ writes to (compatible with the agent's structured logger). */
export type NotifyLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Readonly<Record<string, unknown>>) => void;

export interface NotifierStats {
  /** Notifications the desktop accepted. */
  readonly delivered: number;
  /** Notifications that failed (no daemon, no bus, no notify-send); the first failure is logged. */
  readonly failed: number;
  /** Notifications dropped because too many were already in flight. */
  readonly dropped: number;
  readonly inFlight: number;
}

/**
 * Shows desktop notifications. `notify` never throws and never blocks: delivery is asynchronous and its
 * failures are counted (and logged once), never raised, so a missing desktop cannot hurt the agent.
 */
export interface Notifier {
  notify(notification: Notification): void;
  /** Resolves when nothing is in flight any more, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  stats(): NotifierStats;
}
