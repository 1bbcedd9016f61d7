import type { OrderType } from '../providers/types';

export type OrderStatus = 'draft' | 'submitted' | 'accepted' | 'in_progress' | 'delivered' | 'done' | 'closed' | 'rejected' | 'cancelled';
export const ORDER_STATUSES: OrderStatus[] = ['draft', 'submitted', 'accepted', 'in_progress', 'delivered', 'done', 'closed', 'rejected', 'cancelled'];

export interface OrderSummary {
  id: string;
  number: number;
  siteId: string;
  providerId: string;
  providerName: string;
  type: OrderType;
  title: string;
  description: string;
  requesterUserId: string | null;
  requesterLabel: string;
  neededBy: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  currency: string;
  totalCents: number;
  status: OrderStatus;
  approvalRequired: boolean;
  approvalPending: boolean;
  approvedAt: string | null;
  dueAt: string | null;
  responseDueAt: string | null;
  remindAt: string | null;
  late: boolean;
  createdAt: string;
  version: number;
}

export interface OrderDetail extends OrderSummary {
  lines: { item: string; quantity: number; unitPriceCents: number; totalCents: number }[];
  history: { fromStatus: OrderStatus | null; toStatus: OrderStatus; at: string; actorLabel: string; note: string | null }[];
  comments: { id: string; side: 'internal' | 'provider'; authorLabel: string; body: string; createdAt: string }[];
  attachments: { id: string; url: string; label: string | null; addedByLabel: string; createdAt: string }[];
  rating: { timeliness: number; quality: number; communication: number; comment: string | null } | null;
  allowedTransitions: OrderStatus[];
  /** The approver's name, null before approval. */
  approvedByLabel: string | null;
  canApprove: boolean;
  canRate: boolean;
}

export interface OrderFilters {
  status: OrderStatus | '';
  type: OrderType | '';
  late: boolean;
  mine: boolean;
}

export interface NewOrder {
  siteId: string;
  providerId: string;
  type: OrderType;
  title: string;
  description: string;
  neededBy: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  lines: { item: string; quantity: number; unitPriceCents: number }[];
}

/** A site's approval threshold: orders above it, or in another currency, wait for a supervisor. */
export interface OrderSettings {
  siteId: string;
  approvalThresholdCents: number;
  currency: string;
  /** false while the site uses the defaults (500.00 EUR). */
  custom: boolean;
  version: number;
}
