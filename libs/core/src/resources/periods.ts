import { ValidationError } from '../errors/domain-error';

/** Plannings and availability are read over at most this many days at once. */
export const MAX_RANGE_DAYS = 31;
/** A booking longer than this is a mistake (a wrong year or month), not a meeting. */
export const MAX_BOOKING_DAYS = 31;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Period {
  start: Date;
  end: Date;
}

/**
 * A half-open period [start, end) read from two instants, or a 400 naming the field at fault.
 * `maxDays` bounds the length; field names are those of the request.
 */
export function parsePeriod(start: string | Date, end: string | Date, maxDays: number, fields: { start: string; end: string }): Period {
  const s = start instanceof Date ? start : new Date(start);
  const e = end instanceof Date ? end : new Date(end);
  if (Number.isNaN(s.getTime())) throw new ValidationError('Invalid period', [{ field: fields.start, message: `${fields.start} must be an instant` }]);
  if (Number.isNaN(e.getTime())) throw new ValidationError('Invalid period', [{ field: fields.end, message: `${fields.end} must be an instant` }]);
  if (e.getTime() <= s.getTime()) {
    throw new ValidationError('Invalid period', [{ field: fields.end, message: `${fields.end} must be after ${fields.start}` }]);
  }
  if (e.getTime() - s.getTime() > maxDays * DAY_MS) {
    throw new ValidationError('Invalid period', [{ field: fields.end, message: `the period may last at most ${maxDays} days` }]);
  }
  return { start: s, end: e };
}

export interface BusyInterval {
  startsAt: Date;
  endsAt: Date;
}

/** Whether [start, end) meets none of the busy intervals (half-open: touching ends do not overlap). */
export function isFree(period: Period, busy: BusyInterval[]): boolean {
  return busy.every((b) => b.endsAt.getTime() <= period.start.getTime() || b.startsAt.getTime() >= period.end.getTime());
}
