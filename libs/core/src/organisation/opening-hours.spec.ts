import { Closure, isOpenAt, nextOpening, openingStatus, WeeklyHours } from './opening-hours';

const PARIS = 'Europe/Paris';
const weekdays = [
  { open: '08:30', close: '12:00' },
  { open: '13:30', close: '17:00' },
];
const HOURS: WeeklyHours = { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] };
const at = (iso: string): Date => new Date(iso);

describe('isOpenAt', () => {
  it('follows the lunch break, closing times being exclusive', () => {
    // Monday 5 January 2026, winter time (UTC+1).
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T07:29:59Z'))).toBe(false);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T07:30:00Z'))).toBe(true);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T10:59:00Z'))).toBe(true);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T11:00:00Z'))).toBe(false);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T12:45:00Z'))).toBe(true);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-01-05T16:00:00Z'))).toBe(false);
  });

  it('is closed on a closure day, whatever the weekly hours say', () => {
    const closures: Closure[] = [{ from: '2026-12-24', to: '2026-12-26', label: 'Noël' }];
    expect(isOpenAt(HOURS, closures, PARIS, at('2026-12-24T09:00:00Z'))).toBe(false);
    expect(isOpenAt(HOURS, closures, PARIS, at('2026-12-23T09:00:00Z'))).toBe(true);
  });

  it('reads the closure day in the site time zone, not in UTC', () => {
    // 23:30 UTC on the 23rd is already 00:30 on the 24th in Paris.
    const allDay: WeeklyHours = { wed: [{ open: '00:00', close: '24:00' }], thu: [{ open: '00:00', close: '24:00' }] };
    const closures: Closure[] = [{ from: '2026-12-24', to: '2026-12-24' }];
    expect(isOpenAt(allDay, closures, PARIS, at('2026-12-23T22:30:00Z'))).toBe(true);
    expect(isOpenAt(allDay, closures, PARIS, at('2026-12-23T23:30:00Z'))).toBe(false);
  });

  it('uses summer time on the Monday after the change (08:30 is 06:30 UTC, not 07:30)', () => {
    expect(isOpenAt(HOURS, [], PARIS, at('2026-03-30T06:45:00Z'))).toBe(true);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-03-30T06:15:00Z'))).toBe(false);
    expect(isOpenAt(HOURS, [], PARIS, at('2026-03-23T06:45:00Z'))).toBe(false);
  });

  it('is closed for an unknown time zone', () => {
    expect(isOpenAt(HOURS, [], 'Mars/Olympus', at('2026-01-05T09:00:00Z'))).toBe(false);
  });
});

describe('nextOpening', () => {
  it('is the end of the lunch break when called during it, and the reopening when called while open', () => {
    expect(nextOpening(HOURS, [], PARIS, at('2026-01-05T11:15:00Z'))).toEqual(at('2026-01-05T12:30:00Z'));
    expect(nextOpening(HOURS, [], PARIS, at('2026-01-05T09:00:00Z'))).toEqual(at('2026-01-05T12:30:00Z'));
    expect(nextOpening(HOURS, [], PARIS, at('2026-01-05T12:30:00Z'))).toEqual(at('2026-01-05T12:30:00Z'));
  });

  it('skips the weekend and a closure', () => {
    // Friday evening → Monday morning.
    expect(nextOpening(HOURS, [], PARIS, at('2026-01-09T17:00:00Z'))).toEqual(at('2026-01-12T07:30:00Z'));
    // Wednesday 23 December evening; closed Thursday 24 to Saturday 26 → Monday 28.
    const closures: Closure[] = [{ from: '2026-12-24', to: '2026-12-26', label: 'Noël' }];
    expect(nextOpening(HOURS, closures, PARIS, at('2026-12-23T17:00:00Z'))).toEqual(at('2026-12-28T07:30:00Z'));
  });

  it('uses the offset of the day it opens, across the switch to summer time', () => {
    // Saturday 28 March 2026 (UTC+1) → Monday 30 March 08:30 (UTC+2).
    expect(nextOpening(HOURS, [], PARIS, at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-30T06:30:00Z'));
    // And back to winter time at the end of October.
    expect(nextOpening(HOURS, [], PARIS, at('2026-10-24T12:00:00Z'))).toEqual(at('2026-10-26T07:30:00Z'));
  });

  it('opens when the clock jumps over a skipped opening time (29 March 2026, 02:00 → 03:00)', () => {
    const night: WeeklyHours = { sun: [{ open: '02:30', close: '05:00' }] };
    const opening = nextOpening(night, [], PARIS, at('2026-03-28T23:00:00Z'));
    expect(opening).toEqual(at('2026-03-29T01:00:00Z'));
    expect(isOpenAt(night, [], PARIS, at('2026-03-29T00:59:00Z'))).toBe(false);
    expect(isOpenAt(night, [], PARIS, opening as Date)).toBe(true);
  });

  it('opens twice when the opening time is lived twice (25 October 2026, 03:00 → 02:00)', () => {
    const night: WeeklyHours = { sun: [{ open: '02:15', close: '02:45' }] };
    expect(nextOpening(night, [], PARIS, at('2026-10-24T22:00:00Z'))).toEqual(at('2026-10-25T00:15:00Z'));
    expect(nextOpening(night, [], PARIS, at('2026-10-25T00:16:00Z'))).toEqual(at('2026-10-25T01:15:00Z'));
  });

  it('treats back-to-back intervals and a midnight crossing as one opening', () => {
    const continuous: WeeklyHours = {
      mon: [
        { open: '08:00', close: '12:00' },
        { open: '12:00', close: '24:00' },
      ],
      tue: [{ open: '00:00', close: '10:00' }],
    };
    // Monday 10:00 Paris: still open until Tuesday 10:00; the next opening is the Monday after.
    expect(nextOpening(continuous, [], PARIS, at('2026-01-05T09:00:00Z'))).toEqual(at('2026-01-12T07:00:00Z'));
  });

  it('is null when the place never opens within a year', () => {
    expect(nextOpening({}, [], PARIS, at('2026-01-05T09:00:00Z'))).toBeNull();
    const longClosure: Closure[] = [{ from: '2026-01-01', to: '2027-06-30', label: 'Travaux' }];
    expect(nextOpening(HOURS, longClosure, PARIS, at('2026-01-05T09:00:00Z'))).toBeNull();
    expect(nextOpening(HOURS, [], 'Mars/Olympus', at('2026-01-05T09:00:00Z'))).toBeNull();
  });

  it('works in other zones', () => {
    // New York switches to summer time on 8 March 2026: Monday 9 March 09:00 is 13:00 UTC.
    const hours: WeeklyHours = { mon: [{ open: '09:00', close: '17:00' }] };
    expect(nextOpening(hours, [], 'America/New_York', at('2026-03-06T12:00:00Z'))).toEqual(at('2026-03-09T13:00:00Z'));
  });
});

describe('openingStatus', () => {
  it('is unknown without hours', () => {
    expect(openingStatus(null, [], PARIS, at('2026-01-05T09:00:00Z'))).toEqual({ openNow: null, nextOpeningAt: null });
  });

  it('combines both answers', () => {
    expect(openingStatus(HOURS, [], PARIS, at('2026-01-05T11:15:00Z'))).toEqual({
      openNow: false,
      nextOpeningAt: at('2026-01-05T12:30:00Z'),
    });
  });
});
