import { DateTime, IANAZone } from 'luxon';
import { Closure, isClosedOn, toMinutes, WEEKDAYS, WeeklyHours } from '../organisation/opening-hours';

/** What slots are cut from: the queue's effective opening hours, the site's closures and zone. */
export interface SlotRules {
  hours: WeeklyHours;
  closures: readonly Closure[];
  timeZone: string;
  slotMinutes: number;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

/** Longest range one slot query may cover, in local days (both ends included). */
export const MAX_SLOT_RANGE_DAYS = 31;

/**
 * Slots of the local days `from`..`to` (ISO dates, both included), in time order. Each opening
 * interval is cut into back-to-back slots from its opening time; a last piece shorter than a slot
 * is dropped. Slots are stepped in real time from the interval's opening instant, so on the night
 * summer time starts or ends an interval spanning it has one hour of slots less or more, as lived.
 */
export function slotsBetween(rules: SlotRules, from: string, to: string): Slot[] {
  if (!IANAZone.isValidZone(rules.timeZone)) return [];
  const first = DateTime.fromISO(from, { zone: rules.timeZone });
  const last = DateTime.fromISO(to, { zone: rules.timeZone });
  if (!first.isValid || !last.isValid) return [];
  const slots: Slot[] = [];
  for (let day = first.startOf('day'); day <= last; day = day.plus({ days: 1 })) slots.push(...slotsOfDay(rules, day));
  return slots;
}

/** The slot that starts exactly at `instant`, or null when no slot starts then. */
export function slotStartingAt(rules: SlotRules, instant: Date): Slot | null {
  if (!IANAZone.isValidZone(rules.timeZone)) return null;
  const day = DateTime.fromJSDate(instant, { zone: rules.timeZone }).startOf('day');
  return slotsOfDay(rules, day).find((slot) => slot.startsAt.getTime() === instant.getTime()) ?? null;
}

/** Local days in `from`..`to`, both included; ≤ 0 when `to` is before `from`. */
export function daysInRange(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days) + 1;
}

function slotsOfDay(rules: SlotRules, day: DateTime): Slot[] {
  if (isClosedOn(rules.closures, day.toISODate() as string)) return [];
  const step = rules.slotMinutes * 60_000;
  const slots: Slot[] = [];
  for (const interval of rules.hours[WEEKDAYS[day.weekday - 1]] ?? []) {
    const open = atMinute(day, toMinutes(interval.open));
    const close = atMinute(day, toMinutes(interval.close));
    for (let start = open; start + step <= close; start += step) {
      slots.push({ startsAt: new Date(start), endsAt: new Date(start + step) });
    }
  }
  return slots;
}

/** Instant of a wall-clock minute of a local day; 24:00 is the next midnight. Luxon moves a skipped time forward. */
function atMinute(day: DateTime, minute: number): number {
  if (minute === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
}
