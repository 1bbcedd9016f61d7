import { MigrationInterface, QueryRunner } from 'typeorm';

/** Meetings become editable (PATCH /meetings/{id}): a version for If-Match, and when they last changed. */
export class MeetingVersion1764288655000 implements MigrationInterface {
  name = 'MeetingVersion1764288655000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meetings ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version > 0), ADD COLUMN updated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE meetings DROP COLUMN updated_at, DROP COLUMN version`);
  }
}
