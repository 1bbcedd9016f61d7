import { DateTime, IANAZone } from 'luxon';
import { Closure, isClosedOn, toMinutes, WeeklyHours, WEEKDAYS } from '../organisation/opening-hours';

/**
 * Working time of a site, for SLA clocks. `hours: null` (or hours with no open interval at all) is
 * a clock without calendar: it counts around the clock. Otherwise only the site's opening hours
 * count, in its time zone, minus its closures (whole local days).
 */
export interface BusinessCalendar {
  hours: WeeklyHours | null;
  closures: readonly Closure[];
  timeZone: string;
}

const MINUTE_MS = 60_000;
/** Far enough for any SLA (a year of one open hour a week is 52 hours); beyond it the calendar is unusable. */
const MAX_SEARCH_DAYS = 3 * 366;

export class BusinessCalendarError extends Error {}

/**
 * The instant at which `minutes` of business time have passed since `start`. Zero minutes is
 * `start` itself even outside the hours (nothing to wait for). Fractions of a minute are kept
 * (a resumed clock carries what was left to the millisecond).
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  if (minutes === 0 || !hasHours(calendar)) return new Date(start.getTime() + minutes * MINUTE_MS);
  let left = minutes * MINUTE_MS;
  for (const [open, close] of openIntervals(calendar, start)) {
    const from = Math.max(open, start.getTime());
    if (close <= from) continue;
    if (close - from >= left) return new Date(from + left);
    left -= close - from;
  }
  throw new BusinessCalendarError(`The site is not open for ${minutes} minutes within ${MAX_SEARCH_DAYS} days`);
}

/** Business minutes (with fractions) between two instants; 0 when `to` is not after `from`. */
export function businessMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!hasHours(calendar)) return (to.getTime() - from.getTime()) / MINUTE_MS;
  let total = 0;
  for (const [open, close] of openIntervals(calendar, from)) {
    if (open >= to.getTime()) break;
    total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
  }
  return total / MINUTE_MS;
}

function hasHours(calendar: BusinessCalendar): calendar is BusinessCalendar & { hours: WeeklyHours } {
  return calendar.hours !== null && WEEKDAYS.some((day) => (calendar.hours?.[day] ?? []).length > 0);
}

/**
 * Open intervals `[open, close)` in epoch ms, in order, from the local day of `from` on. Wall
 * times are read in the zone on their own day, so a DST change day has one hour less or more; a
 * wall time the clock skips is moved forward by the length of the jump (luxon's rule: 02:30 → 03:30). Back-to-back
 * intervals (`24:00` then `00:00`) simply follow each other.
 */
function* openIntervals(calendar: BusinessCalendar & { hours: WeeklyHours }, from: Date): Generator<[number, number]> {
  if (!IANAZone.isValidZone(calendar.timeZone)) throw new BusinessCalendarError(`Unknown time zone ${calendar.timeZone}`);
  const firstDay = DateTime.fromJSDate(from, { zone: calendar.timeZone }).startOf('day');
  for (let offset = 0; offset <= MAX_SEARCH_DAYS; offset++) {
    const day = firstDay.plus({ days: offset });
    if (isClosedOn(calendar.closures, day.toISODate() as string)) continue;
    for (const interval of calendar.hours[WEEKDAYS[day.weekday - 1]] ?? []) {
      const open = wallClock(day, toMinutes(interval.open));
      const close = wallClock(day, toMinutes(interval.close));
      if (close > open) yield [open, close];
    }
  }
}

function wallClock(day: DateTime, minuteOfDay: number): number {
  if (minuteOfDay >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 }).toMillis();
}
