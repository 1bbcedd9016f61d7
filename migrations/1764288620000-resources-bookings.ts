import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rooms and equipment of a site and their bookings. Double booking is impossible at the database
 * level: an exclusion constraint on (resource, period) among non-cancelled bookings, so two
 * concurrent requests cannot both succeed whatever the application does. Periods are half-open
 * `[start, end)` so back-to-back bookings do not overlap.
 */
export class ResourcesBookings1764288620000 implements MigrationInterface {
  name = 'ResourcesBookings1764288620000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE resources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('room', 'equipment')),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        capacity integer CHECK (capacity IS NULL OR capacity > 0),
        equipment text[] NOT NULL DEFAULT '{}',
        location text,
        active boolean NOT NULL DEFAULT true,
        -- SHA-256 of the secret of the room's iCalendar feed (calendar apps cannot send a bearer header).
        feed_token_hash text,
        feed_token_rotated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- A room without a capacity could not answer "a free room for N people".
        CONSTRAINT resources_room_capacity_check CHECK (kind <> 'room' OR capacity IS NOT NULL),
        -- Target of the bookings' (resource_id, site_id) foreign key.
        CONSTRAINT resources_id_site_key UNIQUE (id, site_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX resources_site_name_key ON resources (site_id, lower(name))`);
    await q.query(`CREATE UNIQUE INDEX resources_feed_token_key ON resources (feed_token_hash) WHERE feed_token_hash IS NOT NULL`);

    await q.query(`
      CREATE TABLE resource_bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resource_id uuid NOT NULL,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        period tstzrange NOT NULL,
        title text NOT NULL CHECK (length(btrim(title)) > 0),
        notes text,
        organiser_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        attendees integer CHECK (attendees IS NULL OR attendees > 0),
        -- Catering details until (and besides) a catering service order is linked to the booking.
        catering_headcount integer CHECK (catering_headcount IS NULL OR catering_headcount > 0),
        catering_notes text,
        status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
        -- Equipment booked together with a room booking shares its period and its fate.
        parent_booking_id uuid REFERENCES resource_bookings(id) ON DELETE CASCADE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users(id) ON DELETE SET NULL,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- The booking lives on its resource's site (the site filter of every read relies on it).
        CONSTRAINT resource_bookings_resource_fk FOREIGN KEY (resource_id, site_id)
          REFERENCES resources (id, site_id) ON DELETE RESTRICT,
        -- Finite, half-open, non-empty: lower < upper alone would accept an infinite bound (NULL).
        CONSTRAINT resource_bookings_period_check CHECK (
          lower(period) IS NOT NULL AND upper(period) IS NOT NULL
          AND lower_inc(period) AND NOT upper_inc(period)
          AND lower(period) < upper(period)),
        CONSTRAINT resource_bookings_cancelled_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CONSTRAINT resource_bookings_not_own_parent CHECK (parent_booking_id IS NULL OR parent_booking_id <> id),
        CONSTRAINT resource_bookings_no_overlap EXCLUDE USING gist (resource_id WITH =, period WITH &&)
          WHERE (status <> 'cancelled')
      )`);
    // Plannings and free/busy of a site over a range.
    await q.query(`CREATE INDEX resource_bookings_site_period_idx ON resource_bookings USING gist (site_id, period)`);
    await q.query(`CREATE INDEX resource_bookings_parent_idx ON resource_bookings (parent_booking_id) WHERE parent_booking_id IS NOT NULL`);
    await q.query(`CREATE INDEX resource_bookings_organiser_idx ON resource_bookings (organiser_user_id) WHERE organiser_user_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS resource_bookings`);
    await q.query(`DROP TABLE IF EXISTS resources`);
  }
}
