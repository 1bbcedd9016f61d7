import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reception desk core (référentiel C1.2–C1.4): visitors, requests and their timeline, the
 * knowledge base, transfers, and the e-mail and phone channels.
 */
export class Reception1764288300000 implements MigrationInterface {
  name = 'Reception1764288300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visitors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        type text NOT NULL DEFAULT 'citizen' CHECK (type IN ('client', 'citizen', 'supplier', 'partner', 'other')),
        first_name text,
        last_name text,
        phone text,
        email text,
        address jsonb,
        preferred_language text,
        needs text[] NOT NULL DEFAULT '{}'
          CHECK (needs <@ ARRAY['reduced_mobility', 'hearing', 'sight', 'foreign_language', 'urgency', 'accompanied_child', 'other']::text[]),
        needs_other text,
        consent_given boolean NOT NULL DEFAULT false,
        consent_at timestamptz,
        consent_purposes text[] NOT NULL DEFAULT '{}',
        retention_until date,
        notes text,
        merged_into_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX visitors_site_idx ON visitors (site_id) WHERE merged_into_id IS NULL`);
    await q.query(
      `CREATE INDEX visitors_name_trgm_idx ON visitors USING gin (search_norm(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX visitors_phone_idx ON visitors (phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE INDEX visitors_email_idx ON visitors (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX visitors_retention_idx ON visitors (retention_until) WHERE retention_until IS NOT NULL`);

    await q.query(`
      CREATE TABLE request_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        parent_id uuid REFERENCES request_categories(id) ON DELETE RESTRICT,
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX request_categories_name_key ON request_categories (site_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'), lower(name))`);

    await q.query(`
      CREATE TABLE requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        channel text NOT NULL CHECK (channel IN ('desk', 'phone', 'email', 'web', 'kiosk', 'mobile')),
        subject text NOT NULL,
        category_id uuid REFERENCES request_categories(id) ON DELETE SET NULL,
        notes text,
        reformulation text,
        reformulation_confirmed boolean NOT NULL DEFAULT false,
        complexity text NOT NULL DEFAULT 'simple' CHECK (complexity IN ('simple', 'complex')),
        confidentiality text NOT NULL DEFAULT 'normal' CHECK (confidentiality IN ('normal', 'confidential')),
        status text NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'in_progress', 'answered', 'oriented', 'transferred', 'closed')),
        outcome text CHECK (outcome IN ('information', 'orientation', 'advice', 'accompaniment')),
        author_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        handled_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        arrived_at timestamptz NOT NULL DEFAULT now(),
        in_progress_at timestamptz,
        answered_at timestamptz,
        oriented_at timestamptz,
        transferred_at timestamptz,
        closed_at timestamptz,
        reopened_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX requests_site_status_idx ON requests (site_id, status, arrived_at DESC)`);
    await q.query(`CREATE INDEX requests_visitor_idx ON requests (visitor_id)`);
    await q.query(`CREATE INDEX requests_handler_idx ON requests (handled_by_user_id, status)`);

    await q.query(`
      CREATE TABLE request_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL,
        actor_id uuid,
        actor_label text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX request_events_request_idx ON request_events (request_id, id)`);

    // French stemming over unaccented text, title first; array_to_string is only STABLE, hence the wrapper.
    await q.query(`
      CREATE FUNCTION article_search_vector(title text, tags text[], body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT setweight(to_tsvector('french', public.search_norm(coalesce(title, ''))), 'A')
                || setweight(to_tsvector('french', public.search_norm(coalesce(array_to_string(tags, ' '), ''))), 'B')
                || setweight(to_tsvector('french', public.search_norm(coalesce(body, ''))), 'C') $$`);
    await q.query(`
      CREATE TABLE knowledge_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        parent_id uuid REFERENCES knowledge_categories(id) ON DELETE RESTRICT,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE articles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        category_id uuid REFERENCES knowledge_categories(id) ON DELETE SET NULL,
        kind text NOT NULL DEFAULT 'faq' CHECK (kind IN ('procedure', 'faq', 'form', 'charter', 'practical')),
        title text NOT NULL,
        body text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        owner_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        source text,
        reviewed_at timestamptz,
        review_due date,
        attachments jsonb NOT NULL DEFAULT '[]',
        published boolean NOT NULL DEFAULT true,
        search_vector tsvector GENERATED ALWAYS AS (article_search_vector(title, tags, body)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX articles_search_idx ON articles USING gin (search_vector)`);
    await q.query(`CREATE INDEX articles_title_trgm_idx ON articles USING gin (search_norm(title) gin_trgm_ops)`);
    await q.query(`CREATE INDEX articles_site_idx ON articles (site_id)`);
    await q.query(`
      CREATE TABLE request_articles (
        request_id uuid NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        linked_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (request_id, article_id)
      )`);
    await q.query(`CREATE INDEX request_articles_article_idx ON request_articles (article_id)`);

    await q.query(`
      CREATE TABLE transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        target_type text NOT NULL CHECK (target_type IN ('service', 'staff', 'partner')),
        target_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        target_staff_id uuid REFERENCES staff(id) ON DELETE SET NULL,
        target_partner_id uuid REFERENCES partners(id) ON DELETE SET NULL,
        mode text NOT NULL
          CHECK (mode IN ('call_transfer', 'accompanied', 'appointment_given', 'referral_letter', 'information_given')),
        reason text NOT NULL,
        note text,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX transfers_request_idx ON transfers (request_id, created_at)`);
    await q.query(`CREATE INDEX transfers_service_idx ON transfers (target_service_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE email_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        request_id uuid NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        message_id text NOT NULL,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        from_address text NOT NULL,
        to_addresses text[] NOT NULL DEFAULT '{}',
        subject text NOT NULL DEFAULT '',
        text_body text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'queued', 'sent', 'failed')),
        error text,
        sent_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX email_messages_message_id_key ON email_messages (site_id, message_id)`);
    await q.query(`CREATE INDEX email_messages_request_idx ON email_messages (request_id, at)`);

    await q.query(`
      CREATE TABLE phone_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        request_id uuid REFERENCES requests(id) ON DELETE SET NULL,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        number text,
        started_at timestamptz NOT NULL,
        duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
        outcome text NOT NULL
          CHECK (outcome IN ('answered', 'transferred', 'voicemail', 'missed', 'callback_requested')),
        transferred_to_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        agent_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        notes text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX phone_calls_site_idx ON phone_calls (site_id, started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'phone_calls',
      'email_messages',
      'transfers',
      'request_articles',
      'articles',
      'knowledge_categories',
      'request_events',
      'requests',
      'request_categories',
      'visitors',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS article_search_vector(text, text[], text)`);
  }
}
