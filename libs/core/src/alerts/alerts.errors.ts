import { ConflictError } from '../errors/domain-error';

/** Codes clients can switch on. */
export enum AlertErrorCode {
  AlreadyAcknowledged = 'already_acknowledged',
}

/** Another supervisor acknowledged the alert first: one acknowledgement per alert. */
export class AlertAlreadyAcknowledgedError extends ConflictError {
  constructor(alertId: string) {
    super(`Alert ${alertId} was already acknowledged`, AlertErrorCode.AlreadyAcknowledged);
  }
}
