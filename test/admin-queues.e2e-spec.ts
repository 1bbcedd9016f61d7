import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createSite, createUser, login } from '@guichet/testing/factories';

describe('admin queue board', () => {
  let t: TestApp;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp();
    const siteId = await createSite(t.dataSource);
    admin = (await login(t.url, await createUser(t.dataSource, 'admin', [siteId]))).accessToken;
    agent = (await login(t.url, await createUser(t.dataSource, 'agent', [siteId]))).accessToken;
  });
  afterAll(() => t.close());

  it('is closed without a session and to non-admins', async () => {
    const anonymous = await request(t.url).get('/admin/queues/api/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/problem\+json/);
    const asAgent = await request(t.url).get('/admin/queues/api/queues').set('Authorization', `Bearer ${agent}`);
    expect(asAgent.status).toBe(403);
    expect((await request(t.url).post('/api/v1/admin/queues/session').set('Authorization', `Bearer ${agent}`)).status).toBe(403);
  });

  it('shows every job queue to an admin through the session cookie', async () => {
    const session = await request(t.url).post('/api/v1/admin/queues/session').set('Authorization', `Bearer ${admin}`);
    expect(session.status).toBe(204);
    const cookie = session.headers['set-cookie'] as unknown as string[];
    expect(cookie[0]).toMatch(/guichet_board=.*HttpOnly.*SameSite=Strict/i);
    const queues = await request(t.url).get('/admin/queues/api/queues').set('Cookie', cookie[0].split(';')[0]);
    expect(queues.status).toBe(200);
    const names = (queues.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(expect.arrayContaining(['alerts', 'maintenance', 'notifications']));
    const page = await request(t.url).get('/admin/queues').set('Cookie', cookie[0].split(';')[0]);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
  });
});
