import { DEFAULT_LIST_LIMIT, type AlertFilter } from './alert-filter.js';

/** The WHERE clause of an AlertFilter (limit and order aside) and its named parameters. */
function filterWhere(filter: AlertFilter): { where: string; params: Record<string, unknown> } {
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
  return { where: where.length > 0 ? ' WHERE ' + where.join(' AND ') : '', params };
}

/**
 * Builds the SELECT for an AlertFilter: SQL text plus named parameters (never string-spliced values). A limit of
 * Infinity selects every match (export).
 */
export function listQuery(filter: AlertFilter): { sql: string; params: Record<string, unknown> } {
  const { where, params } = filterWhere(filter);
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  params.limit = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : -1;
  const order = filter.order === 'asc' ? 'ASC' : 'DESC';
  return { sql: `SELECT * FROM alerts${where} ORDER BY id ${order} LIMIT @limit`, params };
}

/** Counts the alerts an AlertFilter matches, whatever its limit. */
export function countQuery(filter: AlertFilter): { sql: string; params: Record<string, unknown> } {
  const { where, params } = filterWhere(filter);
  return { sql: `SELECT count(*) AS n FROM alerts${where}`, params };
}
