import * as argon2 from 'argon2';
import { Client } from 'pg';
import { DEMO_LOGINS, DEMO_SITES, MOBILE_SITE_CODE, TOWN_HALL_CODE } from '../libs/database/src/demo/demo-data';
import { seedDemo } from '../libs/database/src/demo/seed-demo';
import { dropDatabase, prepareDatabase } from '../libs/database/src/schema-setup';

/**
 * The demo lands in a database of its own: other suites share the run's database and must not
 * see its sites and accounts.
 */
describe('demo data', () => {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `${url.pathname}_demo`;
  const demoUrl = url.toString();
  let db: Client;

  const TABLES = ['sites', 'services', 'users', 'user_sites', 'staff', 'partners'] as const;
  async function counts(): Promise<Record<string, number>> {
    const row = (
      await db.query<Record<string, number>>(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`)
    ).rows[0];
    return { ...row };
  }

  beforeAll(async () => {
    await prepareDatabase(demoUrl);
    db = new Client({ connectionString: demoUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    if (process.env.KEEP_TEST_DB) return;
    await dropDatabase(demoUrl);
  });

  it('loads once, even when two seeders race, and a second run changes nothing', async () => {
    const results = await Promise.all([seedDemo(demoUrl), seedDemo(demoUrl)]);
    expect(results.map((r) => r.loaded).sort()).toEqual([false, true]);
    const first = await counts();
    expect(first).toEqual({
      sites: DEMO_SITES.length,
      services: DEMO_SITES.reduce((n, site) => n + site.services.length, 0),
      users: DEMO_LOGINS.length,
      user_sites: DEMO_LOGINS.reduce((n, login) => n + login.siteCodes.length, 0),
      staff: DEMO_SITES.reduce((n, site) => n + site.staff.length, 0),
      partners: DEMO_SITES.reduce((n, site) => n + site.partners.length, 0),
    });
    expect(first.staff).toBeGreaterThanOrEqual(8);

    expect(await seedDemo(demoUrl)).toEqual({ loaded: false });
    expect(await counts()).toEqual(first);
  });

  it('stores the two sites as described, the mobile one flagged', async () => {
    const { rows } = await db.query<{ code: string; name: string; mobile: boolean; time_zone: string; closures: { from: string }[]; sat: unknown }>(
      `SELECT code, name, mobile, time_zone, closures, opening_hours->'sat' AS sat FROM sites ORDER BY code`,
    );
    expect(rows.map(({ code, name, mobile, time_zone }) => ({ code, name, mobile, time_zone }))).toEqual([
      { code: MOBILE_SITE_CODE, name: "Point d'accueil itinérant", mobile: true, time_zone: 'Europe/Paris' },
      { code: TOWN_HALL_CODE, name: 'Mairie de Saint-Aubin', mobile: false, time_zone: 'Europe/Paris' },
    ]);
    const townHall = rows.find((r) => r.code === TOWN_HALL_CODE);
    expect(townHall?.sat).toEqual([{ open: '09:00', close: '12:00' }]);
    expect(townHall?.closures.map((c) => c.from)).toContain(`${new Date().getFullYear()}-12-25`);
  });

  it('finds services by their keywords through the search index expression', async () => {
    const { rows } = await db.query<{ name: string }>(
      `SELECT name FROM services WHERE directory_search_text(name, description, keywords) LIKE '%' || search_norm($1) || '%'`,
      ['passeport'],
    );
    expect(rows).toEqual([{ name: 'État civil' }]);
  });

  it('gives each account its password (argon2id), role, sites and service', async () => {
    const { rows } = await db.query<{ email: string; password_hash: string; role: string; display_name: string; sites: string[]; service: string | null }>(
      `SELECT u.email, u.password_hash, u.role, u.display_name,
              array_agg(s.code ORDER BY s.code) AS sites, sv.code AS service
         FROM users u
         JOIN user_sites us ON us.user_id = u.id
         JOIN sites s ON s.id = us.site_id
         LEFT JOIN services sv ON sv.id = u.service_id
        GROUP BY u.id, sv.code`,
    );
    expect(rows).toHaveLength(DEMO_LOGINS.length);
    for (const login of DEMO_LOGINS) {
      const row = rows.find((r) => r.email === login.email);
      expect(row).toMatchObject({ role: login.role, display_name: login.displayName, sites: [...login.siteCodes].sort(), service: login.serviceCode ?? null });
      expect(row?.password_hash).toMatch(/^\$argon2id\$/);
      expect(await argon2.verify(row!.password_hash, login.password)).toBe(true);
      expect(await argon2.verify(row!.password_hash, 'wrong-password')).toBe(false);
    }
  });

  it('links the directory entries of the agents and the supervisor to their accounts', async () => {
    const { rows } = await db.query<{ email: string; first_name: string }>(
      `SELECT u.email, st.first_name FROM staff st JOIN users u ON u.id = st.user_id ORDER BY u.email`,
    );
    expect(rows).toEqual([
      { email: 'agent1@guichet.demo', first_name: 'Camille' },
      { email: 'agent2@guichet.demo', first_name: 'Thomas' },
      { email: 'superviseur@guichet.demo', first_name: 'Julien' },
    ]);
  });
});
