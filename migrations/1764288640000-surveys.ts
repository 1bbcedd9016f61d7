import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Satisfaction surveys (référentiel C3.2): bilingual templates, per-site sending rules, the
 * invitations the worker mails (a single-use public link), the answers, and the kiosk smiley
 * ratings (answers without an invitation).
 *
 * An interaction is a request, a ticket or a complaint; it is referenced by (kind, id) without a
 * foreign key because complaints live in another feature's table and surveys must survive the
 * interaction's deletion (figures are history).
 *
 * Consent: a visitor is mailed only when `visitors.consent_given` and `'surveys' = ANY(consent_purposes)`
 * and an e-mail address is known; checked when scheduling and again when sending.
 */
export class Surveys1764288640000 implements MigrationInterface {
  name = 'Surveys1764288640000';

  async up(q: QueryRunner): Promise<void> {
    // questions: [{key, type: csat|nps|choice|scale|text, required, label: {fr, en},
    //   options?: [{value, label: {fr, en}}], min?, max?, reasonTags?: string[]}], validated by the API.
    await q.query(`
      CREATE TABLE survey_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        title jsonb NOT NULL CHECK (jsonb_typeof(title -> 'fr') = 'string' AND jsonb_typeof(title -> 'en') = 'string'),
        intro jsonb NOT NULL DEFAULT '{"fr": "", "en": ""}'
          CHECK (jsonb_typeof(intro -> 'fr') = 'string' AND jsonb_typeof(intro -> 'en') = 'string'),
        questions jsonb NOT NULL CHECK (jsonb_typeof(questions) = 'array' AND jsonb_array_length(questions) > 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE UNIQUE INDEX survey_templates_name_key ON survey_templates (site_id, lower(name))`);

    // Per site: how often a visitor may be surveyed, how long a link lives, how long an answer may be corrected.
    await q.query(`
      CREATE TABLE survey_settings (
        site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
        min_days_between integer NOT NULL DEFAULT 30 CHECK (min_days_between >= 0),
        link_valid_hours integer NOT NULL DEFAULT 168 CHECK (link_valid_hours > 0),
        edit_window_minutes integer NOT NULL DEFAULT 15 CHECK (edit_window_minutes >= 0),
        kiosk_template_id uuid REFERENCES survey_templates(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);

    // channels empty = every channel. The most specific active rule wins (explicit channel first).
    await q.query(`
      CREATE TABLE survey_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        trigger text NOT NULL CHECK (trigger IN ('request_closed', 'ticket_done', 'complaint_resolved')),
        channels text[] NOT NULL DEFAULT '{}',
        template_id uuid NOT NULL REFERENCES survey_templates(id) ON DELETE RESTRICT,
        delay_minutes integer NOT NULL DEFAULT 60 CHECK (delay_minutes >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX survey_rules_site_trigger_idx ON survey_rules (site_id, trigger) WHERE active`);

    // The token is made when the mail is sent and only its SHA-256 is kept; sent_at is the send claim.
    await q.query(`
      CREATE TABLE survey_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        template_id uuid NOT NULL REFERENCES survey_templates(id) ON DELETE RESTRICT,
        rule_id uuid REFERENCES survey_rules(id) ON DELETE SET NULL,
        interaction_kind text NOT NULL CHECK (interaction_kind IN ('request', 'ticket', 'complaint')),
        interaction_id uuid NOT NULL,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        agent_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        channel text NOT NULL,
        language text NOT NULL CHECK (language IN ('fr', 'en')),
        token_hash text UNIQUE,
        send_at timestamptz NOT NULL,
        sent_at timestamptz,
        expires_at timestamptz,
        answered_at timestamptz,
        -- Refused sends (SMTP errors); past a few the invitation is cancelled rather than retried forever.
        send_attempts integer NOT NULL DEFAULT 0 CHECK (send_attempts >= 0),
        cancelled_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (interaction_kind, interaction_id),
        CHECK ((sent_at IS NULL) = (token_hash IS NULL)),
        CHECK ((sent_at IS NULL) = (expires_at IS NULL)),
        CHECK (answered_at IS NULL OR sent_at IS NOT NULL),
        CHECK (cancelled_at IS NULL OR sent_at IS NULL)
      )`);
    await q.query(`CREATE INDEX survey_invitations_due_idx ON survey_invitations (send_at) WHERE sent_at IS NULL AND cancelled_at IS NULL`);
    await q.query(`CREATE INDEX survey_invitations_visitor_idx ON survey_invitations (visitor_id, created_at DESC)`);
    await q.query(`CREATE INDEX survey_invitations_site_sent_idx ON survey_invitations (site_id, sent_at) WHERE sent_at IS NOT NULL`);

    // One answer per invitation; a kiosk smiley is an answer without invitation (source 'kiosk'),
    // at most one per ticket. csat/nps copy the template's csat/nps question for the figures.
    await q.query(`
      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
        invitation_id uuid UNIQUE REFERENCES survey_invitations(id) ON DELETE CASCADE,
        template_id uuid REFERENCES survey_templates(id) ON DELETE SET NULL,
        source text NOT NULL CHECK (source IN ('link', 'kiosk')),
        interaction_kind text CHECK (interaction_kind IN ('request', 'ticket', 'complaint')),
        interaction_id uuid,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        agent_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        channel text NOT NULL,
        language text NOT NULL CHECK (language IN ('fr', 'en')),
        csat smallint CHECK (csat BETWEEN 1 AND 5),
        nps smallint CHECK (nps BETWEEN 0 AND 10),
        answers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
        comment text,
        reason_tags text[] NOT NULL DEFAULT '{}',
        edit_key_hash text,
        editable_until timestamptz,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((source = 'link') = (invitation_id IS NOT NULL)),
        CHECK ((interaction_kind IS NULL) = (interaction_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX survey_responses_kiosk_ticket_key ON survey_responses (interaction_id) WHERE source = 'kiosk' AND interaction_id IS NOT NULL`);
    await q.query(`CREATE INDEX survey_responses_site_submitted_idx ON survey_responses (site_id, submitted_at)`);
    await q.query(`CREATE INDEX survey_responses_visitor_idx ON survey_responses (visitor_id) WHERE visitor_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['survey_responses', 'survey_invitations', 'survey_rules', 'survey_settings', 'survey_templates']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
