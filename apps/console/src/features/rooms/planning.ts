import { DateTime } from 'luxon';

export type PlanningView = 'day' | 'week';

/** Hours shown by the day grid; bookings outside are clipped to its edges. */
export const DAY_FIRST_HOUR = 7;
export const DAY_LAST_HOUR = 21;

/** The local days shown, in the site's zone: one, or Monday to Sunday of the anchor's week. */
export function planningDays(anchor: string, view: PlanningView, zone: string): DateTime[] {
  const day = DateTime.fromISO(anchor, { zone }).startOf('day');
  if (view === 'day') return [day];
  const monday = day.startOf('week');
  return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }));
}

/** [from, to) covering the days, as instants with offset for the API. */
export function planningRange(days: DateTime[]): { from: string; to: string } {
  return { from: days[0].toISO() as string, to: days[days.length - 1].plus({ days: 1 }).toISO() as string };
}

export function shiftAnchor(anchor: string, view: PlanningView, direction: -1 | 1, zone: string): string {
  return DateTime.fromISO(anchor, { zone })
    .plus(view === 'day' ? { days: direction } : { weeks: direction })
    .toISODate() as string;
}

export function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate() as string;
}

/** Left offset and width (percent of the day grid) of a booking on a local day; null if it is not on it. */
export function placeOnDay(startsAt: string, endsAt: string, day: DateTime): { left: number; width: number } | null {
  const first = day.set({ hour: DAY_FIRST_HOUR });
  const last = day.set({ hour: DAY_LAST_HOUR });
  const span = last.toMillis() - first.toMillis();
  const start = Math.max(DateTime.fromISO(startsAt).toMillis(), first.toMillis());
  const end = Math.min(DateTime.fromISO(endsAt).toMillis(), last.toMillis());
  if (end <= start) return null;
  return { left: ((start - first.toMillis()) / span) * 100, width: ((end - start) / span) * 100 };
}

/** Whether a booking overlaps a local day (half-open). */
export function onDay(startsAt: string, endsAt: string, day: DateTime): boolean {
  const start = DateTime.fromISO(startsAt).toMillis();
  const end = DateTime.fromISO(endsAt).toMillis();
  return start < day.plus({ days: 1 }).toMillis() && end > day.toMillis();
}

/** "09:00–10:30" in the site's zone and the interface language. */
export function timeSpan(startsAt: string, endsAt: string, zone: string, locale: string): string {
  const format = (iso: string) => DateTime.fromISO(iso, { zone }).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
  return `${format(startsAt)}–${format(endsAt)}`;
}

/** A local date and time of the site's zone as an instant with offset; null when incomplete. */
export function localInstant(date: string, time: string, zone: string): string | null {
  if (!date || !time) return null;
  const value = DateTime.fromISO(`${date}T${time}`, { zone });
  return value.isValid ? (value.toISO() as string) : null;
}
