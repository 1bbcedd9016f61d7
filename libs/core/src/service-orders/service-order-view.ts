import type { OrderStatus, OrderType } from './order-rules';

export interface OrderRow {
  id: string;
  number: string;
  site_id: string;
  provider_id: string;
  provider_contact_id: string | null;
  booking_id: string | null;
  type: OrderType;
  title: string;
  description: string;
  requester_user_id: string | null;
  requester_label: string;
  needed_by: Date | null;
  window_start: Date | null;
  window_end: Date | null;
  currency: string;
  total_cents: string;
  status: OrderStatus;
  approval_required: boolean;
  approved_at: Date | null;
  approved_by_user_id: string | null;
  submitted_at: Date | null;
  released_at: Date | null;
  accepted_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  rejected_at: Date | null;
  cancelled_at: Date | null;
  response_due_at: Date | null;
  due_at: Date | null;
  remind_at: Date | null;
  escalate_at: Date | null;
  reminder_sent_at: Date | null;
  escalated_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface OrderLineView {
  item: string;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
}

export interface StatusChangeView {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  at: Date;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  note: string | null;
}

export interface CommentView {
  id: string;
  side: 'internal' | 'provider';
  authorUserId: string | null;
  providerContactId: string | null;
  authorLabel: string;
  body: string;
  createdAt: Date;
}

export interface AttachmentView {
  id: string;
  url: string;
  label: string | null;
  addedByLabel: string;
  createdAt: Date;
}

export interface RatingView {
  timeliness: number;
  quality: number;
  communication: number;
  comment: string | null;
  ratedByUserId: string | null;
  ratedAt: Date;
}

export interface OrderSummaryView {
  id: string;
  number: number;
  siteId: string;
  providerId: string;
  providerName: string;
  providerContactId: string | null;
  bookingId: string | null;
  type: OrderType;
  title: string;
  description: string;
  requesterUserId: string | null;
  requesterLabel: string;
  neededBy: Date | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  currency: string;
  totalCents: number;
  status: OrderStatus;
  /** The total is above the site's threshold: a supervisor approves before the provider may accept. */
  approvalRequired: boolean;
  approvalPending: boolean;
  approvedAt: Date | null;
  approvedByUserId: string | null;
  submittedAt: Date | null;
  acceptedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  rejectedAt: Date | null;
  cancelledAt: Date | null;
  /** Follow-up times (null until the order reaches the provider). */
  responseDueAt: Date | null;
  dueAt: Date | null;
  remindAt: Date | null;
  escalateAt: Date | null;
  reminderSentAt: Date | null;
  escalatedAt: Date | null;
  /** Still open and past its first missed deadline. */
  late: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface OrderView extends OrderSummaryView {
  lines: OrderLineView[];
  history: StatusChangeView[];
  comments: CommentView[];
  attachments: AttachmentView[];
  rating: RatingView | null;
  /** Statuses the caller may move the order to now. */
  allowedTransitions: OrderStatus[];
  /** The approver's name now, for the timeline (null before approval, or once that user is deleted). */
  approvedByLabel: string | null;
  /** The caller may approve it now (a supervisor, while approval is pending). */
  canApprove: boolean;
  /** The caller may rate it now (completed, not rated yet, requester or supervisor). */
  canRate: boolean;
}

const OPEN = new Set<OrderStatus>(['submitted', 'accepted', 'in_progress']);

export function toSummary(row: OrderRow & { provider_name: string }, now = new Date()): OrderSummaryView {
  return {
    id: row.id,
    number: Number(row.number),
    siteId: row.site_id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    providerContactId: row.provider_contact_id,
    bookingId: row.booking_id,
    type: row.type,
    title: row.title,
    description: row.description,
    requesterUserId: row.requester_user_id,
    requesterLabel: row.requester_label,
    neededBy: row.needed_by,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    currency: row.currency,
    totalCents: Number(row.total_cents),
    status: row.status,
    approvalRequired: row.approval_required,
    approvalPending: row.status === 'submitted' && row.approval_required && row.approved_at === null,
    approvedAt: row.approved_at,
    approvedByUserId: row.approved_by_user_id,
    submittedAt: row.submitted_at,
    acceptedAt: row.accepted_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    closedAt: row.closed_at,
    rejectedAt: row.rejected_at,
    cancelledAt: row.cancelled_at,
    responseDueAt: row.response_due_at,
    dueAt: row.due_at,
    remindAt: row.remind_at,
    escalateAt: row.escalate_at,
    reminderSentAt: row.reminder_sent_at,
    escalatedAt: row.escalated_at,
    late: OPEN.has(row.status) && row.remind_at !== null && row.remind_at.getTime() <= now.getTime(),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}
