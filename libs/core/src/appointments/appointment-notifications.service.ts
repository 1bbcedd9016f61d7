import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { MailerService } from '../mail/mailer.service';
import type { PostalAddress } from '../organisation/site.entity';
import { REMINDER_LEAD_MS, REMINDER_MIN_NOTICE_MS, renderAppointmentMail } from './appointment-mail';

export type MailOutcome = { sent: true } | { sent: false; reason: string };

type MailKind = 'confirmation' | 'reminder';

const SENT_AT: Record<MailKind, string> = { confirmation: 'confirmation_sent_at', reminder: 'reminder_sent_at' };

/** A booking's own job normally sends its mails within seconds; past this, the sweep takes over. */
const CATCH_UP_AFTER_MINUTES = 3;
const CATCH_UP_BATCH = 50;


interface ClaimedMail {
  contact_name: string;
  contact_email: string;
  starts_at: Date;
  check_in_code: string;
  queue_name: string;
  early: number;
  late: number;
  site_name: string;
  site_address: PostalAddress | null;
  time_zone: string;
}

/**
 * Sends each appointment mail exactly once, however often its job runs (retries, duplicates,
 * stalled jobs). The mail is claimed first — `*_sent_at` set only while null, in one statement,
 * so of two concurrent runs one wins — then sent; a failed send clears the claim and throws, so
 * the job is retried. The price: a worker dying between claim and send loses that one mail
 * rather than risking a duplicate.
 */
@Injectable()
export class AppointmentNotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: MailerService,
    private readonly config: AppConfig,
  ) {}

  sendConfirmation(appointmentId: string): Promise<MailOutcome> {
    return this.sendOnce('confirmation', appointmentId, null);
  }

  /** `startsAt` is the time the reminder was scheduled for: a moved appointment's old reminder is dropped. */
  sendReminder(appointmentId: string, startsAt: string): Promise<MailOutcome> {
    return this.sendOnce('reminder', appointmentId, new Date(startsAt));
  }

  /**
   * Sends the mails whose job was lost (Redis flushed or down when the booking committed): the
   * confirmation of a booking older than a few minutes, and a reminder now due (same window as
   * at booking: within 24 h of the start, not under 2 h). The claim in
   * sendOnce keeps each mail single even if its job also runs.
   */
  async catchUp(limit = CATCH_UP_BATCH): Promise<{ confirmations: number; reminders: number }> {
    const due = (await this.dataSource.query(
      `SELECT id, starts_at,
              (confirmation_sent_at IS NULL AND created_at < now() - make_interval(mins => $1)) AS confirm,
              (reminder_sent_at IS NULL AND created_at < now() - make_interval(mins => $1)
                 AND starts_at BETWEEN now() + make_interval(secs => $2) AND now() + make_interval(secs => $3)) AS remind
         FROM appointments
        WHERE status = 'booked' AND contact_email IS NOT NULL AND starts_at > now()
          AND created_at < now() - make_interval(mins => $1)
          AND (confirmation_sent_at IS NULL
               OR (reminder_sent_at IS NULL AND starts_at BETWEEN now() + make_interval(secs => $2) AND now() + make_interval(secs => $3)))
        ORDER BY created_at
        LIMIT $4`,
      [CATCH_UP_AFTER_MINUTES, REMINDER_MIN_NOTICE_MS / 1000, REMINDER_LEAD_MS / 1000, limit],
    )) as { id: string; starts_at: Date; confirm: boolean; remind: boolean }[];
    let confirmations = 0;
    let reminders = 0;
    for (const row of due) {
      if (row.confirm && (await this.sendConfirmation(row.id)).sent) confirmations++;
      if (row.remind && (await this.sendOnce('reminder', row.id, row.starts_at)).sent) reminders++;
    }
    return { confirmations, reminders };
  }

  private async sendOnce(kind: MailKind, id: string, scheduledFor: Date | null): Promise<MailOutcome> {
    const column = SENT_AT[kind];
    const [mail] = await rowsOf<ClaimedMail>(
      this.dataSource.manager,
      `UPDATE appointments a SET ${column} = now()
         FROM queues q, sites s
        WHERE a.id = $1 AND q.id = a.queue_id AND s.id = a.site_id
          AND a.${column} IS NULL AND a.status = 'booked' AND a.contact_email IS NOT NULL AND a.starts_at > now()
          AND ($2::timestamptz IS NULL OR a.starts_at = $2::timestamptz)
        RETURNING a.contact_name, a.contact_email, a.starts_at, a.check_in_code, q.name AS queue_name,
                  q.appointment_early_minutes AS early, q.appointment_late_minutes AS late,
                  s.name AS site_name, s.address AS site_address, s.time_zone`,
      [id, scheduledFor],
    );
    if (!mail) return { sent: false, reason: await this.skipReason(id, column, scheduledFor) };
    try {
      const { subject, text } = renderAppointmentMail({
        kind,
        contactName: mail.contact_name,
        startsAt: mail.starts_at,
        timeZone: mail.time_zone,
        siteName: mail.site_name,
        siteAddress: mail.site_address,
        queueName: mail.queue_name,
        checkInCode: mail.check_in_code,
        earlyMinutes: mail.early,
        lateMinutes: mail.late,
        publicUrl: this.config.publicUrl,
      });
      await this.mailer.send({ to: mail.contact_email, subject, text });
    } catch (error) {
      await this.dataSource.query(`UPDATE appointments SET ${column} = NULL WHERE id = $1`, [id]);
      throw error;
    }
    return { sent: true };
  }

  /** Why a mail was not sent, for the job's logged result. */
  private async skipReason(id: string, column: string, scheduledFor: Date | null): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT status, contact_email, starts_at, ${column} AS sent_at FROM appointments WHERE id = $1`, [
      id,
    ])) as { status: string; contact_email: string | null; starts_at: Date; sent_at: Date | null }[];
    if (!row) return 'appointment deleted';
    if (row.status !== 'booked') return `appointment ${row.status}`;
    if (scheduledFor && row.starts_at.getTime() !== scheduledFor.getTime()) return 'appointment moved';
    if (row.sent_at) return 'already sent';
    if (!row.contact_email) return 'no e-mail address';
    return 'appointment already started';
  }
}
