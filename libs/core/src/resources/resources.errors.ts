import { DomainError, FieldError, UnprocessableError } from '../errors/domain-error';

/** Booking rules a well-formed request can still break (422). */
export enum ResourceErrorCode {
  CapacityExceeded = 'capacity_exceeded',
  ResourceInactive = 'resource_inactive',
  BookingCancelled = 'booking_cancelled',
  PeriodOver = 'period_over',
  NotARoom = 'not_a_room',
  NotEquipment = 'not_equipment',
  ManagedByParent = 'managed_by_parent',
}

export class ResourceRuleError extends UnprocessableError {
  constructor(code: ResourceErrorCode, message: string, errors?: FieldError[]) {
    super(message, code, errors);
  }
}

/**
 * A resource is already taken for part of the period (the exclusion constraint said so). `errors`
 * names each conflicting resource, keyed by the request field that asked for it.
 */
export class BookingConflictError extends DomainError {
  readonly code = 'booking_conflict';
  readonly status = 409;
  constructor(message: string, errors: FieldError[]) {
    super(message, { errors });
  }
}
