import { DateTime } from 'luxon';
import { DEFAULT_BONUSES } from '@guichet/core/flow/ordering';
import { isOpenAt, WeeklyHours } from '@guichet/core/organisation/opening-hours';
import { HistoryTicket, planHistory, QueuePlan, seededRandom } from './history';

const PARIS = 'Europe/Paris';
const weekday = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '17:30' },
];
const HOURS: WeeklyHours = { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ open: '09:00', close: '12:00' }] };
const QUEUE: QueuePlan = { id: 'q-a', prefix: 'A', hours: HOURS, dailyCap: null, bonuses: DEFAULT_BONUSES, arrivalsPerHour: 12 };
// Six weeks from Monday 2 March 2026, across the switch to summer time (29 March).
const DAYS = Array.from({ length: 42 }, (_, i) => DateTime.fromISO('2026-03-02').plus({ days: i }).toISODate() as string);
const HOLIDAY = '2026-04-06';
const CLOSURES = [{ from: HOLIDAY, to: HOLIDAY, label: 'Lundi de Pâques' }];

const plan = (overrides: Partial<Parameters<typeof planHistory>[0]> = {}): HistoryTicket[] =>
  planHistory({ timeZone: PARIS, closures: CLOSURES, queues: [QUEUE], days: DAYS, seed: 42, ...overrides });
const local = (d: Date) => DateTime.fromJSDate(d, { zone: PARIS });

describe('history generator', () => {
  const tickets = plan();

  it('is deterministic for a seed and changes with it', () => {
    const again = plan();
    expect(again.map(({ arrivedAt, status, endedAt }) => [arrivedAt, status, endedAt])).toEqual(
      tickets.map(({ arrivedAt, status, endedAt }) => [arrivedAt, status, endedAt]),
    );
    expect(plan({ seed: 43 }).map((t) => t.arrivedAt.getTime())).not.toEqual(tickets.map((t) => t.arrivedAt.getTime()));
    // A skipped day does not shift the draws of the others.
    const skipping = plan({ skip: (_, day) => day === DAYS[0] }).filter((t) => t.businessDay === DAYS[1]);
    expect(skipping.map((t) => t.arrivedAt)).toEqual(tickets.filter((t) => t.businessDay === DAYS[1]).map((t) => t.arrivedAt));
    const random = seededRandom('x');
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('issues tickets only while the queue is open, never on a closure day nor on Sunday', () => {
    expect(tickets.length).toBeGreaterThan(2000);
    expect(tickets.filter((t) => !isOpenAt(HOURS, CLOSURES, PARIS, t.arrivedAt) || local(t.arrivedAt).toISODate() !== t.businessDay)).toEqual([]);
    const days = new Set(tickets.map((t) => t.businessDay));
    expect(days.has(HOLIDAY)).toBe(false);
    expect([...days].some((day) => DateTime.fromISO(day).weekday === 7)).toBe(false);
    const saturday = tickets.filter((t) => local(t.arrivedAt).weekday === 6);
    expect(saturday.length).toBeGreaterThan(0);
    expect(saturday.every((t) => local(t.arrivedAt).hour < 12)).toBe(true);
  });

  it('keeps arrivals on their local day when the clocks change during opening hours', () => {
    const always: WeeklyHours = { sun: [{ open: '00:00', close: '24:00' }] };
    const night = plan({ queues: [{ ...QUEUE, hours: always, arrivalsPerHour: 30 }], days: ['2026-03-29', '2026-10-25'] });
    expect(new Set(night.map((t) => t.businessDay))).toEqual(new Set(['2026-03-29', '2026-10-25']));
    expect(night.filter((t) => local(t.arrivedAt).toISODate() !== t.businessDay)).toEqual([]);
  });

  it('keeps the timestamps in order and the statuses consistent', () => {
    const ms = (d: Date | null) => d?.getTime() ?? NaN;
    // One assertion over all tickets: thousands of expect() calls would be slow.
    const broken = tickets.filter((t) => {
      const ordered = ms(t.sortKey) <= ms(t.arrivedAt) && ms(t.endedAt) >= ms(t.arrivedAt);
      if (t.status === 'cancelled') return !(ordered && t.firstCalledAt === null && t.startedAt === null);
      const called = ms(t.firstCalledAt) >= ms(t.arrivedAt) && ms(t.calledAt) >= ms(t.firstCalledAt);
      if (t.status === 'no_show') return !(ordered && called && t.startedAt === null && ms(t.endedAt) >= ms(t.calledAt));
      const service = (ms(t.endedAt) - ms(t.startedAt)) / 1000;
      return !(t.status === 'done' && ordered && called && ms(t.startedAt) >= ms(t.firstCalledAt) && service >= 180 && service <= 720);
    });
    expect(broken).toEqual([]);
    const share = (status: string) => tickets.filter((t) => t.status === status).length / tickets.length;
    expect(share('done')).toBeGreaterThan(0.8);
    expect(share('no_show')).toBeGreaterThan(0.01);
    expect(share('cancelled')).toBeGreaterThan(0.01);
    expect(share('cancelled')).toBeLessThan(0.12);
  });

  it('numbers each queue and day from 1 without gaps, in arrival order', () => {
    const byDay = new Map<string, HistoryTicket[]>();
    for (const t of tickets) byDay.set(t.businessDay, [...(byDay.get(t.businessDay) ?? []), t]);
    for (const day of byDay.values()) {
      expect(day.map((t) => t.seqNumber)).toEqual(day.map((_, i) => i + 1));
      expect(day.map((t) => t.number)).toEqual(day.map((_, i) => `A${String(i + 1).padStart(3, '0')}`));
      expect(day.map((t) => t.arrivedAt.getTime())).toEqual(day.map((t) => t.arrivedAt.getTime()).sort((a, b) => a - b));
    }
    const capped = plan({ queues: [{ ...QUEUE, dailyCap: 10 }] });
    expect(Math.max(...capped.map((t) => t.seqNumber))).toBe(10);
  });

  it('peaks at opening and just after lunch, and Monday is the busiest weekday', () => {
    // Saturdays open at 9: their opening rush would blur the weekday profile.
    const perHour = new Map<number, number>();
    for (const t of tickets.filter((t) => local(t.arrivedAt).weekday <= 5)) perHour.set(local(t.arrivedAt).hour, (perHour.get(local(t.arrivedAt).hour) ?? 0) + 1);
    const at = (hour: number) => perHour.get(hour) ?? 0;
    // Hours 8 and 13 are only half open (08:30, 13:30) and still beat the full hours after them.
    expect(at(8)).toBeGreaterThan(at(10));
    expect(at(8)).toBeGreaterThan(at(16));
    expect(at(13)).toBeGreaterThan(at(10));
    expect(at(13)).toBeGreaterThan(at(16));
    const perWeekday = [1, 2, 3, 4, 5].map((d) => tickets.filter((t) => local(t.arrivedAt).weekday === d).length);
    // Easter Monday was closed: compare per open day.
    const mondays = new Set(tickets.filter((t) => local(t.arrivedAt).weekday === 1).map((t) => t.businessDay)).size;
    expect(perWeekday[0] / mondays).toBeGreaterThan(Math.max(...perWeekday.slice(1)) / 6);
  });

  it('gives the priority classes of the declared needs', () => {
    const withNeeds = tickets.filter((t) => t.needs.length > 0);
    expect(withNeeds.length).toBeGreaterThan(0);
    expect(withNeeds.every((t) => t.priorityClass === 'needs')).toBe(true);
    expect(tickets.filter((t) => t.needs.length === 0).every((t) => t.priorityClass === 'standard')).toBe(true);
  });
});
