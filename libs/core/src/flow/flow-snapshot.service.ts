import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CounterState, QueueStats } from '@guichet/live/events';
import { NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { LiveEvents } from '../live/live-events.service';
import { counterState, queueLoad, toQueueStats } from './flow-state';

export interface FlowSnapshot {
  siteId: string;
  /** The seq of the last event included: continue the live stream from here. */
  seq: number;
  at: string;
  queues: (QueueStats & { id: string; name: string; prefix: string; active: boolean; serviceId: string })[];
  counters: CounterState[];
  lastCalls: { ticketId: string; number: string; queueId: string; counterId: string; counterName: string; calledAt: string; recallCount: number }[];
}

export interface AccuracyRow {
  day: string;
  tickets: number;
  /** Mean absolute error between the estimate given at issuance and the real wait until the first call. */
  meanAbsoluteErrorSeconds: number;
  meanEstimateSeconds: number;
  meanActualSeconds: number;
}

/** Read models of the flow: the live snapshot a console starts from, and estimate accuracy. */
@Injectable()
export class FlowSnapshotService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  /**
   * Read in one REPEATABLE READ transaction together with the site's seq, so the snapshot is
   * exactly the state after event `seq` and a client can apply later events on top of it.
   */
  async snapshot(principal: Principal, siteId: string): Promise<FlowSnapshot> {
    if (!principal.siteIds.includes(siteId)) throw new NotFoundError('Site', siteId);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const seq = await this.live.currentSeq(siteId, manager);
      const queueRows = (await manager.query(
        `SELECT id, name, prefix, active, service_id FROM queues WHERE site_id = $1 ORDER BY prefix`,
        [siteId],
      )) as { id: string; name: string; prefix: string; active: boolean; service_id: string }[];
      const queues = [];
      for (const q of queueRows) {
        queues.push({ id: q.id, name: q.name, prefix: q.prefix, active: q.active, serviceId: q.service_id, ...toQueueStats(q.id, await queueLoad(manager, q.id)) });
      }
      const counterIds = (await manager.query(`SELECT id FROM counters WHERE site_id = $1 AND active ORDER BY name`, [siteId])) as { id: string }[];
      const counters = [];
      for (const { id } of counterIds) counters.push(await counterState(manager, id));
      const calls = (await manager.query(
        `SELECT t.id, t.number, t.queue_id, t.counter_id, c.name AS counter_name, t.called_at, t.recall_count
           FROM tickets t JOIN counters c ON c.id = t.counter_id
          WHERE t.site_id = $1 AND t.status IN ('called', 'serving') 
          ORDER BY t.called_at DESC LIMIT 10`,
        [siteId],
      )) as { id: string; number: string; queue_id: string; counter_id: string; counter_name: string; called_at: Date; recall_count: number }[];
      return {
        siteId,
        seq,
        at: new Date().toISOString(),
        queues,
        counters,
        lastCalls: calls.map((c) => ({
          ticketId: c.id,
          number: c.number,
          queueId: c.queue_id,
          counterId: c.counter_id,
          counterName: c.counter_name,
          calledAt: c.called_at.toISOString(),
          recallCount: c.recall_count,
        })),
      };
    });
  }

  /** Per day of the site's calendar, how far the estimates given at issuance were from the real waits. */
  async estimateAccuracy(principal: Principal, queueId: string, from: string, to: string): Promise<AccuracyRow[]> {
    const [queue] = (await this.dataSource.query(`SELECT site_id FROM queues WHERE id = $1`, [queueId])) as { site_id: string }[];
    if (!queue || !principal.siteIds.includes(queue.site_id)) throw new NotFoundError('Queue', queueId);
    const rows = (await this.dataSource.query(
      `SELECT business_day::text AS day, count(*)::int AS tickets,
              avg(abs(estimated_wait_seconds - extract(epoch FROM first_called_at - arrived_at)))::float8 AS mae,
              avg(estimated_wait_seconds)::float8 AS estimate,
              avg(extract(epoch FROM first_called_at - arrived_at))::float8 AS actual
         FROM tickets
        WHERE queue_id = $1 AND business_day BETWEEN $2::date AND $3::date
          AND first_called_at IS NOT NULL AND estimated_wait_seconds IS NOT NULL AND transferred_from_queue_id IS NULL
        GROUP BY business_day ORDER BY business_day`,
      [queueId, from, to],
    )) as { day: string; tickets: number; mae: number; estimate: number; actual: number }[];
    return rows.map((r) => ({
      day: r.day,
      tickets: r.tickets,
      meanAbsoluteErrorSeconds: Math.round(r.mae),
      meanEstimateSeconds: Math.round(r.estimate),
      meanActualSeconds: Math.round(r.actual),
    }));
  }
}
