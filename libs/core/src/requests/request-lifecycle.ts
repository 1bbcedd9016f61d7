import { ValidationError } from '../errors/domain-error';
import { InvalidTransitionError } from './requests.errors';

export const REQUEST_CHANNELS = ['desk', 'phone', 'email', 'web', 'kiosk', 'mobile'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const REQUEST_STATUSES = ['open', 'in_progress', 'answered', 'oriented', 'transferred', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_OUTCOMES = ['information', 'orientation', 'advice', 'accompaniment'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export const COMPLEXITIES = ['simple', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const CONFIDENTIALITIES = ['normal', 'confidential'] as const;
export type Confidentiality = (typeof CONFIDENTIALITIES)[number];

/**
 * Where a request may go from each status. `transferred` is reached only by recording a transfer
 * (the transfer says where to); `transferred → transferred` is a second transfer. Moving back to
 * `in_progress` from answered/oriented/closed is a reopen; from transferred it is the receiving
 * service taking the request over. `open → closed` covers a visitor who left before being served.
 */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  open: ['in_progress', 'closed'],
  in_progress: ['answered', 'oriented', 'transferred', 'closed'],
  answered: ['in_progress', 'closed'],
  oriented: ['in_progress', 'closed'],
  transferred: ['in_progress', 'oriented', 'transferred', 'closed'],
  closed: ['in_progress'],
};

/** Outcomes a status accepts; the first is the default when none is given (only `oriented` has one). */
const OUTCOMES: Partial<Record<RequestStatus, { allowed: readonly RequestOutcome[]; required: boolean }>> = {
  answered: { allowed: ['information', 'advice', 'accompaniment'], required: true },
  oriented: { allowed: ['orientation'], required: false },
  transferred: { allowed: ['orientation'], required: false },
};

/** Step timestamp columns; `arrived_at` is not one of them: nothing ever moves the arrival. */
export type StepColumn = 'in_progress_at' | 'answered_at' | 'oriented_at' | 'transferred_at' | 'closed_at' | 'reopened_at';

export interface StatusStep {
  from: RequestStatus;
  to: RequestStatus;
  /** Outcome once the step is done: set when answering or orienting, cleared when work resumes, kept on close. */
  outcome: RequestOutcome | null;
  /** Columns set to now(). `in_progress_at` keeps the first take-in (the wait); later re-entries are `reopened_at`. */
  stamps: StepColumn[];
  /** The caller becomes the agent handling the request. */
  takesOver: boolean;
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Plans a status change, or throws 422 `invalid_transition` / 400 on an outcome that does not fit. */
export function planStatusStep(
  from: RequestStatus,
  to: RequestStatus,
  outcome: RequestOutcome | undefined,
  currentOutcome: RequestOutcome | null,
): StatusStep {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  const rule = OUTCOMES[to];
  if (!rule && outcome !== undefined) {
    throw new ValidationError('An outcome is only given when answering or orienting', [
      { field: 'outcome', message: `outcome must be left out when the status becomes ${to}` },
    ]);
  }
  if (rule && outcome !== undefined && !rule.allowed.includes(outcome)) {
    throw new ValidationError(`Outcome ${outcome} does not fit status ${to}`, [
      { field: 'outcome', message: `outcome must be one of ${rule.allowed.join(', ')} when the status becomes ${to}` },
    ]);
  }
  if (rule?.required && outcome === undefined) {
    throw new ValidationError(`An outcome is required when the status becomes ${to}`, [
      { field: 'outcome', message: `outcome must be one of ${rule.allowed.join(', ')} when the status becomes ${to}` },
    ]);
  }
  return {
    from,
    to,
    outcome: rule ? (outcome ?? rule.allowed[0]) : to === 'in_progress' ? null : currentOutcome,
    stamps: stampsFor(from, to),
    takesOver: to === 'in_progress',
  };
}

function stampsFor(from: RequestStatus, to: RequestStatus): StepColumn[] {
  switch (to) {
    case 'in_progress':
      if (from === 'open') return ['in_progress_at'];
      return from === 'transferred' ? [] : ['reopened_at'];
    case 'answered':
      return ['answered_at'];
    case 'oriented':
      return ['oriented_at'];
    case 'transferred':
      return ['transferred_at'];
    case 'closed':
      return ['closed_at'];
    case 'open':
      return [];
  }
}
