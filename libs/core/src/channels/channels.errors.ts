import { ConflictError, DomainError, UnprocessableError } from '../errors/domain-error';

export enum ChannelErrorCode {
  NoRecipient = 'no_recipient',
  MailDeliveryFailed = 'mail_delivery_failed',
  NotRetryable = 'email_not_retryable',
}

export class NoRecipientError extends UnprocessableError {
  constructor(requestId: string) {
    super(`Request ${requestId} has no e-mail address to answer: neither its visitor nor a received mail gives one`, ChannelErrorCode.NoRecipient);
  }
}

/**
 * The mail server refused the reply or could not be reached. The reply is stored (status
 * `failed`, with the server's answer) and can be sent again with the retry route.
 */
export class MailDeliveryError extends DomainError {
  readonly code = ChannelErrorCode.MailDeliveryFailed;
  readonly status = 502;
  constructor(emailId: string) {
    super(`The mail server did not accept the reply; it is kept as e-mail ${emailId} (status failed) and can be retried`);
  }
}

export class NotRetryableError extends ConflictError {
  constructor(emailId: string, status: string) {
    super(`E-mail ${emailId} is ${status}; only a failed reply is sent again`, ChannelErrorCode.NotRetryable);
  }
}
