import { QueueLoad, toQueueStats } from '../flow/flow-state';

/** Never rename a kind: it is stored in flow_alerts and in dedup keys, and consoles switch on it. */
export const ALERT_KINDS = ['waiting_count', 'longest_wait', 'estimated_wait', 'counter_idle', 'ticket_wait'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSeverity = 'warning' | 'critical';
/** waiting_count counts tickets; every other kind measures seconds. */
export type AlertUnit = 'tickets' | 'seconds';

/** Per-queue thresholds; null turns a check off. An alert is raised when the value goes strictly above. */
export interface AlertThresholds {
  maxWaiting: number | null;
  maxLongestWaitMinutes: number | null;
  maxEstimatedWaitMinutes: number | null;
  /** A counter open on the queue, available or paused, while tickets wait. */
  maxCounterIdleMinutes: number | null;
  /** Any single ticket waiting that long. */
  maxTicketWaitMinutes: number | null;
}

/** queue_alert_rules as stored (every column null when the queue has no row). */
export interface RulesRow {
  max_waiting: number | null;
  max_longest_wait_minutes: number | null;
  max_estimated_wait_minutes: number | null;
  max_counter_idle_minutes: number | null;
  max_ticket_wait_minutes: number | null;
}

export function thresholdsOf(row: RulesRow): AlertThresholds {
  return {
    maxWaiting: row.max_waiting,
    maxLongestWaitMinutes: row.max_longest_wait_minutes,
    maxEstimatedWaitMinutes: row.max_estimated_wait_minutes,
    maxCounterIdleMinutes: row.max_counter_idle_minutes,
    maxTicketWaitMinutes: row.max_ticket_wait_minutes,
  };
}

/** What the evaluator reads about a queue, in one transaction. */
export interface QueueFacts {
  load: QueueLoad;
  /** Open sessions serving the queue in state available or paused, with seconds spent in that state. */
  idleCounters: { counterId: string; seconds: number }[];
  /** Waiting tickets with seconds since they joined the queue (the evaluator reads only the overdue ones). */
  waitingTickets: { ticketId: string; seconds: number }[];
}

/** A condition that holds now; at most one unresolved alert exists per dedupKey. */
export interface AlertCondition {
  kind: AlertKind;
  dedupKey: string;
  counterId: string | null;
  ticketId: string | null;
  severity: AlertSeverity;
  value: number;
  threshold: number;
  unit: AlertUnit;
}

/** `<kind>:<queueId>[:<counterId|ticketId>]`: one open alert per queue, or per counter or ticket of the queue. */
export function dedupKey(kind: AlertKind, queueId: string, subjectId?: string): string {
  return subjectId ? `${kind}:${queueId}:${subjectId}` : `${kind}:${queueId}`;
}

/** Twice the threshold (or 2 when the threshold is 0) is critical. Fixed at raise time. */
export function severityOf(value: number, threshold: number): AlertSeverity {
  return value >= 2 * Math.max(threshold, 1) ? 'critical' : 'warning';
}

/** The conditions that hold for a queue, given its thresholds and facts. Pure: the evaluator reconciles them with the open alerts. */
export function alertConditions(queueId: string, rules: AlertThresholds, facts: QueueFacts): AlertCondition[] {
  const stats = toQueueStats(queueId, facts.load);
  const conditions: AlertCondition[] = [];
  const check = (kind: AlertKind, value: number, threshold: number | null, unit: AlertUnit, subject: { counterId?: string; ticketId?: string } = {}) => {
    if (threshold === null || value <= threshold) return;
    conditions.push({
      kind,
      dedupKey: dedupKey(kind, queueId, subject.counterId ?? subject.ticketId),
      counterId: subject.counterId ?? null,
      ticketId: subject.ticketId ?? null,
      severity: severityOf(value, threshold),
      value,
      threshold,
      unit,
    });
  };
  const seconds = (minutes: number | null) => (minutes === null ? null : minutes * 60);

  check('waiting_count', stats.waiting, rules.maxWaiting, 'tickets');
  check('longest_wait', stats.longestWaitSeconds, seconds(rules.maxLongestWaitMinutes), 'seconds');
  check('estimated_wait', stats.estimatedWaitSeconds, seconds(rules.maxEstimatedWaitMinutes), 'seconds');
  if (stats.waiting > 0) {
    for (const counter of facts.idleCounters) {
      // Idle "while tickets wait": an agent available since 9:00 is not idle for a ticket that came at 9:55.
      const idle = Math.min(counter.seconds, stats.longestWaitSeconds);
      check('counter_idle', idle, seconds(rules.maxCounterIdleMinutes), 'seconds', { counterId: counter.counterId });
    }
  }
  for (const ticket of facts.waitingTickets) {
    check('ticket_wait', ticket.seconds, seconds(rules.maxTicketWaitMinutes), 'seconds', { ticketId: ticket.ticketId });
  }
  return conditions;
}
