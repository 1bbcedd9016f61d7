import { daysInRange, SlotRules, slotsBetween, slotStartingAt } from './slots';

const weekdays = (intervals: { open: string; close: string }[]) => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals });
const allWeek = (intervals: { open: string; close: string }[]) => ({ ...weekdays(intervals), sat: intervals, sun: intervals });

const paris = (hours: SlotRules['hours'], slotMinutes = 30, closures: SlotRules['closures'] = []): SlotRules => ({
  hours,
  closures,
  timeZone: 'Europe/Paris',
  slotMinutes,
});

const iso = (slots: { startsAt: Date }[]) => slots.map((s) => s.startsAt.toISOString());

describe('appointment slots', () => {
  it('cuts each opening interval into slots in the site’s zone, dropping a short last piece', () => {
    // Tuesday 1 December 2026, Paris is UTC+1.
    const slots = slotsBetween(paris(weekdays([{ open: '09:00', close: '10:40' }, { open: '14:00', close: '15:00' }])), '2026-12-01', '2026-12-01');
    expect(iso(slots)).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:30:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T13:00:00.000Z',
      '2026-12-01T13:30:00.000Z',
    ]);
    expect(slots[0].endsAt.toISOString()).toBe('2026-12-01T08:30:00.000Z');
  });

  it('has no slots on closed days or during closures', () => {
    const rules = paris(weekdays([{ open: '09:00', close: '10:00' }]), 60, [{ from: '2026-12-02', to: '2026-12-03', label: 'Inventaire' }]);
    // Tue 1 … Sun 6: Wed and Thu closed by the closure, Sat and Sun have no hours.
    expect(iso(slotsBetween(rules, '2026-12-01', '2026-12-06'))).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-04T08:00:00.000Z']);
  });

  it('follows summer time: the offset of the day counts', () => {
    const rules = paris(allWeek([{ open: '09:00', close: '09:30' }]));
    expect(iso(slotsBetween(rules, '2026-03-28', '2026-03-29'))).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });

  it('lives the short and the long night of the clock changes as they are, up to 24:00', () => {
    const rules = paris(allWeek([{ open: '00:00', close: '24:00' }]), 60);
    expect(slotsBetween(rules, '2026-03-29', '2026-03-29')).toHaveLength(23);
    expect(slotsBetween(rules, '2026-10-25', '2026-10-25')).toHaveLength(25);
    expect(slotsBetween(rules, '2026-12-01', '2026-12-01')).toHaveLength(24);
    const long = slotsBetween(rules, '2026-10-25', '2026-10-25');
    expect(long[long.length - 1].endsAt.toISOString()).toBe('2026-10-25T23:00:00.000Z'); // next local midnight
  });

  it('finds the slot starting at an instant, and only at a slot start', () => {
    const rules = paris(weekdays([{ open: '09:00', close: '12:00' }]), 15);
    expect(slotStartingAt(rules, new Date('2026-12-01T08:45:00Z'))).toEqual({
      startsAt: new Date('2026-12-01T08:45:00Z'),
      endsAt: new Date('2026-12-01T09:00:00Z'),
    });
    expect(slotStartingAt(rules, new Date('2026-12-01T08:50:00Z'))).toBeNull();
    expect(slotStartingAt(rules, new Date('2026-12-01T11:00:00Z'))).toBeNull(); // 12:00 local: closed
    expect(slotStartingAt(rules, new Date('2026-12-05T08:45:00Z'))).toBeNull(); // Saturday
  });

  it('gives nothing for an unknown zone', () => {
    expect(slotsBetween({ ...paris(weekdays([{ open: '09:00', close: '12:00' }])), timeZone: 'Mars/Olympus' }, '2026-12-01', '2026-12-01')).toEqual([]);
  });

  it('counts the days of a range, both ends included', () => {
    expect(daysInRange('2026-12-01', '2026-12-01')).toBe(1);
    expect(daysInRange('2026-12-01', '2026-12-31')).toBe(31);
    expect(daysInRange('2026-03-01', '2026-04-01')).toBe(32);
    expect(daysInRange('2026-12-02', '2026-12-01')).toBe(0);
  });
});
