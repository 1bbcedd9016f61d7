import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents and their escalation chains (référentiel C1.6 "gérer les conflits"), and internal
 * messages (C2.1 "transmettre, remonter une information").
 *
 * An alert ("call a supervisor", "call security") is written with all its steps at once, from the
 * site's escalation policy as it was at that moment: step 0 is the immediate alert, step n is due
 * at raised_at + the delays of levels 1..n. The worker claims a step by setting notified_at while
 * it is null and the alert is not acknowledged, so a step happens once whatever the job does;
 * due_at stays here so a sweep redoes what Redis lost.
 */
export class IncidentsMessages1764288600000 implements MigrationInterface {
  name = 'IncidentsMessages1764288600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        severity text NOT NULL CHECK (severity IN ('tension', 'conflict', 'aggression', 'security')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        reported_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        visitor_id uuid REFERENCES visitors(id) ON DELETE SET NULL,
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        request_id uuid REFERENCES requests(id) ON DELETE SET NULL,
        counter_id uuid REFERENCES counters(id) ON DELETE SET NULL,
        place text CHECK (length(place) <= 200),
        signs text[] NOT NULL DEFAULT '{}'
          CHECK (signs <@ ARRAY['raised_voice', 'agitation', 'impatience', 'insults', 'threats', 'physical_contact',
                                'damage', 'intoxication', 'distress', 'other']::text[]),
        observations text NOT NULL DEFAULT '' CHECK (length(observations) <= 4000),
        actions text[] NOT NULL DEFAULT '{}'
          CHECK (actions <@ ARRAY['listening', 'reformulation', 'solution_proposed', 'mediation', 'supervisor_called',
                                  'security_called', 'police_called', 'first_aid', 'other']::text[]),
        actions_taken text NOT NULL DEFAULT '' CHECK (length(actions_taken) <= 4000),
        outcome text CHECK (outcome IN ('calmed', 'solution_accepted', 'visitor_left', 'escorted_out', 'police', 'unresolved')),
        people_involved text NOT NULL DEFAULT '' CHECK (length(people_involved) <= 2000),
        involved_user_ids uuid[] NOT NULL DEFAULT '{}',
        report text CHECK (length(report) <= 8000),
        closed_at timestamptz,
        closed_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- A closed incident has its report; an open one has no closing data.
        CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CHECK (status = 'open' OR (report IS NOT NULL AND length(btrim(report)) > 0))
      )`);
    await q.query(`CREATE INDEX incidents_site_occurred_idx ON incidents (site_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX incidents_open_idx ON incidents (site_id) WHERE status = 'open'`);

    // No row = the default policy (IncidentPolicyService.DEFAULT_LEVELS).
    await q.query(`
      CREATE TABLE incident_escalation_policies (
        site_id uuid PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
        -- Who "security" is on this site: users alerted live, addresses mailed.
        security_user_ids uuid[] NOT NULL DEFAULT '{}',
        security_emails text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`
      CREATE TABLE incident_escalation_levels (
        site_id uuid NOT NULL REFERENCES incident_escalation_policies(site_id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position BETWEEN 1 AND 10),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
        -- Wait after the previous level with nobody acknowledging.
        delay_seconds integer NOT NULL CHECK (delay_seconds > 0 AND delay_seconds <= 86400),
        notify_supervisors boolean NOT NULL DEFAULT false,
        notify_admins boolean NOT NULL DEFAULT false,
        notify_security boolean NOT NULL DEFAULT false,
        user_ids uuid[] NOT NULL DEFAULT '{}',
        emails text[] NOT NULL DEFAULT '{}',
        send_email boolean NOT NULL DEFAULT false,
        PRIMARY KEY (site_id, position),
        CHECK (notify_supervisors OR notify_admins OR notify_security OR cardinality(user_ids) > 0 OR cardinality(emails) > 0)
      )`);

    await q.query(`
      CREATE TABLE incident_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        kind text NOT NULL CHECK (kind IN ('supervisor', 'security')),
        raised_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        counter_id uuid REFERENCES counters(id) ON DELETE SET NULL,
        place text CHECK (length(place) <= 200),
        raised_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        CHECK (acknowledged_by_user_id IS NULL OR acknowledged_at IS NOT NULL),
        CHECK (acknowledged_at IS NULL OR acknowledged_at >= raised_at)
      )`);
    await q.query(`CREATE INDEX incident_alerts_incident_idx ON incident_alerts (incident_id)`);
    await q.query(`CREATE INDEX incident_alerts_open_idx ON incident_alerts (site_id, raised_at) WHERE acknowledged_at IS NULL`);

    await q.query(`
      CREATE TABLE incident_alert_steps (
        alert_id uuid NOT NULL REFERENCES incident_alerts(id) ON DELETE CASCADE,
        step integer NOT NULL CHECK (step >= 0),
        name text NOT NULL,
        due_at timestamptz NOT NULL,
        notified_at timestamptz,
        -- Who this step alerts, resolved when the alert was raised: {supervisors, userIds, emails}.
        targets jsonb NOT NULL,
        send_email boolean NOT NULL DEFAULT false,
        mail_sent_at timestamptz,
        PRIMARY KEY (alert_id, step),
        CHECK (mail_sent_at IS NULL OR (send_email AND notified_at IS NOT NULL))
      )`);
    // The sweep looks for due steps not yet done, and for mails not yet sent.
    await q.query(`CREATE INDEX incident_alert_steps_pending_idx ON incident_alert_steps (due_at) WHERE notified_at IS NULL`);
    await q.query(`CREATE INDEX incident_alert_steps_mail_idx ON incident_alert_steps (notified_at) WHERE send_email AND mail_sent_at IS NULL`);

    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        site_id uuid NOT NULL REFERENCES sites(id) ON DELETE RESTRICT,
        sender_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'management_report')),
        recipient_type text NOT NULL CHECK (recipient_type IN ('user', 'service', 'site', 'supervisors')),
        recipient_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        recipient_service_id uuid REFERENCES services(id) ON DELETE SET NULL,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        subject text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (length(body) <= 8000),
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_at IS NULL OR expires_at > created_at),
        -- A report to management always goes to the site's supervisors.
        CHECK (kind = 'message' OR recipient_type = 'supervisors'),
        CHECK (recipient_type <> 'user' OR recipient_service_id IS NULL),
        CHECK (recipient_type <> 'service' OR recipient_user_id IS NULL),
        CHECK (recipient_type NOT IN ('site', 'supervisors') OR (recipient_user_id IS NULL AND recipient_service_id IS NULL))
      )`);
    await q.query(`CREATE INDEX messages_sender_idx ON messages (sender_user_id, created_at DESC)`);
    // Recipients are resolved when the message is sent: the receipts say who had to read it and who did.
    await q.query(`
      CREATE TABLE message_recipients (
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        read_at timestamptz,
        PRIMARY KEY (message_id, user_id)
      )`);
    await q.query(`CREATE INDEX message_recipients_unread_idx ON message_recipients (user_id) WHERE read_at IS NULL`);
    await q.query(`CREATE INDEX message_recipients_user_idx ON message_recipients (user_id, message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS message_recipients`);
    await q.query(`DROP TABLE IF EXISTS messages`);
    await q.query(`DROP TABLE IF EXISTS incident_alert_steps`);
    await q.query(`DROP TABLE IF EXISTS incident_alerts`);
    await q.query(`DROP TABLE IF EXISTS incident_escalation_levels`);
    await q.query(`DROP TABLE IF EXISTS incident_escalation_policies`);
    await q.query(`DROP TABLE IF EXISTS incidents`);
  }
}
