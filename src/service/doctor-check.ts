/** One `vigil doctor` finding: what was checked, how it stands, and how to fix it. */
export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'info'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const DOCTOR_CHECK_IDS = [
  'privileges',
  'btf',
  'tracefs',
  'ebpf-helper',
  'collector',
  'database',
  'notify-send',
  'session-bus',
  'notification-daemon',
  'rules',
  'service',
] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECK_IDS)[number];

export interface DoctorCheck {
  readonly id: DoctorCheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it; null when nothing is needed. */
  readonly fix: string | null;
  /** Extra facts for --format json (capabilities, paths, diagnostics). */
  readonly data?: Readonly<Record<string, unknown>>;
}
