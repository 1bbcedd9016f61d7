import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService } from '../audit/audit.service';
import { checkInTiming } from '../flow/ordering';
import type { Principal } from '../identity/principal';
import { LiveEvents } from '../live/live-events.service';
import { AppointmentRow, AppointmentView, assertBooked, lockAppointment, recordChange, toView } from './appointment-view';
import { AppointmentErrorCode, AppointmentRuleError } from './appointments.errors';

const SWEEP_BATCH = 200;

/** Booked appointments nobody checked in for before the end of the late window become no-shows. */
@Injectable()
export class NoShowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  /** Marked by hand at the desk, once the late window is over. */
  async mark(principal: Principal, id: string, version?: number): Promise<AppointmentView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await lockAppointment(manager, principal, id, version);
      assertBooked(before, 'mark as no-show');
      const [queue] = (await manager.query(
        `SELECT q.appointment_early_minutes AS early, q.appointment_late_minutes AS late, s.time_zone
           FROM queues q JOIN sites s ON s.id = q.site_id WHERE q.id = $1`,
        [before.queue_id],
      )) as { early: number; late: number; time_zone: string }[];
      if (checkInTiming(before.starts_at, new Date(), queue.early, queue.late) !== 'late') {
        const windowEnd = DateTime.fromJSDate(before.starts_at, { zone: queue.time_zone }).plus({ minutes: queue.late });
        throw new AppointmentRuleError(
          AppointmentErrorCode.NoShowTooEarly,
          `The visitor may still check in until ${windowEnd.toFormat('HH:mm')} (${windowEnd.toISO()})`,
        );
      }
      const [after] = await rowsOf<AppointmentRow>(
        manager,
        `UPDATE appointments SET status = 'no_show', no_show_at = now(), updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *`,
        [id],
      );
      await recordChange(manager, this.audit, emit, 'appointment.no_show', before, after);
      return toView(after);
    });
  }

  /**
   * The periodic sweep, in small batches each committed with its audit entries and live events.
   * Idempotent: only still-booked rows are touched; rows being checked in right now are skipped.
   */
  async sweep(): Promise<{ marked: number }> {
    let marked = 0;
    for (;;) {
      const batch = await this.live.transaction(async (manager, emit) => {
        const rows = await rowsOf<AppointmentRow>(
          manager,
          `UPDATE appointments SET status = 'no_show', no_show_at = now(), updated_at = now(), version = version + 1
            WHERE id IN (
              SELECT a.id FROM appointments a JOIN queues q ON q.id = a.queue_id
               WHERE a.status = 'booked' AND a.starts_at < now()
                 AND a.starts_at + make_interval(mins => q.appointment_late_minutes) < now()
               ORDER BY a.starts_at
               LIMIT $1
               FOR UPDATE OF a SKIP LOCKED)
           RETURNING *`,
          [SWEEP_BATCH],
        );
        for (const after of rows) {
          const before: AppointmentRow = { ...after, status: 'booked', no_show_at: null, version: after.version - 1 };
          await recordChange(manager, this.audit, emit, 'appointment.no_show', before, after);
        }
        return rows.length;
      });
      marked += batch;
      if (batch < SWEEP_BATCH) return { marked };
    }
  }
}
