import fc from 'fast-check';
import { ValidationError } from '../errors/domain-error';
import { canTransition, planStatusStep, REQUEST_OUTCOMES, REQUEST_STATUSES, RequestOutcome, RequestStatus, TRANSITIONS } from './request-lifecycle';
import { InvalidTransitionError } from './requests.errors';

/** A legal outcome for a target status, as a client would send it. */
function outcomeFor(to: RequestStatus): RequestOutcome | undefined {
  return to === 'answered' ? 'information' : undefined;
}

describe('request lifecycle', () => {
  it('allows exactly the documented moves', () => {
    const allowed = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'open→in_progress',
        'open→closed',
        'in_progress→answered',
        'in_progress→oriented',
        'in_progress→transferred',
        'in_progress→closed',
        'answered→in_progress',
        'answered→closed',
        'oriented→in_progress',
        'oriented→closed',
        'transferred→in_progress',
        'transferred→oriented',
        'transferred→transferred',
        'transferred→closed',
        'closed→in_progress',
      ].sort(),
    );
  });

  it.each(REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to) => [from, to] as const)))(
    'refuses %s → %s with 422 invalid_transition unless the table allows it',
    (from, to) => {
      const plan = () => planStatusStep(from, to, outcomeFor(to), null);
      if (TRANSITIONS[from].includes(to)) {
        expect(plan().to).toBe(to);
      } else {
        expect(plan).toThrow(InvalidTransitionError);
        try {
          plan();
        } catch (error) {
          expect(error).toMatchObject({ status: 422, code: 'invalid_transition' });
        }
      }
    },
  );

  it('requires an answering outcome when answering, and only then', () => {
    expect(() => planStatusStep('in_progress', 'answered', undefined, null)).toThrow(ValidationError);
    expect(() => planStatusStep('in_progress', 'answered', 'orientation', null)).toThrow(ValidationError);
    for (const outcome of ['information', 'advice', 'accompaniment'] as const) {
      expect(planStatusStep('in_progress', 'answered', outcome, null).outcome).toBe(outcome);
    }
    expect(() => planStatusStep('open', 'in_progress', 'information', null)).toThrow(ValidationError);
    expect(() => planStatusStep('answered', 'closed', 'advice', 'information')).toThrow(ValidationError);
  });

  it('gives orientation to oriented and transferred requests, and refuses other outcomes there', () => {
    expect(planStatusStep('in_progress', 'oriented', undefined, null).outcome).toBe('orientation');
    expect(planStatusStep('in_progress', 'transferred', 'orientation', null).outcome).toBe('orientation');
    expect(() => planStatusStep('in_progress', 'oriented', 'advice', null)).toThrow(ValidationError);
  });

  it('stamps each step, keeps the first take-in and calls later re-entries reopenings', () => {
    expect(planStatusStep('open', 'in_progress', undefined, null)).toMatchObject({ stamps: ['in_progress_at'], takesOver: true, outcome: null });
    expect(planStatusStep('closed', 'in_progress', undefined, 'information')).toMatchObject({ stamps: ['reopened_at'], outcome: null });
    expect(planStatusStep('answered', 'in_progress', undefined, 'advice').stamps).toEqual(['reopened_at']);
    expect(planStatusStep('transferred', 'in_progress', undefined, 'orientation')).toMatchObject({ stamps: [], takesOver: true });
    expect(planStatusStep('in_progress', 'transferred', undefined, null).stamps).toEqual(['transferred_at']);
    expect(planStatusStep('answered', 'closed', undefined, 'advice')).toMatchObject({ stamps: ['closed_at'], outcome: 'advice', takesOver: false });
  });

  it('keeps its invariants along any walk of legal steps', () => {
    const walk = fc.array(fc.nat(), { maxLength: 40 });
    fc.assert(
      fc.property(walk, (choices) => {
        let status: RequestStatus = 'open';
        let outcome: RequestOutcome | null = null;
        let takeIns = 0;
        for (const choice of choices) {
          const to = TRANSITIONS[status][choice % TRANSITIONS[status].length];
          const step = planStatusStep(status, to, outcomeFor(to), outcome);
          takeIns += step.stamps.filter((stamp) => stamp === 'in_progress_at').length;
          status = step.to;
          outcome = step.outcome;
          // A request being worked on has no outcome yet; an answered or oriented one always has one.
          if (status === 'in_progress') expect(outcome).toBeNull();
          if (status === 'answered' || status === 'oriented' || status === 'transferred') {
            expect(REQUEST_OUTCOMES).toContain(outcome);
          }
          expect(status).not.toBe('open');
        }
        // The first take-in is stamped once, however often the request is reopened.
        expect(takeIns).toBeLessThanOrEqual(1);
      }),
    );
  });
});
