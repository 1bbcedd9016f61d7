import { ConflictError, UnprocessableError } from '../errors/domain-error';

/** Codes clients can switch on. */
export enum TaskErrorCode {
  NotOpen = 'not_open',
  UnknownAssignee = 'unknown_assignee',
}

/** Completing, cancelling or editing a task or callback that is already closed. */
export class NotOpenError extends ConflictError {
  constructor(entity: string, id: string, status: string) {
    super(`${entity} ${id} is ${status}, not open`, TaskErrorCode.NotOpen);
  }
}

/** The owner is not an active user of the site, or not a service of the site. */
export class UnknownAssigneeError extends UnprocessableError {
  constructor(field: 'ownerUserId' | 'ownerServiceId', id: string) {
    super(`No ${field === 'ownerUserId' ? 'active user' : 'service'} ${id} on this site`, TaskErrorCode.UnknownAssignee, [
      { field, message: `${field} must be ${field === 'ownerUserId' ? 'an active user' : 'a service'} of the site` },
    ]);
  }
}

/** The caller edited from an old copy (If-Match). */
export class StaleTaskError extends ConflictError {
  constructor(entity: string, id: string, current: number) {
    super(`${entity} ${id} is now at version ${current}; reload it and apply the change again`, 'stale_version');
  }
}
