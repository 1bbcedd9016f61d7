import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../errors/domain-error';
import { FlowConflictError, FlowErrorCode, FlowRuleError } from '../flow/flow.errors';
import { checkInTiming } from '../flow/ordering';
import { IssuedTicket, TicketsService } from '../flow/tickets.service';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { AppointmentRow, lockAppointment, recordChange } from './appointment-view';
import { normaliseCheckInCode } from './check-in-code';

/**
 * Check-in turns an appointment into a ticket of its queue, in one transaction. Inside the window
 * [start − early, start + late] the ticket is ordered by the appointment time (class `appointment`);
 * after it, the visitor queues as a walk-in; before it, check-in is refused with the opening time.
 * A no-show who turns up after all is checked in late rather than turned away.
 */
@Injectable()
export class AppointmentCheckInService {
  constructor(
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly tickets: TicketsService,
  ) {}

  checkIn(principal: Principal, appointmentId: string): Promise<IssuedTicket> {
    return this.live.transaction(async (manager, emit) => {
      const row = await lockAppointment(manager, principal, appointmentId);
      return this.checkInLocked(manager, emit, principal, row);
    });
  }

  /** The kiosk path: the visitor types the code of their booked appointment. */
  checkInByCode(principal: Principal, siteId: string, code: string): Promise<IssuedTicket> {
    assertSiteAccess(principal, siteId);
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(
        `SELECT * FROM appointments WHERE site_id = $1 AND check_in_code = $2 AND status = 'booked' FOR UPDATE`,
        [siteId, normaliseCheckInCode(code)],
      )) as AppointmentRow[];
      if (!row) throw new NotFoundError('Booked appointment with this code');
      return this.checkInLocked(manager, emit, principal, row);
    });
  }

  private async checkInLocked(manager: EntityManager, emit: Emit, principal: Principal, row: AppointmentRow): Promise<IssuedTicket> {
    if (row.status === 'checked_in' || row.status === 'done') {
      throw new FlowConflictError(FlowErrorCode.AppointmentNotBooked, 'This appointment is already checked in');
    }
    if (row.status === 'cancelled') throw new FlowRuleError(FlowErrorCode.AppointmentNotBooked, 'This appointment was cancelled');
    const [queue] = (await manager.query(
      `SELECT q.appointment_early_minutes AS early, q.appointment_late_minutes AS late, s.time_zone
         FROM queues q JOIN sites s ON s.id = q.site_id WHERE q.id = $1`,
      [row.queue_id],
    )) as { early: number; late: number; time_zone: string }[];
    const timing = checkInTiming(row.starts_at, new Date(), queue.early, queue.late);
    if (timing === 'early') {
      const opensAt = DateTime.fromJSDate(row.starts_at, { zone: queue.time_zone }).minus({ minutes: queue.early });
      throw new FlowRuleError(
        FlowErrorCode.CheckInTooEarly,
        `Too early: check-in opens at ${opensAt.toFormat('HH:mm')} (${opensAt.toISO()}), ${queue.early} minutes before the appointment`,
      );
    }
    const ticket = await this.tickets.issueInTransaction(
      manager,
      emit,
      principal,
      // A key is a kiosk (check-in routes admit no other keys); a user checks the visitor in at the desk.
      { queueId: row.queue_id, channel: principal.kind === 'user' ? 'desk' : 'kiosk' },
      { appointmentId: row.id, startsAt: timing === 'on_time' ? row.starts_at : null, visitorId: row.visitor_id },
    );
    const [after] = await rowsOf<AppointmentRow>(
      manager,
      `UPDATE appointments SET status = 'checked_in', checked_in_at = now(), ticket_id = $2, updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [row.id, ticket.id],
    );
    await recordChange(manager, this.audit, emit, 'appointment.checked_in', row, after, { timing: { to: timing } });
    return ticket;
  }
}
