import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LiveEvent } from '@guichet/live/events';
import { rooms } from '@guichet/live/rooms';
import { LiveEvents } from '../live/live-events.service';
import { queueLoad, toQueueStats } from './flow-state';

/** How long changes of a queue are gathered before its figures are recomputed and announced. */
export const QUEUE_STATS_DEBOUNCE_MS = 250;

/**
 * Announces `queue.stats` after ticket and counter changes, outside their transactions: the
 * figures scan the queue's waiting tickets, which is too slow to do inside every call-next while
 * fifty agents work the same queue. Changes are gathered per queue for a quarter of a second, so
 * a busy queue is recomputed a few times a second at most. The figures are derived data: a lost
 * refresh only delays them, and the snapshot always computes them afresh.
 */
@Injectable()
export class QueueStatsRefresher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('QueueStatsRefresher');
  private readonly pending = new Map<string, { siteId: string; timer: NodeJS.Timeout }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  onModuleInit(): void {
    this.live.onCommitted((events) => void this.collect(events));
  }

  onModuleDestroy(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private async collect(events: LiveEvent[]): Promise<void> {
    const touched = new Map<string, string>();
    const counters = new Map<string, string>();
    for (const event of events) {
      const data = event.data as { queueId?: string; fromQueueId?: string; counterId?: string };
      if (event.type.startsWith('ticket.')) {
        if (data.queueId) touched.set(data.queueId, event.siteId);
        if (data.fromQueueId) touched.set(data.fromQueueId, event.siteId);
      } else if (event.type === 'counter.state' && data.counterId) {
        counters.set(data.counterId, event.siteId); // an agent opening or pausing changes the waits of its queues
      }
    }
    if (counters.size) {
      try {
        const rows = (await this.dataSource.query(`SELECT counter_id, queue_id FROM counter_queues WHERE counter_id = ANY($1::uuid[])`, [
          [...counters.keys()],
        ])) as { counter_id: string; queue_id: string }[];
        for (const row of rows) touched.set(row.queue_id, counters.get(row.counter_id) as string);
      } catch (error) {
        this.logger.warn({ err: error }, 'Could not find the queues of changed counters');
      }
    }
    for (const [queueId, siteId] of touched) this.schedule(queueId, siteId);
  }

  private schedule(queueId: string, siteId: string): void {
    if (this.pending.has(queueId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(queueId);
      this.refresh(queueId, siteId).catch((error: unknown) => this.logger.warn({ err: error, queueId }, 'Queue figures not refreshed'));
    }, QUEUE_STATS_DEBOUNCE_MS);
    timer.unref();
    this.pending.set(queueId, { siteId, timer });
  }

  private async refresh(queueId: string, siteId: string): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      emit(siteId, 'queue.stats', toQueueStats(queueId, await queueLoad(manager, queueId)), [rooms.queue(queueId)]);
    });
  }
}
