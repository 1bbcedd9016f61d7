import { ConflictError, DomainError, FieldError, UnprocessableError } from '../errors/domain-error';

export enum RequestErrorCode {
  InvalidTransition = 'invalid_transition',
  TransferRequired = 'transfer_required',
  StaleVersion = 'stale_version',
  InvalidReference = 'invalid_reference',
  ConfidentialFields = 'confidential_fields',
  CategoryCycle = 'category_cycle',
  CategoryInUse = 'category_in_use',
}

export class InvalidTransitionError extends UnprocessableError {
  constructor(from: string, to: string) {
    super(`A request cannot go from ${from} to ${to}`, RequestErrorCode.InvalidTransition);
  }
}

/** The caller edited from an old copy: someone changed the request since. */
export class StaleRequestError extends ConflictError {
  constructor(entity: string, id: string, current: number) {
    super(`${entity} ${id} is now at version ${current}; reload it and apply the change again`, RequestErrorCode.StaleVersion);
  }
}

/** An id in the body that does not name a usable record of the same site (never says whether it exists elsewhere). */
export class InvalidReferenceError extends UnprocessableError {
  constructor(errors: FieldError[]) {
    super(`Invalid reference: ${errors.map((e) => e.field).join(', ')}`, RequestErrorCode.InvalidReference, errors);
  }
}

/** Writing notes one may not read would overwrite them blind, and lifting confidentiality would reveal them. */
export class ConfidentialFieldsError extends DomainError {
  readonly code = RequestErrorCode.ConfidentialFields;
  readonly status = 403;
}
