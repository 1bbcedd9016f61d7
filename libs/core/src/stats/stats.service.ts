import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import { DEFAULT_SERVICE_SECONDS } from '../flow/ordering';
import type { Principal } from '../identity/principal';
import type { Closure, WeeklyHours } from '../organisation/opening-hours';
import { ServiceTarget, staffHour } from './erlang';
import { DayForecast, historyWindow, HourlyArrivals, seasonalForecast } from './forecast';

export const GROUP_BY = ['hour', 'weekday', 'month', 'day'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const MAX_RANGE_DAYS = 400;
export const MAX_FORECAST_DAYS = 60;
export const MAX_HISTORY_WEEKS = 26;
export const DEFAULT_HISTORY_WEEKS = 6;

/**
 * Buckets in the site's calendar (`local` is the arrival as site wall-clock time). Fixed SQL
 * fragments chosen by an enum, never text from the request.
 */
const BUCKETS: Record<GroupBy, string> = {
  hour: `extract(hour FROM local)::int`,
  weekday: `extract(isodow FROM local)::int`,
  month: `to_char(local, 'YYYY-MM')`,
  day: `to_char(local, 'YYYY-MM-DD')`,
};

export interface FlowStatsQuery {
  siteId?: string;
  queueId?: string;
  /** Site-local ISO dates, both included. */
  from: string;
  to: string;
  groupBy: GroupBy;
}

export interface FlowStatsRow {
  queueId: string;
  /** Hour 0–23, ISO weekday 1–7 (Monday = 1), month `YYYY-MM` or day `YYYY-MM-DD`, in the site's time zone. */
  bucket: number | string;
  arrivals: number;
  served: number;
  noShows: number;
  cancelled: number;
  /** Arrival to first call, over the tickets that were called; null when none was. */
  meanWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  /** Start to end of the tickets served; null when none was. */
  meanServiceSeconds: number | null;
}

export interface FlowStats {
  siteId: string;
  timeZone: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  queues: { id: string; name: string; prefix: string }[];
  /** Buckets without any ticket are left out. */
  rows: FlowStatsRow[];
}

export interface ForecastQuery {
  queueId: string;
  days: number;
  weeks: number;
}

export interface ArrivalsForecast {
  queueId: string;
  siteId: string;
  timeZone: string;
  weeks: number;
  /** The days whose arrivals fed the forecast. */
  history: { from: string; to: string };
  /** Every local hour of every forecast day, today first. */
  hours: { date: string; hour: number; expectedArrivals: number }[];
  days: { date: string; weekday: number; closed: boolean; expectedArrivals: number }[];
}

export interface StaffingQuery {
  queueId: string;
  date: string;
  targetServiceLevel: number;
  targetWaitSeconds: number;
  weeks: number;
}

export interface StaffingHour {
  hour: number;
  expectedArrivals: number;
  offeredLoad: number;
  recommendedCounters: number;
  serviceLevel: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
}

export interface StaffingPlan {
  queueId: string;
  siteId: string;
  date: string;
  closed: boolean;
  weeks: number;
  targetServiceLevel: number;
  targetWaitSeconds: number;
  /** Mean start-to-end time over the history window, in whole seconds; 300 when nothing was served. */
  meanServiceSeconds: number;
  /** How many served tickets that mean rests on (0: the default was used). */
  serviceSamples: number;
  hours: StaffingHour[];
}

export interface SiteForecastQuery {
  siteId: string;
  days: number;
  weeks: number;
  targetServiceLevel: number;
  targetWaitSeconds: number;
}

/** Per queue of a site: arrivals per hour for the coming days and the counters each hour needs. */
export interface SiteForecast {
  siteId: string;
  days: number;
  targetServiceLevel: number;
  targetWaitSeconds: number;
  queues: {
    queueId: string;
    name: string;
    prefix: string;
    meanServiceSeconds: number;
    hours: { date: string; hour: number; expectedArrivals: number; recommendedCounters: number }[];
  }[];
}

interface FlowStatsSqlRow {
  queue_id: string;
  bucket: number | string;
  arrivals: number;
  served: number;
  no_shows: number;
  cancelled: number;
  mean_wait: number | null;
  p90_wait: number | null;
  mean_service: number | null;
}

interface QueueContext {
  id: string;
  site_id: string;
  name: string;
  prefix: string;
  time_zone: string;
  closures: Closure[];
  hours: WeeklyHours | null;
  today: string;
}

/**
 * Read models over the tickets: flow statistics, the seasonal arrivals forecast (forecast.ts) and
 * the staffing recommendation (erlang.ts). Every "day" and "hour" is the site's.
 */
@Injectable()
export class StatsService {
  constructor(private readonly dataSource: DataSource) {}

  async flowStats(principal: Principal, query: FlowStatsQuery): Promise<FlowStats> {
    if (!query.siteId && !query.queueId) {
      throw new ValidationError('Give a siteId or a queueId', [{ field: 'siteId', message: 'siteId or queueId is required' }]);
    }
    checkRange(query.from, query.to);
    const queue = query.queueId ? await this.queue(principal, query.queueId) : null;
    if (queue && query.siteId && queue.site_id !== query.siteId) throw new NotFoundError('Queue', query.queueId);
    const siteId = queue?.site_id ?? (query.siteId as string);
    if (!principal.siteIds.includes(siteId)) throw new NotFoundError('Site', siteId);
    const [site] = (await this.dataSource.query(`SELECT time_zone FROM sites WHERE id = $1`, [siteId])) as { time_zone: string }[];
    if (!site) throw new NotFoundError('Site', siteId);

    const queues = queue
      ? [{ id: queue.id, name: queue.name, prefix: queue.prefix }]
      : ((await this.dataSource.query(`SELECT id, name, prefix FROM queues WHERE site_id = $1 ORDER BY prefix`, [siteId])) as FlowStats['queues']);
    // business_day is the site-local date of arrival, and (site_id|queue_id, business_day) are indexed.
    const rows = (await this.dataSource.query(
      `WITH t AS (
         SELECT queue_id, status, arrived_at AT TIME ZONE $2 AS local,
                extract(epoch FROM first_called_at - arrived_at) AS wait,
                CASE WHEN status = 'done' THEN extract(epoch FROM ended_at - started_at) END AS service
           FROM tickets
          WHERE site_id = $1 AND ($3::uuid IS NULL OR queue_id = $3) AND business_day BETWEEN $4::date AND $5::date
       )
       SELECT t.queue_id, ${BUCKETS[query.groupBy]} AS bucket,
              count(*)::int AS arrivals,
              count(*) FILTER (WHERE status = 'done')::int AS served,
              count(*) FILTER (WHERE status = 'no_show')::int AS no_shows,
              count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
              avg(wait)::float8 AS mean_wait,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY wait)::float8 AS p90_wait,
              avg(service)::float8 AS mean_service
         FROM t JOIN queues q ON q.id = t.queue_id
        GROUP BY q.prefix, t.queue_id, 2
        ORDER BY q.prefix, 2`,
      [siteId, site.time_zone, queue?.id ?? null, query.from, query.to],
    )) as FlowStatsSqlRow[];

    return {
      siteId,
      timeZone: site.time_zone,
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      queues,
      rows: rows.map((r) => ({
        queueId: r.queue_id,
        bucket: r.bucket,
        arrivals: r.arrivals,
        served: r.served,
        noShows: r.no_shows,
        cancelled: r.cancelled,
        meanWaitSeconds: roundOrNull(r.mean_wait),
        p90WaitSeconds: roundOrNull(r.p90_wait),
        meanServiceSeconds: roundOrNull(r.mean_service),
      })),
    };
  }

  async forecast(principal: Principal, query: ForecastQuery): Promise<ArrivalsForecast> {
    const queue = await this.queue(principal, query.queueId);
    const start = DateTime.fromISO(queue.today, { zone: 'utc' });
    const dates = Array.from({ length: query.days }, (_, i) => start.plus({ days: i }).toISODate() as string);
    const days = await this.seasonal(queue, dates, query.weeks);
    return {
      queueId: queue.id,
      siteId: queue.site_id,
      timeZone: queue.time_zone,
      weeks: query.weeks,
      history: historyWindow(queue.today, query.weeks),
      hours: days.flatMap((day) => day.hourly.map((expectedArrivals, hour) => ({ date: day.date, hour, expectedArrivals }))),
      days: days.map(({ date, weekday, closed, expectedArrivals }) => ({ date, weekday, closed, expectedArrivals })),
    };
  }

  async staffing(principal: Principal, query: StaffingQuery): Promise<StaffingPlan> {
    const queue = await this.queue(principal, query.queueId);
    const last = DateTime.fromISO(queue.today, { zone: 'utc' }).plus({ days: MAX_FORECAST_DAYS - 1 }).toISODate() as string;
    if (query.date < queue.today || query.date > last) {
      throw new ValidationError(`date must be between ${queue.today} and ${last} (the forecast horizon)`, [
        { field: 'date', message: `must be between ${queue.today} and ${last}` },
      ]);
    }
    const [[day], service] = await Promise.all([this.seasonal(queue, [query.date], query.weeks), this.meanService(queue, query.weeks)]);
    const target: ServiceTarget = { serviceLevel: query.targetServiceLevel, waitSeconds: query.targetWaitSeconds };
    return {
      queueId: queue.id,
      siteId: queue.site_id,
      date: day.date,
      closed: day.closed,
      weeks: query.weeks,
      targetServiceLevel: query.targetServiceLevel,
      targetWaitSeconds: query.targetWaitSeconds,
      meanServiceSeconds: service.seconds,
      serviceSamples: service.samples,
      // The figures are computed from the rounded arrivals and service time shown, so anyone can redo them.
      hours: day.hourly.map((expectedArrivals, hour) => {
        const staffed = staffHour(expectedArrivals, service.seconds, target);
        return {
          hour,
          expectedArrivals,
          offeredLoad: round(staffed.offeredLoad, 4),
          recommendedCounters: staffed.recommendedCounters,
          serviceLevel: round(staffed.serviceLevel, 6),
          probabilityOfWaiting: round(staffed.probabilityOfWaiting, 6),
          averageSpeedOfAnswerSeconds: round(staffed.averageSpeedOfAnswerSeconds, 1),
        };
      }),
    };
  }

  /** The contract's `/forecast?siteId=&days=`: forecast and Erlang C staffing for every active queue of a site. */
  async siteForecast(principal: Principal, query: SiteForecastQuery): Promise<SiteForecast> {
    if (!principal.siteIds.includes(query.siteId)) throw new NotFoundError('Site', query.siteId);
    const queueIds = (await this.dataSource.query(`SELECT id FROM queues WHERE site_id = $1 AND active ORDER BY prefix`, [query.siteId])) as {
      id: string;
    }[];
    const target: ServiceTarget = { serviceLevel: query.targetServiceLevel, waitSeconds: query.targetWaitSeconds };
    const queues: SiteForecast['queues'] = [];
    for (const { id } of queueIds) {
      const queue = await this.queue(principal, id);
      const start = DateTime.fromISO(queue.today, { zone: 'utc' });
      const dates = Array.from({ length: query.days }, (_, i) => start.plus({ days: i }).toISODate() as string);
      const [days, service] = await Promise.all([this.seasonal(queue, dates, query.weeks), this.meanService(queue, query.weeks)]);
      queues.push({
        queueId: queue.id,
        name: queue.name,
        prefix: queue.prefix,
        meanServiceSeconds: service.seconds,
        hours: days.flatMap((day) =>
          day.hourly.map((expectedArrivals, hour) => ({
            date: day.date,
            hour,
            expectedArrivals,
            recommendedCounters: staffHour(expectedArrivals, service.seconds, target).recommendedCounters,
          })),
        ),
      });
    }
    return { siteId: query.siteId, days: query.days, targetServiceLevel: target.serviceLevel, targetWaitSeconds: target.waitSeconds, queues };
  }

  private async seasonal(queue: QueueContext, dates: string[], weeks: number): Promise<DayForecast[]> {
    const window = historyWindow(queue.today, weeks);
    const [history, [first]] = await Promise.all([
      this.dataSource.query(
        `SELECT business_day::text AS day, extract(hour FROM arrived_at AT TIME ZONE $2)::int AS hour, count(*)::int AS arrivals
           FROM tickets WHERE queue_id = $1 AND business_day BETWEEN $3::date AND $4::date
          GROUP BY 1, 2`,
        [queue.id, queue.time_zone, window.from, window.to],
      ) as Promise<HourlyArrivals[]>,
      this.dataSource.query(`SELECT min(business_day)::text AS day FROM tickets WHERE queue_id = $1`, [queue.id]) as Promise<{ day: string | null }[]>,
    ]);
    return seasonalForecast({
      today: queue.today,
      dates,
      weeks,
      hours: queue.hours,
      closures: queue.closures ?? [],
      history,
      firstHistoryDay: first.day,
    });
  }

  private async meanService(queue: QueueContext, weeks: number): Promise<{ seconds: number; samples: number }> {
    const window = historyWindow(queue.today, weeks);
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS samples, avg(extract(epoch FROM ended_at - started_at))::float8 AS mean
         FROM tickets
        WHERE queue_id = $1 AND status = 'done' AND started_at IS NOT NULL AND ended_at IS NOT NULL
          AND business_day BETWEEN $2::date AND $3::date`,
      [queue.id, window.from, window.to],
    )) as { samples: number; mean: number | null }[];
    const seconds = row.mean === null ? 0 : Math.round(row.mean);
    return seconds > 0 ? { seconds, samples: row.samples } : { seconds: DEFAULT_SERVICE_SECONDS, samples: 0 };
  }

  private async queue(principal: Principal, queueId: string): Promise<QueueContext> {
    const [queue] = (await this.dataSource.query(
      `SELECT q.id, q.site_id, q.name, q.prefix, s.time_zone, s.closures,
              coalesce(q.opening_hours, sv.opening_hours, s.opening_hours) AS hours,
              (now() AT TIME ZONE s.time_zone)::date::text AS today
         FROM queues q JOIN sites s ON s.id = q.site_id JOIN services sv ON sv.id = q.service_id
        WHERE q.id = $1`,
      [queueId],
    )) as QueueContext[];
    if (!queue || !principal.siteIds.includes(queue.site_id)) throw new NotFoundError('Queue', queueId);
    return queue;
  }
}

/** from ≤ to, and at most MAX_RANGE_DAYS days, both ends included. */
export function checkRange(from: string, to: string): void {
  if (from > to) throw new ValidationError('from must not be after to', [{ field: 'to', message: 'must be on or after from' }]);
  const days = DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new ValidationError(`The range covers ${days} days; at most ${MAX_RANGE_DAYS}`, [
      { field: 'to', message: `must be at most ${MAX_RANGE_DAYS} days after from, both included` },
    ]);
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
