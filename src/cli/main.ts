#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { register as registerHunt } from './hunt.js';
import { register as registerCollect } from './collect.js';
import { register as registerRules } from './rules.js';
import { register as registerRun } from './run.js';
import { register as registerAlerts } from './alerts.js';
import { register as registerNotify } from './notify.js';
import { register as registerService } from './service.js';
import { register as registerStatus } from './status.js';
import { register as registerDoctor } from './doctor.js';
import { VERSION } from './version.js';

/** Builds the `vigil` command tree. Each command lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Live endpoint detection: ECS telemetry, Elastic EQL rules, local alerts.')
    .version(VERSION)
    .showHelpAfterError();
  for (const register of [
    registerRun,
    registerHunt,
    registerCollect,
    registerRules,
    registerAlerts,
    registerNotify,
    registerService,
    registerStatus,
    registerDoctor,
  ]) {
    register(program);
  }
  return program;
}

// Run when executed directly (also through the npm bin symlink), not when imported by tests.
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
