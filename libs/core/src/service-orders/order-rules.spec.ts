import { checkTransition, followupTimes, nextStatuses, ORDER_STATUSES, orderTotalCents, TRANSITIONS } from './order-rules';

describe('service order state machine', () => {
  it('allows exactly the listed moves', () => {
    const allowed: string[] = [];
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        if (checkTransition(from, to, ['requester', 'supervisor', 'provider']).ok) allowed.push(`${from}>${to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      [
        'draft>submitted',
        'draft>cancelled',
        'submitted>accepted',
        'submitted>rejected',
        'submitted>cancelled',
        'accepted>in_progress',
        'accepted>delivered',
        'accepted>done',
        'accepted>cancelled',
        'in_progress>delivered',
        'in_progress>done',
        'in_progress>cancelled',
        'delivered>closed',
        'done>closed',
      ].sort(),
    );
  });

  it('refuses a jump from draft to done as an invalid transition, whoever asks', () => {
    expect(checkTransition('draft', 'done', ['requester', 'supervisor', 'provider'])).toEqual({ ok: false, reason: 'invalid_transition' });
  });

  it('leaves terminal statuses closed, rejected and cancelled without a way out', () => {
    for (const from of ['closed', 'rejected', 'cancelled'] as const) {
      expect(nextStatuses(from, ['requester', 'supervisor', 'provider'])).toEqual([]);
    }
  });

  it('gives submit, cancel and close to the requester or a supervisor, the provider steps to the provider side', () => {
    expect(checkTransition('draft', 'submitted', ['provider'])).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('draft', 'submitted', ['requester']).ok).toBe(true);
    expect(checkTransition('submitted', 'accepted', ['requester'])).toEqual({ ok: false, reason: 'not_allowed' });
    expect(checkTransition('submitted', 'rejected', ['supervisor']).ok).toBe(true);
    expect(checkTransition('done', 'closed', ['provider'])).toEqual({ ok: false, reason: 'not_allowed' });
    expect(nextStatuses('accepted', ['provider'])).toEqual(['in_progress', 'delivered', 'done']);
  });

  it('stamps every reachable status in its own column', () => {
    for (const to of ORDER_STATUSES.filter((s) => s !== 'draft')) expect(TRANSITIONS[to].stamp).toMatch(/_at$/);
  });
});

describe('follow-up times', () => {
  const released = new Date('2026-03-02T08:00:00Z');
  const sla = { responseHours: 4, completionHours: 24 };
  const h = (hours: number) => new Date(released.getTime() + hours * 3_600_000);
  const base = { status: 'submitted' as const, releasedAt: released, acceptedAt: null, neededBy: null, reminderSentAt: null, remindAt: null, escalateAt: null };

  it('before acceptance: reminded at the missed response deadline, escalated one response window later', () => {
    expect(followupTimes(base, sla)).toEqual({ responseDueAt: h(4), dueAt: h(28), remindAt: h(4), escalateAt: h(8) });
  });

  it('a needed-by date earlier than the response deadline brings the reminder forward', () => {
    expect(followupTimes({ ...base, neededBy: h(2) }, sla)).toEqual({ responseDueAt: h(4), dueAt: h(2), remindAt: h(2), escalateAt: h(6) });
  });

  it('once accepted: due at acceptance + completion SLA, unless a needed-by date was given', () => {
    expect(followupTimes({ ...base, status: 'accepted', acceptedAt: h(1) } as never, sla)).toEqual({
      responseDueAt: h(4),
      dueAt: h(25),
      remindAt: h(25),
      escalateAt: h(29),
    });
    expect(followupTimes({ ...base, status: 'accepted', acceptedAt: h(1), neededBy: h(10) } as never, sla).dueAt).toEqual(h(10));
  });

  it('after a reminder, a late acceptance keeps the reminder time and only postpones the escalation', () => {
    const times = followupTimes({ ...base, status: 'accepted', acceptedAt: h(6), reminderSentAt: h(4), remindAt: h(4), escalateAt: h(8) } as never, sla);
    expect(times).toEqual({ responseDueAt: h(4), dueAt: h(30), remindAt: h(4), escalateAt: h(30) });
  });
});

describe('order totals', () => {
  it('sums quantity × unit price in integer cents', () => {
    expect(orderTotalCents([{ quantity: 3, unitPriceCents: 1999 }, { quantity: 1, unitPriceCents: 1 }])).toBe(5998);
    expect(orderTotalCents([])).toBe(0);
  });
});
