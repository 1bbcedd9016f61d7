import { ValidationError } from '../errors/domain-error';
import { ComplaintTransitionError } from './complaints.errors';

/** `survey` is reached only from a survey response (POST /complaints with surveyResponseId). */
export const COMPLAINT_CHANNELS = ['desk', 'phone', 'email', 'web', 'survey'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_STATUSES = ['received', 'acknowledged', 'investigating', 'answered', 'closed', 'reopened'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

/** An SLA clock: time to acknowledge (stops at acknowledged) and time to answer (stops at answered). */
export const CLOCK_KINDS = ['acknowledge', 'answer'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/**
 * Where a complaint may go from each status. A complaint is never closed unanswered: the visitor
 * is owed an answer (a desk answer on the spot is `received → answered`). Reopening is from an
 * answer the visitor does not accept, before or after closing.
 */
export const COMPLAINT_TRANSITIONS: Readonly<Record<ComplaintStatus, readonly ComplaintStatus[]>> = {
  received: ['acknowledged', 'answered'],
  acknowledged: ['investigating', 'answered'],
  investigating: ['answered'],
  answered: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['investigating', 'answered'],
};

/** What a step does to the clocks, besides moving the status. */
export interface ComplaintStep {
  from: ComplaintStatus;
  to: ComplaintStatus;
  /** Clocks stopped by this step (an answer also acknowledges). */
  stops: ClockKind[];
  /** The answer clock starts again: the visitor waits for a new answer. */
  restartsAnswer: boolean;
  /** The answer text is written by this step. */
  setsAnswer: boolean;
  /** Column stamped with now(). */
  stamp: 'acknowledged_at' | 'investigating_at' | 'answered_at' | 'closed_at' | 'reopened_at';
}

const STAMPS: Record<Exclude<ComplaintStatus, 'received'>, ComplaintStep['stamp']> = {
  acknowledged: 'acknowledged_at',
  investigating: 'investigating_at',
  answered: 'answered_at',
  closed: 'closed_at',
  reopened: 'reopened_at',
};

export function canMove(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return COMPLAINT_TRANSITIONS[from].includes(to);
}

/** Plans a status change, or throws 422 `invalid_transition` / 400 when the answer is missing or out of place. */
export function planComplaintStep(from: ComplaintStatus, to: ComplaintStatus, answer: string | undefined): ComplaintStep {
  if (!canMove(from, to) || to === 'received') throw new ComplaintTransitionError(from, to);
  const hasAnswer = answer !== undefined && answer.trim().length > 0;
  if (to === 'answered' && !hasAnswer) {
    throw new ValidationError('The answer given to the visitor is required to answer a complaint', [
      { field: 'answer', message: 'answer must be the text of the answer given when the status becomes answered' },
    ]);
  }
  if (to !== 'answered' && answer !== undefined) {
    throw new ValidationError('An answer is only given when answering', [
      { field: 'answer', message: `answer must be left out when the status becomes ${to}` },
    ]);
  }
  return {
    from,
    to,
    stops: to === 'acknowledged' ? ['acknowledge'] : to === 'answered' ? ['acknowledge', 'answer'] : [],
    restartsAnswer: to === 'reopened',
    setsAnswer: to === 'answered',
    stamp: STAMPS[to],
  };
}
