/**
 * Server → client live events. Every event carries `siteId`, a per-site monotonically increasing
 * `seq` and `at`; a client that sees a gap in `seq` asks for a replay or re-reads the snapshot.
 * Never rename an event: consoles and integrations in the field listen for these names.
 */
export interface LiveEnvelope {
  siteId: string;
  seq: number;
  /** ISO 8601 instant of the change. */
  at: string;
}

/** Event name → payload (without the envelope). Each domain adds its events here. */
export interface LiveEventPayloads {
  'directory.changed': { entity: 'site' | 'service' | 'staff' | 'partner'; id: string; action: 'create' | 'update' | 'delete' };

  // Reception desk (visitors, requests, transfers). Payloads never carry confidential notes.
  'visitor.created': { visitorId: string };
  'visitor.updated': { visitorId: string; fields: string[] };
  'visitor.merged': { visitorId: string; mergedVisitorId: string };
  'request.created': { requestId: string; channel: string; status: string; visitorId: string | null; handledByUserId: string | null };
  'request.updated': { requestId: string; status: string; fields: string[]; version: number };
  'request.transferred': {
    requestId: string;
    transferId: string;
    targetType: 'service' | 'staff' | 'partner';
    targetId: string;
    /** Receiving internal service (also the room the event is sent to), when there is one. */
    serviceId: string | null;
    mode: string;
  };

  // E-mail and phone channels. No addresses, numbers or texts: consoles re-read the thread or the call list.
  /** A mail arrived: threaded into an existing request, or the first of a new one (`newRequest`). */
  'email.received': { emailId: string; requestId: string; newRequest: boolean };
  /** A reply left (the mail server accepted it). */
  'email.sent': { emailId: string; requestId: string };
  /** A reply could not be sent; it is kept and can be retried. */
  'email.failed': { emailId: string; requestId: string };
  /** Also sent to the room of the service a transferred call went to. */
  'call.logged': {
    callId: string;
    requestId: string | null;
    visitorId: string | null;
    direction: 'inbound' | 'outbound';
    outcome: string;
    transferredToServiceId: string | null;
  };

  // Flow management (queues, tickets, counters).
  'ticket.issued': TicketSummary;
  'ticket.called': TicketCall;
  'ticket.recalled': TicketCall;
  'ticket.started': TicketSummary;
  'ticket.done': TicketSummary;
  'ticket.no_show': TicketSummary;
  'ticket.cancelled': TicketSummary;
  'ticket.parked': TicketSummary;
  'ticket.resumed': TicketSummary;
  'ticket.transferred': TicketSummary & { fromQueueId: string };
  'queue.stats': QueueStats;
  'counter.state': CounterState;

  // Flow alerts, sent to the site room only (consoles show them to supervisors).
  'alert.raised': AlertRaised;
  'alert.acknowledged': AlertAcknowledged;
  'alert.resolved': AlertResolved;

  // Appointments (rendez-vous), sent to the site and queue rooms.
  'appointment.booked': AppointmentChange;
  'appointment.cancelled': AppointmentChange;
  'appointment.rescheduled': AppointmentChange;
  'appointment.checked_in': AppointmentChange;
  'appointment.no_show': AppointmentChange;

  // Shift handover, tasks, callbacks and agenda (C1.1, C2.1). Logbook and handover events go to the
  // site room (ids only); task, callback and meeting events are private to their owner's user or service room.
  'logbook.entry_created': { entryId: string; priority: string };
  'logbook.entry_closed': { entryId: string };
  'handover.note_created': { noteId: string; authorUserId: string };
  'handover.note_acknowledged': { noteId: string; userId: string };
  'task.changed': TaskChange;
  /** A task's reminder time came (sent once; stored as the task's `reminderSentAt`). */
  'task.reminder': { taskId: string; remindAt: string; dueAt: string | null };
  'callback.changed': { callbackId: string; status: string; action: 'created' | 'updated' | 'attempted' | 'closed' };
  'meeting.changed': { meetingId: string; action: 'created' | 'updated' | 'deleted' };

  // Incidents (C1.6) and internal messages (C2.1). All private: incident events go to the site's
  // supervisors room and the user rooms of the people alerted, message events to the recipients'
  // (and service / supervisors) rooms, never to displays or kiosks. Ids only: clients re-read.
  'incident.created': IncidentChange;
  'incident.updated': IncidentChange;
  /** "Call a supervisor" / "call security" was tapped: step 0 of the chain, pushed at once. */
  'incident.alert_raised': IncidentAlertStep;
  /** Nobody acknowledged in time: the next level of the site's escalation policy is alerted. */
  'incident.alert_escalated': IncidentAlertStep;
  /** Someone took the alert: the chain stops. */
  'incident.alert_acknowledged': { alertId: string; incidentId: string; kind: string; acknowledgedByUserId: string; acknowledgedAt: string };
  'message.received': { messageId: string; kind: string; priority: string; recipientType: string; senderUserId: string | null };
  /** To the sender: a recipient read the message (read receipt). */
  'message.read': { messageId: string; userId: string; readAt: string };

  // Complaints (C3.3). Created/updated go to the site room (ids only: clients re-read); SLA steps are
  // private: the warning to the owner's user room (the supervisors' when nobody owns it), the
  // escalation to the site's supervisors room and the owner's.
  'complaint.created': ComplaintChange;
  'complaint.updated': ComplaintChange;
  /** A clock is close to its breach (sent once per clock run). */
  'complaint.sla_warning': ComplaintSlaStep;
  /** A clock breached: the complaint is escalated to the hierarchy (sent once per clock run). */
  'complaint.sla_escalated': ComplaintSlaStep;

  // Providers and service orders (C2.2). Ids and statuses only: consoles re-read the order. Reminders
  // are private to the requester's user room, escalations to the site's supervisors room.
  'provider.changed': { providerId: string; action: 'create' | 'update' | 'improvement_action' };
  'service_order.created': ServiceOrderChange;
  'service_order.updated': ServiceOrderChange & { fields: string[] };
  'service_order.status_changed': ServiceOrderChange & { fromStatus: string };
  'service_order.approved': ServiceOrderChange & { approvedByUserId: string };
  'service_order.commented': { orderId: string; commentId: string; side: 'internal' | 'provider' };
  'service_order.rated': { orderId: string; providerId: string };
  /** The order is late against its provider's service level (once per order). */
  'service_order.reminder': ServiceOrderFollowup;
  /** Still open one response window after the reminder: supervisors are told (once per order). */
  'service_order.escalated': ServiceOrderFollowup;

  // Satisfaction surveys (C3.2). Private to the site's supervisors room.
  /** An answer arrived or was corrected (link survey or kiosk smiley). Scores only, never the comment. */
  'survey.answered': SurveyAnswered;

  // Rooms, equipment and their bookings (C2.2 "organiser une réunion"), sent to the site room.
  // Ids only: plannings re-read the bookings. An equipment item booked with a room is its own booking.
  'resource.changed': { resourceId: string; action: 'create' | 'update' | 'delete' };
  'booking.created': { bookingId: string; resourceId: string; parentBookingId: string | null };
  'booking.updated': { bookingId: string; resourceId: string; version: number };
  'booking.cancelled': { bookingId: string; resourceId: string };
}

/** No contact data: displays and kiosks listen to the same rooms. */
export interface AppointmentChange {
  appointmentId: string;
  queueId: string;
  /** ISO 8601 start (the new one after a reschedule). */
  startsAt: string;
  status: string;
}

export interface TicketSummary {
  ticketId: string;
  number: string;
  queueId: string;
  status: string;
  priorityClass: string;
  needs: string[];
  counterId: string | null;
}

/** What a hall display needs to announce a call. */
export interface TicketCall extends TicketSummary {
  counterId: string;
  counterName: string;
  recallCount: number;
}

export interface QueueStats {
  queueId: string;
  waiting: number;
  longestWaitSeconds: number;
  estimatedWaitSeconds: number;
}

export interface CounterState {
  counterId: string;
  counterName: string;
  sessionId: string | null;
  agentUserId: string | null;
  agentName: string | null;
  state: 'available' | 'serving' | 'paused' | 'closed';
  pauseReason: string | null;
  since: string;
  currentTicketId: string | null;
}

/** `kind`: waiting_count (value and threshold count tickets), longest_wait, estimated_wait, counter_idle, ticket_wait (seconds). */
export interface AlertRaised {
  alertId: string;
  queueId: string;
  /** The counter (counter_idle) or ticket (ticket_wait) concerned; null for queue-wide kinds. */
  counterId: string | null;
  ticketId: string | null;
  kind: string;
  severity: 'warning' | 'critical';
  value: number;
  threshold: number;
  raisedAt: string;
}

export interface AlertAcknowledged {
  alertId: string;
  queueId: string;
  kind: string;
  acknowledgedByUserId: string;
  acknowledgedAt: string;
}

export interface AlertResolved {
  alertId: string;
  queueId: string;
  kind: string;
  resolvedAt: string;
}

export type LiveEventName = keyof LiveEventPayloads;

/** What a client receives under the event's own name: the envelope and the payload side by side. */
export type LiveMessage<N extends LiveEventName = LiveEventName> = LiveEnvelope & LiveEventPayloads[N];

/** A stored event, as the publisher and the replay handle it. */
export interface LiveEvent<N extends LiveEventName = LiveEventName> extends LiveEnvelope {
  type: N;
  rooms: string[];
  data: LiveEventPayloads[N];
}

export function toMessage<N extends LiveEventName>(event: LiveEvent<N>): LiveMessage<N> {
  return { ...event.data, siteId: event.siteId, seq: event.seq, at: event.at };
}

/** Control messages of the live protocol (not part of the per-site sequence). */
export interface LiveControlEvents {
  /** The replay could not be served (too old or too long): re-read the snapshot, then continue from its seq. */
  resync: { siteId: string; reason: 'gap_too_large' | 'unknown_seq' };
  subscribed: { siteId: string; seq: number };
}

/** Client → server messages. */
export interface LiveClientMessages {
  /** Join a site's room; with `afterSeq`, the events missed since then are replayed first. */
  subscribe: { siteId: string; afterSeq?: number; queueIds?: string[]; counterIds?: string[]; serviceIds?: string[] };
  unsubscribe: { siteId: string };
}

/** A task was created, edited, completed or cancelled; `nextTaskId` is the next occurrence of a recurring task. */
export interface TaskChange {
  taskId: string;
  status: string;
  action: 'created' | 'updated' | 'completed' | 'cancelled';
  nextTaskId: string | null;
}

/** An incident was recorded or changed (`fields`: what changed, `version`: for If-Match). */
export interface IncidentChange {
  incidentId: string;
  severity: string;
  status: string;
  fields: string[];
  version: number;
}

/** One step of an incident alert's escalation chain (step 0: the immediate alert). */
export interface IncidentAlertStep {
  alertId: string;
  incidentId: string;
  /** supervisor | security */
  kind: string;
  severity: string;
  step: number;
  /** The level's name in the site's policy ("Superviseurs", "Responsable de site"…). */
  level: string;
  raisedByUserId: string | null;
  counterId: string | null;
  raisedAt: string;
}

/** A complaint was recorded or changed (`fields`: what changed, `version`: for If-Match). */
export interface ComplaintChange {
  complaintId: string;
  status: string;
  categoryId: string;
  ownerUserId: string | null;
  fields: string[];
  version: number;
}

/** An SLA step of one of a complaint's clocks (`clock`: acknowledge | answer; `dueAt`: ISO breach time). */
export interface ComplaintSlaStep {
  complaintId: string;
  clock: string;
  dueAt: string;
  ownerUserId: string | null;
}

/** A service order changed (`version` for If-Match). */
export interface ServiceOrderChange {
  orderId: string;
  providerId: string;
  status: string;
  version: number;
}

/** A follow-up step of a late service order. */
export interface ServiceOrderFollowup {
  orderId: string;
  providerId: string;
  status: string;
  /** ISO 8601: the due time that was missed. */
  dueAt: string;
}

/** A survey answer; `csat` 1–5 and `nps` 0–10 are null when the survey had no such question. */
export interface SurveyAnswered {
  responseId: string;
  source: 'link' | 'kiosk';
  csat: number | null;
  nps: number | null;
}
