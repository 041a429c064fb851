/** Structured logs on stderr: JSON lines, or a readable line when stderr is a terminal. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'human'] as const;

export type LogFn = (level: LogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

export interface LoggerOptions {
  readonly minLevel?: LogLevel;
  /** Force a format; default: human when the stream is a TTY. */
  readonly format?: (typeof LOG_FORMATS)[number];
  readonly stream?: NodeJS.WriteStream;
  /**
   * Escapes the human format for the terminal (control characters from events: process args, paths); the CLI
   * passes its terminal-text escaper. JSON lines need none (JSON.stringify escapes C0; readers are not terminals).
   */
  readonly escape?: (text: string) => string;
}

export function createLogger(options: LoggerOptions = {}): LogFn {
  const stream = options.stream ?? process.stderr;
  const human = (options.format ?? (stream.isTTY ? 'human' : 'json')) === 'human';
  const min = LOG_LEVELS.indexOf(options.minLevel ?? 'info');
  const escape = options.escape ?? ((text: string) => text);
  return (level, message, data) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const time = new Date().toISOString();
    if (human) {
      const extra = data === undefined ? '' : ' ' + Object.entries(data).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      const line = `${time} ${level.toUpperCase().padEnd(5)} ${message}${extra}`;
      stream.write(`${escape(line)}\n`);
    } else {
      stream.write(JSON.stringify({ '@timestamp': time, 'log.level': level, message, ...data }) + '\n');
    }
  };
}
