import { ConflictError, FieldError, UnprocessableError } from '../errors/domain-error';

export enum ComplaintErrorCode {
  InvalidTransition = 'invalid_transition',
  InvalidReference = 'invalid_reference',
  StaleVersion = 'stale_version',
  ClockPaused = 'clock_paused',
  ClockNotPaused = 'clock_not_paused',
  NoRunningClock = 'no_running_clock',
  AlreadyComplained = 'survey_response_already_complained',
  CategoryNameTaken = 'category_name_taken',
  CategoryInUse = 'category_in_use',
  CalendarNeverOpen = 'calendar_never_open',
}

export class ComplaintTransitionError extends UnprocessableError {
  constructor(from: string, to: string) {
    super(`A complaint cannot go from ${from} to ${to}`, ComplaintErrorCode.InvalidTransition);
  }
}

/** An id in the body that does not name a usable record of the complaint's site (never says whether it exists elsewhere). */
export class ComplaintReferenceError extends UnprocessableError {
  constructor(errors: FieldError[]) {
    super(`Invalid reference: ${errors.map((e) => e.field).join(', ')}`, ComplaintErrorCode.InvalidReference, errors);
  }
}

export class StaleComplaintError extends ConflictError {
  constructor(entity: string, id: string, current: number) {
    super(`${entity} ${id} is now at version ${current}; reload it and apply the change again`, ComplaintErrorCode.StaleVersion);
  }
}
