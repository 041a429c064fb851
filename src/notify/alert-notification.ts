import type { Alert } from '../alerts/alert.js';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { Notification, Urgency } from './notification.js';
import { plainText } from './plain-text.js';
import type { Summary } from './rule-rate-limiter.js';

const getName = compileFieldGetter('process.name');
const getCommandLine = compileFieldGetter('process.command_line');
const getDestIp = compileFieldGetter('destination.ip');
const getDestPort = compileFieldGetter('destination.port');
const getDestDomain = compileFieldGetter('destination.domain');
const getAiAgent = compileFieldGetter('process.ai_agent.name');

/** The AI-agent session an alert belongs to (the activity journal's id), when known. */
export interface AiSessionRef {
  readonly id: number;
  readonly agent: string;
}

const URGENCY: Record<string, Urgency> = { low: 'low', medium: 'normal', high: 'critical', critical: 'critical' };

const first = (events: ReadonlyArray<EcsEvent | null>, pick: (e: EcsEvent) => unknown): string | null => {
  for (const e of events) {
    if (e === null) continue;
    const v = pick(e);
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s !== '') return s;
    if (typeof s === 'number') return String(s);
  }
  return null;
};

/**
 * The notification for one alert: the rule name as the title; severity and risk, the process (name and
 * command line of the first matched event that has one) and the destination (the first event with a
 * `destination.ip`) in the body, and the AI agent (and its journal session) when the alert is in one. High and critical rules are `critical` (they stay until dismissed).
 */
export function alertNotification(alert: Alert, session: AiSessionRef | null = null): Notification {
  const lines = [`Severity ${plainText(alert.rule.severity, 20)} (risk ${alert.rule.riskScore}) on ${plainText(alert.host.name, 64)}`];
  const name = first(alert.events, getName);
  const cmd = first(alert.events, getCommandLine);
  if (name !== null || cmd !== null) {
    lines.push(`Process: ${plainText(name ?? '?', 64)}${cmd !== null ? ' — ' + plainText(cmd, 200) : ''}`);
  }
  const ip = first(alert.events, getDestDomain) ?? first(alert.events, getDestIp);
  if (ip !== null) {
    const port = first(alert.events, getDestPort);
    lines.push(`Destination: ${plainText(ip, 100)}${port !== null ? ':' + plainText(port, 8) : ''}`);
  }
  // an alert in an AI-agent session names the agent, and the session when the journal linked it
  const agent = session?.agent ?? first(alert.events, getAiAgent);
  if (agent !== null) {
    lines.push(`AI agent: ${plainText(agent, 64)}${session !== null ? `, session ${session.id} (vigil ai show ${session.id})` : ''}`);
  }
  if (alert.lostEvents > 0) lines.push(`${alert.lostEvents} events lost during the match window`);
  lines.push(`vigil alerts show ${alert.id}`);
  return {
    title: `Vigil: ${plainText(alert.rule.name, 120, false)}`,
    body: lines.join('\n'),
    urgency: URGENCY[alert.rule.severity.toLowerCase()] ?? 'normal',
  };
}

/** The flood summary: "N more alerts of rule X". */
export function summaryNotification(summary: Summary): Notification {
  const s = summary.count === 1 ? '' : 's';
  return {
    title: `Vigil: ${summary.count} more alert${s} of rule ${plainText(summary.ruleName, 120, false)}`,
    body: `Notifications for this rule were rate-limited. See them with: vigil alerts list --rule "${plainText(summary.ruleName, 120)}"`,
    urgency: 'normal',
  };
}
