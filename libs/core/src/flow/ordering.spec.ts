import fc from 'fast-check';
import { checkInTiming, DEFAULT_BONUSES, estimateWaitSeconds, orderTicket } from './ordering';

const T0 = Date.UTC(2026, 10, 30, 8, 30);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('orderTicket', () => {
  it('keys a standard ticket by its arrival', () => {
    expect(orderTicket({ arrivedAt: at(10), needs: [] })).toEqual({ priorityClass: 'standard', sortKey: at(10) });
  });

  it('moves reduced mobility ahead by the needs bonus, but not a language need', () => {
    expect(orderTicket({ arrivedAt: at(10), needs: ['reduced_mobility'] })).toEqual({ priorityClass: 'needs', sortKey: at(-5) });
    expect(orderTicket({ arrivedAt: at(10), needs: ['foreign_language'] }).priorityClass).toBe('standard');
  });

  it('slots an on-time appointment by its start time', () => {
    const ordering = orderTicket({ arrivedAt: at(55), needs: [], appointmentStartsAt: at(60) });
    expect(ordering).toEqual({ priorityClass: 'appointment', sortKey: at(40) });
  });

  it('keeps the earliest key when several classes apply', () => {
    expect(orderTicket({ arrivedAt: at(0), needs: ['urgency', 'sight'] }).priorityClass).toBe('urgent');
  });
});

describe('checkInTiming', () => {
  it('classifies against the window', () => {
    expect(checkInTiming(at(60), at(20), 30, 10)).toBe('early');
    expect(checkInTiming(at(60), at(30), 30, 10)).toBe('on_time');
    expect(checkInTiming(at(60), at(70), 30, 10)).toBe('on_time');
    expect(checkInTiming(at(60), at(71), 30, 10)).toBe('late');
  });
});

describe('estimateWaitSeconds', () => {
  it('divides the work ahead among open counters', () => {
    expect(estimateWaitSeconds(6, 300, 3)).toBe(600);
    expect(estimateWaitSeconds(0, 300, 2)).toBe(0);
    expect(estimateWaitSeconds(4, 300, 0)).toBe(1200);
  });
});

/**
 * Property: simulate arrivals of random classes and a server taking the smallest key. Then
 * (1) no ticket is ever served after a ticket that arrived more than max(bonus) later (bounded
 * overtaking, so no starvation), and (2) a higher class waiting at the same time goes first unless
 * the lower one arrived earlier by more than the difference of their bonuses.
 */
describe('ordering properties', () => {
  const maxBonusMs = Math.max(...Object.values(DEFAULT_BONUSES)) * 1000;
  const arrival = fc.record({
    gapSeconds: fc.integer({ min: 0, max: 600 }),
    kind: fc.constantFrom<'standard' | 'needs' | 'urgent' | 'appointment'>('standard', 'needs', 'urgent', 'appointment'),
    appointmentOffsetMinutes: fc.integer({ min: -30, max: 10 }),
  });

  it('bounds overtaking and respects priority', () => {
    fc.assert(
      fc.property(fc.array(arrival, { minLength: 2, maxLength: 120 }), fc.integer({ min: 30, max: 900 }), (arrivals, serviceSeconds) => {
        let clock = T0;
        const tickets = arrivals.map((a, index) => {
          clock += a.gapSeconds * 1000;
          const arrivedAt = new Date(clock);
          const needs = a.kind === 'needs' ? ['reduced_mobility'] : a.kind === 'urgent' ? ['urgency'] : [];
          // An on-time check-in: the appointment starts within the window around the arrival.
          const appointmentStartsAt = a.kind === 'appointment' ? new Date(clock + a.appointmentOffsetMinutes * 60_000) : null;
          return { index, arrivedAt, ...orderTicket({ arrivedAt, needs, appointmentStartsAt }) };
        });
        // One server: at each free moment, serve the smallest key among arrived tickets.
        const served: ((typeof tickets)[number] & { servedAt: number })[] = [];
        const waiting: typeof tickets = [];
        let now = tickets[0].arrivedAt.getTime();
        let next = 0;
        while (served.length < tickets.length) {
          while (next < tickets.length && tickets[next].arrivedAt.getTime() <= now) waiting.push(tickets[next++]);
          if (waiting.length === 0) {
            now = tickets[next].arrivedAt.getTime();
            continue;
          }
          waiting.sort((x, y) => x.sortKey.getTime() - y.sortKey.getTime() || x.index - y.index);
          served.push({ ...waiting.shift()!, servedAt: now });
          now += serviceSeconds * 1000;
        }
        const appointmentSlack = 10 * 60_000; // an on-time appointment may start up to 10 min after check-in
        for (let i = 0; i < served.length; i++) {
          for (let j = i + 1; j < served.length; j++) {
            const early = served[j];
            const overtaker = served[i];
            // (1) served[i] went first although it arrived after served[j]: only within the bound.
            if (overtaker.arrivedAt > early.arrivedAt) {
              expect(overtaker.arrivedAt.getTime() - early.arrivedAt.getTime()).toBeLessThanOrEqual(maxBonusMs + appointmentSlack);
            }
          }
        }
        // (2) Priority within the bound: when a was picked while b was already waiting, b did not
        // outrank a by more than the arrival gap, i.e. b did not deserve to go first.
        for (let i = 0; i < served.length; i++) {
          for (let j = i + 1; j < served.length; j++) {
            const a = served[i];
            const b = served[j];
            if (a.priorityClass === 'appointment' || b.priorityClass === 'appointment') continue;
            if (b.arrivedAt.getTime() > a.servedAt) continue;
            const advantageMs = (DEFAULT_BONUSES[b.priorityClass] - DEFAULT_BONUSES[a.priorityClass]) * 1000;
            expect(b.arrivedAt.getTime() - a.arrivedAt.getTime()).toBeGreaterThanOrEqual(advantageMs);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
