import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { TOWN_HALL_CODE } from './demo-data';

/**
 * Demo satisfaction surveys of the town hall (référentiel C3.2): a bilingual template, its sending
 * rules, and eight weeks of answers (mailed links, some unanswered, and kiosk smileys) so the
 * satisfaction screen has figures and reasons to show. Deterministic: same seed, same answers.
 */

const SEED = 3_2026;
const WEEKS = 8;
const LINKS_PER_WEEK = 22;
const SMILEYS_PER_WEEK = 12;
/** Share of mailed links left unanswered (the response rate is about 1 − this). */
const UNANSWERED = 0.35;
const CHANNELS = ['desk', 'desk', 'desk', 'phone', 'phone', 'email', 'web'];

export const DEMO_SURVEY_TEMPLATE = {
  name: 'Après votre passage',
  title: { fr: 'Votre avis sur votre passage à la mairie', en: 'Your opinion on your visit to the town hall' },
  intro: {
    fr: 'Trois questions, une minute : vos réponses nous aident à améliorer l’accueil.',
    en: 'Three questions, one minute: your answers help us improve our service.',
  },
  questions: [
    { key: 'satisfaction', type: 'csat', required: true, label: { fr: 'Êtes-vous satisfait(e) de l’accueil reçu ?', en: 'Were you satisfied with the service?' } },
    { key: 'recommend', type: 'nps', required: true, label: { fr: 'Recommanderiez-vous ce service à un proche ?', en: 'Would you recommend this service to someone close?' } },
    {
      key: 'issues',
      type: 'choice',
      required: false,
      multiple: true,
      reasons: true,
      label: { fr: 'Qu’est-ce qui pourrait être amélioré ?', en: 'What could be improved?' },
      options: [
        { value: 'waiting', label: { fr: 'Le temps d’attente', en: 'The waiting time' } },
        { value: 'welcome', label: { fr: 'L’amabilité', en: 'Courtesy' } },
        { value: 'information', label: { fr: 'La clarté des informations', en: 'Clarity of information' } },
        { value: 'opening_hours', label: { fr: 'Les horaires', en: 'Opening hours' } },
      ],
    },
    { key: 'comment', type: 'text', required: false, label: { fr: 'Un commentaire ?', en: 'Any comment?' } },
  ],
};

const LOW_COMMENTS = [
  'Plus d’une heure d’attente, c’est trop long.',
  'Personne n’a su m’expliquer quels documents apporter.',
  'Impossible de vous joindre par téléphone le matin.',
  'Accueil peu aimable au guichet.',
  'Les horaires ne sont pas adaptés quand on travaille.',
  'Waiting time far too long.',
  null,
];
const HIGH_COMMENTS = ['Très bon accueil, merci !', 'Rapide et efficace.', 'Agent très à l’écoute.', null, null];

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export async function insertDemoSurveys(client: Pick<Client, 'query'>, now: Date): Promise<void> {
  const site = await client.query<{ id: string }>(`SELECT id FROM sites WHERE lower(code) = lower($1)`, [TOWN_HALL_CODE]);
  if (!site.rows[0]) throw new Error(`demo surveys need the site ${TOWN_HALL_CODE}`);
  const siteId = site.rows[0].id;
  const services = (await client.query<{ id: string }>(`SELECT id FROM services WHERE site_id = $1 ORDER BY name`, [siteId])).rows.map((r) => r.id);
  const agents = (
    await client.query<{ id: string }>(
      `SELECT u.id FROM users u JOIN user_sites us ON us.user_id = u.id WHERE us.site_id = $1 AND u.role = 'agent' ORDER BY u.email`,
      [siteId],
    )
  ).rows.map((r) => r.id);
  if (services.length === 0) throw new Error('demo surveys need the town hall services');

  const template = await client.query<{ id: string }>(
    `INSERT INTO survey_templates (site_id, name, title, intro, questions) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [siteId, DEMO_SURVEY_TEMPLATE.name, DEMO_SURVEY_TEMPLATE.title, DEMO_SURVEY_TEMPLATE.intro, JSON.stringify(DEMO_SURVEY_TEMPLATE.questions)],
  );
  const templateId = template.rows[0].id;
  await client.query(
    `INSERT INTO survey_rules (site_id, trigger, channels, template_id, delay_minutes) VALUES
       ($1, 'request_closed', '{desk,phone,email}', $2, 60), ($1, 'ticket_done', '{}', $2, 120), ($1, 'complaint_resolved', '{}', $2, 1440)`,
    [siteId, templateId],
  );
  await client.query(
    `INSERT INTO survey_settings (site_id, min_days_between, link_valid_hours, edit_window_minutes, kiosk_template_id) VALUES ($1, 30, 168, 15, $2)`,
    [siteId, templateId],
  );

  const random = lcg(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const DAY = 86_400_000;
  for (let week = 0; week < WEEKS; week++) {
    // Waiting improves over the weeks: fewer low scores recently, so the trend is visible.
    const lowShare = 0.35 - week * 0.025;
    for (let i = 0; i < LINKS_PER_WEEK + SMILEYS_PER_WEEK; i++) {
      const kiosk = i >= LINKS_PER_WEEK;
      const at = new Date(now.getTime() - (WEEKS - 1 - week) * 7 * DAY - random() * 7 * DAY);
      const service = pick(services);
      const agent = agents.length ? pick(agents) : null;
      const channel = kiosk ? 'kiosk' : pick(CHANNELS);
      const low = random() < lowShare;
      const csat = low ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 2);
      const nps = low ? Math.floor(random() * 7) : 7 + Math.floor(random() * 4);
      let invitation: { id: string; interaction_id: string } | null = null;
      if (!kiosk) {
        const answered = random() >= UNANSWERED;
        const sent = await client.query<{ id: string; interaction_id: string }>(
          `INSERT INTO survey_invitations (site_id, template_id, interaction_kind, interaction_id, service_id, agent_user_id, channel, language,
                                           token_hash, send_at, sent_at, expires_at, answered_at, created_at)
           VALUES ($1, $2, 'request', gen_random_uuid(), $3, $4, $5, 'fr', $6, $7, $7, $7::timestamptz + interval '168 hours', $8, $7)
           RETURNING id, interaction_id`,
          [siteId, templateId, service, agent, channel, createHash('sha256').update(randomBytes(32)).digest('hex'), new Date(at.getTime() - 3_600_000), answered ? at : null],
        );
        if (!answered) continue;
        invitation = sent.rows[0];
      }
      const comment = kiosk ? null : pick(low ? LOW_COMMENTS : HIGH_COMMENTS);
      const tags = low && !kiosk ? [pick(['waiting', 'waiting', 'information', 'welcome', 'opening_hours'])] : [];
      const body: Record<string, unknown> = kiosk ? { satisfaction: csat } : { satisfaction: csat, recommend: nps };
      if (tags.length) body.issues = tags;
      if (comment) body.comment = comment;
      await client.query(
        `INSERT INTO survey_responses (site_id, invitation_id, template_id, source, interaction_kind, interaction_id, service_id, agent_user_id,
                                       channel, language, csat, nps, answers, comment, reason_tags, editable_until, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $14, $15, $5, $6, $7, 'fr', $8, $9, $10, $11, $12, $13::timestamptz + interval '15 minutes', $13, $13)`,
        [siteId, invitation?.id ?? null, templateId, kiosk ? 'kiosk' : 'link', service, agent, channel, csat, kiosk ? null : nps, body, comment, tags, at, invitation ? 'request' : null, invitation?.interaction_id ?? null],
      );
    }
  }
}
