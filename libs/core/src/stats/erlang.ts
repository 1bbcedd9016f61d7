/**
 * Erlang C (M/M/c queue: Poisson arrivals, exponential service, c counters, nobody leaves) for the
 * staffing recommendation. With λ arrivals per hour and a mean service time S seconds, the offered
 * load is A = λ·S/3600 Erlangs, and with c counters:
 *
 *   B(0, A) = 1,  B(k, A) = A·B(k−1, A) / (k + A·B(k−1, A))      Erlang B, by recursion
 *   C(c, A) = c·B(c, A) / (c − A·(1 − B(c, A)))   for c > A      probability of waiting
 *   SL(t)   = 1 − C(c, A)·e^(−(c − A)·t/S)                         share answered within t seconds
 *   ASA     = C(c, A)·S / (c − A)                                  average wait (speed of answer)
 *
 * The recursion stays within [0, 1] at every step, where the textbook formula with A^c/c! and
 * factorial sums overflows beyond c ≈ 170 and loses precision well before.
 */

export interface ServiceTarget {
  /** Share of visitors to be called within `waitSeconds`, strictly between 0 and 1. */
  serviceLevel: number;
  waitSeconds: number;
}

export interface HourStaffing {
  offeredLoad: number;
  recommendedCounters: number;
  /** With the recommended counters; 1 when nobody is expected. */
  serviceLevel: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
}

export function offeredLoad(arrivalsPerHour: number, meanServiceSeconds: number): number {
  return (arrivalsPerHour * meanServiceSeconds) / 3600;
}

export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = nextErlangB(b, k, load);
  return b;
}

/** C(c, A); 1 when c ≤ A (the queue grows without end, everybody waits), 0 without load. */
export function erlangC(servers: number, load: number): number {
  if (load <= 0) return 0;
  if (servers <= load) return 1;
  return erlangCFromB(servers, load, erlangB(servers, load));
}

export function serviceLevel(servers: number, load: number, waitSeconds: number, meanServiceSeconds: number): number {
  if (load <= 0) return 1;
  if (servers <= load) return 0;
  return serviceLevelFromC(servers, load, erlangC(servers, load), waitSeconds, meanServiceSeconds);
}

/** Mean wait in seconds; Infinity when c ≤ A. */
export function averageSpeedOfAnswer(servers: number, load: number, meanServiceSeconds: number): number {
  if (load <= 0) return 0;
  if (servers <= load) return Infinity;
  return (erlangC(servers, load) * meanServiceSeconds) / (servers - load);
}

/**
 * The fewest counters that meet the target. B(c) is carried from one c to the next, so the search
 * costs O(c) in all. The service level grows with c towards 1, so a target below 1 is always met.
 */
export function requiredCounters(load: number, meanServiceSeconds: number, target: ServiceTarget): number {
  assertTarget(target);
  if (load <= 0) return 0;
  let b = 1;
  for (let c = 1; ; c++) {
    b = nextErlangB(b, c, load);
    if (c <= load) continue;
    const level = serviceLevelFromC(c, load, erlangCFromB(c, load, b), target.waitSeconds, meanServiceSeconds);
    if (level >= target.serviceLevel) return c;
  }
}

/** The recommendation for one hour and the figures it reaches. */
export function staffHour(arrivalsPerHour: number, meanServiceSeconds: number, target: ServiceTarget): HourStaffing {
  if (!(meanServiceSeconds > 0)) throw new RangeError('meanServiceSeconds must be positive');
  const load = offeredLoad(arrivalsPerHour, meanServiceSeconds);
  const counters = requiredCounters(load, meanServiceSeconds, target);
  return {
    offeredLoad: load,
    recommendedCounters: counters,
    serviceLevel: serviceLevel(counters, load, target.waitSeconds, meanServiceSeconds),
    probabilityOfWaiting: erlangC(counters, load),
    averageSpeedOfAnswerSeconds: averageSpeedOfAnswer(counters, load, meanServiceSeconds),
  };
}

function nextErlangB(previous: number, servers: number, load: number): number {
  return (load * previous) / (servers + load * previous);
}

function erlangCFromB(servers: number, load: number, b: number): number {
  return (servers * b) / (servers - load * (1 - b));
}

function serviceLevelFromC(servers: number, load: number, c: number, waitSeconds: number, meanServiceSeconds: number): number {
  return 1 - c * Math.exp((-(servers - load) * waitSeconds) / meanServiceSeconds);
}

function assertTarget(target: ServiceTarget): void {
  // A level of 1 is reached by no finite number of counters (C > 0 whenever A > 0).
  if (!(target.serviceLevel > 0 && target.serviceLevel < 1)) throw new RangeError('serviceLevel must be between 0 and 1, exclusive');
  if (!(target.waitSeconds >= 0)) throw new RangeError('waitSeconds must be zero or more');
}
