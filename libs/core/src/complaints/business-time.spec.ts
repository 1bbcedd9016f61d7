import fc from 'fast-check';
import { DateTime } from 'luxon';
import { WeeklyHours } from '../organisation/opening-hours';
import { addBusinessMinutes, BusinessCalendar, BusinessCalendarError, businessMinutesBetween } from './business-time';

const ZONE = 'Europe/Paris';
const NINE_TO_SIX = [{ open: '09:00', close: '18:00' }];
const WEEKDAYS_9_18: WeeklyHours = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX };
const office: BusinessCalendar = { hours: WEEKDAYS_9_18, closures: [], timeZone: ZONE };
const allDay: BusinessCalendar = { hours: null, closures: [], timeZone: ZONE };

const local = (iso: string, zone = ZONE) => DateTime.fromISO(iso, { zone }).toJSDate();
const show = (d: Date, zone = ZONE) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");

describe('addBusinessMinutes', () => {
  it('carries 4 business hours from Friday 17:55 to Monday 12:55', () => {
    // 2026-11-27 is a Friday: 5 minutes on Friday, 3 h 55 on Monday from 9:00.
    expect(show(addBusinessMinutes(local('2026-11-27T17:55'), 240, office))).toBe('2026-11-30T12:55:00');
  });

  it('starts counting at the opening when received outside the hours', () => {
    expect(show(addBusinessMinutes(local('2026-11-28T10:00'), 30, office))).toBe('2026-11-30T09:30:00'); // Saturday
    expect(show(addBusinessMinutes(local('2026-11-26T07:00'), 60, office))).toBe('2026-11-26T10:00:00');
    expect(show(addBusinessMinutes(local('2026-11-26T19:00'), 60, office))).toBe('2026-11-27T10:00:00');
  });

  it('skips closures (public holidays, whole days)', () => {
    // Friday 2026-12-25 and the next Monday closed: Thursday 17:00 + 2 h → Tuesday 10:00.
    const closed: BusinessCalendar = { ...office, closures: [{ from: '2026-12-25', to: '2026-12-25' }, { from: '2026-12-28', to: '2026-12-28' }] };
    expect(show(addBusinessMinutes(local('2026-12-24T17:00'), 120, closed))).toBe('2026-12-29T10:00:00');
  });

  it('honours split days (lunch break)', () => {
    const split: BusinessCalendar = { ...office, hours: { mon: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '17:00' }] } };
    expect(show(addBusinessMinutes(local('2026-11-30T11:30'), 60, split))).toBe('2026-11-30T14:30:00');
  });

  it('counts wall-clock business hours across the DST change (night hours are not business time)', () => {
    // Summer time ends on Sunday 2026-10-25 in Paris: Friday 17:00 + 2 h → Monday 10:00 local, one UTC hour later in offset.
    const due = addBusinessMinutes(local('2026-10-23T17:00'), 120, office);
    expect(show(due)).toBe('2026-10-26T10:00:00');
    expect(due.toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts real elapsed time on a 24/7 clock across the DST change', () => {
    // The night of 2026-03-29 has 23 hours in Paris: 24 real hours end at 03:00 local the next day.
    const calendar: BusinessCalendar = { ...office, hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])) };
    expect(show(addBusinessMinutes(local('2026-03-29T01:00'), 24 * 60, calendar))).toBe('2026-03-30T02:00:00');
    expect(show(addBusinessMinutes(local('2026-03-29T01:00'), 24 * 60, allDay))).toBe('2026-03-30T02:00:00');
  });

  it('moves an opening wall time the clock skips forward by the jump', () => {
    const night: BusinessCalendar = { ...office, hours: { sun: [{ open: '02:30', close: '05:00' }] } };
    // 2026-03-29 02:30 does not exist in Paris: the interval runs from 03:30 to 05:00.
    expect(show(addBusinessMinutes(local('2026-03-29T00:00'), 30, night))).toBe('2026-03-29T04:00:00');
    expect(businessMinutesBetween(local('2026-03-29T00:00'), local('2026-03-29T06:00'), night)).toBe(90);
  });

  it('counts 24/7 without a calendar, or with hours that are never open', () => {
    expect(addBusinessMinutes(new Date('2026-11-27T16:55:00Z'), 240, allDay).toISOString()).toBe('2026-11-27T20:55:00.000Z');
    expect(addBusinessMinutes(new Date('2026-11-27T16:55:00Z'), 240, { ...office, hours: {} }).toISOString()).toBe('2026-11-27T20:55:00.000Z');
  });

  it('refuses a calendar that never opens within the search window, and negative minutes', () => {
    const alwaysClosed: BusinessCalendar = { ...office, closures: [{ from: '2000-01-01', to: '2999-12-31' }] };
    expect(() => addBusinessMinutes(local('2026-11-27T10:00'), 10, alwaysClosed)).toThrow(BusinessCalendarError);
    expect(() => addBusinessMinutes(local('2026-11-27T10:00'), -1, office)).toThrow(RangeError);
  });

  it('keeps zero minutes at the start, even outside the hours', () => {
    const saturday = local('2026-11-28T10:00');
    expect(addBusinessMinutes(saturday, 0, office)).toEqual(saturday);
  });
});

describe('businessMinutesBetween', () => {
  it('counts only open time', () => {
    expect(businessMinutesBetween(local('2026-11-27T17:55'), local('2026-11-30T12:55'), office)).toBe(240);
    expect(businessMinutesBetween(local('2026-11-28T00:00'), local('2026-11-29T23:59'), office)).toBe(0);
    expect(businessMinutesBetween(local('2026-11-30T12:55'), local('2026-11-27T17:55'), office)).toBe(0);
  });

  it('models a pause: what was left at the pause is carried from the resume', () => {
    // Received Friday 17:55 (due Monday 12:55); waiting for the visitor from Monday 10:00 to Tuesday 09:30.
    const received = local('2026-11-27T17:55');
    const due = addBusinessMinutes(received, 240, office);
    const pausedAt = local('2026-11-30T10:00');
    const resumedAt = local('2026-12-01T09:30');
    const left = businessMinutesBetween(pausedAt, due, office);
    expect(left).toBe(175);
    const newDue = addBusinessMinutes(resumedAt, left, office);
    expect(show(newDue)).toBe('2026-12-01T12:25:00');
    // Business time worked = total − paused.
    const paused = businessMinutesBetween(pausedAt, resumedAt, office);
    expect(paused).toBe(8 * 60 + 30);
    expect(businessMinutesBetween(received, newDue, office) - paused).toBe(240);
  });

  it('is the inverse of addBusinessMinutes from an open instant (property)', () => {
    const start = local('2026-01-05T09:00').getTime();
    const calendars = [office, allDay, { ...office, closures: [{ from: '2026-03-02', to: '2026-03-06' }] }];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 * 60 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom(...calendars),
        (offsetMinutes, minutes, calendar) => {
          const from = new Date(start + offsetMinutes * 60_000);
          const due = addBusinessMinutes(from, minutes, calendar);
          expect(due.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(businessMinutesBetween(from, due, calendar)).toBeCloseTo(minutes, 6);
        },
      ),
      { numRuns: 200 },
    );
  });
});
