/**
 * A throwaway desktop session for notification tests: Xvfb (display picked by Xvfb itself, -displayfd),
 * a private session dbus-daemon (own config: no service activation, so nothing is started behind our
 * back), dunst as the notification daemon, and dbus-monitor recording every
 * org.freedesktop.Notifications.Notify call. Everything runs as our own child processes, stopped by pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NotifyCall {
  readonly appName: string;
  readonly summary: string;
  readonly body: string;
  /** The call as dbus-monitor printed it. */
  readonly raw: string;
}

export interface DesktopSession {
  /** Environment for processes that should notify into this session. */
  readonly env: { DISPLAY: string; DBUS_SESSION_BUS_ADDRESS: string; XDG_RUNTIME_DIR: string };
  calls(): readonly NotifyCall[];
  /** Resolves with the first Notify call (already seen or future) that satisfies `pred`. */
  waitForNotify(pred: (call: NotifyCall) => boolean, timeoutMs: number): Promise<NotifyCall>;
  stop(): Promise<void>;
}

const TOOLS = ['Xvfb', 'dbus-daemon', 'dbus-monitor', 'dbus-send', 'dunst', 'notify-send'] as const;

/** Why a desktop session cannot be started here, or null when it can. */
export function desktopSessionUnavailable(): string | null {
  for (const tool of TOOLS) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not installed (scripts/setup installs it)`;
  }
  return null;
}

function firstLine(stream: NodeJS.ReadableStream, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no output within ${timeoutMs} ms`)), timeoutMs);
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(buf.slice(0, nl).trim());
      }
    };
    stream.on('data', onData);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Splits dbus-monitor output into Notify calls; top-level arguments are indented 3 spaces. */
function parseCalls(text: string): NotifyCall[] {
  const blocks = text.split(/^(?=method call )/m).filter((b) => b.startsWith('method call ') && /member=Notify\b/.test(b.split('\n')[0]!));
  return blocks.map((raw) => {
    const strings = [...raw.matchAll(/^ {3}string "([\s\S]*?)"$/gm)].map((m) => unquote(m[1]!));
    return { appName: strings[0] ?? '', summary: strings[2] ?? '', body: strings[3] ?? '', raw };
  });
}

export async function startDesktopSession(): Promise<DesktopSession> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-desktop-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(2000)]);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '800x600x24'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    children.push(xvfb);
    const display = ':' + (await firstLine(xvfb.stdio[3] as NodeJS.ReadableStream, 'Xvfb', 10_000));

    const config = join(dir, 'session.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(dir, 'bus')}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
    );
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(bus);
    const address = await firstLine(bus.stdout!, 'dbus-daemon', 10_000);
    const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: address, XDG_RUNTIME_DIR: dir };
    const childEnv = { ...process.env, ...env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') };

    const monitor = spawn('dbus-monitor', ['--address', address, "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: childEnv,
    });
    children.push(monitor);
    let text = '';
    const waiters = new Set<() => void>();
    monitor.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      for (const w of waiters) w();
    });
    await firstLine(monitor.stdout!, 'dbus-monitor', 10_000);

    const dunst = spawn('dunst', ['-config', '/dev/null'], { stdio: ['ignore', 'ignore', 'ignore'], env: childEnv });
    children.push(dunst);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = spawnSync('dbus-send', ['--bus=' + address, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.Notifications'], { encoding: 'utf8' });
      if (r.stdout.includes('boolean true')) break;
      if (dunst.exitCode !== null || Date.now() > deadline) throw new Error('dunst did not take org.freedesktop.Notifications');
      await sleep(50);
    }

    const calls = (): NotifyCall[] => parseCalls(text);
    return {
      env,
      calls,
      waitForNotify(pred, timeoutMs) {
        return new Promise((resolve, reject) => {
          const check = (): void => {
            // A call is complete once the next output started after it (or its last line, the timeout, arrived).
            const found = calls().find((c) => / {3}int32 -?\d+\s*$/.test(c.raw) && pred(c));
            if (found === undefined) return;
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`no matching Notify call within ${timeoutMs} ms; saw: ${JSON.stringify(calls().map((c) => c.summary))}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
