import type { DoctorCheck, DoctorCheckId } from './doctor-check.js';
import type { Check, DoctorFacts } from './doctor-facts.js';
import { KERNEL_CHECKS } from './kernel-checks.js';
import { NOTIFICATION_CHECKS } from './notification-checks.js';
import { SETUP_CHECKS } from './setup-checks.js';

export type { DoctorFacts, RulesFacts } from './doctor-facts.js';
export { esloggerMisses, procfsMisses, psLsofMisses } from './doctor-misses.js';
export { collectorVerdict, type CollectorVerdict } from './doctor-collector.js';

/** Every check, by id (a missing id fails to compile). */
const CHECKS: Readonly<Record<DoctorCheckId, Check>> = { ...KERNEL_CHECKS, ...NOTIFICATION_CHECKS, ...SETUP_CHECKS };

export function runDoctorChecks(facts: DoctorFacts, ids: readonly DoctorCheckId[]): DoctorCheck[] {
  return ids.map((id) => CHECKS[id](facts));
}
