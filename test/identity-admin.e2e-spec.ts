import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createSite, createUser, login, TestUser } from '@guichet/testing/factories';

describe('users, API keys and audit (admin)', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let admin: TestUser;
  let agentA: TestUser;
  let adminToken: string;
  let agentToken: string;

  const api = () => request(t.url);
  const asAdmin = (r: request.Test) => r.set('Authorization', `Bearer ${adminToken}`);
  const asAgent = (r: request.Test) => r.set('Authorization', `Bearer ${agentToken}`);
  const countUsers = async () =>
    Number(((await t.dataSource.query(`SELECT count(*) AS n FROM users`)) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    siteA = await createSite(t.dataSource);
    siteB = await createSite(t.dataSource);
    admin = await createUser(t.dataSource, 'admin', [siteA]);
    agentA = await createUser(t.dataSource, 'agent', [siteA]);
    adminToken = (await login(t.url, admin)).accessToken;
    agentToken = (await login(t.url, agentA)).accessToken;
  });
  afterAll(() => t.close());

  describe('users', () => {
    it('lets an admin create a user who can then log in, without leaking the hash', async () => {
      const res = await asAdmin(api().post('/api/v1/users')).send({
        email: `new-${Date.now()}@test.guichet`,
        password: 'A-long-enough-password',
        displayName: 'Nouvelle Agente',
        role: 'agent',
        siteIds: [siteA],
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'agent', siteIds: [siteA], active: true, version: 1 });
      expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
      await login(t.url, { email: res.body.email, password: 'A-long-enough-password' });
    });

    it('refuses user creation to an agent (403) and writes nothing', async () => {
      const before = await countUsers();
      const res = await asAgent(api().post('/api/v1/users')).send({
        email: 'x@test.guichet',
        password: 'A-long-enough-password',
        displayName: 'X',
        role: 'admin',
        siteIds: [siteA],
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(await countUsers()).toBe(before);
    });

    it('answers 400 listing unknown, mistyped and missing fields, and writes nothing', async () => {
      const before = await countUsers();
      const res = await asAdmin(api().post('/api/v1/users')).send({
        email: 'valid@test.guichet',
        password: 12345,
        role: 'boss',
        siteIds: [siteA],
        favouriteColour: 'blue',
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const fields = new Set((res.body.errors as { field: string }[]).map((e) => e.field));
      expect([...fields].sort()).toEqual(['displayName', 'favouriteColour', 'password', 'role']);
      expect(await countUsers()).toBe(before);
    });

    it('hides users of other sites (404) and refuses granting a site the admin does not have', async () => {
      const stranger = await createUser(t.dataSource, 'agent', [siteB]);
      expect((await asAdmin(api().get(`/api/v1/users/${stranger.id}`))).status).toBe(404);
      expect((await asAdmin(api().patch(`/api/v1/users/${stranger.id}`)).send({ displayName: 'Pirate' })).status).toBe(404);
      const grant = await asAdmin(api().patch(`/api/v1/users/${agentA.id}`)).send({ siteIds: [siteA, siteB] });
      expect(grant.status).toBe(404);
      const list = await asAdmin(api().get('/api/v1/users').query({ limit: 200 }));
      expect(list.status).toBe(200);
      expect((list.body.items as { id: string }[]).map((u) => u.id)).not.toContain(stranger.id);
    });

    it('detects a stale write with If-Match (409) and deactivation closes sessions', async () => {
      const target = await createUser(t.dataSource, 'agent', [siteA]);
      const session = await login(t.url, target);
      const ok = await asAdmin(api().patch(`/api/v1/users/${target.id}`)).set('If-Match', '"1"').send({ displayName: 'Renommé' });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      const stale = await asAdmin(api().patch(`/api/v1/users/${target.id}`)).set('If-Match', '"1"').send({ displayName: 'Encore' });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      expect((await asAdmin(api().delete(`/api/v1/users/${target.id}`))).status).toBe(204);
      const after = await api().get('/api/v1/users/me').set('Authorization', `Bearer ${session.accessToken}`);
      expect(after.status).toBe(401);
    });

    it('returns the caller with /users/me', async () => {
      const res = await asAgent(api().get('/api/v1/users/me'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: agentA.id, role: 'agent', siteIds: [siteA] });
    });
  });

  describe('API keys', () => {
    it('shows the key once, stores it hashed, and revocation takes effect at once', async () => {
      const created = await asAdmin(api().post('/api/v1/api-keys')).send({
        name: 'Borne hall A',
        scopes: ['directory:read'],
        siteIds: [siteA],
      });
      expect(created.status).toBe(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^gk_/);
      const [stored] = (await t.dataSource.query(`SELECT secret_hash FROM api_keys WHERE id = $1`, [created.body.id])) as {
        secret_hash: string;
      }[];
      expect(stored.secret_hash).not.toContain(key);
      const fetched = await asAdmin(api().get(`/api/v1/api-keys/${created.body.id}`));
      expect(fetched.body.key).toBeUndefined();

      // A key opens only the routes of its scopes.
      expect((await api().get('/api/v1/audit').set('X-Api-Key', key)).status).toBe(403);
      expect((await api().get('/api/v1/users/me').set('X-Api-Key', key)).status).toBe(403);

      const audited = await asAdmin(api().post('/api/v1/api-keys')).send({ name: 'SIEM', scopes: ['audit:read'], siteIds: [siteA] });
      const auditKey = audited.body.key as string;
      expect((await api().get('/api/v1/audit').set('X-Api-Key', auditKey)).status).toBe(200);
      const lastUsed = (await asAdmin(api().get(`/api/v1/api-keys/${audited.body.id}`))).body.lastUsedAt;
      expect(lastUsed).not.toBeNull();

      expect((await asAdmin(api().delete(`/api/v1/api-keys/${audited.body.id}`))).status).toBe(204);
      const refused = await api().get('/api/v1/audit').set('X-Api-Key', auditKey);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('api_key_invalid');
    });

    it('rejects unknown scopes and foreign sites', async () => {
      const badScope = await asAdmin(api().post('/api/v1/api-keys')).send({ name: 'x', scopes: ['root'], siteIds: [siteA] });
      expect(badScope.status).toBe(400);
      expect(badScope.body.errors[0].field).toBe('scopes');
      const foreign = await asAdmin(api().post('/api/v1/api-keys')).send({ name: 'x', scopes: ['kiosk'], siteIds: [siteB] });
      expect(foreign.status).toBe(404);
    });

    it('refuses key management to agents', async () => {
      expect((await asAgent(api().get('/api/v1/api-keys'))).status).toBe(403);
    });
  });

  describe('audit log', () => {
    it('records who changed a user and what changed, with the request id', async () => {
      const target = await createUser(t.dataSource, 'agent', [siteA]);
      const res = await asAdmin(api().patch(`/api/v1/users/${target.id}`))
        .set('X-Request-Id', 'req-audit-0001')
        .send({ role: 'supervisor', password: 'Another-long-password' });
      expect(res.status).toBe(200);
      const audit = await asAdmin(api().get('/api/v1/audit').query({ entity: 'user', entityId: target.id }));
      expect(audit.status).toBe(200);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        action: 'update',
        actorType: 'user',
        actorId: admin.id,
        requestId: 'req-audit-0001',
        changes: { role: { from: 'agent', to: 'supervisor' }, password: { from: '[redacted]', to: '[redacted]' } },
      });
    });

    it('pages with a cursor and rejects a forged one', async () => {
      const page1 = await asAdmin(api().get('/api/v1/audit').query({ limit: 1 }));
      expect(page1.body.items).toHaveLength(1);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await asAdmin(api().get('/api/v1/audit').query({ limit: 1, cursor: page1.body.nextCursor }));
      expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
      const forged = await asAdmin(api().get('/api/v1/audit').query({ cursor: 'garbage' }));
      expect(forged.status).toBe(400);
    });

    it('is for admins only', async () => {
      expect((await asAgent(api().get('/api/v1/audit'))).status).toBe(403);
    });
  });
});
