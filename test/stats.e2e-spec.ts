import { DateTime } from 'luxon';
import request from 'supertest';
import { generateHistory } from '@guichet/database/demo/history';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createQueue } from '@guichet/testing/flow-fixtures';

const PARIS = 'Europe/Paris';
const DAY = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '17:30' },
];
const HOURS = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY };
const OPEN_HOURS = [8, 9, 10, 11, 13, 14, 15, 16, 17];
const WEIGHTS = [6, 5, 4, 3, 2, 1]; // week k back weighs 7 − k over 6 weeks

interface HourRow {
  hour: number;
  expectedArrivals: number;
  offeredLoad: number;
  recommendedCounters: number;
  serviceLevel: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
}

/** Independent Erlang C: the closed form with powers and factorials (fine for small c). */
function directErlangC(c: number, a: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

const isoPlus = (date: string, days: number): string => DateTime.fromISO(date).plus({ days }).toISODate() as string;
const weekday = (date: string): number => DateTime.fromISO(date).weekday;

describe('statistics, forecast and staffing', () => {
  let t: TestApp;
  let siteId: string;
  let supervisor: Agent;
  let queueA: string;
  let queueB: string;
  let today: string;
  /** The first working day after today: the forecast day checked. */
  let target: string;
  /** The same weekday two weeks before: a past holiday, left out of the mean. */
  let pastHoliday: string;
  /** The next working day after the target: a coming holiday. */
  let comingHoliday: string;

  const api = () => request(t.url);
  const get = (path: string, query: Record<string, unknown>, who: { token: string } = supervisor) =>
    api().get(`/api/v1/stats/${path}`).query(query).set('Authorization', `Bearer ${who.token}`);
  // Other suites share the database and run at the same time: count this suite's tickets only.
  const ticketCount = async () => Number(((await t.dataSource.query(`SELECT count(*) AS n FROM tickets WHERE site_id = $1`, [siteId])) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    today = DateTime.now().setZone(PARIS).toISODate() as string;
    target = isoPlus(today, 1);
    while (weekday(target) > 5) target = isoPlus(target, 1);
    pastHoliday = isoPlus(target, -14);
    comingHoliday = isoPlus(target, 1);
    while (weekday(comingHoliday) > 5) comingHoliday = isoPlus(comingHoliday, 1);

    const [site] = (await t.dataSource.query(`INSERT INTO sites (name, time_zone, opening_hours, closures) VALUES ($1, $2, $3, $4) RETURNING id`, [
      `Stats ${uniqueSuffix()}`,
      PARIS,
      JSON.stringify(HOURS),
      JSON.stringify([
        { from: pastHoliday, to: pastHoliday, label: 'Fête locale' },
        { from: comingHoliday, to: comingHoliday, label: 'Pont' },
      ]),
    ])) as { id: string }[];
    siteId = site.id;
    const [service] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, 'Accueil') RETURNING id`, [siteId])) as { id: string }[];
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    queueA = (await createQueue(t.url, supervisor.token, { siteId, serviceId: service.id, name: 'Accueil', prefix: 'A' })).id;
    queueB = (await createQueue(t.url, supervisor.token, { siteId, serviceId: service.id, name: 'État civil', prefix: 'B' })).id;
    const result = await generateHistory(t.dataSource, { siteId, queueIds: [queueA, queueB], weeks: 6, seed: 7, arrivalsPerHour: { [queueA]: 30, [queueB]: 6 } });
    expect(result.tickets).toBeGreaterThan(5000);
  });
  afterAll(() => t.close());

  it('generates history once: a second run adds nothing', async () => {
    const before = await ticketCount();
    const again = await generateHistory(t.dataSource, { siteId, queueIds: [queueA], weeks: 6, seed: 7 });
    expect(again).toMatchObject({ tickets: 0, days: 0 });
    expect(again.skippedDays).toBeGreaterThan(20);
    expect(await ticketCount()).toBe(before);
    const [holiday] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM tickets WHERE site_id = $1 AND business_day = $2`, [siteId, pastHoliday])) as {
      n: number;
    }[];
    expect(holiday.n).toBe(0);
  });

  it('The forecast for a weekday of the generated history shows the opening and lunch peaks, and the staffing recommendation follows it; the Erlang C figures match an independent calculation in the test.', async () => {
    const forecast = await get('forecast', { queueId: queueA, days: 14 });
    expect(forecast.status).toBe(200);
    expect(forecast.body).toMatchObject({ queueId: queueA, siteId, timeZone: PARIS, weeks: 6, history: { from: isoPlus(today, -42), to: isoPlus(today, -1) } });
    expect(forecast.body.days).toHaveLength(14);
    expect(forecast.body.hours).toHaveLength(14 * 24);
    const hourly = (date: string): number[] =>
      (forecast.body.hours as { date: string; hour: number; expectedArrivals: number }[]).filter((h) => h.date === date).map((h) => h.expectedArrivals);

    const day = hourly(target);
    expect(day[8]).toBeGreaterThan(day[10]);
    expect(day[8]).toBeGreaterThan(day[16]);
    expect(day[13]).toBeGreaterThan(day[10]);
    expect(day[13]).toBeGreaterThan(day[16]);
    day.forEach((n, hour) => (OPEN_HOURS.includes(hour) ? expect(n).toBeGreaterThan(0) : expect(n).toBe(0)));
    const targetDay = (forecast.body.days as { date: string; closed: boolean; expectedArrivals: number }[]).find((d) => d.date === target);
    expect(targetDay?.closed).toBe(false);
    expect(targetDay?.expectedArrivals).toBeCloseTo(day.reduce((a, b) => a + b, 0), 6);

    // Independent mean: the same weekday over the six weeks before, the past holiday left out.
    const counts = (await t.dataSource.query(
      `SELECT business_day::text AS day, count(*)::int AS n FROM tickets
        WHERE queue_id = $1 AND extract(hour FROM arrived_at AT TIME ZONE 'Europe/Paris') = 8 GROUP BY 1`,
      [queueA],
    )) as { day: string; n: number }[];
    let weighted = 0;
    let weights = 0;
    WEIGHTS.forEach((weight, index) => {
      const reference = isoPlus(target, -7 * (index + 1));
      if (reference === pastHoliday) return;
      weighted += weight * (counts.find((c) => c.day === reference)?.n ?? 0);
      weights += weight;
    });
    expect(weights).toBe(21 - 5);
    expect(day[8]).toBeCloseTo(weighted / weights, 1);

    // Weekends and the coming holiday: nothing expected.
    for (const d of forecast.body.days as { date: string; weekday: number; closed: boolean; expectedArrivals: number }[]) {
      if (d.date === comingHoliday) expect(d).toMatchObject({ closed: true, expectedArrivals: 0 });
      if (d.weekday > 5) expect(d).toMatchObject({ closed: false, expectedArrivals: 0 });
    }

    const staffing = await get('staffing', { queueId: queueA, date: target, targetServiceLevel: 0.8, targetWaitSeconds: 600 });
    expect(staffing.status).toBe(200);
    const plan = staffing.body as { meanServiceSeconds: number; serviceSamples: number; closed: boolean; hours: HourRow[] };
    expect(plan).toMatchObject({ queueId: queueA, date: target, closed: false, targetServiceLevel: 0.8, targetWaitSeconds: 600 });
    expect(plan.serviceSamples).toBeGreaterThan(1000);
    expect(plan.meanServiceSeconds).toBeGreaterThanOrEqual(180);
    expect(plan.meanServiceSeconds).toBeLessThanOrEqual(720);
    expect(plan.hours.map((h) => h.hour)).toEqual([...Array(24).keys()]);
    expect(plan.hours.map((h) => h.expectedArrivals)).toEqual(day);

    // The recommendation follows the forecast: more arrivals never need fewer counters.
    const byArrivals = [...plan.hours].sort((a, b) => a.expectedArrivals - b.expectedArrivals);
    byArrivals.slice(1).forEach((h, i) => expect(h.recommendedCounters).toBeGreaterThanOrEqual(byArrivals[i].recommendedCounters));
    expect(plan.hours[8].recommendedCounters).toBeGreaterThanOrEqual(plan.hours[10].recommendedCounters);
    expect(plan.hours[12]).toMatchObject({ expectedArrivals: 0, recommendedCounters: 0, serviceLevel: 1 });

    // Erlang C by hand for the opening peak, from the arrivals and service time the response shows.
    const peak = plan.hours[8];
    const s = plan.meanServiceSeconds;
    const a = (peak.expectedArrivals * s) / 3600;
    const c = peak.recommendedCounters;
    const wait = directErlangC(c, a);
    const level = (n: number) => 1 - directErlangC(n, a) * Math.exp((-(n - a) * 600) / s);
    expect(peak.offeredLoad).toBeCloseTo(a, 3);
    expect(peak.probabilityOfWaiting).toBeCloseTo(wait, 5);
    expect(peak.serviceLevel).toBeCloseTo(level(c), 5);
    expect(peak.averageSpeedOfAnswerSeconds).toBeCloseTo((wait * s) / (c - a), 0);
    expect(peak.serviceLevel).toBeGreaterThanOrEqual(0.8);
    if (c - 1 > a) expect(level(c - 1)).toBeLessThan(0.8);
    else expect(c - 1).toBeLessThanOrEqual(a);

    // A stricter target never needs fewer counters.
    const strict = await get('staffing', { queueId: queueA, date: target, targetServiceLevel: 0.95, targetWaitSeconds: 120 });
    expect(strict.status).toBe(200);
    (strict.body.hours as HourRow[]).forEach((h, hour) => expect(h.recommendedCounters).toBeGreaterThanOrEqual(plan.hours[hour].recommendedCounters));
    expect((strict.body.hours as HourRow[])[8].recommendedCounters).toBeGreaterThan(peak.recommendedCounters);
  });

  it('groups the flow by hour, weekday, month and day of the site, per queue', async () => {
    const range = { from: isoPlus(today, -42), to: isoPlus(today, -1) };
    const raw = (await t.dataSource.query(
      `SELECT queue_id, status, arrived_at, first_called_at, started_at, ended_at FROM tickets WHERE site_id = $1`,
      [siteId],
    )) as { queue_id: string; status: string; arrived_at: Date; first_called_at: Date | null; started_at: Date | null; ended_at: Date | null }[];
    const ofA = raw.filter((r) => r.queue_id === queueA);
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: PARIS });

    const byHour = await get('flow', { siteId, ...range, groupBy: 'hour' });
    expect(byHour.status).toBe(200);
    expect(byHour.body).toMatchObject({ siteId, timeZone: PARIS, groupBy: 'hour', ...range });
    expect((byHour.body.queues as { prefix: string }[]).map((q) => q.prefix)).toEqual(['A', 'B']);
    const rowsA = (byHour.body.rows as { queueId: string; bucket: number; arrivals: number; served: number; noShows: number; cancelled: number; meanWaitSeconds: number; p90WaitSeconds: number; meanServiceSeconds: number }[]).filter(
      (r) => r.queueId === queueA,
    );
    expect(rowsA.map((r) => r.bucket)).toEqual(OPEN_HOURS);
    expect(new Set((byHour.body.rows as { queueId: string }[]).map((r) => r.queueId))).toEqual(new Set([queueA, queueB]));
    // Independent figures for the opening hour, from the raw tickets and luxon.
    const eight = ofA.filter((r) => local(r.arrived_at).hour === 8);
    const waits = eight.filter((r) => r.first_called_at).map((r) => ((r.first_called_at as Date).getTime() - r.arrived_at.getTime()) / 1000);
    const services = eight.filter((r) => r.status === 'done').map((r) => ((r.ended_at as Date).getTime() - (r.started_at as Date).getTime()) / 1000);
    const row8 = rowsA.find((r) => r.bucket === 8);
    expect(row8).toMatchObject({
      arrivals: eight.length,
      served: eight.filter((r) => r.status === 'done').length,
      noShows: eight.filter((r) => r.status === 'no_show').length,
      cancelled: eight.filter((r) => r.status === 'cancelled').length,
      meanWaitSeconds: Math.round(waits.reduce((x, y) => x + y, 0) / waits.length),
      meanServiceSeconds: Math.round(services.reduce((x, y) => x + y, 0) / services.length),
    });
    const sorted = [...waits].sort((x, y) => x - y);
    const rank = 0.9 * (sorted.length - 1);
    const p90 = sorted[Math.floor(rank)] + (rank - Math.floor(rank)) * (sorted[Math.ceil(rank)] - sorted[Math.floor(rank)]);
    expect(row8?.p90WaitSeconds).toBe(Math.round(p90));
    expect(rowsA.reduce((n, r) => n + r.arrivals, 0)).toBe(ofA.length);
    expect(rowsA.every((r) => r.served + r.noShows + r.cancelled === r.arrivals)).toBe(true);

    const byWeekday = await get('flow', { queueId: queueA, ...range, groupBy: 'weekday' });
    expect(byWeekday.status).toBe(200);
    const weekdays = byWeekday.body.rows as { queueId: string; bucket: number; arrivals: number }[];
    expect(weekdays.map((r) => r.bucket)).toEqual([1, 2, 3, 4, 5]);
    expect(weekdays.every((r) => r.queueId === queueA)).toBe(true);
    for (const row of weekdays) expect(row.arrivals).toBe(ofA.filter((r) => local(r.arrived_at).weekday === row.bucket).length);

    const byMonth = await get('flow', { siteId, queueId: queueA, ...range, groupBy: 'month' });
    expect(byMonth.status).toBe(200);
    const months = [...new Set(ofA.map((r) => local(r.arrived_at).toFormat('yyyy-MM')))].sort();
    expect((byMonth.body.rows as { bucket: string }[]).map((r) => r.bucket)).toEqual(months);

    const byDay = await get('flow', { queueId: queueA, ...range, groupBy: 'day' });
    const days = (byDay.body.rows as { bucket: string }[]).map((r) => r.bucket);
    expect(days).not.toContain(pastHoliday);
    expect(days.every((d) => weekday(d) <= 5 && d >= range.from && d <= range.to)).toBe(true);
    expect(days.length).toBeGreaterThanOrEqual(27);

    // Integrators read them with the tickets:read scope; agents and other keys may not.
    const key = await createApiKey(t.dataSource, ['tickets:read'], [siteId]);
    expect((await api().get('/api/v1/stats/forecast').query({ queueId: queueA, days: 3 }).set('X-Api-Key', key.key)).status).toBe(200);
    const otherScope = await createApiKey(t.dataSource, ['visitors:read'], [siteId]);
    expect((await api().get('/api/v1/stats/forecast').query({ queueId: queueA, days: 3 }).set('X-Api-Key', otherScope.key)).status).toBe(403);
    const agent = await createAgent(t.dataSource, t.url, siteId);
    expect((await get('flow', { siteId, ...range }, agent)).status).toBe(403);
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const before = await ticketCount();
    const [otherSite] = (await t.dataSource.query(`INSERT INTO sites (name, time_zone, opening_hours) VALUES ($1, 'Europe/Paris', '{}') RETURNING id`, [
      `Other ${uniqueSuffix()}`,
    ])) as { id: string }[];
    const [otherService] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, 'Accueil') RETURNING id`, [otherSite.id])) as { id: string }[];
    const [otherQueue] = (await t.dataSource.query(`INSERT INTO queues (site_id, service_id, name, prefix) VALUES ($1, $2, 'Autre', 'Z') RETURNING id`, [
      otherSite.id,
      otherService.id,
    ])) as { id: string }[];
    const unknown = '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20';

    const cases: [string, Record<string, unknown>, number, string[]?][] = [
      ['forecast', { queueId: queueA, days: 0 }, 400, ['days']],
      ['forecast', { queueId: queueA, days: 400 }, 400, ['days']],
      ['forecast', { queueId: queueA, weeks: 27 }, 400, ['weeks']],
      ['forecast', { queueId: unknown }, 404],
      ['forecast', { queueId: otherQueue.id }, 404],
      ['flow', { siteId, from: '2026-03-10', to: '2026-03-01' }, 400, ['to']],
      ['flow', { siteId, from: '2025-01-01', to: '2026-03-01' }, 400, ['to']],
      ['flow', { siteId, from: '2026-02-30', to: '2026-03-01', groupBy: 'year' }, 400, ['from', 'groupBy']],
      ['flow', { from: '2026-03-01', to: '2026-03-02' }, 400, ['siteId']],
      ['flow', { siteId: otherSite.id, from: '2026-03-01', to: '2026-03-02' }, 404],
      ['flow', { queueId: otherQueue.id, from: '2026-03-01', to: '2026-03-02' }, 404],
      ['flow', { siteId: otherSite.id, queueId: queueA, from: '2026-03-01', to: '2026-03-02' }, 404],
      ['staffing', { queueId: queueA, date: target, targetServiceLevel: 1 }, 400, ['targetServiceLevel']],
      ['staffing', { queueId: queueA, date: target, targetWaitSeconds: -5 }, 400, ['targetWaitSeconds']],
      ['staffing', { queueId: queueA, date: isoPlus(today, -1) }, 400, ['date']],
      ['staffing', { queueId: queueA, date: isoPlus(today, 60) }, 400, ['date']],
      ['staffing', { queueId: otherQueue.id, date: target }, 404],
    ];
    for (const [path, query, status, fields] of cases) {
      const res = await get(path, query);
      expect({ path, query, status: res.status }).toEqual({ path, query, status });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (fields) expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual(fields);
    }
    expect(await ticketCount()).toBe(before);
  });

  it('answers the site-wide /forecast of the contract with per-hour arrivals and recommended counters', async () => {
    const res = await api().get('/api/v1/forecast').query({ siteId, days: 3 }).set('Authorization', `Bearer ${supervisor.token}`);
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { queueId: string }) => q.queueId).sort()).toEqual([queueA, queueB].sort());
    const accueil = res.body.queues.find((q: { queueId: string }) => q.queueId === queueA);
    expect(accueil.hours).toHaveLength(3 * 24);
    const perQueue = await get('forecast', { queueId: queueA, days: 3 });
    const staffed = accueil.hours as { date: string; hour: number; expectedArrivals: number; recommendedCounters: number }[];
    expect(staffed.map((h) => h.expectedArrivals)).toEqual((perQueue.body.hours as { expectedArrivals: number }[]).map((h) => h.expectedArrivals));
    const busiest = staffed.reduce((a, b) => (b.expectedArrivals > a.expectedArrivals ? b : a));
    expect(busiest.recommendedCounters).toBeGreaterThan(0);
    expect(staffed.filter((h) => h.expectedArrivals === 0).every((h) => h.recommendedCounters === 0)).toBe(true);
    for (const days of [0, 400]) {
      const bad = await api().get('/api/v1/forecast').query({ siteId, days }).set('Authorization', `Bearer ${supervisor.token}`);
      expect(bad.status).toBe(400);
    }
    const otherSite = await api().get('/api/v1/forecast').query({ siteId: '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20', days: 2 }).set('Authorization', `Bearer ${supervisor.token}`);
    expect(otherSite.status).toBe(404);
  });
});
