import { EntityManager } from 'typeorm';
import { NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import type { Closure, WeeklyHours } from '../organisation/opening-hours';
import { SlotRules } from './slots';

/** The booking rules of a queue, with its effective opening hours (queue, else service, else site). */
export interface AppointmentQueue {
  id: string;
  site_id: string;
  active: boolean;
  slot_minutes: number;
  slot_capacity: number;
  appointment_early_minutes: number;
  appointment_late_minutes: number;
  hours: WeeklyHours;
  closures: Closure[];
  time_zone: string;
}

export async function loadAppointmentQueue(manager: EntityManager, principal: Principal, queueId: string): Promise<AppointmentQueue> {
  const [queue] = (await manager.query(
    `SELECT q.id, q.site_id, q.active, q.slot_minutes, q.slot_capacity, q.appointment_early_minutes, q.appointment_late_minutes,
            coalesce(q.opening_hours, sv.opening_hours, s.opening_hours) AS hours, s.closures, s.time_zone
       FROM queues q JOIN sites s ON s.id = q.site_id JOIN services sv ON sv.id = q.service_id
      WHERE q.id = $1`,
    [queueId],
  )) as AppointmentQueue[];
  if (!queue || !principal.siteIds.includes(queue.site_id)) throw new NotFoundError('Queue', queueId);
  return queue;
}

export function slotRules(queue: AppointmentQueue): SlotRules {
  return { hours: queue.hours, closures: queue.closures, timeZone: queue.time_zone, slotMinutes: queue.slot_minutes };
}

/** A closed queue or a capacity of 0 takes no appointments. */
export function takesAppointments(queue: AppointmentQueue): boolean {
  return queue.active && queue.slot_capacity > 0;
}
