import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { JobProducer } from '@guichet/jobs/job-producer';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import { FlowErrorCode, FlowRuleError } from '../flow/flow.errors';
import { IdempotencyService, IdempotentResult } from '../idempotency/idempotency.service';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { reminderDelay } from './appointment-mail';
import { AppointmentQueue, loadAppointmentQueue, slotRules, takesAppointments } from './appointment-queue';
import {
  AppointmentChannel,
  AppointmentRow,
  AppointmentStatus,
  AppointmentView,
  assertBooked,
  lockAppointment,
  recordChange,
  toView,
} from './appointment-view';
import { newCheckInCode, normaliseCheckInCode } from './check-in-code';
import { daysInRange, MAX_SLOT_RANGE_DAYS, Slot, slotsBetween, slotStartingAt } from './slots';

export interface BookAppointmentInput {
  queueId: string;
  startsAt: string;
  contactName: string;
  contactEmail?: string;
  contactPhone?: string;
  visitorId?: string;
  channel: AppointmentChannel;
  notes?: string;
}

export interface SlotView extends Slot {
  capacity: number;
  /** Capacity minus the appointments (not cancelled) starting in the slot; 0 when full. */
  remaining: number;
}

export interface SlotList {
  queueId: string;
  timeZone: string;
  slotMinutes: number;
  items: SlotView[];
}

export interface AppointmentQuery {
  siteId?: string;
  queueId?: string;
  /** Local day of the site (YYYY-MM-DD). */
  date?: string;
  status?: AppointmentStatus;
  page: number;
  limit: number;
}

/** Drawing a code that a booked appointment of the site already holds is rare; a few draws always suffice. */
const CODE_ATTEMPTS = 5;

/**
 * Booking, listing, cancelling and moving appointments. A slot's capacity holds under concurrency:
 * every write into a slot first takes a transaction-scoped advisory lock on (queue, slot start), so
 * concurrent bookings of one slot count the rows one after the other. Mails are enqueued only once
 * the booking is committed, with deterministic job ids; the handlers re-check the appointment.
 */
@Injectable()
export class AppointmentsService {
  private readonly logger = new Logger('Appointments');

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
  ) {}

  async slots(principal: Principal, queueId: string, from: string, to: string): Promise<SlotList> {
    const days = daysInRange(from, to);
    if (days < 1 || days > MAX_SLOT_RANGE_DAYS) {
      throw new ValidationError('Invalid date range', [{ field: 'to', message: `must be on or after from, at most ${MAX_SLOT_RANGE_DAYS} days in all` }]);
    }
    const queue = await loadAppointmentQueue(this.dataSource.manager, principal, queueId);
    const list: SlotList = { queueId, timeZone: queue.time_zone, slotMinutes: queue.slot_minutes, items: [] };
    if (!takesAppointments(queue)) return list;
    const now = new Date();
    const slots = slotsBetween(slotRules(queue), from, to).filter((slot) => slot.startsAt > now);
    if (slots.length === 0) return list;
    const starts = (
      (await this.dataSource.query(
        `SELECT starts_at FROM appointments WHERE queue_id = $1 AND status <> 'cancelled' AND starts_at >= $2 AND starts_at < $3 ORDER BY starts_at`,
        [queueId, slots[0].startsAt, slots[slots.length - 1].endsAt],
      )) as { starts_at: Date }[]
    ).map((r) => r.starts_at.getTime());
    let i = 0;
    for (const slot of slots) {
      while (i < starts.length && starts[i] < slot.startsAt.getTime()) i++;
      let taken = 0;
      while (i + taken < starts.length && starts[i + taken] < slot.endsAt.getTime()) taken++;
      list.items.push({ ...slot, capacity: queue.slot_capacity, remaining: Math.max(0, queue.slot_capacity - taken) });
    }
    return list;
  }

  /** With `Idempotency-Key`, a retry returns the first booking (and re-enqueues its mails, harmlessly). */
  async book(principal: Principal, input: BookAppointmentInput, idempotencyKey?: string): Promise<IdempotentResult<AppointmentView>> {
    const result = await this.idempotency.run(principal, idempotencyKey, 'appointments.book', input, async (manager, emit) => ({
      status: 201,
      body: await this.bookInTransaction(manager, emit, principal, input),
    }));
    await this.scheduleMails(result.body, { confirmation: true });
    return result;
  }

  async list(principal: Principal, query: AppointmentQuery): Promise<{ items: AppointmentView[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId ? [query.siteId] : principal.siteIds];
    const where = ['a.site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.queueId) add('a.queue_id = ?', query.queueId);
    if (query.status) add('a.status = ?', query.status);
    if (query.date) add('(a.starts_at AT TIME ZONE s.time_zone)::date = ?::date', query.date);
    const from = `FROM appointments a JOIN sites s ON s.id = a.site_id WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT a.* ${from} ORDER BY a.starts_at, a.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as AppointmentRow[];
    return { items: rows.map(toView), total };
  }

  async get(principal: Principal, id: string): Promise<AppointmentView> {
    const [row] = (await this.dataSource.query(`SELECT * FROM appointments WHERE id = $1`, [id])) as AppointmentRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Appointment', id);
    return toView(row);
  }

  /** Codes are unique among the booked appointments of a site only, so only those are found. */
  async getByCode(principal: Principal, siteId: string, code: string): Promise<AppointmentView> {
    assertSiteAccess(principal, siteId);
    const [row] = (await this.dataSource.query(`SELECT * FROM appointments WHERE site_id = $1 AND check_in_code = $2 AND status = 'booked'`, [
      siteId,
      normaliseCheckInCode(code),
    ])) as AppointmentRow[];
    if (!row) throw new NotFoundError('Booked appointment with this code');
    return toView(row);
  }

  async cancel(principal: Principal, id: string, version?: number, reason?: string): Promise<AppointmentView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await lockAppointment(manager, principal, id, version);
      assertBooked(before, 'cancel');
      const [row] = await rowsOf<AppointmentRow>(
        manager,
        `UPDATE appointments SET status = 'cancelled', cancelled_at = now(), updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *`,
        [id],
      );
      await recordChange(manager, this.audit, emit, 'appointment.cancelled', before, row, reason ? { reason: { to: reason } } : {});
      return toView(row);
    });
  }

  /** Moves a booked appointment to another slot of its queue (same rules as booking); the old slot is freed. */
  async reschedule(principal: Principal, id: string, startsAt: string, version?: number): Promise<AppointmentView> {
    const view = await this.live.transaction(async (manager, emit) => {
      const before = await lockAppointment(manager, principal, id, version);
      assertBooked(before, 'reschedule');
      const queue = await loadAppointmentQueue(manager, principal, before.queue_id);
      const slot = await this.reserveSlot(manager, queue, new Date(startsAt), before.id);
      // The reminder already sent (if any) was for the old time: the new time gets its own.
      const [row] = await rowsOf<AppointmentRow>(
        manager,
        `UPDATE appointments SET starts_at = $2, ends_at = $3, reminder_sent_at = NULL, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, slot.startsAt, slot.endsAt],
      );
      await recordChange(manager, this.audit, emit, 'appointment.rescheduled', before, row);
      return toView(row);
    });
    await this.scheduleMails(view, { confirmation: false });
    return view;
  }

  private async bookInTransaction(manager: EntityManager, emit: Emit, principal: Principal, input: BookAppointmentInput): Promise<AppointmentView> {
    const queue = await loadAppointmentQueue(manager, principal, input.queueId);
    if (input.visitorId) {
      const [visitor] = (await manager.query(`SELECT 1 FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL`, [
        input.visitorId,
        queue.site_id,
      ])) as unknown[];
      if (!visitor) throw new NotFoundError('Visitor', input.visitorId);
    }
    const slot = await this.reserveSlot(manager, queue, new Date(input.startsAt), null);
    for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
      // ON CONFLICT on the partial unique index: a code clash draws again instead of aborting the transaction.
      const [row] = (await manager.query(
        `INSERT INTO appointments (site_id, queue_id, visitor_id, contact_name, contact_email, contact_phone, starts_at, ends_at,
                                   check_in_code, channel, notes, booked_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (site_id, check_in_code) WHERE status = 'booked' DO NOTHING
         RETURNING *`,
        [
          queue.site_id,
          queue.id,
          input.visitorId ?? null,
          input.contactName,
          input.contactEmail ?? null,
          input.contactPhone ?? null,
          slot.startsAt,
          slot.endsAt,
          newCheckInCode(),
          input.channel,
          input.notes ?? null,
          `${principal.kind}:${principal.id}`,
        ],
      )) as AppointmentRow[];
      if (row) {
        await recordChange(manager, this.audit, emit, 'appointment.booked', null, row);
        return toView(row);
      }
    }
    throw new Error(`No free check-in code after ${CODE_ATTEMPTS} draws for site ${queue.site_id}`);
  }

  /**
   * Checks that `startsAt` is a future slot start of the queue with room left, holding the slot's
   * lock until the transaction ends so that a concurrent booking counts this one.
   */
  private async reserveSlot(manager: EntityManager, queue: AppointmentQueue, startsAt: Date, movingId: string | null): Promise<Slot> {
    const slot = takesAppointments(queue) ? slotStartingAt(slotRules(queue), startsAt) : null;
    if (!slot || slot.startsAt <= new Date()) {
      throw new FlowRuleError(FlowErrorCode.SlotUnavailable, 'No bookable slot of this queue starts at this time');
    }
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`appointment-slot:${queue.id}:${slot.startsAt.toISOString()}`]);
    const [{ taken }] = (await manager.query(
      `SELECT count(*)::int AS taken FROM appointments
        WHERE queue_id = $1 AND status <> 'cancelled' AND starts_at >= $2 AND starts_at < $3 AND id IS DISTINCT FROM $4`,
      [queue.id, slot.startsAt, slot.endsAt, movingId],
    )) as { taken: number }[];
    if (taken >= queue.slot_capacity) throw new FlowRuleError(FlowErrorCode.SlotFull, 'This slot is full');
    return slot;
  }

  /**
   * After commit: the confirmation (once per appointment) and the reminder of the current start
   * time (its job id carries the time, so a rescheduled appointment gets a new one). A failure to
   * enqueue is logged, not thrown: the appointment is booked and the caller must not book it again.
   */
  private async scheduleMails(appointment: Pick<AppointmentView, 'id' | 'startsAt' | 'contactEmail'>, opts: { confirmation: boolean }): Promise<void> {
    if (!appointment.contactEmail) return;
    const id = appointment.id;
    const startsAt = new Date(appointment.startsAt); // a replayed response carries an ISO string
    try {
      if (opts.confirmation) {
        await this.jobs.enqueue('notifications.appointment-confirmation', { appointmentId: id }, { jobId: `appt-confirm-${id}` });
      }
      const delay = reminderDelay(startsAt, new Date());
      if (delay !== null) {
        await this.jobs.enqueue(
          'notifications.appointment-reminder',
          { appointmentId: id, startsAt: startsAt.toISOString() },
          { jobId: `appt-remind-${id}-${startsAt.getTime()}`, delay },
        );
      }
    } catch (error) {
      this.logger.error({ err: error, appointmentId: id }, 'Could not enqueue the appointment mails');
    }
  }
}
