import { DateTime } from 'luxon';
import type { Client } from 'pg';
import { TOWN_HALL_CODE } from './demo-data';

/**
 * Demo providers of the town hall and their service orders over the last months (référentiel C2.2:
 * office supplies, a maintenance contract, catering, cleaning), so the providers screen has figures
 * (on time or late, ratings, a monthly trend) and the orders screen has work in every state.
 */

interface DemoProvider {
  key: string;
  kind: 'internal' | 'external';
  name: string;
  description: string;
  orderTypes: string[];
  email: string | null;
  phone: string | null;
  contractReference: string | null;
  responseHours: number;
  completionHours: number;
  contacts: { name: string; role: string; email: string | null; phone: string | null }[];
}

interface DemoOrder {
  provider: string;
  type: string;
  title: string;
  requesterEmail: string;
  /** Days before the load day it was submitted. */
  submittedDaysAgo: number;
  /** Hours after submission the provider accepted / completed (absent: not yet). */
  acceptedAfterHours?: number;
  completedAfterHours?: number;
  status: 'submitted' | 'accepted' | 'in_progress' | 'delivered' | 'done' | 'closed';
  lines?: { item: string; quantity: number; unitPriceCents: number }[];
  rating?: [number, number, number, string | null];
}

export const DEMO_PROVIDERS: readonly DemoProvider[] = [
  {
    key: 'supplies',
    kind: 'external',
    name: 'Bureau Plus Rhône',
    description: 'Fournitures de bureau et consommables d’impression',
    orderTypes: ['supplies', 'equipment'],
    email: 'commandes@bureauplus.example',
    phone: '04 72 10 20 30',
    contractReference: 'MAPA-2025-FOURN-03',
    responseHours: 24,
    completionHours: 72,
    contacts: [{ name: 'Claire Martin', role: 'Chargée de clientèle', email: 'claire.martin@bureauplus.example', phone: '04 72 10 20 31' }],
  },
  {
    key: 'maintenance',
    kind: 'external',
    name: 'Techni-Services Bâtiment',
    description: 'Maintenance des bâtiments : plomberie, électricité, serrurerie',
    orderTypes: ['maintenance'],
    email: 'interventions@techniservices.example',
    phone: '04 78 55 66 77',
    contractReference: 'MARCHE-2024-MAINT-01',
    responseHours: 4,
    completionHours: 48,
    contacts: [
      { name: 'Karim Benali', role: 'Responsable d’exploitation', email: 'k.benali@techniservices.example', phone: '06 12 34 56 78' },
      { name: 'Astreinte', role: 'Urgences 24 h/24', email: null, phone: '04 78 55 66 00' },
    ],
  },
  {
    key: 'catering',
    kind: 'external',
    name: 'Les Saveurs d’Aubin',
    description: 'Traiteur : pauses café, plateaux-repas, cocktails',
    orderTypes: ['catering'],
    email: 'contact@saveurs-aubin.example',
    phone: '04 72 44 55 66',
    contractReference: null,
    responseHours: 24,
    completionHours: 48,
    contacts: [{ name: 'Sophie Garnier', role: 'Gérante', email: 'sophie@saveurs-aubin.example', phone: null }],
  },
  {
    key: 'facilities',
    kind: 'internal',
    name: 'Services techniques municipaux',
    description: 'Équipe interne : manutention, installation des salles, petits travaux',
    orderTypes: ['room_booking', 'equipment', 'maintenance', 'other'],
    email: 'services.techniques@saint-aubin.example',
    phone: '04 72 00 12 40',
    contractReference: null,
    responseHours: 8,
    completionHours: 24,
    contacts: [{ name: 'Patrick Roux', role: 'Chef d’équipe', email: 'patrick.roux@saint-aubin.example', phone: '04 72 00 12 41' }],
  },
];

export const DEMO_ORDERS: readonly DemoOrder[] = [
  {
    provider: 'supplies',
    type: 'supplies',
    title: 'Ramettes et enveloppes du trimestre',
    requesterEmail: 'agent1@guichet.demo',
    submittedDaysAgo: 75,
    acceptedAfterHours: 3,
    completedAfterHours: 50,
    status: 'closed',
    lines: [
      { item: 'Ramette A4 80 g (carton de 5)', quantity: 12, unitPriceCents: 2290 },
      { item: 'Enveloppes C5 (boîte de 500)', quantity: 4, unitPriceCents: 3150 },
    ],
    rating: [5, 4, 5, 'Livraison rapide et complète'],
  },
  {
    provider: 'maintenance',
    type: 'maintenance',
    title: 'Porte automatique du hall bloquée',
    requesterEmail: 'superviseur@guichet.demo',
    submittedDaysAgo: 60,
    acceptedAfterHours: 2,
    completedAfterHours: 70,
    status: 'done',
    rating: [2, 4, 2, 'Intervention efficace mais très tardive, sans nouvelles entre-temps'],
  },
  {
    provider: 'catering',
    type: 'catering',
    title: 'Pause café de la réunion des partenaires',
    requesterEmail: 'agent2@guichet.demo',
    submittedDaysAgo: 40,
    acceptedAfterHours: 5,
    completedAfterHours: 30,
    status: 'delivered',
    lines: [{ item: 'Pause café (par personne)', quantity: 20, unitPriceCents: 650 }],
    rating: [5, 5, 4, null],
  },
  {
    provider: 'maintenance',
    type: 'maintenance',
    title: 'Fuite au lavabo des sanitaires publics',
    requesterEmail: 'agent1@guichet.demo',
    submittedDaysAgo: 20,
    acceptedAfterHours: 1,
    completedAfterHours: 30,
    status: 'done',
    rating: [4, 4, 4, null],
  },
  {
    provider: 'facilities',
    type: 'room_booking',
    title: 'Installation de la salle du conseil (40 places)',
    requesterEmail: 'superviseur@guichet.demo',
    submittedDaysAgo: 10,
    acceptedAfterHours: 2,
    completedAfterHours: 20,
    status: 'done',
  },
  {
    provider: 'supplies',
    type: 'equipment',
    title: 'Deux fauteuils ergonomiques pour l’accueil',
    requesterEmail: 'agent2@guichet.demo',
    submittedDaysAgo: 2,
    acceptedAfterHours: 6,
    status: 'accepted',
    lines: [{ item: 'Fauteuil ergonomique', quantity: 2, unitPriceCents: 18900 }],
  },
  {
    provider: 'maintenance',
    type: 'maintenance',
    title: 'Éclairage du parking du personnel',
    requesterEmail: 'agent1@guichet.demo',
    submittedDaysAgo: 1,
    status: 'submitted',
  },
];

const HOUR = 3_600_000;

/** Inserts the demo providers, their orders (with history, lines and ratings) and one improvement action, inside the loader's transaction. */
export async function insertDemoProviders(client: Pick<Client, 'query'>, now: Date): Promise<void> {
  const site = await client.query<{ id: string }>(`SELECT id FROM sites WHERE lower(code) = lower($1)`, [TOWN_HALL_CODE]);
  if (!site.rows[0]) throw new Error(`demo providers need the site ${TOWN_HALL_CODE}`);
  const siteId = site.rows[0].id;
  const providers = new Map<string, { id: string; response: number; completion: number }>();
  for (const p of DEMO_PROVIDERS) {
    const row = await client.query<{ id: string }>(
      `INSERT INTO providers (site_id, kind, name, description, order_types, email, phone, contract_reference, response_hours, completion_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [siteId, p.kind, p.name, p.description, p.orderTypes, p.email, p.phone, p.contractReference, p.responseHours, p.completionHours],
    );
    providers.set(p.key, { id: row.rows[0].id, response: p.responseHours, completion: p.completionHours });
    for (const [index, c] of p.contacts.entries()) {
      await client.query(`INSERT INTO provider_contacts (provider_id, name, role, email, phone, is_primary) VALUES ($1, $2, $3, $4, $5, $6)`, [
        row.rows[0].id,
        c.name,
        c.role,
        c.email,
        c.phone,
        index === 0,
      ]);
    }
  }

  for (const o of DEMO_ORDERS) {
    const provider = providers.get(o.provider);
    if (!provider) throw new Error(`demo order refers to unknown provider ${o.provider}`);
    const requester = await client.query<{ id: string; display_name: string }>(`SELECT id, display_name FROM users WHERE lower(email) = lower($1)`, [o.requesterEmail]);
    if (!requester.rows[0]) throw new Error(`demo order refers to unknown user ${o.requesterEmail}`);
    const submitted = DateTime.fromJSDate(now).minus({ days: o.submittedDaysAgo }).toJSDate();
    const at = (hours: number | undefined) => (hours === undefined ? null : new Date(submitted.getTime() + hours * HOUR));
    const accepted = at(o.acceptedAfterHours);
    const completed = at(o.completedAfterHours);
    // The same rule as the service (order-rules.ts): reminded at the first missed deadline, escalated one response window later.
    const responseDue = new Date(submitted.getTime() + provider.response * HOUR);
    const due = new Date((accepted ?? responseDue).getTime() + provider.completion * HOUR);
    const remind = accepted ? due : new Date(Math.min(responseDue.getTime(), due.getTime()));
    const escalate = new Date(remind.getTime() + provider.response * HOUR);
    const lines = o.lines ?? [];
    const total = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    const closed = o.status === 'closed' && completed ? new Date(completed.getTime() + 24 * HOUR) : null;
    const started = ['in_progress', 'delivered', 'done', 'closed'].includes(o.status) && accepted ? new Date(accepted.getTime() + HOUR) : null;
    // Past follow-ups count as done, so loading the demo does not mail anyone.
    const settled = remind <= now ? remind : null;
    const order = await client.query<{ id: string }>(
      `INSERT INTO service_orders (site_id, provider_id, type, title, requester_user_id, requester_label, currency, total_cents, status,
                                   submitted_at, released_at, accepted_at, started_at, completed_at, closed_at,
                                   response_due_at, due_at, remind_at, escalate_at, reminder_sent_at, escalated_at,
                                   reminder_provider_mailed_at, reminder_requester_mailed_at, escalation_mailed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'EUR', $7, $8, $9, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $18, $18, $19, $9, $9) RETURNING id`,
      [
        siteId,
        provider.id,
        o.type,
        o.title,
        requester.rows[0].id,
        requester.rows[0].display_name,
        total,
        o.status,
        submitted,
        accepted,
        started,
        completed,
        closed,
        responseDue,
        due,
        remind,
        escalate,
        settled,
        settled && escalate <= now ? escalate : null,
      ],
    );
    const id = order.rows[0].id;
    for (const [position, l] of lines.entries()) {
      await client.query(`INSERT INTO service_order_lines (order_id, position, item, quantity, unit_price_cents) VALUES ($1, $2, $3, $4, $5)`, [
        id,
        position,
        l.item,
        l.quantity,
        l.unitPriceCents,
      ]);
    }
    // The path to the final status, each step at its time.
    const finished = o.status === 'closed' ? 'done' : o.status;
    const path: [string, Date | null][] = [
      ['draft', submitted],
      ['submitted', submitted],
      ['accepted', accepted],
      ['in_progress', started],
      ...(['delivered', 'done'].includes(finished) ? ([[finished, completed]] as [string, Date | null][]) : []),
      ['closed', closed],
    ];
    let from: string | null = null;
    for (const [to, when] of path) {
      if (!when) continue;
      await client.query(
        `INSERT INTO service_order_status_history (order_id, from_status, to_status, at, actor_type, actor_label) VALUES ($1, $2, $3, $4, 'system', 'démo')`,
        [id, from, to, when],
      );
      from = to;
    }
    if (o.rating && completed) {
      const [timeliness, quality, communication, comment] = o.rating;
      await client.query(
        `INSERT INTO service_order_ratings (order_id, timeliness, quality, communication, comment, rated_by_user_id, rated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, timeliness, quality, communication, comment, requester.rows[0].id, new Date(completed.getTime() + 2 * HOUR)],
      );
    }
  }

  const maintenance = providers.get('maintenance')!;
  await client.query(
    `INSERT INTO provider_improvement_actions (provider_id, site_id, title, description, status, due_on)
     VALUES ($1, $2, $3, $4, 'in_progress', $5)`,
    [
      maintenance.id,
      siteId,
      'Point d’avancement sous 24 h pour chaque intervention',
      'Deux interventions terminées hors délai sans nouvelles : demander au prestataire un message dès l’acceptation puis chaque jour.',
      DateTime.fromJSDate(now).plus({ months: 1 }).toISODate(),
    ],
  );
}
