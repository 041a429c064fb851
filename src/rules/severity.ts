/** Elastic's severities and the risk score each maps to when a rule gives none. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const DEFAULT_RISK: Readonly<Record<Severity, number>> = { low: 21, medium: 47, high: 73, critical: 99 };

export function defaultRiskScore(severity: string): number {
  return (SEVERITIES as readonly string[]).includes(severity) ? DEFAULT_RISK[severity as Severity] : DEFAULT_RISK.medium;
}
