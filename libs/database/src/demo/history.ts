import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { DEFAULT_BONUSES, orderTicket, PriorityBonuses, PriorityClass } from '@guichet/core/flow/ordering';
import { Closure, isClosedOn, toMinutes, WEEKDAYS, WeeklyHours } from '@guichet/core/organisation/opening-hours';

/**
 * Realistic past tickets, so the demo and the tests have statistics and forecasts to show.
 *
 * Arrivals are a Poisson process per minute of opening: a base rate, times a weekday factor
 * (Monday busiest), times a burst that fades after each opening (the crowd at the door in the
 * morning, the lunch-break visitors after the midday closure), lower in the afternoon and in the
 * last half hour. The counters are then simulated first come, first served: a visitor whose wait
 * outlasts their patience leaves (cancelled), a few never answer the call (no-show after two
 * recalls), the rest are served in a lognormal time of 3 to 12 minutes.
 *
 * Deterministic: each queue and day draws from its own PRNG seeded by (seed, queue prefix, date),
 * so the same options give the same history, whichever days are skipped. Only the public tokens
 * are random: they are secrets of the follow-up page, never to be guessable.
 */

/** Anything that runs SQL: a pg Client (answers `{rows}`) or a TypeORM DataSource or EntityManager (answers rows). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface HistoryOptions {
  siteId: string;
  queueIds: readonly string[];
  /** Whole weeks before today (the site's today), 1 to 52. */
  weeks: number;
  seed: number;
  /** Off-peak arrivals per hour on an ordinary weekday, for every queue or per queue id (default 8). */
  arrivalsPerHour?: number | Readonly<Record<string, number>>;
  /** History stops the site-local day before this instant (default: now). */
  now?: Date;
}

export interface HistoryResult {
  tickets: number;
  /** Queue-days generated. */
  days: number;
  /** Queue-days left alone because they already had tickets (the generator never mixes with real ones). */
  skippedDays: number;
}

export interface QueuePlan {
  id: string;
  prefix: string;
  /** Effective hours of the queue (its own, else its service's, else its site's). */
  hours: WeeklyHours | null;
  dailyCap: number | null;
  bonuses: PriorityBonuses;
  arrivalsPerHour: number;
}

export type HistoryStatus = 'done' | 'no_show' | 'cancelled';

export interface HistoryTicket {
  queueId: string;
  businessDay: string;
  seqNumber: number;
  number: string;
  channel: 'kiosk' | 'desk' | 'web' | 'mobile';
  needs: string[];
  priorityClass: PriorityClass;
  status: HistoryStatus;
  arrivedAt: Date;
  sortKey: Date;
  firstCalledAt: Date | null;
  calledAt: Date | null;
  recallCount: number;
  startedAt: Date | null;
  endedAt: Date;
}

const DEFAULT_ARRIVALS_PER_HOUR = 8;
/** Monday to Sunday. */
const WEEKDAY_FACTOR = [1.35, 1, 1.05, 0.95, 1, 1.15, 1];
/** Extra arrival rate just after each opening, as a multiple of the base rate, fading with this time constant. */
const OPENING_BURST = 6;
const BURST_FADE_MINUTES = 20;
const AFTERNOON_FACTOR = 0.85;
const LAST_HALF_HOUR_FACTOR = 0.6;
/** Counters open: the off-peak load keeps them this busy (agents do back-office work too); the rushes still make a queue. */
const TARGET_UTILISATION = 0.45;
const SERVICE_MEDIAN_SECONDS = 360;
const SERVICE_SIGMA = 0.35;
const SERVICE_MIN_SECONDS = 180;
const SERVICE_MAX_SECONDS = 720;
const NO_SHOW_SHARE = 0.05;
const RECALLS_BEFORE_NO_SHOW = 2;
/** Patience: at least this, plus an exponential extra of this mean; a few leave early whatever the wait. */
const PATIENCE_MIN_SECONDS = 900;
const PATIENCE_MEAN_EXTRA_SECONDS = 3600;
const EARLY_LEAVE_SHARE = 0.02;
const PRIORITY_NEEDS = ['reduced_mobility', 'hearing', 'sight', 'accompanied_child'] as const;
const NEEDS_SHARE = 0.06;
const INSERT_CHUNK = 5000;
const MINUTE_MS = 60_000;

export async function generateHistory(db: SqlRunner, options: HistoryOptions): Promise<HistoryResult> {
  if (!Number.isInteger(options.weeks) || options.weeks < 1 || options.weeks > 52) throw new RangeError('weeks must be an integer from 1 to 52');
  const queueIds = [...new Set(options.queueIds)];
  const [site] = await select<{ time_zone: string; closures: Closure[] | null }>(db, `SELECT time_zone, closures FROM sites WHERE id = $1`, [options.siteId]);
  if (!site) throw new Error(`site ${options.siteId} not found`);
  const rows = await select<{ id: string; prefix: string; daily_cap: number | null; priority_bonuses: Partial<PriorityBonuses> | null; hours: WeeklyHours | null }>(
    db,
    `SELECT q.id, q.prefix, q.daily_cap, q.priority_bonuses, coalesce(q.opening_hours, sv.opening_hours, s.opening_hours) AS hours
       FROM queues q JOIN services sv ON sv.id = q.service_id JOIN sites s ON s.id = q.site_id
      WHERE q.site_id = $1 AND q.id = ANY($2::uuid[])`,
    [options.siteId, queueIds],
  );
  if (rows.length !== queueIds.length) throw new Error('every queue must exist and belong to the site');

  const today = DateTime.fromJSDate(options.now ?? new Date(), { zone: site.time_zone }).startOf('day');
  const days = Array.from({ length: 7 * options.weeks }, (_, i) => today.minus({ days: 7 * options.weeks - i }).toISODate() as string);
  const taken = await select<{ queue_id: string; day: string }>(
    db,
    `SELECT DISTINCT queue_id, business_day::text AS day FROM tickets
      WHERE queue_id = ANY($1::uuid[]) AND business_day BETWEEN $2::date AND $3::date`,
    [queueIds, days[0], days[days.length - 1]],
  );
  const takenDays = new Set(taken.map((t) => `${t.queue_id}|${t.day}`));
  const rates = options.arrivalsPerHour ?? DEFAULT_ARRIVALS_PER_HOUR;
  const queues: QueuePlan[] = queueIds.map((id) => {
    const row = rows.find((r) => r.id === id) as (typeof rows)[number];
    return {
      id,
      prefix: row.prefix,
      hours: row.hours,
      dailyCap: row.daily_cap,
      bonuses: { ...DEFAULT_BONUSES, ...(row.priority_bonuses ?? {}) },
      arrivalsPerHour: typeof rates === 'number' ? rates : (rates[id] ?? DEFAULT_ARRIVALS_PER_HOUR),
    };
  });

  const tickets = planHistory({
    timeZone: site.time_zone,
    closures: site.closures ?? [],
    queues,
    days,
    seed: options.seed,
    skip: (queueId, day) => takenDays.has(`${queueId}|${day}`),
  });
  for (let start = 0; start < tickets.length; start += INSERT_CHUNK) {
    await insertTickets(db, options.siteId, tickets.slice(start, start + INSERT_CHUNK));
  }
  // Keep the per-day numbering counters in step, as issuance would have left them.
  const last = new Map<string, number>();
  for (const t of tickets) last.set(`${t.queueId}|${t.businessDay}`, Math.max(last.get(`${t.queueId}|${t.businessDay}`) ?? 0, t.seqNumber));
  const keys = [...last.keys()];
  if (keys.length > 0) {
    await db.query(
      `INSERT INTO queue_day_counters (queue_id, day, last_number)
       SELECT * FROM unnest($1::uuid[], $2::date[], $3::int[])
       ON CONFLICT (queue_id, day) DO UPDATE SET last_number = GREATEST(queue_day_counters.last_number, EXCLUDED.last_number)`,
      [keys.map((k) => k.split('|')[0]), keys.map((k) => k.split('|')[1]), keys.map((k) => last.get(k))],
    );
  }
  return { tickets: tickets.length, days: keys.length, skippedDays: takenDays.size };
}

/** The tickets of every queue on every listed day the queue was open; pure, for the tests. */
export function planHistory(input: {
  timeZone: string;
  closures: readonly Closure[];
  queues: readonly QueuePlan[];
  /** Site-local ISO dates. */
  days: readonly string[];
  seed: number;
  skip?: (queueId: string, day: string) => boolean;
}): HistoryTicket[] {
  const out: HistoryTicket[] = [];
  for (const queue of input.queues) {
    for (const day of input.days) {
      if (isClosedOn(input.closures, day) || input.skip?.(queue.id, day)) continue;
      out.push(...simulateDay(queue, day, input.timeZone, seededRandom(`${input.seed}|${queue.prefix}|${day}`)));
    }
  }
  return out;
}

function simulateDay(queue: QueuePlan, day: string, timeZone: string, random: () => number): HistoryTicket[] {
  const date = DateTime.fromISO(day, { zone: timeZone });
  const intervals = (queue.hours?.[WEEKDAYS[date.weekday - 1]] ?? []).map((i) => ({ open: toMinutes(i.open), close: toMinutes(i.close) }));
  if (intervals.length === 0) return [];
  const instant = (minuteOfDay: number): number =>
    date.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second: 0, millisecond: 0 }).toMillis();

  // Arrivals, minute by minute of wall-clock time.
  const perMinute = (queue.arrivalsPerHour * WEEKDAY_FACTOR[date.weekday - 1]) / 60;
  const lastClose = intervals[intervals.length - 1].close;
  const arrivals: number[] = [];
  for (const interval of intervals) {
    const part = interval.open >= 12 * 60 ? AFTERNOON_FACTOR : 1;
    const openMs = instant(interval.open);
    // Elapsed minutes are wall-clock minutes unless the clocks change inside the interval (at night):
    // only then pay for a time-zone conversion per minute.
    const steady = instant(interval.close - 1) - openMs === (interval.close - 1 - interval.open) * MINUTE_MS;
    for (let minute = interval.open; minute < interval.close; minute++) {
      const tail = minute >= lastClose - 30 ? LAST_HALF_HOUR_FACTOR : 1;
      const rate = perMinute * part * tail * (1 + OPENING_BURST * Math.exp(-(minute - interval.open) / BURST_FADE_MINUTES));
      const start = steady ? openMs + (minute - interval.open) * MINUTE_MS : instant(minute);
      for (let n = poisson(rate, random); n > 0; n--) arrivals.push(start + Math.floor(random() * MINUTE_MS));
    }
  }
  arrivals.sort((a, b) => a - b);
  if (queue.dailyCap !== null) arrivals.splice(queue.dailyCap);

  const meanService = SERVICE_MEDIAN_SECONDS * Math.exp((SERVICE_SIGMA * SERVICE_SIGMA) / 2);
  const counters = Math.max(1, Math.ceil((queue.arrivalsPerHour * meanService) / 3600 / TARGET_UTILISATION));
  const freeAt = Array.from({ length: counters }, () => instant(intervals[0].open));
  return arrivals.map((arrivedMs, index) => {
    const needs = random() < NEEDS_SHARE ? [PRIORITY_NEEDS[Math.floor(random() * PRIORITY_NEEDS.length)]] : [];
    const arrivedAt = new Date(arrivedMs);
    const ordering = orderTicket({ arrivedAt, needs }, queue.bonuses);
    const seqNumber = index + 1;
    const base = {
      queueId: queue.id,
      businessDay: day,
      seqNumber,
      number: `${queue.prefix}${String(seqNumber).padStart(3, '0')}`,
      channel: pickChannel(random()),
      needs,
      priorityClass: ordering.priorityClass,
      arrivedAt,
      sortKey: ordering.sortKey,
    };
    const counter = freeAt.indexOf(Math.min(...freeAt));
    // The agent clicks "next" a few seconds after the counter frees up (or after the arrival).
    const callMs = Math.max(arrivedMs, freeAt[counter]) + seconds(5 + random() * 25);
    const patienceMs = random() < EARLY_LEAVE_SHARE ? seconds(60 + random() * 540) : seconds(PATIENCE_MIN_SECONDS - PATIENCE_MEAN_EXTRA_SECONDS * Math.log(1 - random()));
    if (callMs - arrivedMs > patienceMs) {
      return { ...base, status: 'cancelled', firstCalledAt: null, calledAt: null, recallCount: 0, startedAt: null, endedAt: new Date(arrivedMs + patienceMs) };
    }
    if (random() < NO_SHOW_SHARE) {
      const lastCallMs = callMs + RECALLS_BEFORE_NO_SHOW * MINUTE_MS;
      freeAt[counter] = lastCallMs + MINUTE_MS;
      return {
        ...base,
        status: 'no_show',
        firstCalledAt: new Date(callMs),
        calledAt: new Date(lastCallMs),
        recallCount: RECALLS_BEFORE_NO_SHOW,
        startedAt: null,
        endedAt: new Date(freeAt[counter]),
      };
    }
    const startMs = callMs + seconds(20 + random() * 70);
    const service = Math.min(SERVICE_MAX_SECONDS, Math.max(SERVICE_MIN_SECONDS, SERVICE_MEDIAN_SECONDS * Math.exp(SERVICE_SIGMA * normal(random))));
    freeAt[counter] = startMs + seconds(service);
    return {
      ...base,
      status: 'done',
      firstCalledAt: new Date(callMs),
      calledAt: new Date(callMs),
      recallCount: 0,
      startedAt: new Date(startMs),
      endedAt: new Date(freeAt[counter]),
    };
  });
}

async function insertTickets(db: SqlRunner, siteId: string, tickets: HistoryTicket[]): Promise<void> {
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
  await db.query(
    `INSERT INTO tickets (site_id, queue_id, business_day, seq_number, number, channel, needs, priority_class, status,
                          arrived_at, queued_at, sort_key, first_called_at, called_at, recall_count, started_at, ended_at,
                          public_token, created_at, updated_at)
     SELECT $1, r.queue_id, r.day, r.seq, r.number, r.channel, string_to_array(r.needs, ','), r.priority_class, r.status,
            r.arrived_at, r.arrived_at, r.sort_key, r.first_called_at, r.called_at, r.recalls, r.started_at, r.ended_at,
            r.token, r.arrived_at, r.ended_at
       FROM unnest($2::uuid[], $3::date[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::int[],
                   $15::timestamptz[], $16::timestamptz[], $17::text[])
         AS r(queue_id, day, seq, number, channel, needs, priority_class, status, arrived_at, sort_key, first_called_at,
              called_at, recalls, started_at, ended_at, token)`,
    [
      siteId,
      tickets.map((t) => t.queueId),
      tickets.map((t) => t.businessDay),
      tickets.map((t) => t.seqNumber),
      tickets.map((t) => t.number),
      tickets.map((t) => t.channel),
      // Arrays of arrays do not unnest row by row; needs travel as comma-joined text.
      tickets.map((t) => t.needs.join(',')),
      tickets.map((t) => t.priorityClass),
      tickets.map((t) => t.status),
      tickets.map((t) => iso(t.arrivedAt)),
      tickets.map((t) => iso(t.sortKey)),
      tickets.map((t) => iso(t.firstCalledAt)),
      tickets.map((t) => iso(t.calledAt)),
      tickets.map((t) => t.recallCount),
      tickets.map((t) => iso(t.startedAt)),
      tickets.map((t) => iso(t.endedAt)),
      tickets.map(() => randomBytes(18).toString('base64url')),
    ],
  );
}

async function select<T>(db: SqlRunner, sql: string, params: unknown[]): Promise<T[]> {
  const result = await db.query(sql, params);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** mulberry32 seeded by an FNV-1a hash of `key`: tiny, fast and good enough for simulated data (not for secrets). */
export function seededRandom(key: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) state = Math.imul(state ^ key.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Knuth's method; fine for the small per-minute rates used here. */
function poisson(rate: number, random: () => number): number {
  const limit = Math.exp(-rate);
  let n = 0;
  for (let p = random(); p > limit; p *= random()) n++;
  return n;
}

/** Standard normal by Box–Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function pickChannel(u: number): HistoryTicket['channel'] {
  if (u < 0.85) return 'kiosk';
  if (u < 0.95) return 'desk';
  return u < 0.98 ? 'web' : 'mobile';
}

function seconds(value: number): number {
  return Math.round(value * 1000);
}
