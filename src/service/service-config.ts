/**
 * The agent config the service runs with (`vigil run --config <configDir>/vigil.toml`): only the keys that
 * differ for a service; every other key keeps its default (see config/vigil.toml in the package).
 */
export function serviceConfigToml(stateDir: string, dbPath: string, defaultsFile: string): string {
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
