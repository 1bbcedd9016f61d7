/** Shapes of the complaints API (apps/api/src/complaints/dto), as the console reads them. */
export const CHANNELS = ['desk', 'phone', 'email', 'web', 'survey'] as const;
export const STATUSES = ['received', 'acknowledged', 'investigating', 'answered', 'closed', 'reopened'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export type ComplaintChannel = (typeof CHANNELS)[number];
export type ComplaintStatus = (typeof STATUSES)[number];
export type ComplaintSeverity = (typeof SEVERITIES)[number];

/** Same table as the server (libs/core/src/complaints/complaint-lifecycle.ts): the buttons offered. */
export const NEXT_STATUSES: Record<ComplaintStatus, ComplaintStatus[]> = {
  received: ['acknowledged', 'answered'],
  acknowledged: ['investigating', 'answered'],
  investigating: ['answered'],
  answered: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['investigating', 'answered'],
};

export interface Clock {
  kind: 'acknowledge' | 'answer';
  targetMinutes: number;
  businessHours: boolean;
  startedAt: string;
  dueAt: string;
  warnAt: string | null;
  pausedAt: string | null;
  pausedMinutes: number;
  stoppedAt: string | null;
  warnedAt: string | null;
  escalatedAt: string | null;
  state: 'running' | 'paused' | 'met' | 'breached';
  breached: boolean;
  minutesLeft: number | null;
}

export interface Complaint {
  id: string;
  siteId: string;
  categoryId: string;
  visitorId: string | null;
  channel: ComplaintChannel;
  reason: string;
  description: string;
  requestedRemedy: string | null;
  severity: ComplaintSeverity;
  status: ComplaintStatus;
  ownerUserId: string | null;
  requestId: string | null;
  ticketId: string | null;
  serviceOrderId: string | null;
  answer: string | null;
  withinRemit: boolean;
  escalatedAt: string | null;
  escalationReason: 'acknowledge_sla' | 'answer_sla' | null;
  compensation: string | null;
  compensationAmount: number | null;
  followUp: string | null;
  followUpOn: string | null;
  receivedAt: string;
  version: number;
  clocks: Clock[];
}

export interface ComplaintCategory {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  acknowledgeMinutes: number;
  answerMinutes: number;
  warningPercent: number | null;
  warningMinutesBefore: number | null;
  useBusinessHours: boolean;
  version: number;
}

export interface HistoryEntry {
  id: string;
  at: string;
  type: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; label: string };
  data: Record<string, unknown>;
}

/** An active user of the site, as GET /messages/recipients lists them (open to agents too). */
export interface Colleague {
  id: string;
  displayName: string;
  role: string;
}

/** What a complaint may be linked to, by the field of PATCH /complaints/:id. */
export const LINK_KINDS = ['request', 'ticket', 'serviceOrder'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
export const LINK_FIELD: Record<LinkKind, 'requestId' | 'ticketId' | 'serviceOrderId'> = {
  request: 'requestId',
  ticket: 'ticketId',
  serviceOrder: 'serviceOrderId',
};

/** A linkable record reduced to what names it (GET /requests, /tickets, /service-orders). */
export interface LinkTarget {
  id: string;
  kind: LinkKind;
  /** Request subject, ticket number, "12 — title (provider)" for an order. */
  name: string;
  /** Arrival of the request or ticket, creation of the order. */
  at: string;
}
