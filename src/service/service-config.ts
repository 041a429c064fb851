import type { PlannedFile } from './install-plan.js';

/**
 * The agent config the service runs with (`vigil run --config <configDir>/vigil.toml`): only the keys that
 * differ for a service; every other key keeps its default (see config/vigil.toml in the package).
 */
function serviceConfigToml(stateDir: string, dbPath: string, defaultsFile: string): string {
  return [
    '# Vigil service configuration, written by `vigil install`. Edit freely: a reinstall keeps this file, and',
    '# `vigil uninstall` removes it only when unchanged. Every key documented in',
    `# ${defaultsFile} may be set here; restart the service after a change.`,
    '',
    '[storage]',
    `db = ${JSON.stringify(dbPath)}`,
    '',
    '[status]',
    `dir = ${JSON.stringify(stateDir)}`,
    '',
  ].join('\n');
}

/** The service configuration as an install plan's file: an admin may edit it, so a reinstall keeps it. */
export function serviceConfigFile(path: string, stateDir: string, dbPath: string, defaultsFile: string): PlannedFile {
  return { path, content: serviceConfigToml(stateDir, dbPath, defaultsFile), mode: 0o644, description: 'service configuration', config: true };
}
