import request from 'supertest';
import type { UserPrincipal } from '@guichet/core/identity/principal';
import { LiveEvents } from '@guichet/core/live/live-events.service';
import { RequestsService } from '@guichet/core/requests/requests.service';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, TestUser } from '@guichet/testing/factories';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

describe('requests', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let serviceX: string;
  let serviceY: string;
  let agentX: TestUser;
  let agentY: TestUser;
  let supervisor: TestUser;
  let agentB: TestUser;
  const tokens: Record<string, string> = {};
  let visitorA: string;
  let visitorB: string;
  let readKey: string;
  let writeKey: string;

  const api = () => request(t.url);
  const as = (who: string) => (r: request.Test) => r.set('Authorization', `Bearer ${tokens[who]}`);
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params)) as { n: string }[])[0].n);
  const insert = async (sql: string, params: unknown[]) => ((await t.dataSource.query(sql, params)) as { id: string }[])[0].id;
  const service = (siteId: string, name: string) =>
    insert(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteId, `${name} ${Math.random()}`]);
  const visitor = (siteId: string, firstName: string) =>
    insert(`INSERT INTO visitors (site_id, first_name, last_name) VALUES ($1, $2, 'Test') RETURNING id`, [siteId, firstName]);

  const createRequest = async (who: string, body: Record<string, unknown> = {}) => {
    const res = await as(who)(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'desk', subject: 'Renseignement', ...body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown> & { id: string; version: number };
  };
  const setStatus = (who: string, id: string, body: Record<string, unknown>) => as(who)(api().post(`/api/v1/requests/${id}/status`)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    siteA = await createSite(t.dataSource);
    siteB = await createSite(t.dataSource);
    serviceX = await service(siteA, 'État civil');
    serviceY = await service(siteA, 'Urbanisme');
    agentX = await createUser(t.dataSource, 'agent', [siteA], { serviceId: serviceX });
    agentY = await createUser(t.dataSource, 'agent', [siteA], { serviceId: serviceY });
    supervisor = await createUser(t.dataSource, 'supervisor', [siteA]);
    agentB = await createUser(t.dataSource, 'agent', [siteB]);
    for (const [name, user] of Object.entries({ agentX, agentY, supervisor, agentB })) tokens[name] = (await login(t.url, user)).accessToken;
    visitorA = await visitor(siteA, 'Héloïse');
    visitorB = await visitor(siteB, 'Bastien');
    readKey = (await createApiKey(t.dataSource, ['requests:read'], [siteA])).key;
    writeKey = (await createApiKey(t.dataSource, ['requests:write'], [siteA])).key;
  });
  afterAll(() => t.close());

  describe('categories', () => {
    let root: string;
    let child: string;

    it('lets a supervisor build the site’s tree, listed depth first with each path', async () => {
      const created = await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Famille' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ siteId: siteA, parentId: null, name: 'Famille', path: ['Famille'], active: true });
      root = created.body.id;
      const sub = await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Naissance', parentId: root });
      expect(sub.status).toBe(201);
      expect(sub.body.path).toEqual(['Famille', 'Naissance']);
      child = sub.body.id;
      await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Action sociale' });
      const list = await as('agentX')(api().get('/api/v1/requests/categories').query({ siteId: siteA }));
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { path: string[] }) => c.path.join(' / '))).toEqual(['Action sociale', 'Famille', 'Famille / Naissance']);
      expect(await count('audit_entries', `entity = 'request_category' AND entity_id = $1 AND action = 'create'`, [child])).toBe(1);
    });

    it('refuses agents (403), duplicates (409), foreign parents (422) and cycles (422), writing nothing', async () => {
      const before = await count('request_categories');
      expect((await as('agentX')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'X' })).status).toBe(403);
      const foreignParent = (
        await t.dataSource.query(`INSERT INTO request_categories (site_id, name) VALUES ($1, 'Ailleurs') RETURNING id`, [siteB])
      )[0].id as string;
      const foreign = await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Y', parentId: foreignParent });
      expect(foreign.status).toBe(422);
      expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'parentId' })]);
      const twin = await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'FAMILLE' });
      expect(twin.status).toBe(409);
      const cycle = await as('supervisor')(api().patch(`/api/v1/requests/categories/${root}`)).send({ parentId: child });
      expect(cycle.status).toBe(422);
      expect(cycle.body.code).toBe('category_cycle');
      expect(await count('request_categories')).toBe(before + 1);
      expect((await as('supervisor')(api().get(`/api/v1/requests/categories/${foreignParent}`))).status).toBe(404);
    });

    it('deletes only unused leaves; a used category is deactivated instead', async () => {
      await createRequest('agentX', { categoryId: child });
      const inUse = await as('supervisor')(api().delete(`/api/v1/requests/categories/${child}`));
      expect(inUse.status).toBe(409);
      expect(inUse.body.code).toBe('category_in_use');
      expect((await as('supervisor')(api().delete(`/api/v1/requests/categories/${root}`))).status).toBe(409);
      const off = await as('supervisor')(api().patch(`/api/v1/requests/categories/${child}`)).send({ active: false });
      expect(off.body.active).toBe(false);
      const refused = await as('agentX')(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'desk', subject: 'S', categoryId: child });
      expect(refused.status).toBe(422);
      const leaf = await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Éphémère' });
      expect((await as('supervisor')(api().delete(`/api/v1/requests/categories/${leaf.body.id}`))).status).toBe(204);
      expect(await count('request_categories', 'id = $1', [leaf.body.id])).toBe(0);
    });
  });

  describe('creation', () => {
    let live: RecordingClient;

    beforeAll(async () => {
      live = await connectLive(t.url, { token: tokens.supervisor });
      await live.socket.emitWithAck('subscribe', { siteId: siteA });
    });
    afterAll(() => live.close());

    it('creates a request open, stamped, attributed to the author’s service, audited, on the timeline and live', async () => {
      const res = await as('agentX')(api().post('/api/v1/requests')).send({
        siteId: siteA,
        channel: 'phone',
        subject: 'Acte de naissance',
        visitorId: visitorA,
        notes: 'Appelle pour sa fille',
        reformulation: 'Veut une copie intégrale',
        reformulationConfirmed: true,
        complexity: 'complex',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        siteId: siteA,
        channel: 'phone',
        status: 'open',
        outcome: null,
        visitorId: visitorA,
        notes: 'Appelle pour sa fille',
        reformulationConfirmed: true,
        complexity: 'complex',
        confidentiality: 'normal',
        authorServiceId: serviceX,
        createdByUserId: agentX.id,
        handledByUserId: null,
        inProgressAt: null,
        version: 1,
      });
      expect(Date.parse(res.body.arrivedAt)).not.toBeNaN();
      expect(await count('audit_entries', `entity = 'request' AND entity_id = $1 AND action = 'create' AND site_id = $2`, [res.body.id, siteA])).toBe(1);
      const timeline = await as('agentX')(api().get(`/api/v1/requests/${res.body.id}/timeline`));
      expect(timeline.body.items).toEqual([
        expect.objectContaining({
          type: 'created',
          actor: { type: 'user', id: agentX.id, label: expect.any(String) },
          data: expect.objectContaining({ subject: 'Acte de naissance', notes: 'Appelle pour sa fille', channel: 'phone' }),
        }),
      ]);
      await live.waitFor((events) => events.some((e) => e.name === 'request.created' && e.body.requestId === res.body.id));
      const event = live.events.find((e) => e.name === 'request.created' && e.body.requestId === res.body.id)!.body;
      expect(event).toMatchObject({ siteId: siteA, channel: 'phone', status: 'open', visitorId: visitorA, seq: expect.any(Number) });
      expect(JSON.stringify(event)).not.toContain('Appelle');
    });

    it('answers 400 listing each bad field (unknown channel, missing subject, unknown field) and writes nothing', async () => {
      const before = await count('requests');
      const res = await as('agentX')(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'fax', notes: 3, colour: 'blue' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect([...new Set((res.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual(['channel', 'colour', 'notes', 'subject']);
      expect(await count('requests')).toBe(before);
    });

    it('refuses a visitor or category of another site (422 with the fields) and a site the caller cannot see (404)', async () => {
      const before = await count('requests');
      const foreignCategory = (
        await t.dataSource.query(`INSERT INTO request_categories (site_id, name) VALUES ($1, 'Autre site') RETURNING id`, [siteB])
      )[0].id as string;
      const res = await as('agentX')(api().post('/api/v1/requests')).send({
        siteId: siteA,
        channel: 'desk',
        subject: 'S',
        visitorId: visitorB,
        categoryId: foreignCategory,
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_reference');
      expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['categoryId', 'visitorId']);
      const elsewhere = await as('agentX')(api().post('/api/v1/requests')).send({ siteId: siteB, channel: 'desk', subject: 'S' });
      expect(elsewhere.status).toBe(404);
      expect(await count('requests')).toBe(before);
      expect(await count('live_events', `type = 'request.created' AND site_id = $1`, [siteB])).toBe(0);
    });

    it('honours Idempotency-Key: same body → 201 with the same request, other body → 422', async () => {
      const before = await count('requests');
      const body = { siteId: siteA, channel: 'web', subject: 'Demande en ligne' };
      const key = `req-${Date.now()}`;
      const first = await as('agentX')(api().post('/api/v1/requests')).set('Idempotency-Key', key).send(body);
      const again = await as('agentX')(api().post('/api/v1/requests')).set('Idempotency-Key', key).send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await count('requests')).toBe(before + 1);
      const other = await as('agentX')(api().post('/api/v1/requests')).set('Idempotency-Key', key).send({ ...body, subject: 'Autre' });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency_key_reused');
      expect(await count('requests')).toBe(before + 1);
    });
  });

  describe('lifecycle', () => {
    it('takes, answers, closes and reopens, stamping each step and never moving the arrival', async () => {
      const created = await createRequest('agentX');
      const taken = await setStatus('agentY', created.id, { status: 'in_progress' });
      expect(taken.status).toBe(200);
      expect(taken.body).toMatchObject({ status: 'in_progress', handledByUserId: agentY.id, version: 2 });
      expect(taken.body.inProgressAt).toEqual(expect.any(String));

      const noOutcome = await setStatus('agentY', created.id, { status: 'answered' });
      expect(noOutcome.status).toBe(400);
      expect(noOutcome.body.errors).toEqual([expect.objectContaining({ field: 'outcome' })]);

      const answered = await setStatus('agentY', created.id, { status: 'answered', outcome: 'advice' });
      expect(answered.body).toMatchObject({ status: 'answered', outcome: 'advice' });
      expect(answered.body.answeredAt).toEqual(expect.any(String));

      const viaStatus = await setStatus('agentY', created.id, { status: 'transferred' });
      expect(viaStatus.status).toBe(422);
      expect(viaStatus.body.code).toBe('transfer_required');

      const closed = await setStatus('agentY', created.id, { status: 'closed' });
      expect(closed.body).toMatchObject({ status: 'closed', outcome: 'advice' });
      const reopened = await setStatus('agentX', created.id, { status: 'in_progress' });
      expect(reopened.body).toMatchObject({ status: 'in_progress', outcome: null, handledByUserId: agentX.id });
      expect(reopened.body.reopenedAt).toEqual(expect.any(String));
      expect(reopened.body.inProgressAt).toBe(taken.body.inProgressAt);
      expect(reopened.body.arrivedAt).toBe(created.arrivedAt);

      const timeline = await as('agentX')(api().get(`/api/v1/requests/${created.id}/timeline`));
      const steps = (timeline.body.items as { type: string; data: { from: string; to: string } }[])
        .filter((e) => e.type === 'status_changed')
        .map((e) => `${e.data.from}→${e.data.to}`);
      expect(steps).toEqual(['open→in_progress', 'in_progress→answered', 'answered→closed', 'closed→in_progress']);
      expect(await count('audit_entries', `entity = 'request' AND entity_id = $1 AND action = 'update'`, [created.id])).toBe(4);
    });

    it('refuses illegal moves with 422 invalid_transition and changes nothing', async () => {
      const created = await createRequest('agentX');
      for (const body of [{ status: 'answered', outcome: 'information' }, { status: 'oriented' }, { status: 'open' }]) {
        const res = await setStatus('agentX', created.id, body);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('invalid_transition');
      }
      const after = await as('agentX')(api().get(`/api/v1/requests/${created.id}`));
      expect(after.body).toMatchObject({ status: 'open', version: 1 });
      expect(await count('request_events', 'request_id = $1', [created.id])).toBe(1);
    });

    it('lets an abandoned request be closed straight from open', async () => {
      const created = await createRequest('agentX');
      expect((await setStatus('agentX', created.id, { status: 'closed' })).body).toMatchObject({ status: 'closed', inProgressAt: null });
    });
  });

  describe('editing', () => {
    it('edits fields with If-Match or a body version, refuses a stale one with 409, and skips no-ops', async () => {
      const created = await createRequest('agentX', { subject: 'Avant' });
      const ok = await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).set('If-Match', '"1"').send({ subject: 'Après', complexity: 'complex' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ subject: 'Après', complexity: 'complex', version: 2 });
      const stale = await as('agentY')(api().patch(`/api/v1/requests/${created.id}`)).set('If-Match', '"1"').send({ subject: 'Perdu' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      const staleBody = await as('agentY')(api().patch(`/api/v1/requests/${created.id}`)).send({ subject: 'Perdu', version: 1 });
      expect(staleBody.status).toBe(409);
      const same = await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).send({ subject: 'Après', version: 2 });
      expect(same.body.version).toBe(2);
      const row = await as('agentX')(api().get(`/api/v1/requests/${created.id}`));
      expect(row.body).toMatchObject({ subject: 'Après', version: 2 });
      const timeline = await as('agentX')(api().get(`/api/v1/requests/${created.id}/timeline`));
      expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'updated']);
      expect(timeline.body.items[1].data.changes).toEqual({
        subject: { from: 'Avant', to: 'Après' },
        complexity: { from: 'simple', to: 'complex' },
      });
    });

    it('reassigns to a user of the site only, and refuses a null subject (400)', async () => {
      const created = await createRequest('agentX');
      const moved = await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).send({ handledByUserId: agentY.id });
      expect(moved.body.handledByUserId).toBe(agentY.id);
      const foreign = await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).send({ handledByUserId: agentB.id });
      expect(foreign.status).toBe(422);
      expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'handledByUserId' })]);
      const nullSubject = await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).send({ subject: null });
      expect(nullSubject.status).toBe(400);
    });
  });

  describe('confidentiality', () => {
    let secret: { id: string };

    beforeAll(async () => {
      secret = await createRequest('agentX', {
        subject: 'Situation familiale',
        confidentiality: 'confidential',
        notes: 'Ne pas contacter au domicile',
        reformulation: 'Cherche un hébergement',
      });
      await as('agentX')(api().patch(`/api/v1/requests/${secret.id}`)).send({ notes: 'Ne jamais contacter au domicile' });
    });

    it('shows the notes to a supervisor and the author’s service, and hides them (absent) from an agent of another service', async () => {
      const bySupervisor = await as('supervisor')(api().get(`/api/v1/requests/${secret.id}`));
      expect(bySupervisor.body).toMatchObject({ notes: 'Ne jamais contacter au domicile', reformulation: 'Cherche un hébergement' });
      const byAuthorService = await as('agentX')(api().get(`/api/v1/requests/${secret.id}`));
      expect(byAuthorService.body.notes).toBe('Ne jamais contacter au domicile');
      const byOtherService = await as('agentY')(api().get(`/api/v1/requests/${secret.id}`));
      expect(byOtherService.status).toBe(200);
      expect(byOtherService.body.subject).toBe('Situation familiale');
      expect('notes' in byOtherService.body).toBe(false);
      expect('reformulation' in byOtherService.body).toBe(false);
      expect(byOtherService.text).not.toMatch(/domicile|hébergement/);
    });

    it('hides them in lists, in the timeline and from API keys', async () => {
      const list = await as('agentY')(api().get('/api/v1/requests').query({ siteId: siteA, q: 'situation familiale' }));
      expect(list.body.items.map((r: { id: string }) => r.id)).toContain(secret.id);
      expect(list.text).not.toMatch(/domicile|hébergement/);
      const timeline = await as('agentY')(api().get(`/api/v1/requests/${secret.id}/timeline`));
      expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'updated']);
      expect(timeline.text).not.toMatch(/domicile|hébergement/);
      const byKey = await api().get(`/api/v1/requests/${secret.id}`).set('X-Api-Key', readKey);
      expect(byKey.status).toBe(200);
      expect('notes' in byKey.body).toBe(false);
      const supervisorTimeline = await as('supervisor')(api().get(`/api/v1/requests/${secret.id}/timeline`));
      expect(supervisorTimeline.body.items[1].data.changes.notes).toEqual({ from: 'Ne pas contacter au domicile', to: 'Ne jamais contacter au domicile' });
    });

    it('refuses notes edits and lifting confidentiality by those who may not read them (403), writing nothing', async () => {
      for (const body of [{ notes: 'écrasé' }, { confidentiality: 'normal' }, { reformulation: null }]) {
        const res = await as('agentY')(api().patch(`/api/v1/requests/${secret.id}`)).send(body);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('confidential_fields');
      }
      const editable = await as('agentY')(api().patch(`/api/v1/requests/${secret.id}`)).send({ complexity: 'complex' });
      expect(editable.status).toBe(200);
      expect('notes' in editable.body).toBe(false);
      expect((await as('supervisor')(api().get(`/api/v1/requests/${secret.id}`))).body).toMatchObject({
        notes: 'Ne jamais contacter au domicile',
        confidentiality: 'confidential',
      });
    });

    it('lets other domains append to the timeline, with the same protection and without bumping the version', async () => {
      const created = await createRequest('agentX', { confidentiality: 'confidential' });
      const author: UserPrincipal = { kind: 'user', id: agentX.id, label: 'agent X', role: 'agent', serviceId: serviceX, siteIds: [siteA], sessionId: 's' };
      const requests = t.app.get(RequestsService);
      await t.app
        .get(LiveEvents)
        .transaction((manager, emit) => requests.appendEvent({ manager, emit }, author, created.id, 'email_received', { from: 'a@b.fr', notes: 'Corps privé' }));
      const last = async (who: string) => {
        const res = await as(who)(api().get(`/api/v1/requests/${created.id}/timeline`));
        return res.body.items[res.body.items.length - 1] as { type: string; data: Record<string, unknown> };
      };
      expect(await last('supervisor')).toMatchObject({ type: 'email_received', data: { from: 'a@b.fr', notes: 'Corps privé' } });
      expect((await last('agentY')).data).toEqual({ from: 'a@b.fr' });
      expect((await as('agentX')(api().get(`/api/v1/requests/${created.id}`))).body.version).toBe(1);
      expect(await count('live_events', `type = 'request.updated' AND data->>'requestId' = $1 AND data->'fields' = '["timeline"]'`, [created.id])).toBe(1);
    });

    it('keeps confidential text out of the audit log and live events', async () => {
      const entries = (await t.dataSource.query(`SELECT changes FROM audit_entries WHERE entity = 'request' AND entity_id = $1`, [secret.id])) as {
        changes: Record<string, unknown>;
      }[];
      expect(entries.length).toBeGreaterThan(0);
      expect(JSON.stringify(entries)).not.toMatch(/domicile|hébergement/);
      expect(JSON.stringify(entries)).toContain('[redacted]');
      const events = (await t.dataSource.query(`SELECT data FROM live_events WHERE data->>'requestId' = $1`, [secret.id])) as unknown[];
      expect(events.length).toBeGreaterThan(0);
      expect(JSON.stringify(events)).not.toMatch(/domicile|hébergement/);
    });
  });

  describe('lists and filters', () => {
    let mine: { id: string };
    let familyCategory: string;
    let birthCategory: string;

    beforeAll(async () => {
      familyCategory = (await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Filtres' })).body.id;
      birthCategory = (
        await as('supervisor')(api().post('/api/v1/requests/categories')).send({ siteId: siteA, name: 'Sous-filtre', parentId: familyCategory })
      ).body.id;
      mine = await createRequest('agentY', { channel: 'kiosk', subject: 'Inscription à l’ÉTAT civil', visitorId: visitorA, categoryId: birthCategory });
      await setStatus('agentY', mine.id, { status: 'in_progress' });
    });

    it('filters by status, channel, visitor, handler (me), category with subcategories and subject words', async () => {
      const ids = async (query: Record<string, string>) => {
        const res = await as('agentY')(api().get('/api/v1/requests').query({ siteId: siteA, ...query }));
        expect(res.status).toBe(200);
        return res.body.items.map((r: { id: string }) => r.id) as string[];
      };
      expect(await ids({ channel: 'kiosk' })).toEqual([mine.id]);
      expect(await ids({ handledBy: 'me', status: 'in_progress' })).toContain(mine.id);
      expect(await ids({ handledBy: 'me', status: 'open' })).not.toContain(mine.id);
      expect(await ids({ visitorId: visitorA, channel: 'kiosk' })).toEqual([mine.id]);
      expect(await ids({ categoryId: familyCategory })).toEqual([mine.id]);
      expect(await ids({ q: 'etat inscription' })).toEqual([mine.id]);
      expect(await ids({ q: 'etat absent' })).toEqual([]);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect(await ids({ from: future })).toEqual([]);
      expect(await ids({ to: future, channel: 'kiosk' })).toEqual([mine.id]);
    });

    it('pages with a total and refuses bad filters (400)', async () => {
      const page = await as('agentX')(api().get('/api/v1/requests').query({ siteId: siteA, limit: 2, page: 1 }));
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThan(2);
      const bad = await as('agentX')(api().get('/api/v1/requests').query({ status: 'lost', channel: 'fax', handledBy: 'you', limit: 500 }));
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['channel', 'handledBy', 'limit', 'status']);
    });
  });

  describe('isolation and access', () => {
    it('answers 404 for a request of a site the caller cannot see, for every route, and leaves it untouched', async () => {
      const created = await createRequest('agentX');
      const paths = [`/api/v1/requests/${created.id}`, `/api/v1/requests/${created.id}/timeline`];
      for (const path of paths) expect((await as('agentB')(api().get(path))).status).toBe(404);
      expect((await as('agentB')(api().patch(`/api/v1/requests/${created.id}`)).send({ subject: 'Pirate' })).status).toBe(404);
      expect((await setStatus('agentB', created.id, { status: 'in_progress' })).status).toBe(404);
      expect((await as('agentB')(api().get('/api/v1/requests').query({ siteId: siteA }))).status).toBe(404);
      const own = await as('agentB')(api().get('/api/v1/requests'));
      expect(own.body).toEqual({ items: [], total: 0 });
      expect((await as('agentX')(api().get(`/api/v1/requests/${created.id}`))).body).toMatchObject({ subject: 'Renseignement', version: 1 });
    });

    it('opens reads to requests:read keys and writes to requests:write keys only', async () => {
      const created = await createRequest('agentX');
      expect((await api().get(`/api/v1/requests/${created.id}`).set('X-Api-Key', readKey)).status).toBe(200);
      const refused = await api().post('/api/v1/requests').set('X-Api-Key', readKey).send({ siteId: siteA, channel: 'web', subject: 'S' });
      expect(refused.status).toBe(403);
      const made = await api().post('/api/v1/requests').set('X-Api-Key', writeKey).send({ siteId: siteA, channel: 'web', subject: 'Formulaire' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ authorServiceId: null, createdByUserId: null });
      const timeline = await api().get(`/api/v1/requests/${made.body.id}/timeline`).set('X-Api-Key', writeKey);
      expect(timeline.body.items[0].actor.type).toBe('api_key');
      const me = await api().get('/api/v1/requests').query({ handledBy: 'me' }).set('X-Api-Key', readKey);
      expect(me.status).toBe(400);
      expect((await api().post('/api/v1/requests/categories').set('X-Api-Key', writeKey).send({ siteId: siteA, name: 'K' })).status).toBe(403);
    });

    it('announces edits and status changes live to the site', async () => {
      const client = await connectLive(t.url, { token: tokens.agentY });
      await client.socket.emitWithAck('subscribe', { siteId: siteA });
      const created = await createRequest('agentX');
      await as('agentX')(api().patch(`/api/v1/requests/${created.id}`)).send({ subject: 'Modifié' });
      await setStatus('agentX', created.id, { status: 'in_progress' });
      await client.waitFor((events) => events.filter((e) => e.name === 'request.updated' && e.body.requestId === created.id).length === 2);
      const updates = client.events.filter((e) => e.name === 'request.updated' && e.body.requestId === created.id).map((e) => e.body);
      expect(updates[0]).toMatchObject({ fields: ['subject'], status: 'open', version: 2 });
      expect(updates[1]).toMatchObject({ fields: expect.arrayContaining(['status', 'handledByUserId']), status: 'in_progress', version: 3 });
      expect((updates[1].seq as number) > (updates[0].seq as number)).toBe(true);
      client.close();
    });
  });
});
