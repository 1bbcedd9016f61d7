import type { Client } from 'pg';
import { TOWN_HALL_CODE } from './demo-data';

/**
 * Demo handover, tasks, callbacks and meetings of the town hall, relative to `now` so the screens
 * look lived-in on any day: two open logbook items (one high priority) and a closed one, the
 * morning's handover note (acknowledged by nobody yet), tasks in the four quadrants (one weekly),
 * two callbacks and a team meeting. Numbers are in the ranges reserved for fiction (02 61 91 …).
 */
export async function insertHandoverTasksDemo(client: Client, now: Date): Promise<void> {
  const { rows } = await client.query<{ site_id: string; email: string; user_id: string; service_id: string | null }>(
    `SELECT s.id AS site_id, u.email, u.id AS user_id, u.service_id
       FROM sites s JOIN user_sites us ON us.site_id = s.id JOIN users u ON u.id = us.user_id
      WHERE s.code = $1 AND u.email IN ('agent1@guichet.demo', 'agent2@guichet.demo', 'superviseur@guichet.demo')`,
    [TOWN_HALL_CODE],
  );
  const user = (email: string) => {
    const row = rows.find((r) => r.email === email);
    if (!row) throw new Error(`demo handover needs the login ${email}`);
    return row;
  };
  const morning = user('agent1@guichet.demo');
  const afternoon = user('agent2@guichet.demo');
  const supervisor = user('superviseur@guichet.demo');
  const siteId = morning.site_id;
  const at = (hours: number) => new Date(now.getTime() + hours * 3600_000);

  const entry = (category: string, priority: string, title: string, body: string, createdBy: string, createdHoursAgo: number, dueInHours: number | null) =>
    client.query(
      `INSERT INTO logbook_entries (site_id, category, priority, title, body, due_at, created_by_user_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [siteId, category, priority, title, body, dueInHours === null ? null : at(dueInHours), createdBy, at(-createdHoursAgo)],
    );
  await entry('maintenance', 'high', 'Ascenseur du hall en panne', 'Technicien prévenu, passage prévu dans la journée. Orienter les personnes à mobilité réduite vers l’entrée rue des Écoles.', morning.user_id, 3, 6);
  await entry('delivery', 'normal', 'Colis pour le service État civil', 'Colis déposé à l’accueil (registres). À remettre en main propre à M. Girard.', morning.user_id, 2, null);
  const closed = await entry('information', 'low', 'Salle du conseil réservée jeudi soir', 'Réunion publique, prévoir la signalétique.', supervisor.user_id, 30, null);
  await client.query(
    `UPDATE logbook_entries SET status = 'closed', closed_at = $2, closed_by_user_id = $3, closing_comment = 'Signalétique posée' WHERE id = $1`,
    [closed.rows[0].id, at(-26), afternoon.user_id],
  );

  const task = (owner: string, title: string, urgent: boolean, important: boolean, dueInHours: number | null, recurrence: string | null = null) =>
    client.query(
      `INSERT INTO tasks (site_id, title, owner_user_id, urgent, important, due_at, recurrence, created_by_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $3)`,
      [siteId, title, owner, urgent, important, dueInHours === null ? null : at(dueInHours), recurrence],
    );
  await task(morning.user_id, 'Renvoyer l’acte de naissance corrigé à Mme Roux', true, true, 2);
  await task(morning.user_id, 'Mettre à jour la fiche « Recensement citoyen »', false, true, 72);
  await task(morning.user_id, 'Réapprovisionner les formulaires Cerfa au présentoir', true, false, 5);
  await task(morning.user_id, 'Trier les brochures périmées', false, false, null);
  await task(afternoon.user_id, 'Relevé hebdomadaire de la boîte aux lettres', false, true, 24, 'FREQ=WEEKLY');

  await client.query(
    `INSERT INTO callbacks (site_id, contact_name, phone, subject, call_before, owner_user_id, created_by_user_id)
     VALUES ($1, 'M. Lefèvre', '+33261910101', 'Pièces à fournir pour un mariage', $2, $3, $3),
            ($1, 'Mme Nguyen', '+33261910102', 'Duplicata de livret de famille', $4, $3, $3)`,
    [siteId, at(1), morning.user_id, at(24)],
  );
  await client.query(
    `INSERT INTO meetings (site_id, service_id, title, starts_at, ends_at, place, created_by_user_id)
     VALUES ($1, $2, 'Point hebdomadaire de l’accueil', $3, $4, 'Salle Rabelais', $5)`,
    [siteId, supervisor.service_id, at(20), at(21), supervisor.user_id],
  );
  const open = await client.query(`SELECT id, title, priority FROM logbook_entries WHERE site_id = $1 AND status = 'open' ORDER BY created_at`, [siteId]);
  await client.query(`INSERT INTO handover_notes (site_id, author_user_id, body, snapshot, created_at) VALUES ($1, $2, $3, $4, $5)`, [
    siteId,
    morning.user_id,
    'Matinée chargée à l’état civil. L’ascenseur est en panne : accompagner les PMR par l’entrée rue des Écoles. Mme Roux attend son acte corrigé.',
    JSON.stringify({ tickets: [], requests: [], tasks: [], callbacks: [], logbookEntries: open.rows }),
    at(-1),
  ]);
}
