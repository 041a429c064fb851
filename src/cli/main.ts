#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { enableLinearRegexEngine } from '../eql/linear-regex-engine.js';
import { UsageError, USAGE_EXIT } from './cli-options.js';
import { terminalText } from './terminal-text.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;
type Loader = () => Promise<{ register: Register }>;

/**
 * Every command lives in its own file and registers itself. Only the file of the command being run is loaded
 * (fast start, and a problem in one command's modules cannot break another); help loads them all.
 */
const COMMANDS: ReadonlyArray<readonly [names: readonly string[], load: Loader]> = [
  [['run'], () => import('./run.js')],
  [['hunt'], () => import('./hunt.js')],
  [['collect'], () => import('./collect.js')],
  [['rules'], () => import('./rules.js')],
  [['alerts'], () => import('./alerts.js')],
  [['ai'], () => import('./ai.js')],
  [['notify'], () => import('./notify.js')],
  [['install', 'uninstall'], () => import('./service.js')],
  [['status'], () => import('./status.js')],
  [['doctor'], () => import('./doctor.js')],
];

/** Builds the `vigil` command tree: the command named in `argv` only, or every command when none matches. */
export async function buildProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command('vigil')
    .description('Live endpoint detection: ECS telemetry, Elastic EQL rules, local alerts.')
    .version(VERSION)
    .showHelpAfterError()
    // A bad value can come from anywhere (a pasted command line): error messages are escaped for the terminal.
    .configureOutput({ outputError: (text, write) => write(terminalText(text)) })
    // Usage errors (unknown command or option, missing argument, invalid value) exit 2, as UsageError does.
    .exitOverride();
  const name = argv[2];
  const only = COMMANDS.find(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of only ? [only] : COMMANDS) (await load()).register(program);
  return program;
}

// Run when executed directly (also through the npm bin symlink), not when imported by tests.
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  // Before any rule is compiled: rule regexes run on V8's linear-time fallback (see linear-regex-engine.ts).
  enableLinearRegexEngine();
  buildProgram()
    .then((program) => program.parseAsync(process.argv))
    .catch((err: unknown) => {
      if (err instanceof CommanderError) {
        // Commander has printed its message (and help) already; help and --version are not errors.
        process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT);
      }
      process.stderr.write(terminalText(`vigil: ${err instanceof Error ? err.message : String(err)}`) + '\n');
      process.exit(err instanceof UsageError ? USAGE_EXIT : 1);
    });
}
