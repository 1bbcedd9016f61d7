import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LiveEvent, LiveEventName, LiveEventPayloads } from '@guichet/live/events';
import { rooms as roomNames } from '@guichet/live/rooms';

/** Delivers committed events to sockets: the gateway in the API, a Redis emitter in the worker. */
export interface LivePublisher {
  publish(events: LiveEvent[]): void;
}
export const LIVE_PUBLISHER = Symbol('LIVE_PUBLISHER');

/**
 * `private: true` sends the event only to `extraRooms` (a user, the site's supervisors…), not to the
 * whole site: other subscribers then see a gap in `seq`, which is expected, and replays skip it for them.
 */
export interface EmitOptions {
  private?: boolean;
}

export type Emit = <N extends LiveEventName>(siteId: string, type: N, data: LiveEventPayloads[N], extraRooms?: string[], options?: EmitOptions) => void;

/** Replays longer than this are answered with "resync" rather than streamed. */
export const MAX_REPLAY = 500;

export interface PendingEvent {
  siteId: string;
  type: LiveEventName;
  rooms: string[];
  data: unknown;
}

/**
 * Transactions that announce themselves: `transaction(work)` gives `work` an `emit` that queues
 * events; just before commit they get their per-site seq and are stored; after commit they are
 * published. If publishing fails, clients see a gap and replay from the log, so nothing is lost.
 */
@Injectable()
export class LiveEvents {
  private readonly logger = new Logger('LiveEvents');
  private readonly listeners: ((events: LiveEvent[]) => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LIVE_PUBLISHER) private readonly publisher: LivePublisher,
  ) {}

  async transaction<T>(work: (manager: EntityManager, emit: Emit) => Promise<T>): Promise<T> {
    let stored: LiveEvent[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const { emit, pending } = eventCollector();
      const value = await work(manager, emit);
      stored = await storeEvents(manager, pending);
      return value;
    });
    this.publish(stored);
    return result;
  }

  /** The last seq of a site; read it in the same transaction as a snapshot so both agree. */
  async currentSeq(siteId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = (await manager.query(`SELECT seq FROM site_event_counters WHERE site_id = $1`, [siteId])) as { seq: string }[];
    return row ? Number(row.seq) : 0;
  }

  /**
   * Events of a site after `afterSeq`, in order; null when they cannot all be served (purged or
   * too many), in which case the client must re-read the snapshot.
   */
  async replay(siteId: string, afterSeq: number): Promise<LiveEvent[] | null> {
    const current = await this.currentSeq(siteId);
    if (afterSeq >= current) return [];
    if (current - afterSeq > MAX_REPLAY) return null;
    const rows = (await this.dataSource.query(
      `SELECT site_id, seq, type, rooms, data, at FROM live_events WHERE site_id = $1 AND seq > $2 ORDER BY seq`,
      [siteId, afterSeq],
    )) as { site_id: string; seq: string; type: LiveEventName; rooms: string[]; data: LiveEventPayloads[LiveEventName]; at: Date }[];
    if (rows.length === 0 || Number(rows[0].seq) !== afterSeq + 1) return null;
    return rows.map((r) => ({ siteId: r.site_id, seq: Number(r.seq), type: r.type, rooms: r.rooms, data: r.data, at: r.at.toISOString() }));
  }

  publish(events: LiveEvent[]): void {
    if (events.length === 0) return;
    try {
      this.publisher.publish(events);
    } catch (error) {
      this.logger.warn({ err: error }, 'Live publish failed; clients will replay from the log');
    }
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.logger.warn({ err: error }, 'Live event listener failed');
      }
    }
  }

  /** Lets other modules react to committed changes (e.g. re-evaluate flow alerts) without coupling to each service. */
  onCommitted(listener: (events: LiveEvent[]) => void): void {
    this.listeners.push(listener);
  }
}

/** An `emit` that queues events (site room first, unless private) until `storeEvents` numbers them. */
export function eventCollector(): { emit: Emit; pending: PendingEvent[] } {
  const pending: PendingEvent[] = [];
  const emit: Emit = (siteId, type, data, extraRooms = [], options = {}) => {
    if (options.private && extraRooms.length === 0) throw new Error(`private live event ${type} needs at least one room`);
    pending.push({ siteId, type, data, rooms: options.private ? [...extraRooms] : [roomNames.site(siteId), ...extraRooms] });
  };
  return { emit, pending };
}

/** One statement per site: bump the counter by the batch size and insert the numbered events. */
export async function storeEvents(manager: Pick<EntityManager, 'query'>, pending: PendingEvent[]): Promise<LiveEvent[]> {
  const bySite = new Map<string, PendingEvent[]>();
  for (const event of pending) bySite.set(event.siteId, [...(bySite.get(event.siteId) ?? []), event]);
  const stored: LiveEvent[] = [];
  // Sorted so that two transactions touching the same sites lock the counters in the same order.
  for (const siteId of [...bySite.keys()].sort()) {
    const events = bySite.get(siteId)!;
    const rows = (await manager.query(
      `WITH c AS (
         INSERT INTO site_event_counters (site_id, seq) VALUES ($1, $2)
         ON CONFLICT (site_id) DO UPDATE SET seq = site_event_counters.seq + $2
         RETURNING seq
       )
       INSERT INTO live_events (site_id, seq, type, rooms, data, at)
       SELECT $1, c.seq - $2 + e.ord, e.type, e.rooms, e.data, now()
         FROM c, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x(ev, ord),
              LATERAL (SELECT x.ord, x.ev->>'type' AS type,
                              ARRAY(SELECT jsonb_array_elements_text(x.ev->'rooms')) AS rooms,
                              x.ev->'data' AS data) e
       RETURNING seq, type, rooms, data, at`,
      [siteId, events.length, JSON.stringify(events.map((e) => ({ type: e.type, rooms: e.rooms, data: e.data })))],
    )) as { seq: string; type: LiveEventName; rooms: string[]; data: LiveEventPayloads[LiveEventName]; at: Date }[];
    rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    stored.push(...rows.map((r) => ({ siteId, seq: Number(r.seq), type: r.type, rooms: r.rooms, data: r.data, at: r.at.toISOString() })));
  }
  return stored;
}
