/** The rule file formats the loader reads. */
export const RULE_FORMATS = ['detection-rules', 'protections-artifacts', 'eql'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];
