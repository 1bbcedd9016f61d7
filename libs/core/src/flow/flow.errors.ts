import { ConflictError, UnprocessableError } from '../errors/domain-error';

/** Codes clients can switch on; the HTTP status is chosen by the error class (409 or 422). */
export enum FlowErrorCode {
  QueueClosed = 'queue_closed',
  QueueFull = 'queue_full',
  InvalidTransition = 'invalid_transition',
  CounterNotOpen = 'counter_not_open',
  CounterTaken = 'counter_taken',
  AgentAlreadyOpen = 'agent_already_open',
  AgentBusy = 'agent_busy',
  TicketInHand = 'ticket_in_hand',
  NotYourTicket = 'not_your_ticket',
  QueueNotServed = 'queue_not_served',
  CheckInTooEarly = 'check_in_too_early',
  SlotFull = 'slot_full',
  SlotUnavailable = 'slot_unavailable',
  AppointmentNotBooked = 'appointment_not_booked',
}

export class FlowRuleError extends UnprocessableError {
  constructor(code: FlowErrorCode, message: string) {
    super(message, code);
  }
}

export class FlowConflictError extends ConflictError {
  constructor(code: FlowErrorCode, message: string) {
    super(message, code);
  }
}
