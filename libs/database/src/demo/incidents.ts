import type { Client } from 'pg';
import { DEMO_EMAIL_DOMAIN, TOWN_HALL_CODE } from './demo-data';

/**
 * Demo incidents and messages of the town hall, relative to `now`: an escalation policy (the
 * supervisor, then the admin, with the municipal police's mailbox as security), four incidents
 * over the last weeks (one open, three closed with a report; one with a security call that was
 * taken in under a minute), and messages: a site broadcast that expires tonight, a note to a
 * colleague (read), and a report to management (unread). No visitor data.
 */
export async function insertIncidentsDemo(client: Client, now: Date): Promise<void> {
  const { rows } = await client.query<{ site_id: string; email: string; user_id: string; service_id: string | null }>(
    `SELECT s.id AS site_id, u.email, u.id AS user_id, u.service_id
       FROM sites s JOIN user_sites us ON us.site_id = s.id JOIN users u ON u.id = us.user_id
      WHERE s.code = $1 AND u.email IN ('admin@guichet.demo', 'agent1@guichet.demo', 'agent2@guichet.demo', 'superviseur@guichet.demo')`,
    [TOWN_HALL_CODE],
  );
  const user = (email: string) => {
    const row = rows.find((r) => r.email === email);
    if (!row) throw new Error(`demo incidents need the login ${email}`);
    return row;
  };
  const admin = user('admin@guichet.demo');
  const camille = user('agent1@guichet.demo');
  const thomas = user('agent2@guichet.demo');
  const supervisor = user('superviseur@guichet.demo');
  const siteId = camille.site_id;
  const at = (hours: number) => new Date(now.getTime() + hours * 3600_000);

  await client.query(
    `INSERT INTO incident_escalation_policies (site_id, security_user_ids, security_emails, updated_by_user_id) VALUES ($1, '{}', $2, $3)`,
    [siteId, [`police-municipale@${DEMO_EMAIL_DOMAIN}`], admin.user_id],
  );
  await client.query(
    `INSERT INTO incident_escalation_levels (site_id, position, name, delay_seconds, notify_supervisors, notify_admins, notify_security, user_ids, emails, send_email)
     VALUES ($1, 1, 'Responsable de l’accueil (relance)', 90, true, false, false, $2, '{}', true),
            ($1, 2, 'Direction générale et police municipale', 180, true, true, true, '{}', '{}', true)`,
    [siteId, [supervisor.user_id]],
  );

  const incident = async (fields: {
    severity: string;
    hoursAgo: number;
    reporter: string;
    place: string;
    signs: string[];
    observations: string;
    actions: string[];
    outcome: string | null;
    report?: string;
  }) => {
    const occurred = at(-fields.hoursAgo);
    const closed = fields.report ? at(-fields.hoursAgo + 20) : null;
    const { rows: created } = await client.query<{ id: string }>(
      `INSERT INTO incidents (site_id, severity, status, occurred_at, reported_by_user_id, place, signs, observations, actions, outcome, involved_user_ids,
                              report, closed_at, closed_by_user_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz, $14, $4::timestamptz, coalesce($13::timestamptz, $4::timestamptz)) RETURNING id`,
      [
        siteId,
        fields.severity,
        closed ? 'closed' : 'open',
        occurred,
        fields.reporter,
        fields.place,
        fields.signs,
        fields.observations,
        fields.actions,
        fields.outcome,
        [fields.reporter],
        fields.report ?? null,
        closed,
        closed ? supervisor.user_id : null,
      ],
    );
    return { id: created[0].id, occurred };
  };

  await incident({
    severity: 'tension',
    hoursAgo: 24 * 12 + 2,
    reporter: thomas.user_id,
    place: 'Hall d’accueil',
    signs: ['impatience', 'raised_voice'],
    observations: 'Usager mécontent de l’attente (40 min) pour un dépôt de dossier.',
    actions: ['listening', 'reformulation', 'solution_proposed'],
    outcome: 'solution_accepted',
    report: 'Rendez-vous proposé le lendemain matin, accepté. Point d’équipe sur les créneaux du lundi.',
  });
  await incident({
    severity: 'conflict',
    hoursAgo: 24 * 6 + 4,
    reporter: camille.user_id,
    place: 'Guichet 2 — État civil',
    signs: ['raised_voice', 'insults'],
    observations: 'Refus d’un acte incomplet, ton qui monte et propos insultants.',
    actions: ['listening', 'reformulation', 'mediation', 'supervisor_called'],
    outcome: 'calmed',
    report: 'Le responsable a repris l’explication des pièces demandées ; l’usager est revenu avec le dossier complet.',
  });
  const security = await incident({
    severity: 'security',
    hoursAgo: 24 * 2 + 3,
    reporter: thomas.user_id,
    place: 'Entrée principale',
    signs: ['agitation', 'threats', 'intoxication'],
    observations: 'Personne très agitée refusant de quitter le hall à la fermeture.',
    actions: ['listening', 'security_called', 'police_called'],
    outcome: 'escorted_out',
    report: 'Police municipale intervenue en 6 minutes. Aucun blessé. Main courante déposée.',
  });
  const { rows: alert } = await client.query<{ id: string }>(
    `INSERT INTO incident_alerts (incident_id, site_id, kind, raised_by_user_id, place, raised_at, acknowledged_at, acknowledged_by_user_id)
     VALUES ($1, $2, 'security', $3, 'Entrée principale', $4, $5, $6) RETURNING id`,
    [security.id, siteId, thomas.user_id, security.occurred, new Date(security.occurred.getTime() + 45_000), supervisor.user_id],
  );
  await client.query(
    `INSERT INTO incident_alert_steps (alert_id, step, name, due_at, notified_at, targets, send_email, mail_sent_at)
     VALUES ($1, 0, 'security', $2, $2, $3, true, $2),
            ($1, 1, 'Responsable de l’accueil (relance)', $4, NULL, $5, true, NULL),
            ($1, 2, 'Direction générale et police municipale', $6, NULL, $7, true, NULL)`,
    [
      alert[0].id,
      security.occurred,
      JSON.stringify({ supervisors: true, userIds: [], emails: [`police-municipale@${DEMO_EMAIL_DOMAIN}`] }),
      new Date(security.occurred.getTime() + 90_000),
      JSON.stringify({ supervisors: true, userIds: [supervisor.user_id], emails: [] }),
      new Date(security.occurred.getTime() + 270_000),
      JSON.stringify({ supervisors: true, userIds: [admin.user_id], emails: [`police-municipale@${DEMO_EMAIL_DOMAIN}`] }),
    ],
  );
  await incident({
    severity: 'tension',
    hoursAgo: 1,
    reporter: camille.user_id,
    place: 'Guichet 1',
    signs: ['distress'],
    observations: 'Usagère en pleurs après un refus de prise en charge par un autre organisme.',
    actions: ['listening', 'reformulation'],
    outcome: null,
  });

  const message = async (fields: {
    sender: string;
    kind?: string;
    recipientType: string;
    recipientUserId?: string;
    priority: string;
    subject: string;
    body: string;
    hoursAgo: number;
    expiresInHours?: number;
    recipients: { userId: string; readHoursAgo: number | null }[];
  }) => {
    const { rows: created } = await client.query<{ id: string }>(
      `INSERT INTO messages (site_id, sender_user_id, kind, recipient_type, recipient_user_id, priority, subject, body, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        siteId,
        fields.sender,
        fields.kind ?? 'message',
        fields.recipientType,
        fields.recipientUserId ?? null,
        fields.priority,
        fields.subject,
        fields.body,
        fields.expiresInHours === undefined ? null : at(fields.expiresInHours),
        at(-fields.hoursAgo),
      ],
    );
    for (const r of fields.recipients) {
      await client.query(`INSERT INTO message_recipients (message_id, user_id, read_at) VALUES ($1, $2, $3)`, [
        created[0].id,
        r.userId,
        r.readHoursAgo === null ? null : at(-r.readHoursAgo),
      ]);
    }
  };

  await message({
    sender: supervisor.user_id,
    recipientType: 'site',
    priority: 'urgent',
    subject: 'Ascenseur du hall en panne',
    body: 'Orienter les personnes à mobilité réduite vers l’entrée rue des Écoles jusqu’à nouvel ordre.',
    hoursAgo: 3,
    expiresInHours: 8,
    recipients: [
      { userId: admin.user_id, readHoursAgo: 2 },
      { userId: camille.user_id, readHoursAgo: 2.5 },
      { userId: thomas.user_id, readHoursAgo: null },
    ],
  });
  await message({
    sender: thomas.user_id,
    recipientType: 'user',
    recipientUserId: camille.user_id,
    priority: 'normal',
    subject: 'Rappel de Mme Leroy',
    body: 'Elle rappellera après 15 h pour la copie d’acte de naissance demandée ce matin.',
    hoursAgo: 2,
    recipients: [{ userId: camille.user_id, readHoursAgo: 1.5 }],
  });
  await message({
    sender: camille.user_id,
    kind: 'management_report',
    recipientType: 'supervisors',
    priority: 'high',
    subject: 'Affluence État civil le lundi matin',
    body: 'Trois lundis de suite à plus de 40 min d’attente entre 9 h et 11 h : un second guichet serait utile.',
    hoursAgo: 0.5,
    recipients: [
      { userId: supervisor.user_id, readHoursAgo: null },
      { userId: admin.user_id, readHoursAgo: null },
    ],
  });
}
