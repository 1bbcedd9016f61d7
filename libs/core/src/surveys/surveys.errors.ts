import { ConflictError, DomainError } from '../errors/domain-error';

/** A survey link past its expiry: the page says so rather than "not found". */
export class SurveyLinkExpiredError extends DomainError {
  readonly code = 'survey_link_expired';
  readonly status = 410;
  constructor() {
    super('This survey link has expired');
  }
}

export class SurveyAlreadyAnsweredError extends ConflictError {
  constructor() {
    super('This survey has already been answered', 'survey_already_answered');
  }
}

export class SurveyEditClosedError extends ConflictError {
  constructor() {
    super('This answer can no longer be corrected', 'survey_edit_closed');
  }
}
