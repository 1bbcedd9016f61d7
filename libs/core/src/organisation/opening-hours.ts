import { DateTime, IANAZone } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `open` and `close` are local wall-clock times `HH:MM`; `close` may be `24:00` (end of day). */
export interface TimeInterval {
  open: string;
  close: string;
}

/** A missing or empty day is closed. Intervals of a day are sorted and do not overlap (checked on input). */
export type WeeklyHours = Partial<Record<Weekday, TimeInterval[]>>;

/** Whole local days, `from` and `to` included (ISO dates). Public holidays are closures too. */
export interface Closure {
  from: string;
  to: string;
  label?: string | null;
}

export interface OpeningStatus {
  /** null when the hours are unknown (a partner without hours). */
  openNow: boolean | null;
  /** Next moment the doors open (closed → open), within a year; while open, the next reopening. */
  nextOpeningAt: Date | null;
}

export const OPEN_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const CLOSE_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SEARCH_DAYS = 366;

export function toMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function isClosedOn(closures: readonly Closure[], isoDate: string): boolean {
  // ISO dates compare correctly as strings.
  return closures.some((closure) => closure.from <= isoDate && isoDate <= closure.to);
}

/**
 * Whether the place is open at `instant`. Hours are wall-clock times of `timeZone`, so the offset
 * in force that day (summer or winter time) is the one that counts.
 */
export function isOpenAt(hours: WeeklyHours, closures: readonly Closure[], timeZone: string, instant: Date): boolean {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) return false;
  if (isClosedOn(closures, local.toISODate() as string)) return false;
  const minute = local.hour * 60 + local.minute;
  return (hours[WEEKDAYS[local.weekday - 1]] ?? []).some(
    (interval) => toMinutes(interval.open) <= minute && minute < toMinutes(interval.close),
  );
}

/**
 * The first instant at or after `from` when the place goes from closed to open, searching a year
 * ahead; null if it never opens in that time. While open, this is the next reopening (after the
 * lunch break, tomorrow…). Back-to-back intervals and a `24:00` close followed by a `00:00` open
 * count as one opening.
 */
export function nextOpening(hours: WeeklyHours, closures: readonly Closure[], timeZone: string, from: Date): Date | null {
  if (!IANAZone.isValidZone(timeZone)) return null;
  if (!WEEKDAYS.some((day) => (hours[day] ?? []).length > 0)) return null;
  const zone = IANAZone.create(timeZone);
  const start = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day');
  const opensAt = (ms: number): boolean =>
    isOpenAt(hours, closures, timeZone, new Date(ms)) && !isOpenAt(hours, closures, timeZone, new Date(ms - MINUTE_MS));
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = start.plus({ days: offset });
    if (isClosedOn(closures, day.toISODate() as string)) continue;
    for (const interval of hours[WEEKDAYS[day.weekday - 1]] ?? []) {
      for (const ms of wallClockInstants(zone, day, toMinutes(interval.open))) {
        if (ms >= from.getTime() && opensAt(ms)) return new Date(ms);
      }
    }
  }
  return null;
}

export function openingStatus(
  hours: WeeklyHours | null,
  closures: readonly Closure[],
  timeZone: string,
  now: Date,
): OpeningStatus {
  if (!hours) return { openNow: null, nextOpeningAt: null };
  return { openNow: isOpenAt(hours, closures, timeZone, now), nextOpeningAt: nextOpening(hours, closures, timeZone, now) };
}

/**
 * Instants at which the clock of `zone` reaches `minute` on local `day`: usually one, two when
 * summer time ends (the hour is lived twice), and when the hour is skipped (summer time starts),
 * the instant the clock jumps over it.
 */
function wallClockInstants(zone: IANAZone, day: DateTime, minute: number): number[] {
  const wall = Date.UTC(day.year, day.month - 1, day.day) + minute * MINUTE_MS;
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  const instants = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((ms) => zone.offset(ms) * MINUTE_MS === wall - ms)
    .sort((a, b) => a - b);
  if (instants.length > 0 || before === after) return instants;
  // Skipped wall time: binary search for the jump between the two offsets (transitions fall on whole minutes).
  let lo = wall - after * MINUTE_MS;
  let hi = wall - before * MINUTE_MS;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return [hi];
}
