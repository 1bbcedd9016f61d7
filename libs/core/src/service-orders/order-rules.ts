/**
 * The service order lifecycle as one table, and the follow-up times derived from a provider's
 * service level. Pure functions: the service applies them inside its transactions.
 */

export const ORDER_TYPES = ['supplies', 'room_booking', 'equipment', 'catering', 'maintenance', 'cleaning', 'other'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_STATUSES = ['draft', 'submitted', 'accepted', 'in_progress', 'delivered', 'done', 'closed', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Orders the provider still owes something on: the follow-up clock runs. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['submitted', 'accepted', 'in_progress'];
/** The provider delivered or finished: the order counts in the provider's figures and may be rated. */
export const COMPLETED_STATUSES: readonly OrderStatus[] = ['delivered', 'done', 'closed'];

/**
 * Who acts on an order. `requester`: the user who created it (or the integration, for orders an
 * API key created). `supervisor`: supervisors and admins of the site. `provider`: whoever records
 * the provider's answer — the provider's own integration key, or any user of the site taking it
 * down from a phone call or a mail.
 */
export type Party = 'requester' | 'supervisor' | 'provider';

interface TransitionRule {
  from: readonly OrderStatus[];
  by: readonly Party[];
  /** Column stamped with the transition time. */
  stamp: string | null;
}

export const TRANSITIONS: { readonly [To in OrderStatus]: TransitionRule } = {
  draft: { from: [], by: [], stamp: null },
  submitted: { from: ['draft'], by: ['requester', 'supervisor'], stamp: 'submitted_at' },
  accepted: { from: ['submitted'], by: ['provider'], stamp: 'accepted_at' },
  rejected: { from: ['submitted'], by: ['provider', 'supervisor'], stamp: 'rejected_at' },
  in_progress: { from: ['accepted'], by: ['provider'], stamp: 'started_at' },
  delivered: { from: ['accepted', 'in_progress'], by: ['provider'], stamp: 'completed_at' },
  done: { from: ['accepted', 'in_progress'], by: ['provider'], stamp: 'completed_at' },
  closed: { from: ['delivered', 'done'], by: ['requester', 'supervisor'], stamp: 'closed_at' },
  cancelled: { from: ['draft', 'submitted', 'accepted', 'in_progress'], by: ['requester', 'supervisor'], stamp: 'cancelled_at' },
};

export type TransitionCheck = { ok: true } | { ok: false; reason: 'invalid_transition' | 'not_allowed' };

/** Whether `parties` may move an order from `from` to `to`; an impossible move is reported before a forbidden one. */
export function checkTransition(from: OrderStatus, to: OrderStatus, parties: readonly Party[]): TransitionCheck {
  const rule = TRANSITIONS[to];
  if (!rule.from.includes(from)) return { ok: false, reason: 'invalid_transition' };
  if (!rule.by.some((party) => parties.includes(party))) return { ok: false, reason: 'not_allowed' };
  return { ok: true };
}

/** The statuses reachable from `from` by these parties (what a console offers as buttons). */
export function nextStatuses(from: OrderStatus, parties: readonly Party[]): OrderStatus[] {
  return ORDER_STATUSES.filter((to) => checkTransition(from, to, parties).ok);
}

export interface ServiceLevel {
  responseHours: number;
  completionHours: number;
}

export interface FollowupInput {
  status: OrderStatus;
  /** When the provider could start acting (submission, or approval when one was needed). */
  releasedAt: Date;
  acceptedAt: Date | null;
  neededBy: Date | null;
  /** The current follow-up state: once the reminder went, its time is kept. */
  reminderSentAt: Date | null;
  remindAt: Date | null;
  escalateAt: Date | null;
}

export interface FollowupTimes {
  responseDueAt: Date;
  dueAt: Date;
  remindAt: Date;
  escalateAt: Date;
}

const HOUR_MS = 3_600_000;
const plusHours = (at: Date, hours: number) => new Date(at.getTime() + Math.round(hours * HOUR_MS));

/**
 * Due times of an order, recomputed when it is released to the provider and when it is accepted.
 *
 * - responseDueAt = released + response SLA: the provider should have accepted by then.
 * - dueAt = the needed-by date when the requester gave one; otherwise accepted (or, before
 *   acceptance, responseDueAt) + completion SLA.
 * - remindAt: the order is late from the first missed deadline — while not accepted, the earlier of
 *   responseDueAt and dueAt; once accepted, dueAt. The provider and the requester are reminded then.
 * - escalateAt = remindAt + response SLA (the provider had one response window after the reminder);
 *   the site's supervisors are told if the order is still open then.
 * Once the reminder has gone, a late acceptance only postpones the escalation to the new dueAt
 * (never brings it forward): an order accepted late and then finished on time is not escalated.
 */
export function followupTimes(order: FollowupInput, sla: ServiceLevel): FollowupTimes {
  const responseDueAt = plusHours(order.releasedAt, sla.responseHours);
  const dueAt = order.neededBy ?? plusHours(order.acceptedAt ?? responseDueAt, sla.completionHours);
  const accepted = order.acceptedAt !== null;
  const remindAt = accepted ? dueAt : new Date(Math.min(responseDueAt.getTime(), dueAt.getTime()));
  if (order.reminderSentAt && order.remindAt && order.escalateAt) {
    return { responseDueAt, dueAt, remindAt: order.remindAt, escalateAt: new Date(Math.max(order.escalateAt.getTime(), dueAt.getTime())) };
  }
  return { responseDueAt, dueAt, remindAt, escalateAt: plusHours(remindAt, sla.responseHours) };
}

export interface OrderLine {
  quantity: number;
  unitPriceCents: number;
}

/** Integer cents throughout: no floating point on money. */
export function orderTotalCents(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}
