import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Providers and service orders (référentiel C2.2, "gérer des prestations internes et externes").
 *
 * - providers: internal teams and external companies of a site, with their service level in hours
 *   (response: submitted → accepted; completion: accepted → delivered/done).
 * - service_orders: one request to one provider; money in integer cents with an ISO currency;
 *   follow-up times (remind_at, escalate_at) are stored here so the worker's sweep can redo what
 *   Redis lost, and each step is claimed once through its *_at column.
 * - every status change is a row of service_order_status_history (who, when, from → to).
 * - service_order_settings: the approval threshold per site (no row = the default, 500 EUR).
 * Runs after resource_bookings (1764288620000): an order may belong to a room booking.
 */
export class ProvidersOrders1764288630000 implements MigrationInterface {
  name = 'ProvidersOrders1764288630000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('internal', 'external')),
        name text NOT NULL CHECK (btrim(name) <> ''),
        description text NOT NULL DEFAULT '',
        -- The order types this provider takes (what it provides).
        order_types text[] NOT NULL DEFAULT '{}'
          CHECK (order_types <@ ARRAY['supplies', 'room_booking', 'equipment', 'catering', 'maintenance', 'cleaning', 'other']),
        email text,
        phone text,
        contract_reference text,
        contract_ends_on date,
        response_hours numeric(9, 3) NOT NULL CHECK (response_hours > 0),
        completion_hours numeric(9, 3) NOT NULL CHECK (completion_hours > 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX providers_site_idx ON providers (site_id, name)`);

    await q.query(`
      CREATE TABLE provider_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (btrim(name) <> ''),
        role text,
        email text,
        phone text,
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX provider_contacts_provider_idx ON provider_contacts (provider_id)`);
    await q.query(`CREATE UNIQUE INDEX provider_contacts_one_primary ON provider_contacts (provider_id) WHERE is_primary`);

    await q.query(`
      CREATE TABLE provider_improvement_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        title text NOT NULL CHECK (btrim(title) <> ''),
        description text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'in_progress', 'done', 'dropped')),
        due_on date,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX provider_improvement_actions_provider_idx ON provider_improvement_actions (provider_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE service_order_settings (
        site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
        approval_threshold_cents bigint NOT NULL CHECK (approval_threshold_cents >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    await q.query(`CREATE SEQUENCE service_order_number_seq`);
    await q.query(`
      CREATE TABLE service_orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL UNIQUE DEFAULT nextval('service_order_number_seq'),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        provider_id uuid NOT NULL REFERENCES providers(id) ON DELETE RESTRICT,
        provider_contact_id uuid REFERENCES provider_contacts(id) ON DELETE SET NULL,
        booking_id uuid REFERENCES resource_bookings(id) ON DELETE SET NULL,
        type text NOT NULL CHECK (type IN ('supplies', 'room_booking', 'equipment', 'catering', 'maintenance', 'cleaning', 'other')),
        title text NOT NULL CHECK (btrim(title) <> ''),
        description text NOT NULL DEFAULT '',
        requester_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        requester_label text NOT NULL,
        needed_by timestamptz,
        window_start timestamptz,
        window_end timestamptz,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        total_cents bigint NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'submitted', 'accepted', 'in_progress', 'delivered', 'done', 'closed', 'rejected', 'cancelled')),
        approval_required boolean NOT NULL DEFAULT false,
        approved_at timestamptz,
        approved_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        submitted_at timestamptz,
        -- When the provider could act: submitted_at, or approved_at when an approval was needed.
        released_at timestamptz,
        accepted_at timestamptz,
        started_at timestamptz,
        completed_at timestamptz,
        closed_at timestamptz,
        rejected_at timestamptz,
        cancelled_at timestamptz,
        response_due_at timestamptz,
        due_at timestamptz,
        remind_at timestamptz,
        escalate_at timestamptz,
        reminder_sent_at timestamptz,
        escalated_at timestamptz,
        -- Mail claims, apart from the step claims: a failed send is retried without repeating the step's live event.
        reminder_provider_mailed_at timestamptz,
        reminder_requester_mailed_at timestamptz,
        escalation_mailed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (window_start IS NULL OR window_end IS NULL OR window_end > window_start),
        CHECK (status = 'draft' OR status = 'cancelled' OR submitted_at IS NOT NULL),
        CHECK (approved_at IS NULL OR approval_required),
        CHECK (escalated_at IS NULL OR reminder_sent_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX service_orders_site_idx ON service_orders (site_id, created_at DESC)`);
    await q.query(`CREATE INDEX service_orders_provider_idx ON service_orders (provider_id, completed_at)`);
    // The follow-up sweep reads open orders with a step due and not yet done.
    await q.query(`
      CREATE INDEX service_orders_followup_idx ON service_orders (remind_at)
        WHERE status IN ('submitted', 'accepted', 'in_progress') AND escalated_at IS NULL`);

    await q.query(`
      CREATE TABLE service_order_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES service_orders(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        item text NOT NULL CHECK (btrim(item) <> ''),
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
        UNIQUE (order_id, position)
      )`);

    await q.query(`
      CREATE TABLE service_order_status_history (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES service_orders(id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_label text NOT NULL,
        note text
      )`);
    await q.query(`CREATE INDEX service_order_status_history_order_idx ON service_order_status_history (order_id, id)`);

    await q.query(`
      CREATE TABLE service_order_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES service_orders(id) ON DELETE CASCADE,
        side text NOT NULL CHECK (side IN ('internal', 'provider')),
        author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        author_api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
        provider_contact_id uuid REFERENCES provider_contacts(id) ON DELETE SET NULL,
        author_label text NOT NULL,
        body text NOT NULL CHECK (btrim(body) <> ''),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX service_order_comments_order_idx ON service_order_comments (order_id, created_at)`);

    await q.query(`
      CREATE TABLE service_order_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES service_orders(id) ON DELETE CASCADE,
        url text NOT NULL CHECK (url ~* '^https?://'),
        label text,
        added_by_label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX service_order_attachments_order_idx ON service_order_attachments (order_id)`);

    await q.query(`
      CREATE TABLE service_order_ratings (
        order_id uuid PRIMARY KEY REFERENCES service_orders(id) ON DELETE CASCADE,
        timeliness smallint NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
        quality smallint NOT NULL CHECK (quality BETWEEN 1 AND 5),
        communication smallint NOT NULL CHECK (communication BETWEEN 1 AND 5),
        comment text,
        rated_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        rated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'service_order_ratings',
      'service_order_attachments',
      'service_order_comments',
      'service_order_status_history',
      'service_order_lines',
      'service_orders',
      'service_order_settings',
      'provider_improvement_actions',
      'provider_contacts',
      'providers',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP SEQUENCE IF EXISTS service_order_number_seq`);
  }
}
