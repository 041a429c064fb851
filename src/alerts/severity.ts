/** Rule severities as Elastic writes them, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * ECS `event.severity` is numeric; Elastic's default mapping of rule severity to a number (the risk score
 * bands: low 21, medium 47, high 73, critical 99). Unknown severities map to medium.
 */
const NUMERIC: Record<Severity, number> = { low: 21, medium: 47, high: 73, critical: 99 };

export function severityNumber(severity: string): number {
  const s = severity.toLowerCase();
  return (SEVERITIES as readonly string[]).includes(s) ? NUMERIC[s as Severity] : NUMERIC.medium;
}
