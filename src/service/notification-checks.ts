import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import type { DoctorCheckId } from './doctor-check.js';
import { notApplicable, osName, type Check } from './doctor-facts.js';

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

function busSocketProblem(address: string): string | null {
  const m = /(?:^|;)unix:path=([^,;]+)/.exec(address);
  if (m === null) return null; // abstract sockets, tcp: nothing on disk to check
  return existsSync(m[1]!) ? null : `socket ${m[1]} does not exist`;
}

/** The desktop notification path: notify-send, a session bus, a daemon owning org.freedesktop.Notifications. */
export const NOTIFICATION_CHECKS: Readonly<Record<Extract<DoctorCheckId, 'notify-send' | 'session-bus' | 'notification-daemon'>, Check>> = {
  'notify-send': (f) => {
    if (f.platform !== 'linux') return { id: 'notify-send', title: 'notify-send', status: 'info', detail: `not used on ${osName(f.platform)} (node-notifier uses the native notifier)`, fix: null };
    const path = onPath('notify-send', f.env);
    return path !== null
      ? { id: 'notify-send', title: 'notify-send', status: 'ok', detail: path, fix: null }
      : { id: 'notify-send', title: 'notify-send', status: 'warn', detail: 'notify-send is not on PATH: desktop notifications cannot be sent', fix: 'install it: `apt install libnotify-bin` (Debian/Ubuntu) or `dnf install libnotify`' };
  },

  'session-bus': (f) => {
    if (f.platform !== 'linux') return notApplicable('session-bus', 'Session bus', f.platform);
    const address = f.env.DBUS_SESSION_BUS_ADDRESS;
    const viaService = 'notifications need a desktop session: the service cannot show them itself; `vigil install` sets up `vigil notify` to run in each user\'s session';
    if (address === undefined || address === '') return { id: 'session-bus', title: 'Session bus', status: 'warn', detail: 'DBUS_SESSION_BUS_ADDRESS is not set (no desktop session here)', fix: viaService };
    const problem = busSocketProblem(address);
    return problem === null
      ? { id: 'session-bus', title: 'Session bus', status: 'ok', detail: `DBUS_SESSION_BUS_ADDRESS=${address}`, fix: null }
      : { id: 'session-bus', title: 'Session bus', status: 'warn', detail: `DBUS_SESSION_BUS_ADDRESS=${address}: ${problem}`, fix: viaService };
  },

  'notification-daemon': (f) => {
    const title = 'Notification daemon';
    if (f.platform !== 'linux') return notApplicable('notification-daemon', title, f.platform);
    const address = f.env.DBUS_SESSION_BUS_ADDRESS;
    if (address === undefined || address === '' || busSocketProblem(address) !== null) {
      return { id: 'notification-daemon', title, status: 'info', detail: 'not checked: no session bus', fix: null };
    }
    const r = spawnSync(
      'dbus-send',
      ['--session', '--print-reply', '--reply-timeout=3000', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.Notifications'],
      { encoding: 'utf8', timeout: 5000, env: f.env },
    );
    if (r.error !== undefined) return { id: 'notification-daemon', title, status: 'warn', detail: `cannot ask the bus: ${r.error.message}`, fix: 'install dbus-send: `apt install dbus-bin`' };
    if (r.status !== 0) return { id: 'notification-daemon', title, status: 'warn', detail: `the session bus did not answer: ${(r.stderr || '').trim()}`, fix: 'check the desktop session\'s D-Bus' };
    return /boolean true/.test(r.stdout)
      ? { id: 'notification-daemon', title, status: 'ok', detail: 'a daemon owns org.freedesktop.Notifications', fix: null }
      : { id: 'notification-daemon', title, status: 'warn', detail: 'no daemon owns org.freedesktop.Notifications: notifications go nowhere', fix: 'start one (your desktop\'s, or dunst / mako / xfce4-notifyd)' };
  },

};
