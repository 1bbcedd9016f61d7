import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import type { FieldError } from '../errors/domain-error';

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Eisenhower matrix: do first, schedule, delegate, drop. */
export const QUADRANTS = ['do_first', 'schedule', 'delegate', 'eliminate'] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export function quadrantOf(urgent: boolean, important: boolean): Quadrant {
  if (urgent && important) return 'do_first';
  if (important) return 'schedule';
  if (urgent) return 'delegate';
  return 'eliminate';
}

const MAX_RULE_LENGTH = 300;

/**
 * Checks an RRULE (RFC 5545, without DTSTART: the task's due date starts the series). COUNT is
 * refused because each occurrence restarts the rule from its own due date; UNTIL bounds a series.
 */
export function recurrenceErrors(rule: string): FieldError[] {
  const field = 'recurrence';
  if (rule.length > MAX_RULE_LENGTH) return [{ field, message: `recurrence must be at most ${MAX_RULE_LENGTH} characters` }];
  if (/DTSTART/i.test(rule)) return [{ field, message: 'recurrence must not contain DTSTART: the due date starts the series' }];
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(rule.replace(/^RRULE:/i, ''));
  } catch (error) {
    return [{ field, message: `recurrence is not a valid RRULE (${(error as Error).message})` }];
  }
  if (options.freq === undefined || options.freq === null) return [{ field, message: 'recurrence must have a FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)' }];
  if (options.count !== undefined && options.count !== null) return [{ field, message: 'recurrence must use UNTIL rather than COUNT' }];
  if (options.freq > RRule.DAILY) return [{ field, message: 'recurrence must be daily, weekly, monthly or yearly' }];
  return [];
}

/**
 * The due date following `dueAt` in the rule, read in the site's zone so that "every Monday at
 * 9:00" stays at 9:00 across daylight saving changes (rrule computes in UTC: the local wall time is
 * passed as if it were UTC, then mapped back). Null when the series is over (UNTIL passed).
 */
export function nextOccurrence(rule: string, dueAt: Date, timeZone: string): Date | null {
  const local = DateTime.fromJSDate(dueAt, { zone: timeZone });
  const floating = (dt: DateTime) => new Date(Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second));
  const rrule = new RRule({ ...RRule.parseString(rule.replace(/^RRULE:/i, '')), dtstart: floating(local) });
  const next = rrule.after(floating(local), false);
  if (!next) return null;
  return DateTime.fromObject(
    { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: next.getUTCHours(), minute: next.getUTCMinutes(), second: next.getUTCSeconds() },
    { zone: timeZone },
  ).toJSDate();
}
