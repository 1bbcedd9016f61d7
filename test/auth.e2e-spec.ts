import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, TestUser } from '@guichet/testing/factories';

describe('auth', () => {
  let t: TestApp;
  let siteId: string;
  let agent: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource);
    agent = await createUser(t.dataSource, 'agent', [siteId]);
  });
  afterAll(() => t.close());

  it('logs in and returns a token pair', async () => {
    const res = await request(t.url).post('/api/v1/auth/login').send({ email: agent.email, password: agent.password });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
    });
  });

  it('refuses a wrong password with a 401 problem', async () => {
    const res = await request(t.url).post('/api/v1/auth/login').send({ email: agent.email, password: 'nope-nope' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'invalid_credentials', correlationId: expect.any(String) });
  });

  it('answers 429 after repeated failures on one account, even with the right password', async () => {
    const victim = await createUser(t.dataSource, 'agent', [siteId]);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(t.url).post('/api/v1/auth/login').send({ email: victim.email, password: `wrong-${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toContain(429);
    expect(statuses[statuses.length - 1]).toBe(429);
    expect(statuses.slice(0, statuses.indexOf(429)).every((s) => s === 401)).toBe(true);
    const right = await request(t.url).post('/api/v1/auth/login').send({ email: victim.email, password: victim.password });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens and revokes the family when an old one is replayed', async () => {
    const first = await login(t.url, agent);
    const second = await request(t.url).post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);

    const replay = await request(t.url).post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('refresh_token_reused');

    // The whole family is gone: the newest refresh token and the access token of the session too.
    const afterReplay = await request(t.url).post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken });
    expect(afterReplay.status).toBe(401);
    const me = await request(t.url).post('/api/v1/auth/logout').set('Authorization', `Bearer ${second.body.accessToken}`).send({});
    expect(me.status).toBe(401);
  });

  it('logout closes the session at once', async () => {
    const pair = await login(t.url, agent);
    const out = await request(t.url).post('/api/v1/auth/logout').set('Authorization', `Bearer ${pair.accessToken}`).send({});
    expect(out.status).toBe(204);
    const again = await request(t.url).post('/api/v1/auth/logout').set('Authorization', `Bearer ${pair.accessToken}`).send({});
    expect(again.status).toBe(401);
    const refresh = await request(t.url).post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('refuses an expired access token with 401 token_expired', async () => {
    const { JwtService } = await import('@nestjs/jwt');
    const pair = await login(t.url, agent);
    const claims = JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    const expired = new JwtService().sign(
      { sub: claims.sub, sid: claims.sid, typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 },
      { secret: process.env.JWT_SECRET },
    );
    const res = await request(t.url).post('/api/v1/auth/logout').set('Authorization', `Bearer ${expired}`).send({});
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('token_expired');
  });

  it('lists each bad field of a login body', async () => {
    const res = await request(t.url).post('/api/v1/auth/login').send({ email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['email', 'extra', 'password']));
  });

  it('answers unknown routes with a 404 problem and malformed JSON with a 400 problem', async () => {
    const missing = await request(t.url).get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    const bad = await request(t.url).post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js/);
  });

  it('refuses an API key on a user-only route with 403', async () => {
    const { key } = await createApiKey(t.dataSource, ['directory:read'], [siteId]);
    const res = await request(t.url).post('/api/v1/auth/logout').set('X-Api-Key', key).send({});
    expect(res.status).toBe(403);
  });
});
