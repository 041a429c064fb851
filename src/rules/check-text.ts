import type { CheckReport, CheckRow } from './check-report.js';
import { formatDiagnostic } from './rule-diagnostic.js';

function coverageNote(r: CheckRow): string {
  const c = r.coverage;
  if (!c) return '';
  const lacks = [
    ...c.missing_categories.map((x) => `category ${x}`),
    ...c.missing_actions.map((x) => `event.action ${x}`),
    ...c.missing_types.map((x) => `event.type ${x}`),
    ...c.missing_fields,
  ];
  const os = c.targets_os ? '' : `; declared for other systems only: vigil run on ${c.os} skips it`;
  const f = c.open_filter;
  const opens =
    f === undefined || f === null || f.fully_covered
      ? ''
      : `; file opens not fully covered: ${[
          ...(f.unbounded_stages > 0 ? [`${f.unbounded_stages} stage(s) name no file path/name/extension (fed by the default sensitive list only)`] : []),
          ...(f.broad.length > 0 ? [`too broad for the kernel filter: ${f.broad.join(', ')}`] : []),
        ].join('; ')}`;
  return (c.can_fire ? `can fire on ${c.os}` : `cannot fire on ${c.os}: no ${lacks.join(', ')}`) + os + opens;
}

/** `vigil rules check --format text`: one line per rule, diagnostics under it, then the summary. */
export function formatCheckText(report: CheckReport): string {
  const out: string[] = [];
  for (const r of report.rules) {
    const label = r.name !== '' ? r.name : '(unnamed)';
    if (r.status === 'ok') {
      out.push(`ok      ${r.file}  ${label}  [${coverageNote(r)}]`);
      for (const d of r.diagnostics) out.push(`  warning: ${formatDiagnostic(d)}`);
    }
    else if (r.status === 'skipped') out.push(`skipped ${r.file}  ${label}  (${r.diagnostics[0]?.message ?? ''})`);
    else {
      out.push(`error   ${r.file}  ${label}`);
      for (const d of r.diagnostics) out.push(`  ${formatDiagnostic(d)}`);
    }
  }
  const s = report.summary;
  out.push('');
  out.push(`${s.rules} rule files: ${s.ok} ok, ${s.error} error, ${s.skipped} skipped`);
  out.push(`compiles: ${s.compiles}; on ${s.os}: can fire ${s.can_fire}, cannot fire ${s.cannot_fire}; declared for other systems only: ${s.other_os}`);
  if (s.os === 'linux') {
    const fileRules = report.rules.filter((r) => r.coverage?.can_fire === true && r.coverage.categories.includes('file')).length;
    if (fileRules > 0) out.push(`file rules: ${fileRules} of those that can fire need file events: the eBPF collector only (procfs cannot see files)`);
  }
  const skipped = Object.entries(s.skipped_by_reason).map(([k, n]) => `${k} ${n}`);
  if (skipped.length > 0) out.push(`skipped by reason: ${skipped.join(', ')}`);
  const errors = Object.entries(s.errors_by_code).map(([k, n]) => `${k} ${n}`);
  if (errors.length > 0) out.push(`errors by code: ${errors.join(', ')}`);
  if (s.top_missing_categories.length > 0) out.push(`top missing categories: ${s.top_missing_categories.map((x) => `${x.category} (${x.rules})`).join(', ')}`);
  if (s.top_missing_fields.length > 0) out.push(`top missing fields: ${s.top_missing_fields.map((x) => `${x.field} (${x.rules})`).join(', ')}`);
  return out.join('\n') + '\n';
}
