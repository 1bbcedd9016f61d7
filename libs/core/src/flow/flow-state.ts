import { EntityManager } from 'typeorm';
import type { CounterState, QueueStats, TicketCall, TicketSummary } from '@guichet/live/events';
import { DEFAULT_SERVICE_SECONDS, estimateWaitSeconds } from './ordering';

/** How many recent services the rolling mean uses, and how far back it looks. */
const SERVICE_SAMPLE = 20;
const SERVICE_LOOKBACK_DAYS = 14;

export interface QueueLoad {
  waiting: number;
  longestWaitSeconds: number;
  meanServiceSeconds: number;
  openCounters: number;
}

export interface ServiceCapacity {
  meanServiceSeconds: number;
  openCounters: number;
}

export interface QueueLoad extends ServiceCapacity {
  waiting: number;
  longestWaitSeconds: number;
}

/**
 * How fast a queue is served: rolling mean service time (call to end, last 20 tickets of 14 days,
 * through the index of done tickets) and counters open on it (available or serving). Cheap: no
 * scan of the waiting tickets, so hot paths (issuance) can afford it.
 */
export async function serviceCapacity(manager: Pick<EntityManager, 'query'>, queueId: string): Promise<ServiceCapacity> {
  const [row] = (await manager.query(
    `SELECT
       (SELECT avg(extract(epoch FROM d.ended_at - d.called_at))::float8
          FROM (SELECT ended_at, called_at FROM tickets
                 WHERE queue_id = $1 AND status = 'done' AND called_at IS NOT NULL
                   AND ended_at > now() - make_interval(days => $2)
                 ORDER BY ended_at DESC LIMIT $3) d) AS mean_service,
       (SELECT count(*)::int FROM agent_sessions a JOIN counter_queues cq ON cq.counter_id = a.counter_id
         WHERE cq.queue_id = $1 AND a.closed_at IS NULL AND a.state IN ('available', 'serving')
           AND (a.queue_ids IS NULL OR $1 = ANY(a.queue_ids))) AS open_counters`,
    [queueId, SERVICE_LOOKBACK_DAYS, SERVICE_SAMPLE],
  )) as { mean_service: number | null; open_counters: number }[];
  return {
    meanServiceSeconds: row.mean_service && row.mean_service > 0 ? row.mean_service : DEFAULT_SERVICE_SECONDS,
    openCounters: row.open_counters,
  };
}

/** The figures of a queue: waiting count and longest wait (one pass over its waiting tickets) and its capacity. */
export async function queueLoad(manager: Pick<EntityManager, 'query'>, queueId: string): Promise<QueueLoad> {
  const [[waiting], capacity] = await Promise.all([
    manager.query(
      `SELECT count(*)::int AS waiting, coalesce(extract(epoch FROM now() - min(queued_at)), 0)::int AS longest
         FROM tickets WHERE queue_id = $1 AND status = 'waiting'`,
      [queueId],
    ) as Promise<{ waiting: number; longest: number }[]>,
    serviceCapacity(manager, queueId),
  ]);
  return { waiting: waiting.waiting, longestWaitSeconds: Math.max(0, waiting.longest), ...capacity };
}

export function toQueueStats(queueId: string, load: QueueLoad): QueueStats {
  return {
    queueId,
    waiting: load.waiting,
    longestWaitSeconds: load.longestWaitSeconds,
    estimatedWaitSeconds: estimateWaitSeconds(load.waiting, load.meanServiceSeconds, load.openCounters),
  };
}

export interface TicketRow {
  id: string;
  site_id: string;
  queue_id: string;
  number: string;
  channel: string;
  visitor_id: string | null;
  needs: string[];
  priority_class: string;
  appointment_id: string | null;
  request_id: string | null;
  status: string;
  arrived_at: Date;
  queued_at: Date;
  sort_key: Date;
  counter_id: string | null;
  agent_user_id: string | null;
  called_at: Date | null;
  first_called_at: Date | null;
  recall_count: number;
  started_at: Date | null;
  ended_at: Date | null;
  estimated_wait_seconds: number | null;
  public_token: string;
  transferred_from_queue_id: string | null;
  business_day: string;
  version: number;
}

export function ticketSummary(t: TicketRow): TicketSummary {
  return {
    ticketId: t.id,
    number: t.number,
    queueId: t.queue_id,
    status: t.status,
    priorityClass: t.priority_class,
    needs: t.needs,
    counterId: t.counter_id,
  };
}

export function ticketCall(t: TicketRow, counterName: string): TicketCall {
  return { ...ticketSummary(t), counterId: t.counter_id as string, counterName, recallCount: t.recall_count };
}

/** The live state of one counter (its open session, if any, and the ticket it holds). */
export async function counterState(manager: EntityManager, counterId: string): Promise<CounterState> {
  const [row] = (await manager.query(
    `SELECT c.id, c.name, s.id AS session_id, s.user_id, u.display_name, s.state, s.pause_reason, s.state_since,
            (SELECT t.id FROM tickets t WHERE t.counter_id = c.id AND t.status IN ('called', 'serving')) AS ticket_id
       FROM counters c
       LEFT JOIN agent_sessions s ON s.counter_id = c.id AND s.closed_at IS NULL
       LEFT JOIN users u ON u.id = s.user_id
      WHERE c.id = $1`,
    [counterId],
  )) as {
    id: string;
    name: string;
    session_id: string | null;
    user_id: string | null;
    display_name: string | null;
    state: CounterState['state'] | null;
    pause_reason: string | null;
    state_since: Date | null;
    ticket_id: string | null;
  }[];
  return {
    counterId: row.id,
    counterName: row.name,
    sessionId: row.session_id,
    agentUserId: row.user_id,
    agentName: row.display_name,
    state: row.state ?? 'closed',
    pauseReason: row.pause_reason,
    since: (row.state_since ?? new Date()).toISOString(),
    currentTicketId: row.ticket_id,
  };
}
