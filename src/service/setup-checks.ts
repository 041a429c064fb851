import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DoctorCheckId } from './doctor-check.js';
import type { Check } from './doctor-facts.js';

/** The nearest existing ancestor of `path` (itself when it exists). */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The database, the rules and the service. */
export const SETUP_CHECKS: Readonly<Record<Extract<DoctorCheckId, 'database' | 'rules' | 'service'>, Check>> = {
  database: (f) => {
    const dir = dirname(f.dbPath);
    if (existsSync(f.dbPath)) {
      const ok = writable(f.dbPath) && writable(dir);
      return ok
        ? { id: 'database', title: 'Alert database', status: 'ok', detail: `${f.dbPath} is writable`, fix: null }
        : { id: 'database', title: 'Alert database', status: 'fail', detail: `${f.dbPath} exists but is not writable by uid ${f.uid} (the WAL also needs ${dir} writable)`, fix: 'run as the owner of the database, or pass another path (`vigil run --config` with [storage] db)' };
    }
    const base = nearestExisting(dir);
    return writable(base)
      ? { id: 'database', title: 'Alert database', status: 'ok', detail: `${f.dbPath} will be created (${base} is writable)`, fix: null }
      : { id: 'database', title: 'Alert database', status: 'fail', detail: `${f.dbPath} cannot be created: ${base} is not writable by uid ${f.uid}`, fix: `create ${dir} for this user, or choose another [storage] db` };
  },

  rules: (f) => {
    const r = f.rules;
    const data = { paths: r.paths, loaded: r.loaded, skipped: r.skipped, errors: r.errors };
    if (r.failure !== undefined) return { id: 'rules', title: 'Rules', status: 'fail', detail: `cannot load rules from ${r.paths.join(', ')}: ${r.failure}`, fix: 'check [rules] paths in the config', data };
    if (r.errors.length > 0) {
      const shown = r.errors.slice(0, 5).join('; ') + (r.errors.length > 5 ? `; and ${r.errors.length - 5} more` : '');
      return { id: 'rules', title: 'Rules', status: 'warn', detail: `${r.loaded} loaded, ${r.skipped} skipped, ${r.errors.length} with errors (they do not run; the others do): ${shown}`, fix: 'fix them: `vigil rules check` shows each error with its position', data };
    }
    if (r.loaded === 0) return { id: 'rules', title: 'Rules', status: 'warn', detail: `no rule loaded from ${r.paths.join(', ')} (${r.skipped} skipped)`, fix: 'point [rules] paths at rule files or directories', data };
    return { id: 'rules', title: 'Rules', status: 'ok', detail: `${r.loaded} loaded, ${r.skipped} skipped, none with errors (${r.paths.join(', ')})`, fix: null, data };
  },

  service: (f) => {
    const s = f.service;
    if (s === null) return { id: 'service', title: 'Service', status: 'info', detail: 'no service support on this OS', fix: null };
    if (!s.installed) return { id: 'service', title: 'Service', status: 'info', detail: 'not installed (the agent runs only in the foreground)', fix: 'to run at boot: `sudo vigil install`' };
    const bits = [s.enabled === true ? 'enabled' : s.enabled === false ? 'not enabled' : null, s.managerState, s.detail].filter((b) => b !== null);
    return { id: 'service', title: 'Service', status: 'ok', detail: `installed: ${s.unit}${bits.length > 0 ? ` (${bits.join('; ')})` : ''}`, fix: null };
  },};
