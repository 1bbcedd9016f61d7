import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appointment mails are sent exactly once each: the worker claims a message by setting its
 * `*_sent_at` (only while null) before sending and clears it again if the send fails. A reschedule
 * clears `reminder_sent_at` so the new time gets its own reminder.
 */
export class Appointments1764288450000 implements MigrationInterface {
  name = 'Appointments1764288450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointments ADD COLUMN confirmation_sent_at timestamptz, ADD COLUMN reminder_sent_at timestamptz`);
    // The no-show sweep reads booked appointments by start time.
    await q.query(`CREATE INDEX appointments_booked_start_idx ON appointments (starts_at) WHERE status = 'booked'`);
    // Day lists of a site.
    await q.query(`CREATE INDEX appointments_site_start_idx ON appointments (site_id, starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS appointments_site_start_idx`);
    await q.query(`DROP INDEX IF EXISTS appointments_booked_start_idx`);
    await q.query(`ALTER TABLE appointments DROP COLUMN IF EXISTS reminder_sent_at, DROP COLUMN IF EXISTS confirmation_sent_at`);
  }
}
