import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, TestUser, uniqueSuffix } from '@guichet/testing/factories';

interface FieldError {
  field: string;
  message: string;
}

const LUNCH_BREAK = {
  mon: [
    { open: '08:30', close: '12:00' },
    { open: '13:30', close: '17:00' },
  ],
  tue: [{ open: '08:30', close: '17:00' }],
};

describe('organisation directory', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let admin: TestUser;
  let supervisor: TestUser;
  let supervisorB: TestUser;
  let tokens: { admin: string; supervisor: string; agent: string; supervisorB: string };

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const fields = (body: { errors?: FieldError[] }) => [...new Set((body.errors ?? []).map((e) => e.field))].sort();
  const count = async (table: string, siteId: string): Promise<number> =>
    Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE site_id = $1`, [siteId])) as { n: number }[])[0].n);

  async function post(path: string, token: string, body: object): Promise<request.Response> {
    return request(t.url).post(`/api/v1/${path}`).set(bearer(token)).send(body);
  }

  beforeAll(async () => {
    t = await startTestApp();
    siteA = await createSite(t.dataSource, { name: `Mairie A ${uniqueSuffix()}` });
    siteB = await createSite(t.dataSource, { name: `Mairie B ${uniqueSuffix()}` });
    admin = await createUser(t.dataSource, 'admin', [siteA]);
    supervisor = await createUser(t.dataSource, 'supervisor', [siteA]);
    const agent = await createUser(t.dataSource, 'agent', [siteA]);
    supervisorB = await createUser(t.dataSource, 'supervisor', [siteB]);
    tokens = {
      admin: (await login(t.url, admin)).accessToken,
      supervisor: (await login(t.url, supervisor)).accessToken,
      agent: (await login(t.url, agent)).accessToken,
      supervisorB: (await login(t.url, supervisorB)).accessToken,
    };
  });
  afterAll(() => t.close());

  describe('sites', () => {
    it('lets an admin create, read, change and delete a site, and sees it at once', async () => {
      const created = await post('sites', tokens.admin, {
        name: 'Antenne mobile',
        code: `MOB-${uniqueSuffix()}`,
        address: { street: '1 place de la Mairie', postalCode: '33000', city: 'Bordeaux', country: 'FR' },
        phone: '05 56 00 00 00',
        email: 'antenne@example.org',
        timeZone: 'Europe/Paris',
        openingHours: LUNCH_BREAK,
        closures: [{ from: '2026-12-24', to: '2026-12-26', label: 'Noël' }],
        mobile: true,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        name: 'Antenne mobile',
        address: { city: 'Bordeaux' },
        timeZone: 'Europe/Paris',
        mobile: true,
        version: 1,
        openNow: expect.any(Boolean),
        nextOpeningAt: expect.any(String),
      });
      const id = created.body.id as string;

      // The creator was attached to the site in the same transaction.
      const read = await request(t.url).get(`/api/v1/sites/${id}`).set(bearer(tokens.admin));
      expect(read.status).toBe(200);
      expect(read.body.openingHours).toEqual(LUNCH_BREAK);
      expect(read.body.closures).toEqual([{ from: '2026-12-24', to: '2026-12-26', label: 'Noël' }]);

      const mobileOnly = await request(t.url).get('/api/v1/sites?mobile=true').set(bearer(tokens.admin));
      expect(mobileOnly.body.items.map((s: { id: string }) => s.id)).toEqual([id]);

      const patched = await request(t.url)
        .patch(`/api/v1/sites/${id}`)
        .set(bearer(tokens.admin))
        .set('If-Match', '"1"')
        .send({ name: 'Antenne mobile Nord', phone: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Antenne mobile Nord', phone: null, version: 2 });

      const removed = await request(t.url).delete(`/api/v1/sites/${id}`).set(bearer(tokens.admin));
      expect(removed.status).toBe(204);
      expect((await request(t.url).get(`/api/v1/sites/${id}`).set(bearer(tokens.admin))).status).toBe(404);

      const trail = (await t.dataSource.query(
        `SELECT action, actor_id FROM audit_entries WHERE entity = 'site' AND entity_id = $1 ORDER BY at`,
        [id],
      )) as { action: string; actor_id: string }[];
      expect(trail).toEqual(['create', 'update', 'delete'].map((action) => ({ action, actor_id: admin.id })));
    });

    it('keeps site management to admins and sites to their members', async () => {
      const body = { name: 'Interdit', timeZone: 'Europe/Paris' };
      expect((await post('sites', tokens.supervisor, body)).status).toBe(403);
      const { key } = await createApiKey(t.dataSource, ['directory:write'], [siteA]);
      expect((await request(t.url).post('/api/v1/sites').set('X-Api-Key', key).send(body)).status).toBe(403);

      expect((await request(t.url).get(`/api/v1/sites/${siteB}`).set(bearer(tokens.agent))).status).toBe(404);
      expect((await request(t.url).patch(`/api/v1/sites/${siteB}`).set(bearer(tokens.admin)).send({ name: 'x' })).status).toBe(404);
      const list = await request(t.url).get('/api/v1/sites').set(bearer(tokens.agent));
      expect(list.body).toEqual({ items: [expect.objectContaining({ id: siteA })], total: 1 });
    });

    it('refuses an unknown time zone and a closure that ends before it starts', async () => {
      const res = await post('sites', tokens.admin, {
        name: 'Mauvais fuseau',
        timeZone: 'Europe/Bordeaux',
        closures: [{ from: '2026-05-02', to: '2026-05-01' }, { from: '2026-02-30', to: '2026-03-01' }],
      });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['closures[0].to', 'closures[1].from', 'timeZone']);
    });

    it('searches site names without accents or case', async () => {
      const created = await post('sites', tokens.admin, { name: `Hôtel de Ville ${uniqueSuffix()}`, timeZone: 'Europe/Paris' });
      const res = await request(t.url).get('/api/v1/sites').query({ q: 'HOTEL ville' }).set(bearer(tokens.admin));
      expect(res.body).toEqual({ items: [expect.objectContaining({ id: created.body.id })], total: 1 });
    });

    it('refuses to delete a site that still has services, staff or partners', async () => {
      const site = await post('sites', tokens.admin, { name: `Pleine ${uniqueSuffix()}`, timeZone: 'Europe/Paris' });
      expect((await post('partners', tokens.admin, { siteId: site.body.id, name: 'CPAM' })).status).toBe(201);
      const res = await request(t.url).delete(`/api/v1/sites/${site.body.id}`).set(bearer(tokens.admin));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('site_not_empty');
      expect((await request(t.url).get(`/api/v1/sites/${site.body.id}`).set(bearer(tokens.admin))).status).toBe(200);
    });
  });

  describe('records other tables point to', () => {
    // Stands for the tables of later modules (queues, tickets…) that reference sites and services.
    beforeAll(async () => {
      await t.dataSource.query(
        `CREATE TABLE e2e_directory_refs (site_id uuid REFERENCES sites(id), service_id uuid REFERENCES services(id))`,
      );
    });
    afterAll(() => t.dataSource.query(`DROP TABLE e2e_directory_refs`));

    it('answers 409 instead of deleting a referenced service or site, and changes nothing', async () => {
      const service = await post('services', tokens.supervisor, { siteId: siteA, name: `Référencé ${uniqueSuffix()}` });
      const site = await post('sites', tokens.admin, { name: `Référencé ${uniqueSuffix()}`, timeZone: 'Europe/Paris' });
      await t.dataSource.query(`INSERT INTO e2e_directory_refs VALUES ($1, $2)`, [site.body.id, service.body.id]);

      const serviceDelete = await request(t.url).delete(`/api/v1/services/${service.body.id}`).set(bearer(tokens.supervisor));
      expect(serviceDelete.status).toBe(409);
      expect(serviceDelete.body.code).toBe('in_use');
      const siteDelete = await request(t.url).delete(`/api/v1/sites/${site.body.id}`).set(bearer(tokens.admin));
      expect(siteDelete.status).toBe(409);
      expect(siteDelete.body.code).toBe('site_not_empty');

      expect((await request(t.url).get(`/api/v1/services/${service.body.id}`).set(bearer(tokens.agent))).status).toBe(200);
      expect((await request(t.url).get(`/api/v1/sites/${site.body.id}`).set(bearer(tokens.admin))).status).toBe(200);
      const deletions = (await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE action = 'delete' AND entity_id = ANY($1)`,
        [[service.body.id, site.body.id]],
      )) as { n: number }[];
      expect(deletions[0].n).toBe(0);
    });
  });

  describe('services', () => {
    it('runs the whole life of a service and computes its opening from the site when it has no hours', async () => {
      const created = await post('services', tokens.supervisor, {
        siteId: siteA,
        name: `Urbanisme ${uniqueSuffix()}`,
        code: 'URB',
        location: { building: 'B', floor: '2', office: '204' },
        description: 'Permis de construire, déclarations préalables',
        keywords: ['PC', 'travaux'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        siteId: siteA,
        openingHours: null,
        active: true,
        version: 1,
        location: { building: 'B', floor: '2', office: '204' },
        keywords: ['PC', 'travaux'],
      });
      // The factory's site opens on weekdays, so there is always a next opening.
      expect(typeof created.body.openNow).toBe('boolean');
      expect(Date.parse(created.body.nextOpeningAt)).toBeGreaterThan(Date.now() - 60_000);
      const id = created.body.id as string;

      const read = await request(t.url).get(`/api/v1/services/${id}`).set(bearer(tokens.agent));
      expect(read.status).toBe(200);
      expect(read.body.name).toBe(created.body.name);

      const patched = await request(t.url)
        .patch(`/api/v1/services/${id}`)
        .set(bearer(tokens.supervisor))
        .send({ active: false, version: 1 });
      expect(patched.body).toMatchObject({ active: false, version: 2 });
      const inactive = await request(t.url).get(`/api/v1/services?siteId=${siteA}&active=false`).set(bearer(tokens.agent));
      expect(inactive.body.items.map((s: { id: string }) => s.id)).toContain(id);
      const active = await request(t.url).get(`/api/v1/services?active=true&limit=200`).set(bearer(tokens.agent));
      expect(active.body.items.map((s: { id: string }) => s.id)).not.toContain(id);

      expect((await request(t.url).delete(`/api/v1/services/${id}`).set(bearer(tokens.supervisor))).status).toBe(204);
      expect((await request(t.url).get(`/api/v1/services/${id}`).set(bearer(tokens.agent))).status).toBe(404);
    });

    it('answers 403 to an agent who tries to create one', async () => {
      const res = await post('services', tokens.agent, { siteId: siteA, name: 'Refusé' });
      expect(res.status).toBe(403);
    });

    it('gives keys what their scopes allow', async () => {
      const reader = await createApiKey(t.dataSource, ['directory:read'], [siteA]);
      const writer = await createApiKey(t.dataSource, ['directory:write'], [siteA]);
      const other = await createApiKey(t.dataSource, ['visitors:read'], [siteA]);
      expect((await request(t.url).get('/api/v1/services').set('X-Api-Key', reader.key)).status).toBe(200);
      expect((await request(t.url).get('/api/v1/staff').set('X-Api-Key', reader.key)).status).toBe(200);
      expect((await request(t.url).get('/api/v1/services').set('X-Api-Key', other.key)).status).toBe(403);
      const body = { siteId: siteA, name: `Par clé ${uniqueSuffix()}` };
      expect((await request(t.url).post('/api/v1/services').set('X-Api-Key', reader.key).send(body)).status).toBe(403);
      const created = await request(t.url).post('/api/v1/services').set('X-Api-Key', writer.key).send(body);
      expect(created.status).toBe(201);
      const [entry] = (await t.dataSource.query(
        `SELECT actor_type, actor_id FROM audit_entries WHERE entity = 'service' AND entity_id = $1`,
        [created.body.id],
      )) as { actor_type: string; actor_id: string }[];
      expect(entry).toEqual({ actor_type: 'api_key', actor_id: writer.id });
    });

    it('lists each bad field of a body and writes nothing', async () => {
      const before = await count('services', siteA);
      const res = await post('services', tokens.supervisor, {
        siteId: siteA,
        colour: 'blue',
        active: 'yes',
        keywords: 'not-a-list',
        email: 'nope',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(fields(res.body)).toEqual(expect.arrayContaining(['active', 'colour', 'email', 'keywords', 'name']));
      expect(await count('services', siteA)).toBe(before);
      expect(
        (await request(t.url).patch(`/api/v1/services/not-a-uuid`).set(bearer(tokens.supervisor)).send({ name: 'x' })).status,
      ).toBe(400);
    });

    it('names the exact field of bad opening hours', async () => {
      const before = await count('services', siteA);
      const overlap = await post('services', tokens.supervisor, {
        siteId: siteA,
        name: 'Horaires faux',
        openingHours: {
          mon: [
            { open: '08:30', close: '12:00' },
            { open: '11:00', close: '10:00' },
          ],
          tue: [{ open: '8h30', close: '25:00' }],
          sun: null,
          funday: [],
        },
      });
      expect(overlap.status).toBe(400);
      expect(fields(overlap.body)).toEqual([
        'openingHours.funday',
        'openingHours.mon[1].close',
        'openingHours.mon[1].open',
        'openingHours.sun',
        'openingHours.tue[0].close',
        'openingHours.tue[0].open',
      ]);
      expect(await count('services', siteA)).toBe(before);
    });

    it('refuses a stale version with 409 and accepts the current one', async () => {
      const created = await post('services', tokens.supervisor, { siteId: siteA, name: `Versions ${uniqueSuffix()}` });
      const id = created.body.id as string;
      const first = await request(t.url).patch(`/api/v1/services/${id}`).set(bearer(tokens.supervisor)).set('If-Match', '"1"').send({ code: 'V2' });
      expect(first.body.version).toBe(2);
      const staleHeader = await request(t.url).patch(`/api/v1/services/${id}`).set(bearer(tokens.supervisor)).set('If-Match', '"1"').send({ code: 'V3' });
      expect(staleHeader.status).toBe(409);
      expect(staleHeader.body.code).toBe('stale_version');
      const staleBody = await request(t.url).patch(`/api/v1/services/${id}`).set(bearer(tokens.supervisor)).send({ code: 'V3', version: 1 });
      expect(staleBody.status).toBe(409);
      const staleDelete = await request(t.url).delete(`/api/v1/services/${id}`).set(bearer(tokens.supervisor)).set('If-Match', '"1"');
      expect(staleDelete.status).toBe(409);
      const current = await request(t.url).get(`/api/v1/services/${id}`).set(bearer(tokens.agent));
      expect(current.body).toMatchObject({ code: 'V2', version: 2 });
    });

    it('audits who changed the opening hours of a service, and what changed', async () => {
      const created = await post('services', tokens.supervisor, {
        siteId: siteA,
        name: `Accueil social ${uniqueSuffix()}`,
        openingHours: { mon: [{ open: '09:00', close: '12:00' }] },
      });
      const id = created.body.id as string;
      const res = await request(t.url)
        .patch(`/api/v1/services/${id}`)
        .set(bearer(tokens.supervisor))
        .send({ openingHours: LUNCH_BREAK });
      expect(res.status).toBe(200);
      const entries = (await t.dataSource.query(
        `SELECT actor_type, actor_id, actor_label, site_id, changes FROM audit_entries
          WHERE entity = 'service' AND entity_id = $1 AND action = 'update'`,
        [id],
      )) as { actor_type: string; actor_id: string; actor_label: string; site_id: string; changes: Record<string, unknown> }[];
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor_type: 'user', actor_id: supervisor.id, site_id: siteA });
      expect(entries[0].actor_label).toContain(supervisor.email);
      expect(entries[0].changes).toEqual({
        openingHours: { from: { mon: [{ open: '09:00', close: '12:00' }] }, to: LUNCH_BREAK },
      });

      // Sending the same hours again changes nothing: no new version, no new entry.
      const again = await request(t.url).patch(`/api/v1/services/${id}`).set(bearer(tokens.supervisor)).send({ openingHours: LUNCH_BREAK });
      expect(again.body.version).toBe(2);
      const updates = (await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity = 'service' AND entity_id = $1 AND action = 'update'`,
        [id],
      )) as { n: number }[];
      expect(updates[0].n).toBe(1);
    });
  });

  describe('object-level access', () => {
    let ids: { service: string; staff: string; partner: string };

    beforeAll(async () => {
      const service = await post('services', tokens.supervisorB, { siteId: siteB, name: 'Service de B' });
      const staff = await post('staff', tokens.supervisorB, { siteId: siteB, firstName: 'Bob', lastName: 'Bee' });
      const partner = await post('partners', tokens.supervisorB, { siteId: siteB, name: 'Partenaire de B' });
      ids = { service: service.body.id, staff: staff.body.id, partner: partner.body.id };
    });

    it.each(['services', 'staff', 'partners'] as const)('hides the %s of another site behind 404', async (path) => {
      const id = ids[path === 'services' ? 'service' : path === 'staff' ? 'staff' : 'partner'];
      expect((await request(t.url).get(`/api/v1/${path}/${id}`).set(bearer(tokens.agent))).status).toBe(404);
      const patch = await request(t.url).patch(`/api/v1/${path}/${id}`).set(bearer(tokens.supervisor)).send({});
      expect(patch.status).toBe(404);
      expect((await request(t.url).delete(`/api/v1/${path}/${id}`).set(bearer(tokens.supervisor))).status).toBe(404);
      expect((await request(t.url).get(`/api/v1/${path}?siteId=${siteB}`).set(bearer(tokens.agent))).status).toBe(404);
      const mine = await request(t.url).get(`/api/v1/${path}?limit=200`).set(bearer(tokens.agent));
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
      expect(mine.body.items.every((item: { siteId: string }) => item.siteId === siteA)).toBe(true);
      // Still there for its own site.
      expect((await request(t.url).get(`/api/v1/${path}/${id}`).set(bearer(tokens.supervisorB))).status).toBe(200);
    });

    it('answers 404 for the site when creating in a site the caller cannot see, and writes nothing', async () => {
      const before = await count('services', siteB);
      const res = await post('services', tokens.supervisor, { siteId: siteB, name: 'Intrus' });
      expect(res.status).toBe(404);
      expect(await count('services', siteB)).toBe(before);
    });

    it('refuses to attach staff to a service or a user of another site', async () => {
      const res = await post('staff', tokens.supervisor, {
        siteId: siteA,
        serviceId: ids.service,
        userId: supervisorB.id,
        firstName: 'Zoé',
        lastName: 'Martin',
      });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['serviceId', 'userId']);
    });
  });

  describe('staff and partners', () => {
    it('manages staff availability and filters by service and availability', async () => {
      const service = await post('services', tokens.supervisor, { siteId: siteA, name: `Etat civil ${uniqueSuffix()}` });
      const created = await post('staff', tokens.supervisor, {
        siteId: siteA,
        serviceId: service.body.id,
        userId: supervisor.id,
        firstName: 'Hélène',
        lastName: 'Dupré',
        jobTitle: 'Officière d’état civil',
        phoneExtension: '204',
        email: 'helene.dupre@example.org',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ availability: 'available', serviceId: service.body.id, version: 1 });
      const id = created.body.id as string;

      const away = await request(t.url)
        .patch(`/api/v1/staff/${id}`)
        .set(bearer(tokens.supervisor))
        .send({ availability: 'away', availabilityNote: 'De retour à 14 h' });
      expect(away.body).toMatchObject({ availability: 'away', availabilityNote: 'De retour à 14 h', version: 2 });
      expect((await request(t.url).patch(`/api/v1/staff/${id}`).set(bearer(tokens.supervisor)).send({ availability: 'gone' })).status).toBe(400);
      expect((await request(t.url).patch(`/api/v1/staff/${id}`).set(bearer(tokens.supervisor)).send({ lastName: null })).status).toBe(400);

      const byService = await request(t.url).get(`/api/v1/staff?serviceId=${service.body.id}&availability=away`).set(bearer(tokens.agent));
      expect(byService.body).toEqual({ items: [expect.objectContaining({ id })], total: 1 });
      const search = await request(t.url).get('/api/v1/staff?q=helene%20DUPRE').set(bearer(tokens.agent));
      expect(search.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
      const byTitle = await request(t.url).get('/api/v1/staff?q=officiere').set(bearer(tokens.agent));
      expect(byTitle.body.items.map((s: { id: string }) => s.id)).toContain(id);

      // Removing the service keeps the person in the site, without a service.
      await request(t.url).delete(`/api/v1/services/${service.body.id}`).set(bearer(tokens.supervisor));
      expect((await request(t.url).get(`/api/v1/staff/${id}`).set(bearer(tokens.agent))).body.serviceId).toBeNull();
      expect((await request(t.url).delete(`/api/v1/staff/${id}`).set(bearer(tokens.supervisor))).status).toBe(204);
    });

    it('manages partners, whose unknown hours give an unknown opening', async () => {
      const created = await post('partners', tokens.supervisor, {
        siteId: siteA,
        name: 'France Travail Bordeaux',
        description: 'Inscription, indemnisation, accompagnement vers l’emploi',
        keywords: ['chômage', 'emploi'],
        phone: '3949',
        website: 'https://www.francetravail.fr',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ openingHours: null, openNow: null, nextOpeningAt: null });
      const id = created.body.id as string;

      const patched = await request(t.url)
        .patch(`/api/v1/partners/${id}`)
        .set(bearer(tokens.supervisor))
        .send({ openingHours: { mon: [{ open: '00:00', close: '24:00' }] }, website: 'ftp://nope' });
      expect(patched.status).toBe(400);
      expect(fields(patched.body)).toEqual(['website']);
      const allWeek = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]));
      const open = await request(t.url).patch(`/api/v1/partners/${id}`).set(bearer(tokens.supervisor)).send({ openingHours: allWeek });
      expect(open.body).toMatchObject({ openNow: true, version: 2 });

      const duplicate = await post('partners', tokens.supervisor, { siteId: siteA, name: 'FRANCE TRAVAIL BORDEAUX' });
      expect(duplicate.status).toBe(409);
    });
  });

  describe('search', () => {
    let etatCivil: string;
    let caf: string;

    beforeAll(async () => {
      etatCivil = (
        await post('services', tokens.supervisor, {
          siteId: siteA,
          name: 'État civil',
          description: 'Actes de naissance, mariage, décès',
          keywords: ['livret de famille'],
        })
      ).body.id;
      await post('services', tokens.supervisor, { siteId: siteA, name: 'Élections', description: 'Inscription sur les listes électorales' });
      caf = (
        await post('partners', tokens.supervisor, {
          siteId: siteA,
          name: 'CAF de la Gironde',
          description: 'Allocations familiales, aides au logement, RSA',
        })
      ).body.id;
      // The same name in another site never shows up.
      await post('services', tokens.supervisorB, { siteId: siteB, name: 'État civil' });
    });

    const search = async (path: string, q: string): Promise<string[]> => {
      const res = await request(t.url).get(`/api/v1/${path}`).query({ q }).set(bearer(tokens.agent));
      expect(res.status).toBe(200);
      return res.body.items.map((item: { id: string }) => item.id);
    };

    it('ignores accents and case, and needs every word', async () => {
      expect(await search('services', 'etat civil')).toEqual([etatCivil]);
      expect(await search('services', 'ÉTAT')).toEqual([etatCivil]);
      expect(await search('services', 'deces')).toEqual([etatCivil]);
      expect(await search('services', 'livret famille')).toEqual([etatCivil]);
      expect(await search('services', 'etat mariage permis')).toEqual([]);
      expect(await search('partners', 'CAF')).toEqual([caf]);
      expect(await search('partners', 'logement')).toEqual([caf]);
    });

    it('treats LIKE wildcards as plain characters', async () => {
      expect(await search('services', '%')).toEqual([]);
      expect(await search('services', '_')).toEqual([]);
    });

    it('pages results and caps the page size', async () => {
      const page = await request(t.url).get('/api/v1/services?limit=1&page=2').set(bearer(tokens.agent));
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThan(1);
      const tooBig = await request(t.url).get('/api/v1/services?limit=500').set(bearer(tokens.agent));
      expect(tooBig.status).toBe(400);
      expect(fields(tooBig.body)).toEqual(['limit']);
      const tooFar = await request(t.url).get('/api/v1/services?page=1e300').set(bearer(tokens.agent));
      expect(tooFar.status).toBe(400);
      expect(fields(tooFar.body)).toEqual(['page']);
    });
  });
});
