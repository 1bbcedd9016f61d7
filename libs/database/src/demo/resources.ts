import { DateTime } from 'luxon';
import type { Client } from 'pg';
import { TOWN_HALL_CODE } from './demo-data';

/**
 * Demo rooms, equipment and a few meetings of the town hall for the coming working days
 * ("organiser une réunion : salle, matériel, restauration"), so the rooms screen has a planning.
 */

export interface DemoResource {
  kind: 'room' | 'equipment';
  name: string;
  capacity?: number;
  equipment?: string[];
  location: string;
}

export interface DemoBooking {
  /** Working days after the load day: 1 = the next working day. */
  workingDay: number;
  /** Local times of the site, HH:mm. */
  start: string;
  end: string;
  room: string;
  title: string;
  organiserEmail: string;
  attendees: number;
  equipment?: string[];
  catering?: { headcount: number; notes: string };
}

export const DEMO_RESOURCES: readonly DemoResource[] = [
  { kind: 'room', name: 'Salle du conseil', capacity: 40, equipment: ['écran', 'visioconférence', 'sonorisation'], location: 'Hôtel de ville, 1er étage' },
  { kind: 'room', name: 'Salle des mariages', capacity: 60, equipment: ['sonorisation'], location: 'Hôtel de ville, rez-de-chaussée' },
  { kind: 'room', name: 'Salle Jean-Moulin', capacity: 12, equipment: ['écran', 'paperboard'], location: 'Annexe, 2e étage' },
  { kind: 'room', name: 'Bureau de passage', capacity: 4, equipment: [], location: 'Hall d’accueil, porte B' },
  { kind: 'equipment', name: 'Vidéoprojecteur portable', location: 'Armoire de l’accueil' },
  { kind: 'equipment', name: 'Micro sans fil et enceinte', location: 'Armoire de l’accueil' },
  { kind: 'equipment', name: 'Paperboard mobile', location: 'Annexe, réserve du 2e étage' },
];

export const DEMO_BOOKINGS: readonly DemoBooking[] = [
  {
    workingDay: 1,
    start: '09:30',
    end: '11:00',
    room: 'Salle Jean-Moulin',
    title: 'Réunion de service de l’accueil',
    organiserEmail: 'superviseur@guichet.demo',
    attendees: 8,
    equipment: ['Vidéoprojecteur portable'],
    catering: { headcount: 8, notes: 'Café, thé et viennoiseries à 9 h 30' },
  },
  {
    workingDay: 1,
    start: '14:00',
    end: '16:30',
    room: 'Salle du conseil',
    title: 'Commission urbanisme',
    organiserEmail: 'admin@guichet.demo',
    attendees: 25,
    equipment: ['Micro sans fil et enceinte'],
  },
  {
    workingDay: 2,
    start: '10:00',
    end: '12:00',
    room: 'Salle Jean-Moulin',
    title: 'Formation : nouveaux formulaires d’état civil',
    organiserEmail: 'agent1@guichet.demo',
    attendees: 6,
    equipment: ['Vidéoprojecteur portable', 'Paperboard mobile'],
    catering: { headcount: 6, notes: 'Plateaux-repas à 12 h, dont un végétarien' },
  },
  {
    workingDay: 2,
    start: '15:00',
    end: '15:45',
    room: 'Bureau de passage',
    title: 'Entretien avec un partenaire (CAF)',
    organiserEmail: 'agent2@guichet.demo',
    attendees: 3,
  },
];

/** The local day `n` working days (Monday to Friday) after `from`. */
export function workingDayAfter(from: DateTime, n: number): DateTime {
  let day = from.startOf('day');
  for (let left = n; left > 0; ) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) left--;
  }
  return day;
}

/** Inserts the demo rooms, equipment and meetings of the town hall (inside the loader's transaction). */
export async function insertDemoResources(client: Pick<Client, 'query'>, now: Date): Promise<void> {
  const site = await client.query<{ id: string; time_zone: string }>(`SELECT id, time_zone FROM sites WHERE lower(code) = lower($1)`, [TOWN_HALL_CODE]);
  if (!site.rows[0]) throw new Error(`demo resources need the site ${TOWN_HALL_CODE}`);
  const { id: siteId, time_zone: zone } = site.rows[0];
  const ids = new Map<string, string>();
  for (const r of DEMO_RESOURCES) {
    const row = await client.query<{ id: string }>(
      `INSERT INTO resources (site_id, kind, name, capacity, equipment, location) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [siteId, r.kind, r.name, r.capacity ?? null, r.equipment ?? [], r.location],
    );
    ids.set(r.name, row.rows[0].id);
  }
  const idOf = (name: string) => {
    const id = ids.get(name);
    if (!id) throw new Error(`demo booking refers to unknown resource ${name}`);
    return id;
  };
  const today = DateTime.fromJSDate(now, { zone });
  for (const b of DEMO_BOOKINGS) {
    const day = workingDayAfter(today, b.workingDay).toISODate() as string;
    const start = DateTime.fromISO(`${day}T${b.start}`, { zone }).toJSDate();
    const end = DateTime.fromISO(`${day}T${b.end}`, { zone }).toJSDate();
    const organiser = await client.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = lower($1)`, [b.organiserEmail]);
    const organiserId = organiser.rows[0]?.id ?? null;
    const main = await client.query<{ id: string }>(
      `INSERT INTO resource_bookings (resource_id, site_id, period, title, organiser_user_id, attendees, catering_headcount, catering_notes, created_by)
       VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7, $8, $9, $6) RETURNING id`,
      [idOf(b.room), siteId, start, end, b.title, organiserId, b.attendees, b.catering?.headcount ?? null, b.catering?.notes ?? null],
    );
    for (const item of b.equipment ?? []) {
      await client.query(
        `INSERT INTO resource_bookings (resource_id, site_id, period, title, organiser_user_id, parent_booking_id, created_by)
         VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7, $6)`,
        [idOf(item), siteId, start, end, b.title, organiserId, main.rows[0].id],
      );
    }
  }
}
