import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { queueLoad } from '../flow/flow-state';
import { LiveEvents } from '../live/live-events.service';
import { AlertCondition, alertConditions, AlertSeverity, AlertThresholds, QueueFacts, RulesRow, thresholdsOf } from './alert-conditions';

/** Ticket alerts per queue and evaluation: beyond that a supervisor acts on the queue, not on each ticket. */
export const MAX_TICKET_ALERTS = 50;

export interface EvaluationResult {
  raised: number;
  resolved: number;
  open: number;
}

interface OpenAlertRow {
  id: string;
  dedup_key: string;
}

interface RaisedRow {
  id: string;
  kind: string;
  severity: AlertSeverity;
  details: { value: number; threshold: number };
  counter_id: string | null;
  ticket_id: string | null;
  raised_at: Date;
}

/**
 * Raises and resolves the alerts of a queue from its thresholds. Safe to run any number of times,
 * concurrently, or again after a crash (a replayed job):
 * - a transaction-scoped advisory lock per queue serialises evaluations, so each one reads the
 *   alerts the previous one committed and a stale reading cannot re-raise what was just resolved;
 * - the partial unique index on open dedup keys plus INSERT … ON CONFLICT DO NOTHING makes a second
 *   raise of the same open alert a no-op, whatever the locking;
 * - events are emitted only for rows this transaction inserted or resolved, and commit with them.
 */
@Injectable()
export class AlertEvaluator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  /** Queues with at least one threshold on an active queue, and queues with open alerts (so they get resolved). */
  async queuesToEvaluate(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT r.queue_id AS id FROM queue_alert_rules r JOIN queues q ON q.id = r.queue_id
        WHERE q.active AND num_nonnulls(r.max_waiting, r.max_longest_wait_minutes, r.max_estimated_wait_minutes,
                                        r.max_counter_idle_minutes, r.max_ticket_wait_minutes) > 0
       UNION
       SELECT queue_id FROM flow_alerts WHERE resolved_at IS NULL`,
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** null when the queue no longer exists. */
  async evaluate(queueId: string): Promise<EvaluationResult | null> {
    return this.live.transaction(async (manager, emit) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`flow_alerts:${queueId}`]);
      const [queue] = (await manager.query(
        `SELECT q.site_id, r.max_waiting, r.max_longest_wait_minutes, r.max_estimated_wait_minutes,
                r.max_counter_idle_minutes, r.max_ticket_wait_minutes
           FROM queues q LEFT JOIN queue_alert_rules r ON r.queue_id = q.id WHERE q.id = $1`,
        [queueId],
      )) as (RulesRow & { site_id: string })[];
      if (!queue) return null;
      const rules = thresholdsOf(queue);
      const wanted = alertConditions(queueId, rules, await this.facts(manager, queueId, rules));
      const open = (await manager.query(`SELECT id, dedup_key FROM flow_alerts WHERE queue_id = $1 AND resolved_at IS NULL`, [
        queueId,
      ])) as OpenAlertRow[];

      const openKeys = new Set(open.map((a) => a.dedup_key));
      const raised = await this.raise(
        manager,
        queue.site_id,
        queueId,
        wanted.filter((c) => !openKeys.has(c.dedupKey)),
      );
      for (const a of raised) {
        emit(queue.site_id, 'alert.raised', {
          alertId: a.id,
          queueId,
          counterId: a.counter_id,
          ticketId: a.ticket_id,
          kind: a.kind,
          severity: a.severity,
          value: a.details.value,
          threshold: a.details.threshold,
          raisedAt: a.raised_at.toISOString(),
        });
      }

      const wantedKeys = new Set(wanted.map((c) => c.dedupKey));
      const cleared = open.filter((a) => !wantedKeys.has(a.dedup_key)).map((a) => a.id);
      const resolved = cleared.length
        ? await rowsOf<{ id: string; kind: string; resolved_at: Date }>(
            manager,
            `UPDATE flow_alerts SET resolved_at = clock_timestamp() WHERE id = ANY($1::uuid[]) AND resolved_at IS NULL
             RETURNING id, kind, resolved_at`,
            [cleared],
          )
        : [];
      for (const a of resolved) {
        emit(queue.site_id, 'alert.resolved', { alertId: a.id, queueId, kind: a.kind, resolvedAt: a.resolved_at.toISOString() });
      }
      return { raised: raised.length, resolved: resolved.length, open: open.length + raised.length - resolved.length };
    });
  }

  private async facts(manager: EntityManager, queueId: string, rules: AlertThresholds): Promise<QueueFacts> {
    const load = await queueLoad(manager, queueId);
    const idleCounters =
      rules.maxCounterIdleMinutes === null || load.waiting === 0
        ? []
        : ((await manager.query(
            `SELECT a.counter_id AS "counterId", extract(epoch FROM now() - a.state_since)::int AS seconds
               FROM agent_sessions a JOIN counter_queues cq ON cq.counter_id = a.counter_id
              WHERE cq.queue_id = $1 AND a.closed_at IS NULL AND a.state IN ('available', 'paused')
                AND (a.queue_ids IS NULL OR $1 = ANY(a.queue_ids))`,
            [queueId],
          )) as QueueFacts['idleCounters']);
    // Oldest first, so the capped set keeps the tickets already alerted (they stay the oldest).
    const waitingTickets =
      rules.maxTicketWaitMinutes === null
        ? []
        : ((await manager.query(
            `SELECT id AS "ticketId", extract(epoch FROM now() - queued_at)::int AS seconds FROM tickets
              WHERE queue_id = $1 AND status = 'waiting' AND queued_at < now() - make_interval(mins => $2::int)
              ORDER BY queued_at, id LIMIT $3`,
            [queueId, rules.maxTicketWaitMinutes, MAX_TICKET_ALERTS],
          )) as QueueFacts['waitingTickets']);
    return { load, idleCounters, waitingTickets };
  }

  private async raise(manager: EntityManager, siteId: string, queueId: string, conditions: AlertCondition[]): Promise<RaisedRow[]> {
    if (conditions.length === 0) return [];
    return (await manager.query(
      `INSERT INTO flow_alerts (site_id, queue_id, counter_id, ticket_id, kind, severity, details, dedup_key, raised_at)
       SELECT $1, $2, x.counter_id, x.ticket_id, x.kind, x.severity, x.details, x.dedup_key, clock_timestamp()
         FROM jsonb_to_recordset($3::jsonb) AS x(counter_id uuid, ticket_id uuid, kind text, severity text, details jsonb, dedup_key text)
       ON CONFLICT (dedup_key) WHERE resolved_at IS NULL DO NOTHING
       RETURNING id, kind, severity, details, counter_id, ticket_id, raised_at`,
      [
        siteId,
        queueId,
        JSON.stringify(
          conditions.map((c) => ({
            counter_id: c.counterId,
            ticket_id: c.ticketId,
            kind: c.kind,
            severity: c.severity,
            details: { value: c.value, threshold: c.threshold, unit: c.unit },
            dedup_key: c.dedupKey,
          })),
        ),
      ],
    )) as RaisedRow[];
  }
}
