import { UnprocessableError } from '../errors/domain-error';

/** Appointment rules that the flow codes (slot_full, check_in_too_early…) do not cover. */
export enum AppointmentErrorCode {
  NoShowTooEarly = 'no_show_too_early',
}

export class AppointmentRuleError extends UnprocessableError {
  constructor(code: AppointmentErrorCode, message: string) {
    super(message, code);
  }
}
