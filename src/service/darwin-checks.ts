import { classifyEsloggerStderr, esloggerFailureMessage, esloggerFix } from '../collectors/darwin/eslogger-failure.js';
import type { DoctorCheckId } from './doctor-check.js';
import { collectorVerdict } from './doctor-collector.js';
import type { Check } from './doctor-facts.js';

/** When eslogger fails in a way nobody has a fix for: let the user see eslogger's own words. */
const ESLOGGER_BY_HAND = 'run `sudo eslogger exec` in Terminal to see why Endpoint Security refuses it';

/**
 * What to do about an eslogger probe reason: esloggerFix() knows the probe's sentences; a reason in other
 * words (eslogger's own stderr, "not permitted: Full Disk Access (TCC) not granted") is classified as
 * eslogger's stderr is, so a TCC refusal always brings the Full Disk Access advice.
 */
export function esloggerAdvice(reason: string): string | null {
  return esloggerFix(reason) ?? esloggerFix(esloggerFailureMessage(classifyEsloggerStderr(reason)));
}

/** macOS: privileges and the collector (eslogger, else ps + lsof polling). */
export const DARWIN_CHECKS: Readonly<Record<Extract<DoctorCheckId, 'privileges' | 'collector'>, Check>> = {
  privileges: (f) => {
    const data = { uid: f.uid };
    if (f.uid === 0) return { id: 'privileges', title: 'Privileges', status: 'ok', detail: 'uid 0: root, as eslogger (Endpoint Security) requires', fix: null, data };
    const notRoot = esloggerFailureMessage('not-root');
    return {
      id: 'privileges',
      title: 'Privileges',
      status: 'warn',
      detail: `uid ${f.uid ?? 'unknown'}: ${notRoot}; without root Vigil polls ps + lsof, and lsof lists only this user's sockets`,
      fix: esloggerFix(notRoot),
      data,
    };
  },

  collector: (f) => {
    const v = collectorVerdict(f);
    const data = { backend: v.backend, fallbackReason: v.fallbackReason, misses: v.misses };
    if (v.backend === 'eslogger') {
      return {
        id: 'collector',
        title: 'Collector',
        status: 'ok',
        detail: `eslogger will be used (a trial start was accepted): every exec, fork and exit, however short-lived, from Endpoint Security. Connections come from lsof polling: ${v.misses.join('; ')}`,
        fix: null,
        data,
      };
    }
    const reason = f.esloggerProbe ?? 'not probed';
    const fix = esloggerAdvice(reason) ?? ESLOGGER_BY_HAND;
    if (v.backend === null) {
      return { id: 'collector', title: 'Collector', status: 'fail', detail: `no collector can run: eslogger: ${reason}; ps-lsof: ${f.psLsofProbe}`, fix: `${fix}; ps and lsof ship with macOS: check that they are on PATH`, data };
    }
    return { id: 'collector', title: 'Collector', status: 'warn', detail: `ps-lsof fallback: ${reason}. Polling misses: ${v.misses.join('; ')}`, fix, data };
  },
};
