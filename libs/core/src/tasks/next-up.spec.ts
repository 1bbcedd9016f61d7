import fc from 'fast-check';
import { DUE_SOON_MS, NEXT_UP_TIERS, NextUpCandidate, orderNextUp, tierOf } from './next-up';

const now = new Date('2026-11-27T10:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

function item(id: string, fields: Partial<NextUpCandidate> = {}): NextUpCandidate {
  return { kind: 'task', id, title: id, dueAt: null, since: at(-10), urgent: false, important: false, ...fields };
}

describe('next up ordering', () => {
  it('puts overdue first, then due soon, then the quadrants', () => {
    const list = orderNextUp(
      [
        item('rest'),
        item('important', { important: true }),
        item('urgent', { urgent: true }),
        item('both', { urgent: true, important: true }),
        item('soon', { dueAt: at(30) }),
        item('overdue', { dueAt: at(-5) }),
        item('later', { dueAt: at(24 * 60), important: true }),
      ],
      now,
    );
    expect(list.map((i) => i.id)).toEqual(['overdue', 'soon', 'both', 'urgent', 'later', 'important', 'rest']);
    expect(list.map((i) => i.tier)).toEqual(['overdue', 'due_soon', 'urgent_important', 'urgent', 'important', 'important', 'other']);
  });

  it('orders the most overdue first and, at equal tier without deadline, the longest waiting first', () => {
    const list = orderNextUp(
      [
        item('late-5', { dueAt: at(-5) }),
        item('late-60', { dueAt: at(-60) }),
        item('ticket-new', { kind: 'ticket', urgent: true, important: true, since: at(-2) }),
        item('ticket-old', { kind: 'ticket', urgent: true, important: true, since: at(-25) }),
      ],
      now,
    );
    expect(list.map((i) => i.id)).toEqual(['late-60', 'late-5', 'ticket-old', 'ticket-new']);
  });

  it('counts a deadline exactly now as overdue and one DUE_SOON_MS away as due soon', () => {
    expect(tierOf(item('a', { dueAt: now }), now)).toBe('overdue');
    expect(tierOf(item('b', { dueAt: new Date(now.getTime() + DUE_SOON_MS) }), now)).toBe('due_soon');
    expect(tierOf(item('c', { dueAt: new Date(now.getTime() + DUE_SOON_MS + 1) }), now)).toBe('other');
  });

  it('is a total order: tiers never decrease and the result does not depend on the input order', () => {
    const candidate = fc.record({
      kind: fc.constantFrom('ticket' as const, 'callback' as const, 'email' as const, 'task' as const),
      id: fc.uuid(),
      title: fc.constant('x'),
      dueAt: fc.option(fc.integer({ min: -600, max: 600 }).map(at), { nil: null }),
      since: fc.integer({ min: -600, max: 0 }).map(at),
      urgent: fc.boolean(),
      important: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.id, maxLength: 30 }), (list) => {
        const ordered = orderNextUp(list, now);
        const ranks = ordered.map((i) => NEXT_UP_TIERS.indexOf(i.tier));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(orderNextUp([...list].reverse(), now).map((i) => i.id)).toEqual(ordered.map((i) => i.id));
      }),
    );
  });
});
