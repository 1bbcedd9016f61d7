import { Client } from 'pg';
import { AuthService } from '@guichet/core/identity/auth.service';
import { DEMO_LOGINS, DEMO_SITES, demoClosures, staffEmail, TOWN_HALL_CODE } from './demo-data';
import { insertComplaintsDemo } from './complaints';
import { insertHandoverTasksDemo } from './handover-tasks';
import { generateHistory } from './history';
import { insertIncidentsDemo } from './incidents';
import { insertDemoProviders } from './providers';
import { insertDemoResources } from './resources';
import { insertDemoSurveys } from './surveys';

/** Serialises concurrent seeders (two launchers, or the CLI during a start); distinct from the migration lock. */
const DEMO_LOCK_KEY = 741_853_202;

/** Past tickets of the town hall's queues (off-peak arrivals per hour, by prefix), for the statistics and the forecast. */
const DEMO_HISTORY = { weeks: 6, seed: 2026, arrivalsPerHour: { A: 9, E: 5, U: 3, C: 2.5 } as Record<string, number> };

export interface SeedDemoResult {
  /** False when the demo data was already there: the call changed nothing. */
  loaded: boolean;
}

/**
 * Loads the demo sites, directory and accounts into a migrated database, once: the town hall's
 * site code marks the data as present. Everything is written in one transaction.
 */
export async function seedDemo(databaseUrl: string, now = new Date()): Promise<SeedDemoResult> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'guichet-seed-demo' });
  await client.connect();
  try {
    if (await demoPresent(client)) return { loaded: false };
    // Hashing is slow on purpose; do it before taking the lock so the transaction stays short.
    const hashes = new Map<string, string>();
    for (const password of new Set(DEMO_LOGINS.map((login) => login.password))) {
      hashes.set(password, await AuthService.hashPassword(password));
    }
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK_KEY]);
      if (await demoPresent(client)) {
        await client.query('ROLLBACK');
        return { loaded: false };
      }
      await insertDemo(client, hashes, now.getFullYear());
      await insertDemoHistory(client, now);
      // The back-office around the desk: rooms before providers (catering orders point at bookings).
      await insertDemoResources(client, now);
      await insertDemoProviders(client, now);
      await insertHandoverTasksDemo(client, now);
      await insertIncidentsDemo(client, now);
      await insertDemoSurveys(client, now);
      await insertComplaintsDemo(client, now);
      await client.query('COMMIT');
      return { loaded: true };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function demoPresent(client: Client): Promise<boolean> {
  const found = await client.query('SELECT 1 FROM sites WHERE lower(code) = lower($1)', [TOWN_HALL_CODE]);
  return (found.rowCount ?? 0) > 0;
}

async function insertId(client: Client, sql: string, values: unknown[]): Promise<string> {
  const result = await client.query<{ id: string }>(`${sql} RETURNING id`, values);
  return result.rows[0].id;
}

/** A dangling code in demo-data.ts must fail the load, not insert a NULL reference. */
function idOf(ids: Map<string, string>, key: string): string {
  const id = ids.get(key);
  if (!id) throw new Error(`demo data refers to unknown ${key}`);
  return id;
}

async function insertDemo(client: Client, hashes: Map<string, string>, year: number): Promise<void> {
  const siteIds = new Map<string, string>();
  const serviceIds = new Map<string, string>();
  // This year's and next year's holidays, so the calendar is right whenever the demo is loaded;
  // last year's too, for the generated history when the demo is loaded in January.
  const closures = [...demoClosures(year - 1), ...demoClosures(year), ...demoClosures(year + 1)];
  for (const site of DEMO_SITES) {
    const siteId = await insertId(
      client,
      `INSERT INTO sites (name, code, address, phone, email, time_zone, opening_hours, closures, mobile)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        site.name,
        site.code,
        JSON.stringify(site.address),
        site.phone,
        site.email,
        site.timeZone,
        JSON.stringify(site.openingHours),
        JSON.stringify(closures),
        site.mobile,
      ],
    );
    siteIds.set(site.code, siteId);
    for (const service of site.services) {
      const serviceId = await insertId(
        client,
        `INSERT INTO services (site_id, name, code, location, phone, email, opening_hours, description, keywords)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          siteId,
          service.name,
          service.code,
          JSON.stringify(service.location),
          service.phone,
          service.email,
          service.openingHours ? JSON.stringify(service.openingHours) : null,
          service.description,
          service.keywords,
        ],
      );
      serviceIds.set(service.code, serviceId);
    }
  }

  const userIds = new Map<string, string>();
  for (const login of DEMO_LOGINS) {
    const userId = await insertId(
      client,
      `INSERT INTO users (email, password_hash, display_name, role, service_id, locale) VALUES ($1, $2, $3, $4, $5, 'fr')`,
      [login.email, idOf(hashes, login.password), login.displayName, login.role, login.serviceCode ? idOf(serviceIds, login.serviceCode) : null],
    );
    userIds.set(login.email, userId);
    for (const code of login.siteCodes) {
      await client.query('INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)', [userId, idOf(siteIds, code)]);
    }
  }

  for (const site of DEMO_SITES) {
    const siteId = idOf(siteIds, site.code);
    for (const person of site.staff) {
      await client.query(
        `INSERT INTO staff (site_id, service_id, user_id, first_name, last_name, job_title, phone_extension, email, availability, availability_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          siteId,
          idOf(serviceIds, person.serviceCode),
          person.userEmail ? idOf(userIds, person.userEmail) : null,
          person.firstName,
          person.lastName,
          person.jobTitle,
          person.phoneExtension,
          staffEmail(person),
          person.availability,
          person.availabilityNote ?? null,
        ],
      );
    }
    const queueIds = new Map<string, string>();
    for (const queue of site.queues) {
      queueIds.set(
        queue.prefix,
        await insertId(client, `INSERT INTO queues (site_id, service_id, name, prefix, daily_cap) VALUES ($1, $2, $3, $4, $5)`, [
          siteId,
          idOf(serviceIds, queue.serviceCode),
          queue.name,
          queue.prefix,
          queue.dailyCap ?? null,
        ]),
      );
    }
    for (const counter of site.counters) {
      const counterId = await insertId(client, `INSERT INTO counters (site_id, name, location) VALUES ($1, $2, $3)`, [
        siteId,
        counter.name,
        counter.location,
      ]);
      for (const [rank, prefix] of counter.queuePrefixes.entries()) {
        await client.query(`INSERT INTO counter_queues (counter_id, queue_id, preference) VALUES ($1, $2, $3)`, [
          counterId,
          idOf(queueIds, prefix),
          rank + 1,
        ]);
      }
    }
    for (const name of site.requestCategories) {
      await client.query(`INSERT INTO request_categories (site_id, name) VALUES ($1, $2)`, [siteId, name]);
    }
    for (const article of site.articles) {
      await client.query(
        `INSERT INTO articles (site_id, kind, title, body, tags, owner_service_id, source, reviewed_at, review_due, attachments)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now(), (now() + interval '1 year')::date, $8)`,
        [siteId, article.kind, article.title, article.body, article.tags, idOf(serviceIds, article.serviceCode), article.source, JSON.stringify(article.attachments ?? [])],
      );
    }
    for (const partner of site.partners) {
      await client.query(
        `INSERT INTO partners (site_id, name, description, keywords, address, phone, email, website, opening_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          siteId,
          partner.name,
          partner.description,
          partner.keywords,
          JSON.stringify(partner.address),
          partner.phone,
          partner.email ?? null,
          partner.website,
          JSON.stringify(partner.openingHours),
        ],
      );
    }
  }
}

async function insertDemoHistory(client: Client, now: Date): Promise<void> {
  const { rows } = await client.query<{ id: string; prefix: string; site_id: string }>(
    `SELECT q.id, q.prefix, q.site_id FROM queues q JOIN sites s ON s.id = q.site_id WHERE s.code = $1`,
    [TOWN_HALL_CODE],
  );
  await generateHistory(client, {
    siteId: rows[0].site_id,
    queueIds: rows.map((q) => q.id),
    weeks: DEMO_HISTORY.weeks,
    seed: DEMO_HISTORY.seed,
    now,
    arrivalsPerHour: Object.fromEntries(rows.filter((q) => q.prefix in DEMO_HISTORY.arrivalsPerHour).map((q) => [q.id, DEMO_HISTORY.arrivalsPerHour[q.prefix]])),
  });
  // Queue-specific hours are set after the history, which keeps the town hall's real hours.
  for (const site of DEMO_SITES) {
    for (const queue of site.queues.filter((q) => q.openingHours)) {
      await client.query(
        `UPDATE queues q SET opening_hours = $3 FROM sites s WHERE s.id = q.site_id AND s.code = $1 AND q.prefix = $2`,
        [site.code, queue.prefix, JSON.stringify(queue.openingHours)],
      );
    }
  }
}
