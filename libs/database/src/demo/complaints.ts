import type { Client } from 'pg';
import { addBusinessMinutes, BusinessCalendar } from '@guichet/core/complaints/business-time';
import { clockTimes } from '@guichet/core/complaints/complaint-clocks';
import type { Closure, WeeklyHours } from '@guichet/core/organisation/opening-hours';
import { TOWN_HALL_CODE } from './demo-data';

interface DemoCategory {
  name: string;
  acknowledgeMinutes: number;
  answerMinutes: number;
  warningPercent: number | null;
  warningMinutesBefore: number | null;
  useBusinessHours: boolean;
}

const CATEGORIES: DemoCategory[] = [
  { name: 'Temps d’attente', acknowledgeMinutes: 120, answerMinutes: 960, warningPercent: 75, warningMinutesBefore: null, useBusinessHours: true },
  { name: 'Accueil et comportement', acknowledgeMinutes: 60, answerMinutes: 480, warningPercent: null, warningMinutesBefore: 60, useBusinessHours: true },
  { name: 'Erreur dans un dossier', acknowledgeMinutes: 240, answerMinutes: 2400, warningPercent: 80, warningMinutesBefore: null, useBusinessHours: true },
  { name: 'Locaux et accessibilité', acknowledgeMinutes: 1440, answerMinutes: 10080, warningPercent: null, warningMinutesBefore: null, useBusinessHours: false },
];

/**
 * Demo complaints of the town hall, relative to `now`: four categories with their SLA, and six
 * complaints over the last weeks on every channel — closed with a gesture, answered, one
 * escalated after its answer deadline passed (already mailed, so the worker does not mail again),
 * one waiting for the visitor (clocks paused) and a fresh one whose clocks run. Clock times are
 * computed with the site's real calendar. No personal data beyond the demo visitors.
 */
export async function insertComplaintsDemo(client: Client, now: Date): Promise<void> {
  const { rows: people } = await client.query<{ site_id: string; email: string; user_id: string; time_zone: string; opening_hours: WeeklyHours; closures: Closure[] }>(
    `SELECT s.id AS site_id, u.email, u.id AS user_id, s.time_zone, s.opening_hours, s.closures
       FROM sites s JOIN user_sites us ON us.site_id = s.id JOIN users u ON u.id = us.user_id
      WHERE s.code = $1 AND u.email IN ('agent1@guichet.demo', 'agent2@guichet.demo', 'superviseur@guichet.demo')`,
    [TOWN_HALL_CODE],
  );
  const user = (email: string) => {
    const row = people.find((r) => r.email === email);
    if (!row) throw new Error(`demo complaints need the login ${email}`);
    return row;
  };
  const camille = user('agent1@guichet.demo');
  const thomas = user('agent2@guichet.demo');
  const supervisor = user('superviseur@guichet.demo');
  const siteId = camille.site_id;
  const calendar = (businessHours: boolean): BusinessCalendar => ({
    hours: businessHours ? camille.opening_hours : null,
    closures: camille.closures,
    timeZone: camille.time_zone,
  });
  const { rows: visitors } = await client.query<{ id: string }>(
    `SELECT id FROM visitors WHERE site_id = $1 AND merged_into_id IS NULL ORDER BY created_at, id LIMIT 2`,
    [siteId],
  );
  const visitor = (i: number) => visitors[i]?.id ?? null;

  const categoryIds = new Map<string, string>();
  for (const c of CATEGORIES) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO complaint_categories (site_id, name, acknowledge_minutes, answer_minutes, warning_percent, warning_minutes_before, use_business_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [siteId, c.name, c.acknowledgeMinutes, c.answerMinutes, c.warningPercent, c.warningMinutesBefore, c.useBusinessHours],
    );
    categoryIds.set(c.name, rows[0].id);
  }

  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);
  /** A point in business time after `start` (a reply given so many working minutes later), never in the future. */
  const after = (start: Date, minutes: number) =>
    new Date(Math.min(addBusinessMinutes(start, minutes, calendar(true)).getTime(), now.getTime() - 60_000));

  const complaint = async (fields: {
    category: string;
    channel: string;
    reason: string;
    description: string;
    remedy?: string;
    severity: string;
    owner: string;
    visitorId: string | null;
    receivedAt: Date;
    acknowledgedAfter?: number;
    answeredAfter?: number;
    answer?: string;
    closed?: boolean;
    compensation?: [string, number | null];
    withinRemit?: boolean;
    pausedAfter?: number;
    escalated?: boolean;
  }) => {
    const category = CATEGORIES.find((c) => c.name === fields.category) as DemoCategory;
    const acknowledgedAt = fields.acknowledgedAfter === undefined ? null : after(fields.receivedAt, fields.acknowledgedAfter);
    const answeredAt = fields.answeredAfter === undefined ? null : after(fields.receivedAt, fields.answeredAfter);
    const closedAt = fields.closed && answeredAt ? after(answeredAt, 60) : null;
    const status = closedAt ? 'closed' : answeredAt ? 'answered' : acknowledgedAt ? 'investigating' : 'received';
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO complaints (site_id, category_id, visitor_id, channel, reason, description, requested_remedy, severity, status, owner_user_id,
                               answer, within_remit, compensation, compensation_amount, received_at, acknowledged_at, investigating_at,
                               answered_at, closed_at, escalated_at, escalation_reason, created_by_user_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19, $20, $10, $15, $15) RETURNING id`,
      [
        siteId,
        categoryIds.get(fields.category),
        fields.visitorId,
        fields.channel,
        fields.reason,
        fields.description,
        fields.remedy ?? null,
        fields.severity,
        status,
        fields.owner,
        fields.answer ?? null,
        fields.withinRemit ?? true,
        fields.compensation?.[0] ?? null,
        fields.compensation?.[1] ?? null,
        fields.receivedAt,
        acknowledgedAt,
        answeredAt,
        closedAt,
        null,
        null,
      ],
    );
    const id = rows[0].id;
    for (const kind of ['acknowledge', 'answer'] as const) {
      const target = kind === 'acknowledge' ? category.acknowledgeMinutes : category.answerMinutes;
      const { dueAt, warnAt } = clockTimes(fields.receivedAt, target, target, category, calendar(category.useBusinessHours));
      const stoppedAt = kind === 'acknowledge' ? (acknowledgedAt ?? answeredAt) : answeredAt;
      const pausedAt = !stoppedAt && fields.pausedAfter !== undefined ? after(fields.receivedAt, fields.pausedAfter) : null;
      const breached = fields.escalated && kind === 'answer' ? dueAt : null;
      await client.query(
        `INSERT INTO complaint_clocks (complaint_id, kind, target_minutes, business_hours, started_at, due_at, warn_at, paused_at, stopped_at,
                                       warned_at, escalated_at, escalation_mailed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [id, kind, target, category.useBusinessHours, fields.receivedAt, dueAt, warnAt, pausedAt, stoppedAt, breached && warnAt, breached],
      );
      if (breached) {
        await client.query(`UPDATE complaints SET escalated_at = $2, escalation_reason = 'answer_sla' WHERE id = $1`, [id, breached]);
      }
    }
    await client.query(
      `INSERT INTO complaint_events (complaint_id, at, actor_type, actor_id, actor_label, type, data) VALUES ($1, $2, 'user', $3, 'Démo', 'created', '{}')`,
      [id, fields.receivedAt, fields.owner],
    );
  };

  await complaint({
    category: 'Temps d’attente',
    channel: 'desk',
    reason: 'Plus d’une heure d’attente pour un passeport',
    description: 'Arrivée à 9 h avec un rendez-vous, reçue à 10 h 15 sans explication.',
    remedy: 'Des excuses et un créneau prioritaire',
    severity: 'medium',
    owner: camille.user_id,
    visitorId: visitor(0),
    receivedAt: hoursAgo(24 * 20),
    acknowledgedAfter: 10,
    answeredAfter: 300,
    answer: 'Excuses présentées ; retard dû à une panne du logiciel des titres. Créneau prioritaire proposé.',
    closed: true,
    compensation: ['Rendez-vous prioritaire', null],
  });
  await complaint({
    category: 'Erreur dans un dossier',
    channel: 'email',
    reason: 'Erreur de prénom sur un acte de naissance',
    description: 'Le prénom du deuxième enfant est mal orthographié sur la copie intégrale reçue.',
    remedy: 'Un acte corrigé sans nouveau déplacement',
    severity: 'high',
    owner: thomas.user_id,
    visitorId: visitor(0),
    receivedAt: hoursAgo(24 * 9),
    acknowledgedAfter: 90,
    answeredAfter: 1500,
    answer: 'Acte rectifié et envoyé par courrier ; frais d’envoi pris en charge.',
    compensation: ['Frais d’envoi remboursés', 4.5],
  });
  await complaint({
    category: 'Accueil et comportement',
    channel: 'phone',
    reason: 'Réponse sèche au téléphone',
    description: 'L’appelant estime avoir été mal reçu lors d’un appel sur les inscriptions scolaires.',
    severity: 'medium',
    owner: supervisor.user_id,
    visitorId: visitor(1),
    receivedAt: hoursAgo(24 * 6),
    acknowledgedAfter: 30,
    answeredAfter: 700,
    answer: 'Rappel de la personne par la responsable de l’accueil, échange apaisé.',
    withinRemit: false,
    escalated: true,
  });
  await complaint({
    category: 'Locaux et accessibilité',
    channel: 'web',
    reason: 'Ascenseur du hall en panne',
    description: 'Impossible d’accéder au 1er étage en fauteuil roulant.',
    remedy: 'Être reçu au rez-de-chaussée',
    severity: 'high',
    owner: supervisor.user_id,
    visitorId: null,
    receivedAt: hoursAgo(26),
    acknowledgedAfter: 45,
  });
  await complaint({
    category: 'Erreur dans un dossier',
    channel: 'desk',
    reason: 'Dossier de carte d’identité incomplet selon le service',
    description: 'La personne affirme avoir fourni le justificatif de domicile.',
    severity: 'low',
    owner: camille.user_id,
    visitorId: null,
    receivedAt: hoursAgo(50),
    acknowledgedAfter: 20,
    pausedAfter: 120,
  });
  await complaint({
    category: 'Temps d’attente',
    channel: 'desk',
    reason: 'Attente au guichet État civil',
    description: 'Trois personnes devant, une heure d’attente annoncée.',
    severity: 'low',
    owner: thomas.user_id,
    visitorId: null,
    receivedAt: hoursAgo(1),
  });
}
