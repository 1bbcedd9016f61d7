import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shift handover (C2.1 "passation"), tasks and callbacks (C1.1 "gérer simultanément les
 * activités") and the agenda.
 *
 * - Logbook entries (main courante) stay open, and so are listed at every handover, until someone
 *   closes them with a comment. A handover note keeps a snapshot of what its author left open;
 *   each incoming agent acknowledges it once (primary key note + user).
 * - A task's reminder fires once: the worker claims `reminder_sent_at` while null, for the
 *   `remind_at` it was scheduled for. A recurring task's next occurrence points back to the
 *   completed one through `previous_task_id`, unique, so it is created exactly once.
 * - Calendar feed tokens are stored hashed (SHA-256 of a random secret), one per user.
 */
export class HandoverTasksAgenda1764288610000 implements MigrationInterface {
  name = 'HandoverTasksAgenda1764288610000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE logbook_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        category text NOT NULL CHECK (category IN ('information', 'instruction', 'incident', 'maintenance', 'visitor', 'delivery', 'other')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body text NOT NULL DEFAULT '',
        due_at timestamptz,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        closing_comment text,
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CHECK (status = 'closed' OR (closed_by_user_id IS NULL AND closing_comment IS NULL))
      )`);
    await q.query(`CREATE INDEX logbook_entries_open_idx ON logbook_entries (site_id, created_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX logbook_entries_site_idx ON logbook_entries (site_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE handover_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        body text NOT NULL CHECK (length(body) >= 1),
        -- What the author left open when writing: tickets, requests, tasks, callbacks, logbook entries.
        snapshot jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX handover_notes_site_idx ON handover_notes (site_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE handover_acknowledgements (
        note_id uuid NOT NULL REFERENCES handover_notes(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        acknowledged_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (note_id, user_id)
      )`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        notes text,
        owner_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        owner_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        urgent boolean NOT NULL DEFAULT false,
        important boolean NOT NULL DEFAULT false,
        due_at timestamptz,
        remind_at timestamptz,
        reminder_sent_at timestamptz,
        recurrence text,
        previous_task_id uuid UNIQUE REFERENCES tasks(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        completed_at timestamptz,
        completed_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'open') = (completed_at IS NULL)),
        CHECK (reminder_sent_at IS NULL OR remind_at IS NOT NULL),
        CHECK (recurrence IS NULL OR due_at IS NOT NULL),
        CHECK (owner_user_id IS NOT NULL OR owner_service_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX tasks_owner_user_idx ON tasks (owner_user_id, status, due_at)`);
    await q.query(`CREATE INDEX tasks_owner_service_idx ON tasks (owner_service_id, status, due_at)`);
    // The reminder sweep reads open tasks whose reminder is due and unsent.
    await q.query(`CREATE INDEX tasks_reminder_due_idx ON tasks (remind_at) WHERE status = 'open' AND reminder_sent_at IS NULL`);

    await q.query(`
      CREATE TABLE callbacks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        request_id uuid REFERENCES requests(id) ON DELETE SET NULL,
        contact_name text NOT NULL CHECK (length(contact_name) BETWEEN 1 AND 200),
        -- E.164, normalised by libphonenumber-js.
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{5,14}$'),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
        call_before timestamptz,
        owner_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        owner_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'failed', 'cancelled')),
        outcome text CHECK (outcome IN ('reached', 'wrong_number', 'cancelled', 'gave_up')),
        attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'open') = (closed_at IS NULL)),
        CHECK ((status = 'open') = (outcome IS NULL)),
        CHECK (owner_user_id IS NOT NULL OR owner_service_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX callbacks_owner_user_idx ON callbacks (owner_user_id, status)`);
    await q.query(`CREATE INDEX callbacks_owner_service_idx ON callbacks (owner_service_id, status)`);
    await q.query(`
      CREATE TABLE callback_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        callback_id uuid NOT NULL REFERENCES callbacks(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        result text NOT NULL CHECK (result IN ('reached', 'no_answer', 'voicemail', 'busy', 'wrong_number')),
        notes text
      )`);
    await q.query(`CREATE INDEX callback_attempts_callback_idx ON callback_attempts (callback_id, id)`);

    await q.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        owner_user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        service_id uuid REFERENCES services(id) ON DELETE CASCADE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text,
        notes text,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK (owner_user_id IS NOT NULL OR service_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX meetings_user_idx ON meetings (owner_user_id, starts_at)`);
    await q.query(`CREATE INDEX meetings_service_idx ON meetings (service_id, starts_at)`);

    await q.query(`
      CREATE TABLE calendar_feed_tokens (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_feed_tokens',
      'meetings',
      'callback_attempts',
      'callbacks',
      'tasks',
      'handover_acknowledgements',
      'handover_notes',
      'logbook_entries',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
