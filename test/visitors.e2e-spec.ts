import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { connectLive } from '@guichet/testing/live-client';

describe('visitors', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let agentToken: string;
  let supervisorToken: string;
  let bothSitesToken: string;
  let agentBToken: string;

  const api = () => request(t.url);
  const as = (token: string) => ({
    get: (path: string) => api().get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string) => api().post(path).set('Authorization', `Bearer ${token}`),
    patch: (path: string) => api().patch(path).set('Authorization', `Bearer ${token}`),
    delete: (path: string) => api().delete(path).set('Authorization', `Bearer ${token}`),
  });
  const agent = () => as(agentToken);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const countVisitors = () => count(`SELECT count(*) AS n FROM visitors`);
  const fields = (res: request.Response) => [...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort();
  const create = async (body: Record<string, unknown>, token = agentToken) => {
    const res = await as(token).post('/api/v1/visitors').send({ siteId: siteA, ...body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; duplicates: { id: string; reasons: string[]; score: number }[] } & Record<string, unknown>;
  };
  const search = async (term: string, extra: Record<string, unknown> = {}) => {
    const res = await agent().get('/api/v1/visitors').query({ search: term, ...extra });
    expect(res.status).toBe(200);
    return res.body as { items: { id: string; displayName: string; score: number }[]; total: number };
  };
  const insertRequest = async (visitorId: string, siteId = siteA) =>
    ((await t.dataSource.query(`INSERT INTO requests (site_id, visitor_id, channel, subject) VALUES ($1, $2, 'desk', 'Renseignement') RETURNING id`, [
      siteId,
      visitorId,
    ])) as { id: string }[])[0].id;

  beforeAll(async () => {
    t = await startTestApp();
    siteA = await createSite(t.dataSource);
    siteB = await createSite(t.dataSource);
    agentToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteA]))).accessToken;
    supervisorToken = (await login(t.url, await createUser(t.dataSource, 'supervisor', [siteA]))).accessToken;
    bothSitesToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteA, siteB]))).accessToken;
    agentBToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteB]))).accessToken;
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('records an anonymous walk-in with the defaults, its audit entry and its live event', async () => {
      const visitor = await create({});
      expect(visitor).toMatchObject({
        siteId: siteA,
        type: 'citizen',
        anonymous: true,
        displayName: `#${visitor.id.slice(0, 8)}`,
        needs: [],
        consent: { given: false, at: null, purposes: [] },
        mergedIntoId: null,
        version: 1,
        duplicates: [],
      });
      const inThreeYears = new Date();
      inThreeYears.setUTCFullYear(inThreeYears.getUTCFullYear() + 3);
      expect(visitor.retentionUntil).toBe(inThreeYears.toISOString().slice(0, 10));
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'visitor' AND entity_id = $1 AND action = 'create'`, [visitor.id])).toBe(1);
      expect(
        await count(`SELECT count(*) AS n FROM live_events WHERE site_id = $1 AND type = 'visitor.created' AND data->>'visitorId' = $2`, [
          siteA,
          visitor.id,
        ]),
      ).toBe(1);
    });

    it('normalises the phone, stamps the consent and answers the needs as badges', async () => {
      const visitor = await create({
        type: 'client',
        firstName: ' Amélie ',
        lastName: 'Poulain',
        phone: '06 98 76 54 32',
        email: 'amelie@exemple.fr',
        address: { street: '15 rue des Trois Frères', postalCode: '75018', city: 'Paris', country: 'fr' },
        preferredLanguage: 'fr',
        needs: ['reduced_mobility', 'other'],
        needsOther: 'chien d’assistance',
        consent: { given: true, purposes: ['contact'] },
        notes: 'Vient pour sa carte grise',
      });
      expect(visitor).toMatchObject({
        displayName: 'Amélie Poulain',
        anonymous: false,
        phone: '+33698765432',
        address: { country: 'FR' },
        needs: ['reduced_mobility', 'other'],
        consent: { given: true, purposes: ['contact'] },
      });
      expect(Date.parse((visitor.consent as { at: string }).at)).not.toBeNaN();
      const fetched = await agent().get(`/api/v1/visitors/${visitor.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: visitor.id, phone: '+33698765432', firstName: 'Amélie' });
      // Personal values never reach the audit trail, only the fact that they were set.
      const [entry] = (await t.dataSource.query(`SELECT changes FROM audit_entries WHERE entity = 'visitor' AND entity_id = $1`, [visitor.id])) as {
        changes: Record<string, { to?: unknown }>;
      }[];
      expect(entry.changes.lastName).toEqual({ to: '[personal]' });
      expect(entry.changes.type).toEqual({ to: 'client' });
      expect(JSON.stringify(entry.changes)).not.toMatch(/Poulain|98765432/);
    });

    it('answers 400 listing every bad field and writes nothing', async () => {
      const before = await countVisitors();
      const res = await agent()
        .post('/api/v1/visitors')
        .send({ siteId: siteA, type: 'tourist', phone: '06 12', email: 'not-an-email', needs: ['teleportation'], preferredLanguage: 'french', colour: 'blue' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fields(res)).toEqual(['colour', 'email', 'needs', 'phone', 'preferredLanguage', 'type']);
      const other = await agent().post('/api/v1/visitors').send({ siteId: siteA, needs: ['other'] });
      expect(other.status).toBe(400);
      expect(fields(other)).toEqual(['needsOther']);
      const consent = await agent().post('/api/v1/visitors').send({ siteId: siteA, consent: { given: true } });
      expect(fields(consent)).toEqual(['consent.purposes']);
      expect(await countVisitors()).toBe(before);
    });

    it('creates only in the caller’s sites and hides other sites’ visitors (404)', async () => {
      const before = await countVisitors();
      expect((await agent().post('/api/v1/visitors').send({ siteId: siteB, firstName: 'Intrus' })).status).toBe(404);
      expect(await countVisitors()).toBe(before);
      const foreign = await create({ siteId: siteB, firstName: 'Étranger' }, agentBToken);
      expect((await agent().get(`/api/v1/visitors/${foreign.id}`)).status).toBe(404);
      expect((await agent().patch(`/api/v1/visitors/${foreign.id}`).send({ firstName: 'Pirate' })).status).toBe(404);
      expect((await as(supervisorToken).delete(`/api/v1/visitors/${foreign.id}`)).status).toBe(404);
      expect((await agent().post(`/api/v1/visitors/${foreign.id}/merge`).send({ sourceVisitorId: foreign.id })).status).toBe(400);
      expect((await agent().get('/api/v1/visitors').query({ siteId: siteB })).status).toBe(404);
      const list = await agent().get('/api/v1/visitors').query({ limit: 200 });
      expect((list.body.items as { id: string }[]).map((v) => v.id)).not.toContain(foreign.id);
    });

    it('rejects ids that are not uuids v4 (400)', async () => {
      const res = await agent().get('/api/v1/visitors/not-a-uuid');
      expect(res.status).toBe(400);
    });

    it('filters by type and need', async () => {
      const supplier = await create({ type: 'supplier', lastName: `Fournisseur ${uniqueSuffix()}`, needs: ['hearing'] });
      const byType = await agent().get('/api/v1/visitors').query({ type: 'supplier', limit: 200 });
      expect((byType.body.items as { id: string; type: string }[]).every((v) => v.type === 'supplier')).toBe(true);
      expect((byType.body.items as { id: string }[]).map((v) => v.id)).toContain(supplier.id);
      const byNeed = await agent().get('/api/v1/visitors').query({ need: 'hearing', limit: 200 });
      expect((byNeed.body.items as { needs: string[] }[]).every((v) => v.needs.includes('hearing'))).toBe(true);
      expect(byNeed.body.total).toBeGreaterThanOrEqual(1);
    });
  });

  describe('search', () => {
    let heloise: string;

    beforeAll(async () => {
      heloise = (await create({ firstName: 'Héloïse', lastName: 'Dupré', phone: '+33 6 12 34 56 78', email: 'Heloise.Dupre@Exemple.fr' })).id;
      for (const [firstName, lastName] of [
        ['Héloïse', 'Durand'],
        ['Louise', 'Dupont'],
        ['Éloi', 'Dupuis'],
        ['Marie', 'Dupré'],
      ]) {
        await create({ firstName, lastName });
      }
      await create({ siteId: siteB, firstName: 'Héloïse', lastName: 'Dupré' }, agentBToken);
    });

    it('finds "Héloïse Dupré" first from an accent-less name, ranked with a score', async () => {
      const found = await search('heloise dupre');
      expect(found.items[0]).toMatchObject({ id: heloise, displayName: 'Héloïse Dupré' });
      expect(found.items[0].score).toBeGreaterThan(0.9);
      const scores = found.items.map((v) => v.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // Only the caller's site: the namesake of site B never shows.
      expect(found.items.filter((v) => v.displayName === 'Héloïse Dupré')).toHaveLength(1);
    });

    it('finds her from a misspelt or partial name, and through the q alias', async () => {
      expect((await search('eloise dupre')).items[0].id).toBe(heloise);
      expect((await search('Héloise Duprez')).items[0].id).toBe(heloise);
      expect((await search('dupr')).items.map((v) => v.id)).toContain(heloise);
      const alias = await agent().get('/api/v1/visitors').query({ q: 'HELOISE DUPRE' });
      expect(alias.body.items[0].id).toBe(heloise);
    });

    it.each(['06 12 34 56 78', '+33612345678', '0612345678', '+33 6 12 34 56 78'])('finds the same visitor from the phone %s', async (phone) => {
      const found = await search(phone);
      expect(found.items.map((v) => v.id)).toEqual([heloise]);
      expect(found.total).toBe(1);
      expect(found.items[0].score).toBe(1);
    });

    it('finds her from the e-mail whatever its case, and nobody from a broken phone', async () => {
      expect((await search('heloise.dupre@exemple.FR')).items.map((v) => v.id)).toEqual([heloise]);
      expect(await search('06 12')).toEqual({ items: [], total: 0 });
    });

    it('pages the results with a total', async () => {
      const page1 = await search('dupr', { limit: 1, page: 1 });
      const page2 = await search('dupr', { limit: 1, page: 2 });
      expect(page1.total).toBeGreaterThanOrEqual(2);
      expect(page2.total).toBe(page1.total);
      expect(page2.items[0].id).not.toBe(page1.items[0].id);
      const beyond = await search('dupr', { limit: 1, page: 500 });
      expect(beyond).toEqual({ items: [], total: page1.total });
    });

    it('suggests duplicates when creating, and still creates', async () => {
      const before = await countVisitors();
      const twin = await create({ firstName: 'Heloise', lastName: 'Dupre', phone: '0612345678' });
      expect(await countVisitors()).toBe(before + 1);
      const suggestion = twin.duplicates.find((d) => d.id === heloise);
      expect(suggestion).toMatchObject({ displayName: 'Héloïse Dupré', reasons: ['same_phone', 'similar_name'] });
      expect(twin.duplicates[0].id).toBe(heloise);
      expect(suggestion!.score).toBe(1);
      expect(twin.duplicates.map((d) => d.id)).not.toContain(twin.id);
    });

    it('lists duplicate candidates before creating', async () => {
      const res = await agent()
        .get('/api/v1/visitors/duplicates')
        .query({ siteId: siteA, firstName: 'heloise', lastName: 'dupre', email: 'HELOISE.DUPRE@exemple.fr' });
      expect(res.status).toBe(200);
      expect(res.body[0]).toMatchObject({ id: heloise, reasons: ['same_email', 'similar_name'] });
      const badPhone = await agent().get('/api/v1/visitors/duplicates').query({ siteId: siteA, phone: '12' });
      expect(badPhone.status).toBe(400);
      expect(fields(badPhone)).toEqual(['phone']);
      expect((await agent().get('/api/v1/visitors/duplicates').query({ siteId: siteB, lastName: 'Dupré' })).status).toBe(404);
      expect((await agent().get('/api/v1/visitors/duplicates').query({ lastName: 'Dupré' })).status).toBe(400);
    });
  });

  describe('update', () => {
    it('completes an anonymous walk-in and detects stale writes (If-Match or version)', async () => {
      const walkIn = await create({});
      const completed = await agent()
        .patch(`/api/v1/visitors/${walkIn.id}`)
        .set('If-Match', '"1"')
        .send({ firstName: 'Jules', lastName: 'Verne', phone: '02 40 00 00 00' });
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({ anonymous: false, displayName: 'Jules Verne', phone: '+33240000000', version: 2 });
      const stale = await agent().patch(`/api/v1/visitors/${walkIn.id}`).set('If-Match', '"1"').send({ notes: 'trop tard' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      const staleBody = await agent().patch(`/api/v1/visitors/${walkIn.id}`).send({ notes: 'trop tard', version: 1 });
      expect(staleBody.status).toBe(409);
      const [row] = (await t.dataSource.query(`SELECT notes, version FROM visitors WHERE id = $1`, [walkIn.id])) as { notes: string | null; version: number }[];
      expect(row).toEqual({ notes: null, version: 2 });
      const events = (await t.dataSource.query(`SELECT data FROM live_events WHERE type = 'visitor.updated' AND data->>'visitorId' = $1`, [walkIn.id])) as {
        data: { fields: string[] };
      }[];
      expect(events[0].data.fields.sort()).toEqual(['firstName', 'lastName', 'phone']);
    });

    it('clears fields sent as null and refuses a bad phone without writing', async () => {
      const visitor = await create({ firstName: 'Claire', email: 'claire@exemple.fr' });
      const cleared = await agent().patch(`/api/v1/visitors/${visitor.id}`).send({ email: null });
      expect(cleared.body).toMatchObject({ email: null, firstName: 'Claire' });
      const bad = await agent().patch(`/api/v1/visitors/${visitor.id}`).send({ phone: '0000', type: null });
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['phone', 'type']);
      expect((await agent().get(`/api/v1/visitors/${visitor.id}`)).body.version).toBe(2);
    });
  });

  describe('merge', () => {
    it('moves the whole history to the target, fills its blanks and announces it live', async () => {
      const target = await create({ firstName: 'Héloïse', lastName: 'Martin', needs: ['hearing'], consent: { given: true, purposes: ['contact'] } });
      const source = await create({
        firstName: 'Eloise',
        lastName: 'Martin',
        email: 'eloise.martin@exemple.fr',
        needs: ['reduced_mobility'],
        consent: { given: true, purposes: ['survey'] },
      });
      const older = await create({ lastName: 'Ancien' });
      // An earlier merge into the source: its tombstone must follow to the target.
      const old = await agent().post(`/api/v1/visitors/${source.id}/merge`).send({ sourceVisitorId: older.id });
      expect(old.status).toBe(200);
      const sourceVersion = (await agent().get(`/api/v1/visitors/${source.id}`)).body.version as number;

      const targetRequest = await insertRequest(target.id);
      const sourceRequests = [await insertRequest(source.id), await insertRequest(source.id)];
      await t.dataSource.query(
        `INSERT INTO phone_calls (site_id, visitor_id, direction, number, started_at, outcome) VALUES ($1, $2, 'inbound', '+33612345678', now(), 'answered')`,
        [siteA, source.id],
      );
      const [service] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteA, `Accueil ${uniqueSuffix()}`])) as {
        id: string;
      }[];
      const [queue] = (await t.dataSource.query(`INSERT INTO queues (site_id, service_id, name, prefix) VALUES ($1, $2, 'Accueil', 'M') RETURNING id`, [
        siteA,
        service.id,
      ])) as { id: string }[];
      await t.dataSource.query(
        `INSERT INTO tickets (site_id, queue_id, business_day, seq_number, number, channel, visitor_id, priority_class, arrived_at, queued_at, sort_key, public_token)
         VALUES ($1, $2, current_date, 1, 'M001', 'desk', $3, 'standard', now(), now(), now(), $4)`,
        [siteA, queue.id, source.id, `tok-${uniqueSuffix()}`],
      );
      await t.dataSource.query(
        `INSERT INTO appointments (site_id, queue_id, visitor_id, contact_name, starts_at, ends_at, check_in_code, channel, booked_by)
         VALUES ($1, $2, $3, 'Eloise Martin', now() + interval '1 day', now() + interval '1 day 15 minutes', $4, 'desk', 'test')`,
        [siteA, queue.id, source.id, uniqueSuffix()],
      );

      // The back-office records that name a visitor follow too.
      await t.dataSource.query(`INSERT INTO incidents (site_id, severity, visitor_id) VALUES ($1, 'tension', $2)`, [siteA, source.id]);
      await t.dataSource.query(
        `INSERT INTO callbacks (site_id, visitor_id, contact_name, phone, subject, owner_service_id) VALUES ($1, $2, 'Eloise Martin', '+33612345678', 'Dossier', $3)`,
        [siteA, source.id, service.id],
      );

      const live = await connectLive(t.url, { token: agentToken });
      const ack = (await live.socket.emitWithAck('subscribe', { siteId: siteA })) as { ok: boolean };
      expect(ack.ok).toBe(true);
      const res = await agent().post(`/api/v1/visitors/${target.id}/merge`).set('If-Match', `"${target.version}"`).send({ sourceVisitorId: source.id });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: target.id,
        firstName: 'Héloïse',
        email: 'eloise.martin@exemple.fr',
        needs: ['reduced_mobility', 'hearing'],
        consent: { given: true, purposes: ['contact', 'survey'] },
        moved: { requests: 2, phoneCalls: 1, tickets: 1, appointments: 1, incidents: 1, callbacks: 1, complaints: 0, surveyResponses: 0 },
        version: target.version + 1,
      });
      await live.waitFor((events) => events.some((e) => e.name === 'visitor.merged'));
      expect(live.events.find((e) => e.name === 'visitor.merged')!.body).toMatchObject({
        siteId: siteA,
        visitorId: target.id,
        mergedVisitorId: source.id,
        seq: expect.any(Number),
      });
      live.close();

      const requests = (await t.dataSource.query(`SELECT id FROM requests WHERE visitor_id = $1 ORDER BY id`, [target.id])) as { id: string }[];
      expect(requests.map((r) => r.id).sort()).toEqual([targetRequest, ...sourceRequests].sort());
      for (const table of ['phone_calls', 'tickets', 'appointments']) {
        expect(await count(`SELECT count(*) AS n FROM ${table} WHERE visitor_id = $1`, [source.id])).toBe(0);
        expect(await count(`SELECT count(*) AS n FROM ${table} WHERE visitor_id = $1`, [target.id])).toBe(1);
      }
      const tombstone = await agent().get(`/api/v1/visitors/${source.id}`);
      expect(tombstone.status).toBe(200);
      expect(tombstone.body).toMatchObject({ mergedIntoId: target.id, version: sourceVersion + 1 });
      expect((await agent().get(`/api/v1/visitors/${older.id}`)).body.mergedIntoId).toBe(target.id);
      const listed = (await search('eloise martin')).items.map((v) => v.id);
      expect(listed).toContain(target.id);
      expect(listed).not.toContain(source.id);
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1 AND action = 'update' AND changes ? 'mergedVisitorId'`, [target.id])).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1 AND changes ? 'mergedIntoId'`, [source.id])).toBe(1);

      // A tombstone is read-only and cannot be merged again.
      const edit = await agent().patch(`/api/v1/visitors/${source.id}`).send({ notes: 'x' });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('visitor_merged');
      const again = await agent().post(`/api/v1/visitors/${target.id}/merge`).send({ sourceVisitorId: source.id });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('visitor_merged');
    });

    it('refuses a merge into itself, across sites or on a stale version, and writes nothing', async () => {
      const visitor = await create({ lastName: `Seul ${uniqueSuffix()}` });
      await insertRequest(visitor.id);
      const foreign = await create({ siteId: siteB, lastName: 'Ailleurs' }, agentBToken);
      const other = await create({ lastName: `Autre ${uniqueSuffix()}` });
      const audits = () => count(`SELECT count(*) AS n FROM audit_entries WHERE entity_id = ANY($1)`, [[visitor.id, foreign.id, other.id]]);
      const before = await audits();

      const self = await agent().post(`/api/v1/visitors/${visitor.id}/merge`).send({ sourceVisitorId: visitor.id });
      expect(self.status).toBe(400);
      expect(fields(self)).toEqual(['sourceVisitorId']);
      expect((await agent().post(`/api/v1/visitors/${visitor.id}/merge`).send({ sourceVisitorId: foreign.id })).status).toBe(404);
      const crossSite = await as(bothSitesToken).post(`/api/v1/visitors/${visitor.id}/merge`).send({ sourceVisitorId: foreign.id });
      expect(crossSite.status).toBe(422);
      expect(crossSite.body.code).toBe('different_sites');
      const stale = await agent().post(`/api/v1/visitors/${other.id}/merge`).set('If-Match', '"7"').send({ sourceVisitorId: visitor.id });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      expect((await agent().post(`/api/v1/visitors/${visitor.id}/merge`).send({ sourceVisitorId: 'nope' })).status).toBe(400);

      expect(await audits()).toBe(before);
      expect(await count(`SELECT count(*) AS n FROM requests WHERE visitor_id = $1`, [visitor.id])).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM visitors WHERE id = ANY($1) AND (merged_into_id IS NOT NULL OR version <> 1)`, [[visitor.id, foreign.id, other.id]])).toBe(0);
    });
  });

  describe('erasure (GDPR)', () => {
    it('is for supervisors and admins only', async () => {
      const visitor = await create({ firstName: 'Protégé' });
      const res = await agent().delete(`/api/v1/visitors/${visitor.id}`);
      expect(res.status).toBe(403);
      expect((await agent().get(`/api/v1/visitors/${visitor.id}`)).status).toBe(200);
    });

    it('deletes a visitor without history', async () => {
      const visitor = await create({ firstName: 'Éphémère', phone: '0611111111' });
      const res = await as(supervisorToken).delete(`/api/v1/visitors/${visitor.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: visitor.id, outcome: 'deleted' });
      expect((await agent().get(`/api/v1/visitors/${visitor.id}`)).status).toBe(404);
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity_id = $1 AND action = 'delete'`, [visitor.id])).toBe(1);
    });

    it('anonymises a visitor with history, and the visitors merged into it, keeping the requests', async () => {
      const visitor = await create({ firstName: 'Oublié', lastName: 'Durable', phone: '0622222222', notes: 'secret', needs: ['other'], needsOther: 'x' });
      const requestId = await insertRequest(visitor.id);
      const duplicate = await create({ firstName: 'Oublie', email: 'oublie@exemple.fr' });
      expect((await agent().post(`/api/v1/visitors/${visitor.id}/merge`).send({ sourceVisitorId: duplicate.id })).status).toBe(200);
      const res = await as(supervisorToken).delete(`/api/v1/visitors/${visitor.id}`);
      expect(res.body).toEqual({ id: visitor.id, outcome: 'anonymised' });
      const after = await agent().get(`/api/v1/visitors/${visitor.id}`);
      expect(after.body).toMatchObject({
        anonymous: true,
        firstName: null,
        lastName: null,
        phone: null,
        email: null,
        notes: null,
        needsOther: null,
        needs: [],
        consent: { given: false },
      });
      const [tomb] = (await t.dataSource.query(`SELECT first_name, email, merged_into_id FROM visitors WHERE id = $1`, [duplicate.id])) as {
        first_name: string | null;
        email: string | null;
        merged_into_id: string;
      }[];
      expect(tomb).toEqual({ first_name: null, email: null, merged_into_id: visitor.id });
      expect(await count(`SELECT count(*) AS n FROM requests WHERE id = $1 AND visitor_id = $2`, [requestId, visitor.id])).toBe(1);
    });
  });

  describe('API keys', () => {
    it('open reads with visitors:read and writes with visitors:write only', async () => {
      const reader = await createApiKey(t.dataSource, ['visitors:read'], [siteA]);
      const writer = await createApiKey(t.dataSource, ['visitors:write'], [siteA]);
      const stranger = await createApiKey(t.dataSource, ['directory:read'], [siteA]);
      expect((await api().get('/api/v1/visitors').set('X-Api-Key', reader.key)).status).toBe(200);
      expect((await api().post('/api/v1/visitors').set('X-Api-Key', reader.key).send({ siteId: siteA })).status).toBe(403);
      const created = await api().post('/api/v1/visitors').set('X-Api-Key', writer.key).send({ siteId: siteA, lastName: 'Intégration' });
      expect(created.status).toBe(201);
      expect(created.body.createdByUserId).toBeNull();
      expect((await api().get('/api/v1/visitors').set('X-Api-Key', stranger.key)).status).toBe(403);
      expect((await api().delete(`/api/v1/visitors/${created.body.id}`).set('X-Api-Key', writer.key)).status).toBe(403);
    });
  });
});
