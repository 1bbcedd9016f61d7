import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity, organisation directory and audit. Written by hand: read it as the schema of record.
 * Enumerations are text + CHECK rather than PostgreSQL enums so that adding a value is one ALTER.
 */
export class Foundation1764288000000 implements MigrationInterface {
  name = 'Foundation1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // unaccent() is only STABLE (its dictionary could change); this wrapper pins the dictionary so it can be indexed.
    await q.query(`
      CREATE OR REPLACE FUNCTION search_norm(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION directory_search_text(name text, description text, keywords text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT public.search_norm(coalesce(name, '') || ' ' || coalesce(description, '') || ' ' || coalesce(array_to_string(keywords, ' '), '')) $$`);

    await q.query(`
      CREATE TABLE sites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        code text,
        address jsonb,
        phone text,
        email text,
        time_zone text NOT NULL,
        opening_hours jsonb NOT NULL DEFAULT '{}',
        closures jsonb NOT NULL DEFAULT '[]',
        mobile boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX sites_code_key ON sites (lower(code)) WHERE code IS NOT NULL`);
    await q.query(`CREATE INDEX sites_search_idx ON sites USING gin (search_norm(name) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        name text NOT NULL,
        code text,
        location jsonb,
        phone text,
        email text,
        opening_hours jsonb,
        description text NOT NULL DEFAULT '',
        keywords text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX services_site_name_key ON services (site_id, lower(name))`);
    await q.query(
      `CREATE INDEX services_search_idx ON services USING gin (directory_search_text(name, description, keywords) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
        active boolean NOT NULL DEFAULT true,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`
      CREATE TABLE user_sites (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, site_id)
      )`);
    await q.query(`CREATE INDEX user_sites_site_idx ON user_sites (site_id)`);

    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        job_title text,
        phone_extension text,
        email text,
        availability text NOT NULL DEFAULT 'available' CHECK (availability IN ('available', 'busy', 'away', 'absent')),
        availability_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX staff_site_idx ON staff (site_id)`);
    await q.query(`CREATE INDEX staff_service_idx ON staff (service_id)`);
    await q.query(
      `CREATE INDEX staff_search_idx ON staff USING gin (search_norm(first_name || ' ' || last_name || ' ' || coalesce(job_title, '')) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        keywords text[] NOT NULL DEFAULT '{}',
        address jsonb,
        phone text,
        email text,
        website text,
        opening_hours jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX partners_site_name_key ON partners (site_id, lower(name))`);
    await q.query(
      `CREATE INDEX partners_search_idx ON partners USING gin (directory_search_text(name, description, keywords) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text,
        ip text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);
    // The worker's purge looks rows up by expiry.
    await q.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);
    await q.query(`CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at)`);
    await q.query(`CREATE INDEX auth_sessions_revoked_idx ON auth_sessions (revoked_at) WHERE revoked_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        created_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE api_key_sites (
        api_key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        PRIMARY KEY (api_key_id, site_id)
      )`);
    await q.query(`CREATE INDEX api_key_sites_site_idx ON api_key_sites (site_id)`);

    // No foreign keys: the trail must outlive the rows and actors it mentions.
    await q.query(`
      CREATE TABLE audit_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_label text NOT NULL,
        site_id uuid,
        action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
        entity text NOT NULL,
        entity_id text NOT NULL,
        changes jsonb NOT NULL DEFAULT '{}',
        request_id text
      )`);
    await q.query(`CREATE INDEX audit_entries_at_idx ON audit_entries (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_entries_entity_idx ON audit_entries (entity, entity_id, at DESC)`);
    await q.query(`CREATE INDEX audit_entries_site_idx ON audit_entries (site_id, at DESC)`);
    await q.query(`CREATE INDEX audit_entries_actor_idx ON audit_entries (actor_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_entries',
      'api_key_sites',
      'api_keys',
      'refresh_tokens',
      'auth_sessions',
      'partners',
      'staff',
      'user_sites',
      'users',
      'services',
      'sites',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS directory_search_text(text, text, text[])`);
    await q.query(`DROP FUNCTION IF EXISTS search_norm(text)`);
  }
}
