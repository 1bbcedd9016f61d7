import { FieldError, ValidationError } from '../errors/domain-error';
import { normalisePhone } from '../visitors/visitor-rules';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_OUTCOMES = ['answered', 'transferred', 'voicemail', 'missed', 'callback_requested'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Clock skew tolerated on a call's start before it counts as "in the future" (same as a request's arrival). */
const START_SKEW_MS = 5 * 60_000;

export interface CallFacts {
  /** As typed; null for a withheld number. */
  number?: string | null;
  startedAt: Date;
  outcome: CallOutcome;
  transferredToServiceId?: string | null;
  requestId?: string | null;
  createRequest?: object | null;
}

/**
 * Checks a call's fields against each other and returns its number in E.164 (null when withheld).
 * Throws one 400 listing every bad field.
 */
export function checkCall(call: CallFacts, now: Date): { number: string | null } {
  const errors: FieldError[] = [];
  const typed = call.number?.trim();
  const number = typed ? normalisePhone(typed) : null;
  if (typed && !number) errors.push({ field: 'number', message: 'number must be a valid phone number' });
  if (call.startedAt.getTime() > now.getTime() + START_SKEW_MS) {
    errors.push({ field: 'startedAt', message: 'startedAt must not be in the future' });
  }
  if (call.outcome === 'transferred' && !call.transferredToServiceId) {
    errors.push({ field: 'transferredToServiceId', message: 'transferredToServiceId says where a transferred call went' });
  }
  if (call.outcome !== 'transferred' && call.transferredToServiceId) {
    errors.push({ field: 'transferredToServiceId', message: 'transferredToServiceId is only for the transferred outcome' });
  }
  if (call.requestId && call.createRequest) {
    errors.push({ field: 'createRequest', message: 'createRequest and requestId exclude each other: link the call to one request' });
  }
  if (errors.length > 0) throw new ValidationError(`Invalid call: ${[...new Set(errors.map((e) => e.field))].join(', ')}`, errors);
  return { number };
}
