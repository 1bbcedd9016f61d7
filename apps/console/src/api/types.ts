/**
 * Response shapes of the REST API used by the console (mirrors the API's DTOs; the live event
 * payloads come from libs/live, the contract shared with the server).
 */
export type Role = 'agent' | 'supervisor' | 'admin';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  serviceId: string | null;
  locale: 'fr' | 'en';
  siteIds: string[];
}

export interface Site {
  id: string;
  name: string;
  timeZone: string;
  openNow: boolean | null;
  /** An itinerant reception point (agents on tablets). */
  mobile: boolean;
}

export interface Service {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  openNow: boolean | null;
}

export interface Queue {
  id: string;
  siteId: string;
  serviceId: string;
  name: string;
  prefix: string;
  active: boolean;
}

export interface Counter {
  id: string;
  siteId: string;
  name: string;
  location: string | null;
  active: boolean;
  queueIds: string[];
  version: number;
}

export const VISITOR_NEEDS = ['reduced_mobility', 'hearing', 'sight', 'foreign_language', 'urgency', 'accompanied_child', 'other'] as const;
export type VisitorNeed = (typeof VISITOR_NEEDS)[number];

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'transferred' | 'parked';

export interface Ticket {
  id: string;
  siteId: string;
  queueId: string;
  number: string;
  channel: string;
  status: TicketStatus;
  priorityClass: string;
  needs: VisitorNeed[];
  visitorId: string | null;
  requestId: string | null;
  counterId: string | null;
  arrivedAt: string;
  calledAt: string | null;
  recallCount: number;
  startedAt: string | null;
  estimatedWaitSeconds: number | null;
  position: number | null;
  version: number;
}

export interface IssuedTicket extends Ticket {
  trackingToken: string;
}

export interface PublicTicket {
  number: string;
  status: TicketStatus;
  queueName: string;
  position: number | null;
  estimatedWaitSeconds: number | null;
  counterName: string | null;
  siteId: string;
}

export interface PauseReason {
  code: string;
  label: string;
}

export const VISITOR_TYPES = ['citizen', 'client', 'supplier', 'partner', 'other'] as const;
export type VisitorType = (typeof VISITOR_TYPES)[number];

export interface Visitor {
  id: string;
  siteId: string;
  type: VisitorType;
  displayName: string;
  anonymous: boolean;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  preferredLanguage: string | null;
  needs: VisitorNeed[];
  needsOther: string | null;
  consent: { given: boolean; at: string | null; purposes: string[] };
  version: number;
  score?: number | null;
}

/** What a visitor can agree to at the desk; `surveys` is what the satisfaction surveys require. */
export const CONSENT_PURPOSES = ['contact', 'surveys'] as const;

export interface DuplicateCandidate {
  id: string;
  displayName: string;
  score: number;
  reasons: string[];
}

export interface CreatedVisitor extends Visitor {
  duplicates: DuplicateCandidate[];
}

export const REQUEST_CHANNELS = ['desk', 'phone', 'email', 'web', 'kiosk', 'mobile'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type RequestStatus = 'open' | 'in_progress' | 'answered' | 'oriented' | 'transferred' | 'closed';
export const REQUEST_OUTCOMES = ['information', 'advice', 'accompaniment'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number] | 'orientation';

export interface RequestRecord {
  id: string;
  siteId: string;
  visitorId: string | null;
  channel: RequestChannel;
  subject: string;
  categoryId: string | null;
  notes?: string | null;
  reformulation?: string | null;
  reformulationConfirmed: boolean;
  complexity: 'simple' | 'complex';
  confidentiality: 'normal' | 'confidential';
  status: RequestStatus;
  outcome: RequestOutcome | null;
  arrivedAt: string;
  version: number;
}

export interface RequestCategory {
  id: string;
  name: string;
  path: string[];
  active: boolean;
}

export interface TimelineEntry {
  id: string;
  at: string;
  type: string;
  actor: { type: string; label: string };
  data: Record<string, unknown>;
}

export interface Article {
  id: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  stale: boolean;
  source: string | null;
}

export interface LinkedArticle extends Article {
  linkedAt: string;
}

export type TransferTargetType = 'service' | 'staff' | 'partner';
export const TRANSFER_MODES = ['call_transfer', 'accompanied', 'appointment_given', 'referral_letter', 'information_given'] as const;
export type TransferMode = (typeof TRANSFER_MODES)[number];

export interface Suggestion {
  type: TransferTargetType;
  id: string;
  name: string;
  score: number;
  openNow: boolean | null;
  nextOpeningAt: string | null;
  phone: string | null;
  jobTitle?: string | null;
}

export interface ApiKeyCreated {
  id: string;
  name: string;
  key: string;
  scopes: string[];
  siteIds: string[];
}

export const CALL_OUTCOMES = ['answered', 'transferred', 'voicemail', 'missed', 'callback_requested'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface PhoneCall {
  id: string;
  requestId: string | null;
  visitorId: string | null;
  outcome: CallOutcome;
}

export interface EmailMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  textBody?: string;
  status: string;
  at: string;
}
