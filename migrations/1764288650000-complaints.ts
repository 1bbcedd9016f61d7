import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complaints (référentiel C3.3, "gérer les réclamations"): per-site categories with their SLA,
 * the complaints, their history, and one row per SLA clock. The clock rows are the source of
 * truth for timed steps: the worker's jobs only wake it up, and each step is claimed in its row
 * (`warned_at`, `escalated_at`, `escalation_mailed_at` set once) so it happens exactly once even
 * when Redis loses a job or a worker dies mid-way.
 */
export class Complaints1764288650000 implements MigrationInterface {
  name = 'Complaints1764288650000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaint_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        active boolean NOT NULL DEFAULT true,
        acknowledge_minutes integer NOT NULL CHECK (acknowledge_minutes > 0),
        answer_minutes integer NOT NULL CHECK (answer_minutes > 0),
        -- The warning comes at a share of the allotted time or some minutes before the breach (one or neither).
        warning_percent integer CHECK (warning_percent BETWEEN 1 AND 99),
        warning_minutes_before integer CHECK (warning_minutes_before > 0),
        -- false: the clocks count around the clock; true: the site's opening hours and closures.
        use_business_hours boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (warning_percent IS NULL OR warning_minutes_before IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX complaint_categories_name_key ON complaint_categories (site_id, lower(name))`);

    await q.query(`
      CREATE TABLE complaints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        category_id uuid NOT NULL REFERENCES complaint_categories(id) ON DELETE RESTRICT,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        channel text NOT NULL CHECK (channel IN ('desk', 'phone', 'email', 'web', 'survey')),
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        description text NOT NULL CHECK (length(btrim(description)) > 0),
        requested_remedy text,
        severity text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'acknowledged', 'investigating', 'answered', 'closed', 'reopened')),
        owner_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        -- The service and agent the complaint is about (copied from a survey response, or chosen).
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        agent_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        request_id uuid REFERENCES requests(id) ON DELETE SET NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        service_order_id uuid REFERENCES service_orders(id) ON DELETE SET NULL,
        survey_response_id uuid UNIQUE REFERENCES survey_responses(id) ON DELETE SET NULL,
        answer text,
        -- "Dans son périmètre de compétence": false when the agent had to refer it to the hierarchy.
        within_remit boolean NOT NULL DEFAULT true,
        escalated_at timestamptz,
        escalation_reason text CHECK (escalation_reason IN ('acknowledge_sla', 'answer_sla')),
        compensation text,
        compensation_amount numeric(12, 2) CHECK (compensation_amount >= 0),
        follow_up text,
        follow_up_on date,
        received_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        investigating_at timestamptz,
        answered_at timestamptz,
        closed_at timestamptz,
        reopened_at timestamptz,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (status NOT IN ('answered', 'closed') OR (answer IS NOT NULL AND answered_at IS NOT NULL)),
        CHECK ((escalated_at IS NULL) = (escalation_reason IS NULL)),
        CHECK (compensation_amount IS NULL OR compensation IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX complaints_site_received_idx ON complaints (site_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX complaints_site_status_idx ON complaints (site_id, status)`);
    await q.query(`CREATE INDEX complaints_category_idx ON complaints (category_id)`);
    await q.query(`CREATE INDEX complaints_visitor_idx ON complaints (visitor_id) WHERE visitor_id IS NOT NULL`);
    await q.query(`CREATE INDEX complaints_owner_idx ON complaints (owner_user_id, status) WHERE owner_user_id IS NOT NULL`);
    // Deleting a linked record nulls the link (SET NULL) and must find it.
    for (const column of ['request_id', 'ticket_id', 'service_order_id', 'agent_user_id', 'service_id', 'created_by_user_id']) {
      await q.query(`CREATE INDEX complaints_${column}_idx ON complaints (${column}) WHERE ${column} IS NOT NULL`);
    }

    await q.query(`
      CREATE TABLE complaint_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id uuid NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_label text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX complaint_events_complaint_idx ON complaint_events (complaint_id, id)`);

    await q.query(`
      CREATE TABLE complaint_clocks (
        complaint_id uuid NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('acknowledge', 'answer')),
        target_minutes integer NOT NULL CHECK (target_minutes > 0),
        business_hours boolean NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        -- null: the category gives no warning.
        warn_at timestamptz,
        paused_at timestamptz,
        -- Business minutes spent paused (waiting for the visitor), over every pause.
        paused_minutes double precision NOT NULL DEFAULT 0 CHECK (paused_minutes >= 0),
        stopped_at timestamptz,
        warned_at timestamptz,
        escalated_at timestamptz,
        escalation_mailed_at timestamptz,
        PRIMARY KEY (complaint_id, kind),
        CHECK (due_at >= started_at),
        CHECK (warn_at IS NULL OR warn_at <= due_at),
        CHECK (escalation_mailed_at IS NULL OR escalated_at IS NOT NULL),
        CHECK (stopped_at IS NULL OR paused_at IS NULL)
      )`);
    // The sweep reads running clocks by their next step.
    await q.query(`CREATE INDEX complaint_clocks_running_due_idx ON complaint_clocks (due_at) WHERE stopped_at IS NULL AND escalated_at IS NULL`);
    await q.query(`CREATE INDEX complaint_clocks_unmailed_idx ON complaint_clocks (escalated_at) WHERE escalated_at IS NOT NULL AND escalation_mailed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['complaint_clocks', 'complaint_events', 'complaints', 'complaint_categories']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
