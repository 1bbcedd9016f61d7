import { DateTime } from 'luxon';
import { DEMO_LOGINS } from './demo-data';
import { DEMO_BOOKINGS, DEMO_RESOURCES, workingDayAfter } from './resources';

/** The loader trusts these cross-references and the database refuses overlaps: check both here. */
describe('demo rooms and bookings', () => {
  const byName = new Map(DEMO_RESOURCES.map((r) => [r.name, r]));

  it('books known rooms and equipment for known organisers, within capacity', () => {
    const emails = new Set(DEMO_LOGINS.map((l) => l.email));
    for (const b of DEMO_BOOKINGS) {
      expect(byName.get(b.room)?.kind).toBe('room');
      expect(b.attendees).toBeLessThanOrEqual(byName.get(b.room)?.capacity ?? 0);
      for (const item of b.equipment ?? []) expect(byName.get(item)?.kind).toBe('equipment');
      expect(emails).toContain(b.organiserEmail);
      expect(b.start < b.end).toBe(true);
    }
  });

  it('never books a resource twice at the same time', () => {
    const uses = DEMO_BOOKINGS.flatMap((b) => [b.room, ...(b.equipment ?? [])].map((name) => ({ name, day: b.workingDay, start: b.start, end: b.end })));
    for (const a of uses) {
      const overlapping = uses.filter((b) => b.name === a.name && b.day === a.day && b.start < a.end && a.start < b.end);
      expect(overlapping).toHaveLength(1);
    }
  });

  it('counts working days from Monday to Friday', () => {
    const friday = DateTime.fromISO('2026-11-27T18:00', { zone: 'Europe/Paris' });
    expect(workingDayAfter(friday, 1).toISODate()).toBe('2026-11-30');
    expect(workingDayAfter(friday, 2).toISODate()).toBe('2026-12-01');
  });
});
