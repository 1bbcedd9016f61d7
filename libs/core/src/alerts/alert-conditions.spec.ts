import { AlertThresholds, alertConditions, dedupKey, QueueFacts, severityOf } from './alert-conditions';

const Q = 'a0a0a0a0-0000-4000-8000-000000000001';
const OFF: AlertThresholds = {
  maxWaiting: null,
  maxLongestWaitMinutes: null,
  maxEstimatedWaitMinutes: null,
  maxCounterIdleMinutes: null,
  maxTicketWaitMinutes: null,
};

function facts(overrides: Partial<QueueFacts['load']> = {}, rest: Partial<Omit<QueueFacts, 'load'>> = {}): QueueFacts {
  return {
    load: { waiting: 0, longestWaitSeconds: 0, meanServiceSeconds: 300, openCounters: 1, ...overrides },
    idleCounters: [],
    waitingTickets: [],
    ...rest,
  };
}

describe('alertConditions', () => {
  it('raises nothing when every threshold is off, whatever the load', () => {
    expect(
      alertConditions(Q, OFF, facts({ waiting: 500, longestWaitSeconds: 86400 }, {
        idleCounters: [{ counterId: 'c1', seconds: 9999 }],
        waitingTickets: [{ ticketId: 't1', seconds: 9999 }],
      })),
    ).toEqual([]);
  });

  it('raises a waiting count alert strictly above the threshold: the sixth ticket, not the fifth', () => {
    const rules = { ...OFF, maxWaiting: 5 };
    expect(alertConditions(Q, rules, facts({ waiting: 5 }))).toEqual([]);
    expect(alertConditions(Q, rules, facts({ waiting: 6 }))).toEqual([
      { kind: 'waiting_count', dedupKey: `waiting_count:${Q}`, counterId: null, ticketId: null, severity: 'warning', value: 6, threshold: 5, unit: 'tickets' },
    ]);
  });

  it('compares waits in seconds against thresholds given in minutes', () => {
    const rules = { ...OFF, maxLongestWaitMinutes: 10, maxEstimatedWaitMinutes: 20 };
    expect(alertConditions(Q, rules, facts({ waiting: 4, longestWaitSeconds: 600 }))).toEqual([]);
    // 5 waiting × 300 s ÷ 1 counter = 1500 s > 1200 s; 601 s > 600 s.
    const raised = alertConditions(Q, rules, facts({ waiting: 5, longestWaitSeconds: 601 }));
    expect(raised.map((c) => [c.kind, c.value, c.threshold, c.unit])).toEqual([
      ['longest_wait', 601, 600, 'seconds'],
      ['estimated_wait', 1500, 1200, 'seconds'],
    ]);
  });

  it('uses the same estimate as the live queue stats (open counters share the load)', () => {
    const rules = { ...OFF, maxEstimatedWaitMinutes: 20 };
    expect(alertConditions(Q, rules, facts({ waiting: 5, openCounters: 2 }))).toEqual([]);
  });

  it('counts a counter idle only while tickets wait, and only since the oldest of them arrived', () => {
    const rules = { ...OFF, maxCounterIdleMinutes: 5 };
    const idle = { idleCounters: [{ counterId: 'c1', seconds: 3600 }, { counterId: 'c2', seconds: 120 }] };
    expect(alertConditions(Q, rules, facts({ waiting: 0 }, idle))).toEqual([]);
    // Available for an hour, but the first ticket came 4 minutes ago: not idle yet.
    expect(alertConditions(Q, rules, facts({ waiting: 1, longestWaitSeconds: 240 }, idle))).toEqual([]);
    const raised = alertConditions(Q, rules, facts({ waiting: 1, longestWaitSeconds: 420 }, idle));
    expect(raised).toEqual([
      { kind: 'counter_idle', dedupKey: `counter_idle:${Q}:c1`, counterId: 'c1', ticketId: null, severity: 'warning', value: 420, threshold: 300, unit: 'seconds' },
    ]);
  });

  it('raises one alert per overdue ticket, each with its own dedup key', () => {
    const rules = { ...OFF, maxTicketWaitMinutes: 15 };
    const raised = alertConditions(
      Q,
      rules,
      facts({ waiting: 3 }, { waitingTickets: [{ ticketId: 't1', seconds: 2000 }, { ticketId: 't2', seconds: 901 }, { ticketId: 't3', seconds: 900 }] }),
    );
    expect(raised.map((c) => [c.dedupKey, c.ticketId, c.severity])).toEqual([
      [`ticket_wait:${Q}:t1`, 't1', 'critical'],
      [`ticket_wait:${Q}:t2`, 't2', 'warning'],
    ]);
  });

  it('treats a zero threshold as "any"', () => {
    expect(alertConditions(Q, { ...OFF, maxWaiting: 0 }, facts({ waiting: 1 }))).toHaveLength(1);
    expect(alertConditions(Q, { ...OFF, maxWaiting: 0 }, facts({ waiting: 0 }))).toEqual([]);
  });
});

describe('severityOf', () => {
  it('is critical from twice the threshold, counting a zero threshold as 1', () => {
    expect(severityOf(9, 5)).toBe('warning');
    expect(severityOf(10, 5)).toBe('critical');
    expect(severityOf(1, 0)).toBe('warning');
    expect(severityOf(2, 0)).toBe('critical');
  });
});

describe('dedupKey', () => {
  it('names the kind, the queue and the counter or ticket', () => {
    expect(dedupKey('waiting_count', Q)).toBe(`waiting_count:${Q}`);
    expect(dedupKey('counter_idle', Q, 'c1')).toBe(`counter_idle:${Q}:c1`);
  });
});
