/** One field-level problem, as listed in a 400 response. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Base of every error a domain throws on purpose. The code is stable (clients may switch on it);
 * the HTTP status is chosen here, once, so services never import HTTP types.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly errors?: FieldError[];
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers?: Record<string, string>;

  constructor(message: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = new.target.name;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(entity: string, id?: string) {
    super(id ? `${entity} ${id} not found` : `${entity} not found`);
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  readonly status = 400;
  constructor(message: string, errors?: FieldError[]) {
    super(message, { errors });
  }
}

/** A write based on a stale version, or a uniqueness clash. */
export class ConflictError extends DomainError {
  readonly code: string;
  readonly status = 409;
  constructor(message: string, code = 'conflict') {
    super(message);
    this.code = code;
  }
}

/** The request is well-formed but breaks a business rule (state transition, closed queue…). */
export class UnprocessableError extends DomainError {
  readonly code: string;
  readonly status = 422;
  constructor(message: string, code = 'unprocessable', errors?: FieldError[]) {
    super(message, { errors });
    this.code = code;
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
}
