import { nextOccurrence, quadrantOf, recurrenceErrors } from './task-rules';

describe('task rules', () => {
  it('derives the quadrant from urgency and importance', () => {
    expect(quadrantOf(true, true)).toBe('do_first');
    expect(quadrantOf(false, true)).toBe('schedule');
    expect(quadrantOf(true, false)).toBe('delegate');
    expect(quadrantOf(false, false)).toBe('eliminate');
  });

  it('accepts daily to yearly rules and refuses the rest with a reason', () => {
    expect(recurrenceErrors('FREQ=WEEKLY;BYDAY=MO')).toEqual([]);
    expect(recurrenceErrors('RRULE:FREQ=MONTHLY;BYMONTHDAY=1')).toEqual([]);
    expect(recurrenceErrors('FREQ=DAILY;UNTIL=20271231T000000Z')).toEqual([]);
    expect(recurrenceErrors('FOO=BAR')[0].message).toMatch(/not a valid RRULE/);
    expect(recurrenceErrors('BYDAY=MO')[0].message).toMatch(/FREQ/);
    expect(recurrenceErrors('FREQ=WEEKLY;COUNT=3')[0].message).toMatch(/UNTIL/);
    expect(recurrenceErrors('FREQ=HOURLY')[0].message).toMatch(/daily/);
    expect(recurrenceErrors('DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY')[0].message).toMatch(/DTSTART/);
  });

  it('keeps the local wall time across a daylight saving change', () => {
    // Monday 19 Oct 2026 09:00 in Paris is 07:00Z (summer time); the next Monday is 08:00Z (winter time).
    const next = nextOccurrence('FREQ=WEEKLY;BYDAY=MO', new Date('2026-10-19T07:00:00Z'), 'Europe/Paris');
    expect(next?.toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('ends the series after UNTIL', () => {
    expect(nextOccurrence('FREQ=DAILY;UNTIL=20261020T000000Z', new Date('2026-10-19T07:00:00Z'), 'Europe/Paris')).toBeNull();
  });
});
