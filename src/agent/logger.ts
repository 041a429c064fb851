/** Structured logs on stderr: JSON lines, or a readable line when stderr is a terminal. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFn = (level: LogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

export interface LoggerOptions {
  readonly minLevel?: LogLevel;
  /** Force a format; default: human when the stream is a TTY. */
  readonly format?: 'json' | 'human';
  readonly stream?: NodeJS.WriteStream;
}

export function createLogger(options: LoggerOptions = {}): LogFn {
  const stream = options.stream ?? process.stderr;
  const human = (options.format ?? (stream.isTTY ? 'human' : 'json')) === 'human';
  const min = LOG_LEVELS.indexOf(options.minLevel ?? 'info');
  return (level, message, data) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const time = new Date().toISOString();
    if (human) {
      const extra = data === undefined ? '' : ' ' + Object.entries(data).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      stream.write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${extra}\n`);
    } else {
      stream.write(JSON.stringify({ '@timestamp': time, 'log.level': level, message, ...data }) + '\n');
    }
  };
}
