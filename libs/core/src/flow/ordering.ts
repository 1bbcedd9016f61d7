/**
 * Ticket ordering (README, "Ticket ordering"). Every waiting ticket has a sort key:
 *
 *   sort_key = base − bonus(class)
 *
 * where base is the arrival time (for an appointment checked in on time: the appointment's start)
 * and bonus is the queue's weight for the class, in seconds. Call-next takes the smallest key.
 * Because a ticket's key never changes while it waits, waiting is its own ageing: a standard
 * ticket that arrived at t can only be overtaken by tickets whose key is below t, i.e. that
 * arrived before t + max(bonus). That bounds every overtaking, so nobody starves.
 */
export const PRIORITY_CLASSES = ['urgent', 'needs', 'appointment', 'standard'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

export type PriorityBonuses = Record<PriorityClass, number>;

export const DEFAULT_BONUSES: PriorityBonuses = { urgent: 3600, needs: 900, appointment: 1200, standard: 0 };

export const VISITOR_NEEDS = ['reduced_mobility', 'hearing', 'sight', 'foreign_language', 'urgency', 'accompanied_child', 'other'] as const;
export type VisitorNeed = (typeof VISITOR_NEEDS)[number];

/** Needs that shorten the wait. A language need calls for the right agent, not for priority. */
const PRIORITY_NEEDS: readonly VisitorNeed[] = ['reduced_mobility', 'hearing', 'sight', 'accompanied_child'];

export interface OrderingInput {
  arrivedAt: Date;
  needs: readonly string[];
  /** Start of the appointment when the ticket comes from an on-time check-in. */
  appointmentStartsAt?: Date | null;
}

export interface Ordering {
  priorityClass: PriorityClass;
  sortKey: Date;
}

/** The class that gives the earliest key wins; ties go to the more urgent class. */
export function orderTicket(input: OrderingInput, bonuses: PriorityBonuses = DEFAULT_BONUSES): Ordering {
  const candidates: Ordering[] = [{ priorityClass: 'standard', sortKey: shift(input.arrivedAt, bonuses.standard) }];
  if (input.needs.includes('urgency')) candidates.push({ priorityClass: 'urgent', sortKey: shift(input.arrivedAt, bonuses.urgent) });
  if (input.needs.some((need) => PRIORITY_NEEDS.includes(need as VisitorNeed))) {
    candidates.push({ priorityClass: 'needs', sortKey: shift(input.arrivedAt, bonuses.needs) });
  }
  if (input.appointmentStartsAt) {
    candidates.push({ priorityClass: 'appointment', sortKey: shift(input.appointmentStartsAt, bonuses.appointment) });
  }
  return candidates.reduce((best, c) =>
    c.sortKey.getTime() < best.sortKey.getTime() ||
    (c.sortKey.getTime() === best.sortKey.getTime() && PRIORITY_CLASSES.indexOf(c.priorityClass) < PRIORITY_CLASSES.indexOf(best.priorityClass))
      ? c
      : best,
  );
}

function shift(at: Date, bonusSeconds: number): Date {
  return new Date(at.getTime() - bonusSeconds * 1000);
}

export type CheckInTiming = 'early' | 'on_time' | 'late';

/**
 * Where a check-in falls against the appointment's window [start − early, start + late]. Too early
 * is refused (come back later); late loses the appointment priority and queues as a walk-in.
 */
export function checkInTiming(startsAt: Date, at: Date, earlyMinutes: number, lateMinutes: number): CheckInTiming {
  if (at.getTime() < startsAt.getTime() - earlyMinutes * 60_000) return 'early';
  if (at.getTime() > startsAt.getTime() + lateMinutes * 60_000) return 'late';
  return 'on_time';
}

/**
 * Estimated wait of a ticket with `ahead` tickets before it: each open counter serving the queue
 * takes one ticket per mean service time, so the wait is ahead × service time ÷ open counters.
 * With no counter open the estimate assumes one will open (a lower bound, flagged in the README).
 */
export function estimateWaitSeconds(ahead: number, meanServiceSeconds: number, openCounters: number): number {
  return Math.round((ahead * meanServiceSeconds) / Math.max(1, openCounters));
}

/** Used until a queue has served enough tickets to have its own rolling mean. */
export const DEFAULT_SERVICE_SECONDS = 300;
