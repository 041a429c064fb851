import { DEFAULT_LIST_LIMIT, type AlertFilter } from './alert-filter.js';

/** Builds the SELECT for an AlertFilter: SQL text plus named parameters (never string-spliced values). */
export function listQuery(filter: AlertFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.sinceMs !== undefined) {
    where.push('time_ms >= @since');
    params.since = Math.floor(filter.sinceMs);
  }
  if (filter.rule !== undefined) {
    where.push("(rule_id = @rule OR instr(lower(rule_name), lower(@rule)) > 0)");
    params.rule = filter.rule;
  }
  if (filter.severity !== undefined) {
    where.push('lower(rule_severity) = lower(@severity)');
    params.severity = filter.severity;
  }
  if (filter.state !== undefined) {
    where.push('state = @state');
    params.state = filter.state;
  }
  if (filter.afterId !== undefined) {
    where.push('id > @afterId');
    params.afterId = filter.afterId;
  }
  params.limit = Math.max(0, Math.floor(filter.limit ?? DEFAULT_LIST_LIMIT));
  const order = filter.order === 'asc' ? 'ASC' : 'DESC';
  const sql = `SELECT * FROM alerts${where.length > 0 ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY id ${order} LIMIT @limit`;
  return { sql, params };
}
