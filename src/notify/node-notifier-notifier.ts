import { createRequire } from 'node:module';
import type { Notification } from './notification.js';
import type { Notifier, NotifierStats, NotifyLog } from './notifier.js';

export interface NodeNotifierOptions {
  readonly log?: NotifyLog;
  /** Notifications being delivered at once (each is a notify-send process on Linux); beyond it they are dropped (counted). Default 4. */
  readonly maxInFlight?: number;
  /** How long the desktop shows a notification, seconds (default 10; critical ones stay until dismissed). */
  readonly expireSeconds?: number;
}

type Backend = { notify(n: object, cb: (err: Error | string | null) => void): unknown };

/**
 * The platform backend node-notifier provides: notify-send (libnotify-bin) on Linux. node-notifier (CommonJS)
 * is loaded here, when a notifier is made, not when this module is imported: the agent imports this module
 * in every mode, and most agents (the service, `--no-notify`) never notify (~10 MB of RSS not loaded).
 */
function platformBackend(): Backend {
  const nodeNotifier = createRequire(import.meta.url)('node-notifier') as typeof import('node-notifier');
  if (process.platform === 'linux') return new nodeNotifier.NotifySend() as unknown as Backend;
  return nodeNotifier as unknown as Backend;
}

/**
 * Desktop notifications through node-notifier (on Linux it runs `notify-send`, which talks to the session
 * D-Bus). Never throws: a failure (no notify-send, no bus, no notification daemon) is counted and logged
 * once with its reason; later failures are counted silently until one succeeds again.
 */
export class NodeNotifierNotifier implements Notifier {
  readonly #backend: Backend;
  readonly #log: NotifyLog;
  readonly #maxInFlight: number;
  readonly #expire: number;
  #inFlight = 0;
  #failing = false;
  #idle: Array<() => void> = [];
  #stats = { delivered: 0, failed: 0, dropped: 0 };

  constructor(options: NodeNotifierOptions = {}) {
    this.#backend = platformBackend();
    this.#log = options.log ?? (() => {});
    this.#maxInFlight = options.maxInFlight ?? 4;
    this.#expire = options.expireSeconds ?? 10;
  }

  notify(n: Notification): void {
    if (this.#inFlight >= this.#maxInFlight) {
      this.#stats.dropped++;
      return;
    }
    this.#inFlight++;
    const done = (err: Error | string | null | undefined): void => {
      this.#inFlight--;
      if (err instanceof Error) this.#failed(err);
      else {
        this.#stats.delivered++;
        if (this.#failing) this.#log('info', 'desktop notifications work again');
        this.#failing = false;
      }
      if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
    try {
      this.#backend.notify(
        { title: n.title, message: n.body, urgency: n.urgency, timeout: this.#expire, 'app-name': 'vigil', category: 'device' },
        done,
      );
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #failed(err: Error): void {
    this.#stats.failed++;
    if (this.#failing) return;
    this.#failing = true;
    const reason = err.message.split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? err.message;
    this.#log('warn', 'desktop notification failed; further failures are counted, not logged', {
      reason,
      hint: 'needs notify-send (libnotify-bin), a session D-Bus (DBUS_SESSION_BUS_ADDRESS) and a notification daemon',
    });
  }

  drain(timeoutMs: number): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stats(): NotifierStats {
    return { ...this.#stats, inFlight: this.#inFlight };
  }
}
