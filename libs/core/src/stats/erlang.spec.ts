import fc from 'fast-check';
import { averageSpeedOfAnswer, erlangB, erlangC, offeredLoad, requiredCounters, serviceLevel, staffHour } from './erlang';

/**
 * Independent reference: the textbook closed form with powers and factorials,
 *   C(c, A) = (A^c/c! · c/(c−A)) / (Σ_{k<c} A^k/k! + A^c/c! · c/(c−A)),
 * fine in doubles for the small c used here.
 */
function directErlangC(c: number, a: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * c) / (c - a);
  return top / (sum + top);
}

/** Erlang B straight from its definition, (A^c/c!) / Σ_{k≤c} A^k/k!. */
function directErlangB(c: number, a: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= c; k++) {
    term = (term * a) / k;
    sum += term;
  }
  return term / sum;
}

const directServiceLevel = (c: number, a: number, t: number, s: number): number => 1 - directErlangC(c, a) * Math.exp((-(c - a) * t) / s);

describe('Erlang maths', () => {
  it('matches textbook values', () => {
    expect(erlangC(11, 10)).toBeCloseTo(0.682, 3);
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    // Single counter (M/M/1): P(wait) is the utilisation.
    expect(erlangC(1, 0.3)).toBeCloseTo(0.3, 12);
  });

  it('agrees with the closed forms with factorials', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (c, utilisation) => {
        const a = c * utilisation;
        expect(erlangB(c, a)).toBeCloseTo(directErlangB(c, a), 10);
        expect(erlangC(c, a)).toBeCloseTo(directErlangC(c, a), 10);
        expect(serviceLevel(c, a, 600, 300)).toBeCloseTo(directServiceLevel(c, a, 600, 300), 10);
        expect(averageSpeedOfAnswer(c, a, 300)).toBeCloseTo((directErlangC(c, a) * 300) / (c - a), 6);
      }),
    );
  });

  it('stays finite and within [0, 1] where the factorial form overflows', () => {
    const c = erlangC(400, 380);
    expect(Number.isFinite(c)).toBe(true);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });

  it('treats an overloaded queue as always waiting and no load as never', () => {
    expect(erlangC(2, 2)).toBe(1);
    expect(serviceLevel(2, 3, 600, 300)).toBe(0);
    expect(averageSpeedOfAnswer(2, 2, 300)).toBe(Infinity);
    expect(erlangC(3, 0)).toBe(0);
    expect(serviceLevel(0, 0, 600, 300)).toBe(1);
  });

  it('recommends the fewest counters that meet the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 60, noNaN: true }),
        fc.integer({ min: 60, max: 1200 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.integer({ min: 0, max: 1200 }),
        (arrivals, service, level, wait) => {
          const a = offeredLoad(arrivals, service);
          const c = requiredCounters(a, service, { serviceLevel: level, waitSeconds: wait });
          expect(c).toBeGreaterThan(a);
          expect(directServiceLevel(c, a, wait, service)).toBeGreaterThanOrEqual(level - 1e-12);
          if (c - 1 > a) expect(directServiceLevel(c - 1, a, wait, service)).toBeLessThan(level);
        },
      ),
    );
  });

  it('gives a worked example: 40 visitors an hour, 5 minutes each, 80% within 10 minutes', () => {
    // A = 40 × 300 / 3600 = 3.33 Erlangs. Three counters are fewer than the load (the queue grows without end);
    // four: C = 0.658 (closed form), SL = 1 − 0.658·e^(−(4 − 3.33)·600/300) ≈ 0.827.
    const hour = staffHour(40, 300, { serviceLevel: 0.8, waitSeconds: 600 });
    expect(hour.offeredLoad).toBeCloseTo(10 / 3, 12);
    expect(hour.recommendedCounters).toBe(4);
    expect(hour.probabilityOfWaiting).toBeCloseTo(directErlangC(4, 10 / 3), 12);
    expect(hour.serviceLevel).toBeCloseTo(directServiceLevel(4, 10 / 3, 600, 300), 12);
    expect(hour.averageSpeedOfAnswerSeconds).toBeCloseTo((directErlangC(4, 10 / 3) * 300) / (4 - 10 / 3), 9);
    expect(hour.serviceLevel).toBeCloseTo(0.827, 3);
    expect(serviceLevel(3, 10 / 3, 600, 300)).toBe(0);
  });

  it('recommends nobody when nobody is expected, and more counters as arrivals grow', () => {
    expect(staffHour(0, 300, { serviceLevel: 0.8, waitSeconds: 600 })).toEqual({
      offeredLoad: 0,
      recommendedCounters: 0,
      serviceLevel: 1,
      probabilityOfWaiting: 0,
      averageSpeedOfAnswerSeconds: 0,
    });
    let previous = 0;
    for (let arrivals = 0; arrivals <= 200; arrivals += 5) {
      const c = staffHour(arrivals, 300, { serviceLevel: 0.8, waitSeconds: 600 }).recommendedCounters;
      expect(c).toBeGreaterThanOrEqual(previous);
      previous = c;
    }
  });

  it('refuses a target no number of counters can reach', () => {
    expect(() => requiredCounters(2, 300, { serviceLevel: 1, waitSeconds: 600 })).toThrow(RangeError);
    expect(() => requiredCounters(2, 300, { serviceLevel: 0.8, waitSeconds: -1 })).toThrow(RangeError);
    expect(() => staffHour(10, 0, { serviceLevel: 0.8, waitSeconds: 600 })).toThrow(RangeError);
  });
});
