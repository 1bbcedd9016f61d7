import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flow management (référentiel C1.5): queues, counters, agent sessions, tickets, appointments.
 * Tickets are ordered by `sort_key` (arrival time minus the priority bonus of their class, see
 * README "Ticket ordering"); call-next takes the smallest with FOR UPDATE SKIP LOCKED.
 */
export class Flow1764288400000 implements MigrationInterface {
  name = 'Flow1764288400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
        name text NOT NULL,
        prefix text NOT NULL CHECK (prefix ~ '^[A-Z]{1,3}$'),
        daily_cap integer CHECK (daily_cap > 0),
        active boolean NOT NULL DEFAULT true,
        opening_hours jsonb,
        priority_bonuses jsonb NOT NULL DEFAULT '{"urgent": 3600, "needs": 900, "appointment": 1200, "standard": 0}',
        max_recalls integer NOT NULL DEFAULT 2 CHECK (max_recalls >= 0),
        appointment_early_minutes integer NOT NULL DEFAULT 30 CHECK (appointment_early_minutes >= 0),
        appointment_late_minutes integer NOT NULL DEFAULT 10 CHECK (appointment_late_minutes >= 0),
        slot_minutes integer NOT NULL DEFAULT 15 CHECK (slot_minutes BETWEEN 5 AND 240),
        slot_capacity integer NOT NULL DEFAULT 1 CHECK (slot_capacity BETWEEN 0 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX queues_site_prefix_key ON queues (site_id, prefix)`);
    await q.query(`CREATE INDEX queues_service_idx ON queues (service_id)`);
    await q.query(`
      CREATE TABLE queue_day_counters (
        queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
        day date NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (queue_id, day)
      )`);

    await q.query(`
      CREATE TABLE counters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        name text NOT NULL,
        location text,
        preference_step_seconds integer NOT NULL DEFAULT 600 CHECK (preference_step_seconds >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX counters_site_name_key ON counters (site_id, lower(name))`);
    await q.query(`
      CREATE TABLE counter_queues (
        counter_id uuid NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
        queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
        preference integer NOT NULL CHECK (preference >= 1),
        PRIMARY KEY (counter_id, queue_id)
      )`);
    await q.query(`CREATE INDEX counter_queues_queue_idx ON counter_queues (queue_id)`);

    await q.query(`
      CREATE TABLE pause_reasons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        code text NOT NULL,
        label text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        UNIQUE (site_id, code)
      )`);

    await q.query(`
      CREATE TABLE agent_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        counter_id uuid NOT NULL REFERENCES counters(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
        state text NOT NULL CHECK (state IN ('available', 'serving', 'paused', 'closed')),
        pause_reason text,
        -- The queues the agent chose when opening (a subset of the counter's); null = all of them.
        queue_ids uuid[],
        state_since timestamptz NOT NULL DEFAULT now(),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX agent_sessions_open_counter_key ON agent_sessions (counter_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX agent_sessions_open_user_key ON agent_sessions (user_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX agent_sessions_site_idx ON agent_sessions (site_id, opened_at DESC)`);
    await q.query(`
      CREATE TABLE agent_session_states (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES agent_sessions(id) ON DELETE CASCADE,
        state text NOT NULL,
        pause_reason text,
        started_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`CREATE INDEX agent_session_states_session_idx ON agent_session_states (session_id, started_at)`);

    await q.query(`
      CREATE TABLE appointments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE RESTRICT,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        contact_name text NOT NULL,
        contact_email text,
        contact_phone text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in', 'cancelled', 'no_show', 'done')),
        check_in_code text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('desk', 'phone', 'web', 'api')),
        notes text,
        ticket_id uuid,
        booked_by text NOT NULL,
        checked_in_at timestamptz,
        cancelled_at timestamptz,
        no_show_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX appointments_code_key ON appointments (site_id, check_in_code) WHERE status = 'booked'`);
    await q.query(`CREATE INDEX appointments_slot_idx ON appointments (queue_id, starts_at) WHERE status <> 'cancelled'`);
    await q.query(`CREATE INDEX appointments_visitor_idx ON appointments (visitor_id) WHERE visitor_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        queue_id uuid NOT NULL REFERENCES queues(id) ON DELETE RESTRICT,
        business_day date NOT NULL,
        seq_number integer NOT NULL,
        number text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('kiosk', 'desk', 'phone', 'web', 'mobile')),
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        needs text[] NOT NULL DEFAULT '{}',
        priority_class text NOT NULL CHECK (priority_class IN ('urgent', 'needs', 'appointment', 'standard')),
        appointment_id uuid REFERENCES appointments(id) ON DELETE SET NULL,
        request_id uuid REFERENCES requests(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'waiting'
          CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'transferred', 'parked')),
        arrived_at timestamptz NOT NULL,
        queued_at timestamptz NOT NULL,
        sort_key timestamptz NOT NULL,
        counter_id uuid REFERENCES counters(id) ON DELETE SET NULL,
        agent_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        called_at timestamptz,
        first_called_at timestamptz,
        recall_count integer NOT NULL DEFAULT 0,
        started_at timestamptz,
        ended_at timestamptz,
        estimated_wait_seconds integer,
        public_token text NOT NULL UNIQUE,
        transferred_from_queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (queue_id, business_day, seq_number)
      )`);
    await q.query(`CREATE INDEX tickets_waiting_idx ON tickets (queue_id, sort_key, id) WHERE status = 'waiting'`);
    await q.query(`CREATE INDEX tickets_site_day_idx ON tickets (site_id, business_day)`);
    // Visitor merge and erasure move or find a visitor's tickets and appointments.
    await q.query(`CREATE INDEX tickets_visitor_idx ON tickets (visitor_id) WHERE visitor_id IS NOT NULL`);
    await q.query(`CREATE INDEX tickets_queue_ended_idx ON tickets (queue_id, ended_at DESC) WHERE status = 'done'`);
    // An agent and a counter hold at most one ticket at a time, even under concurrent call-next.
    await q.query(`CREATE UNIQUE INDEX tickets_one_per_agent_key ON tickets (agent_user_id) WHERE status IN ('called', 'serving')`);
    await q.query(`CREATE UNIQUE INDEX tickets_one_per_counter_key ON tickets (counter_id) WHERE status IN ('called', 'serving')`);
    await q.query(`ALTER TABLE appointments ADD CONSTRAINT appointments_ticket_fk FOREIGN KEY (ticket_id) REFERENCES tickets(id) ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE ticket_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        type text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        queue_id uuid,
        counter_id uuid,
        actor_id uuid,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE appointments DROP CONSTRAINT IF EXISTS appointments_ticket_fk`);
    for (const table of [
      'ticket_events',
      'tickets',
      'appointments',
      'agent_session_states',
      'agent_sessions',
      'pause_reasons',
      'counter_queues',
      'counters',
      'queue_day_counters',
      'queues',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
