import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { OS_TYPES, type OsType } from '../ecs/ecs-event.js';
import { checkRules } from '../rules/check-report.js';
import { formatCheckText } from '../rules/check-text.js';
import { packageRoot } from '../package-root.js';
import { terminalText } from './terminal-text.js';

export const CHECK_FORMATS = ['text', 'json'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** The bundled default rule set. */
export const BUNDLED_RULES_DIR = join(packageRoot, 'config', 'rules');

const HOST_OS: Readonly<Record<string, OsType>> = { linux: 'linux', darwin: 'macos', win32: 'windows' };

export interface RulesCheckArgs {
  readonly paths: readonly string[];
  readonly format: CheckFormat;
  readonly os: OsType;
}

/** Runs `vigil rules check`; returns the text to print and the exit code (1 when any rule has an error). */
export function runRulesCheck(args: RulesCheckArgs): { output: string; exitCode: number } {
  const paths = args.paths.length > 0 ? args.paths : [BUNDLED_RULES_DIR];
  const report = checkRules(paths, args.os);
  const output = args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : terminalText(formatCheckText(report));
  return { output, exitCode: report.summary.error > 0 ? 1 : 0 };
}

export function register(program: Command): void {
  const rules = program.command('rules').description('check detection rules: compile them and report whether this OS can fire them');
  rules
    .command('check')
    .description('load rules (files or directories, recursively), compile them, and report whether this OS\'s telemetry can fire them')
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS).default('text'))
    .addOption(new Option('--os <os>', 'the OS whose telemetry coverage to report').choices(OS_TYPES).default(HOST_OS[process.platform] ?? 'linux'))
    .argument('[paths...]', 'rule files or directories (default: the bundled config/rules)')
    .action((paths: string[], opts: { format: CheckFormat; os: OsType }) => {
      const { output, exitCode } = runRulesCheck({ paths, format: opts.format, os: opts.os });
      process.stdout.write(output);
      process.exitCode = exitCode;
    });
}
