import { DateTime } from 'luxon';
import { Closure, isClosedOn, toMinutes, WEEKDAYS, WeeklyHours } from '../organisation/opening-hours';

/**
 * Seasonal forecast of arrivals per hour: for a day and an hour, the weighted mean of the same
 * weekday and hour over the last `weeks` weeks before today. Week k back (k = 1 the most recent)
 * weighs `weeks + 1 − k`, so recent weeks count more and a trend shows without chasing noise.
 * Reference days that were closures (public holidays…) or before the queue's first ticket are left
 * out of the mean rather than counted as zero; a closure day and the hours the queue is closed
 * forecast 0. Dates are ISO days of the site's calendar; hours 0–23 are local.
 */

export const HOURS_PER_DAY = 24;

export interface HourlyArrivals {
  /** Site-local ISO date. */
  day: string;
  hour: number;
  arrivals: number;
}

export interface ForecastInput {
  /** Today in the site's calendar. History stops the day before: today is not over. */
  today: string;
  dates: readonly string[];
  weeks: number;
  /** Effective hours of the queue; null or empty = no schedule, every hour may see arrivals. */
  hours: WeeklyHours | null;
  closures: readonly Closure[];
  /** Arrivals counted per day and hour over `historyWindow(today, weeks)`; a missing pair is 0. */
  history: readonly HourlyArrivals[];
  /** The queue's first day with a ticket; days before it are no history. Null: no ticket ever. */
  firstHistoryDay: string | null;
}

export interface DayForecast {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** A closure of the site (public holiday…): nothing is expected. */
  closed: boolean;
  /** Expected arrivals in each local hour 0–23. */
  hourly: number[];
  expectedArrivals: number;
}

/** The days whose arrivals feed the forecast, both included. */
export function historyWindow(today: string, weeks: number): { from: string; to: string } {
  const day = isoDay(today);
  return { from: iso(day.minus({ days: 7 * weeks })), to: iso(day.minus({ days: 1 })) };
}

export function seasonalForecast(input: ForecastInput): DayForecast[] {
  const counts = new Map<string, number>();
  for (const row of input.history) counts.set(`${row.day}|${row.hour}`, (counts.get(`${row.day}|${row.hour}`) ?? 0) + row.arrivals);
  return input.dates.map((date) => {
    const weekday = isoDay(date).weekday;
    const closed = isClosedOn(input.closures, date);
    const open = openHours(input.hours, weekday);
    const references = closed ? [] : referenceDays(input, weekday);
    const totalWeight = references.reduce((sum, ref) => sum + ref.weight, 0);
    const hourly = Array.from({ length: HOURS_PER_DAY }, (_, hour) => {
      if (!open[hour] || totalWeight === 0) return 0;
      const weighted = references.reduce((sum, ref) => sum + ref.weight * (counts.get(`${ref.day}|${hour}`) ?? 0), 0);
      return round2(weighted / totalWeight);
    });
    return { date, weekday, closed, hourly, expectedArrivals: round2(hourly.reduce((a, b) => a + b, 0)) };
  });
}

/**
 * Which local hours of a weekday overlap the opening intervals: 08:30–12:00 opens hours 8 to 11.
 * Without any schedule every hour counts, as the history alone then says when people come.
 */
export function openHours(hours: WeeklyHours | null, weekday: number): boolean[] {
  const scheduled = hours !== null && WEEKDAYS.some((day) => (hours[day] ?? []).length > 0);
  const intervals = scheduled ? (hours[WEEKDAYS[weekday - 1]] ?? []) : [{ open: '00:00', close: '24:00' }];
  return Array.from({ length: HOURS_PER_DAY }, (_, hour) =>
    intervals.some((interval) => toMinutes(interval.open) < (hour + 1) * 60 && toMinutes(interval.close) > hour * 60),
  );
}

/** The same weekday in each of the last `weeks` weeks before today, with its weight, when it counts. */
function referenceDays(input: ForecastInput, weekday: number): { day: string; weight: number }[] {
  const today = isoDay(input.today);
  const back = (today.weekday - weekday + 7) % 7 || 7;
  const out: { day: string; weight: number }[] = [];
  for (let k = 1; k <= input.weeks; k++) {
    const day = iso(today.minus({ days: back + 7 * (k - 1) }));
    if (input.firstHistoryDay === null || day < input.firstHistoryDay) continue;
    if (isClosedOn(input.closures, day)) continue;
    out.push({ day, weight: input.weeks + 1 - k });
  }
  return out;
}

function isoDay(date: string): DateTime {
  return DateTime.fromISO(date, { zone: 'utc' });
}

function iso(day: DateTime): string {
  return day.toISODate() as string;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
