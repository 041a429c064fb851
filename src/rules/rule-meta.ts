/** A rule's metadata as alerts and notifications need it (the rules loader builds it from each format). */
export interface RuleMeta {
  /** `rule_id` (detection-rules), `id` (protections-artifacts), or a stable id derived from the file path (.eql). */
  readonly id: string;
  readonly name: string;
  /** `low` | `medium` | `high` | `critical` (as written by the rule; defaults to `medium`). */
  readonly severity: string;
  readonly riskScore: number;
  readonly tags: readonly string[];
  readonly description?: string;
  /** MITRE ATT&CK threat entries as the rule file writes them (plain JSON). */
  readonly threat: readonly unknown[];
  /** Where the rule came from. */
  readonly file: string;
  readonly version?: string;
  /**
   * The operating systems the rule declares (`linux` | `macos` | `windows`): protections-artifacts `os_list`,
   * detection-rules `OS: ...` tags, `.eql` `// os:` comment. Absent when the rule says nothing.
   */
  readonly osList?: readonly string[];
  /** protections-artifacts `[[actions]]` and `[[optional_actions]]` (plain JSON), for display only. */
  readonly actions?: readonly unknown[];
}
