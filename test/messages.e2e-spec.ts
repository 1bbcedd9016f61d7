import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

/** Upper bound only. */
const WAIT_MS = 20_000;

describe('messages: colleague, service, site, report to management; read receipts', () => {
  let t: TestApp;
  const clients: RecordingClient[] = [];
  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const rows = async () => [await count(`SELECT count(*) AS n FROM messages`), await count(`SELECT count(*) AS n FROM message_recipients`)];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.close();
  });

  async function live(who: { token: string }, siteId: string, serviceIds: string[] = []): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token });
    clients.push(client);
    client.socket.emit('subscribe', { siteId, serviceIds });
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
    return client;
  }

  async function agentOfService(siteId: string, serviceId: string): Promise<Agent> {
    const user = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
    return { ...user, token: (await login(t.url, user)).accessToken };
  }

  const received = (client: RecordingClient, messageId: string) => client.events.filter((e) => e.name === 'message.received' && e.body.messageId === messageId);

  it('sends to a colleague live, keeps it, and gives the sender the read receipt', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const alice = await createAgent(t.dataSource, t.url, siteId);
    const bob = await createAgent(t.dataSource, t.url, siteId);
    const carol = await createAgent(t.dataSource, t.url, siteId);
    const aliceSocket = await live(alice, siteId);
    const bobSocket = await live(bob, siteId);
    const carolSocket = await live(carol, siteId);

    const sent = await as(alice, api().post('/api/v1/messages')).send({
      siteId,
      recipientType: 'user',
      recipientUserId: bob.id,
      priority: 'high',
      subject: 'Rappel M. Durand',
      body: 'Il rappelle vers 15 h pour son dossier.',
    });
    expect(sent.status).toBe(201);
    const id = sent.body.id as string;
    expect(sent.body).toMatchObject({ kind: 'message', recipientType: 'user', priority: 'high', recipientCount: 1, readCount: 0, active: true });
    await bobSocket.waitFor(() => received(bobSocket, id).length === 1, WAIT_MS);
    expect(received(bobSocket, id)[0].body).toMatchObject({ priority: 'high', senderUserId: alice.id });
    expect(JSON.stringify(received(bobSocket, id)[0].body)).not.toContain('Durand');

    expect((await as(bob, api().get('/api/v1/messages/unread-count'))).body).toEqual({ unread: 1, urgent: 1 });
    const inbox = await as(bob, api().get('/api/v1/messages/inbox')).query({ siteId });
    expect(inbox.body).toMatchObject({ total: 1, unread: 1, items: [{ id, subject: 'Rappel M. Durand', readAt: null, senderName: 'Test agent' }] });
    // Not for Carol: neither live nor by id.
    expect((await as(carol, api().get(`/api/v1/messages/${id}`))).status).toBe(404);
    expect((await as(carol, api().post(`/api/v1/messages/${id}/read`))).status).toBe(404);

    const read = await as(bob, api().post(`/api/v1/messages/${id}/read`));
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    await aliceSocket.waitFor((events) => events.some((e) => e.name === 'message.read' && e.body.messageId === id && e.body.userId === bob.id), WAIT_MS);
    // Reading again keeps the first time, and sends no second receipt.
    const again = await as(bob, api().post(`/api/v1/messages/${id}/read`));
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(await count(`SELECT count(*) AS n FROM live_events WHERE type = 'message.read' AND data->>'messageId' = $1`, [id])).toBe(1);
    expect((await as(bob, api().get('/api/v1/messages/unread-count'))).body).toEqual({ unread: 0, urgent: 0 });

    const outbox = await as(alice, api().get('/api/v1/messages/outbox')).query({ siteId });
    expect(outbox.body.items[0]).toMatchObject({ id, recipientCount: 1, readCount: 1 });
    const detail = await as(alice, api().get(`/api/v1/messages/${id}`));
    expect(detail.body.receipts).toEqual([{ userId: bob.id, displayName: 'Test agent', readAt: read.body.readAt }]);
    expect(carolSocket.events.filter((e) => e.name.startsWith('message.'))).toEqual([]);
  });

  it('reaches a service, a whole site, and the supervisors for a report to management', async () => {
    const { siteId, serviceId } = await createOpenSite(t.dataSource);
    const sender = await createAgent(t.dataSource, t.url, siteId);
    const member = await agentOfService(siteId, serviceId);
    const outsider = await createAgent(t.dataSource, t.url, siteId);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const memberSocket = await live(member, siteId, [serviceId]);
    const supervisorSocket = await live(supervisor, siteId);
    const outsiderSocket = await live(outsider, siteId);

    const book = await as(sender, api().get('/api/v1/messages/recipients')).query({ siteId });
    expect(book.status).toBe(200);
    expect(book.body.services).toEqual([expect.objectContaining({ id: serviceId })]);
    expect(book.body.users.map((u: { id: string }) => u.id).sort()).toEqual([sender.id, member.id, outsider.id, supervisor.id].sort());

    const toService = await as(sender, api().post('/api/v1/messages')).send({ siteId, recipientType: 'service', recipientServiceId: serviceId, subject: 'Dossiers du jour', body: '' });
    expect(toService.status).toBe(201);
    expect(toService.body.recipientCount).toBe(1);
    await memberSocket.waitFor(() => received(memberSocket, toService.body.id).length === 1, WAIT_MS);

    // A retry with the same Idempotency-Key returns the first message, sent once.
    const retryBody = { siteId, recipientType: 'user', recipientUserId: member.id, subject: 'Clés du local', body: 'Dans le tiroir.' };
    const key = `msg-${randomUUID()}`;
    const first = await as(sender, api().post('/api/v1/messages')).set('Idempotency-Key', key).send(retryBody);
    const retry = await as(sender, api().post('/api/v1/messages')).set('Idempotency-Key', key).send(retryBody);
    expect([first.status, retry.status, retry.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(retry.body.id).toBe(first.body.id);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE sender_user_id = $1 AND subject = 'Clés du local'`, [sender.id])).toBe(1);

    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const broadcast = await as(supervisor, api().post('/api/v1/messages')).send({ siteId, recipientType: 'site', priority: 'urgent', subject: 'Ascenseur en panne', body: 'Orienter les PMR vers l’entrée B.', expiresAt });
    expect(broadcast.status).toBe(201);
    expect(broadcast.body.recipientCount).toBe(3);
    await outsiderSocket.waitFor(() => received(outsiderSocket, broadcast.body.id).length === 1, WAIT_MS);

    const report = await as(sender, api().post('/api/v1/messages')).send({ siteId, kind: 'management_report', subject: 'Files très longues ce matin', body: '45 min d’attente à 10 h.' });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ kind: 'management_report', recipientType: 'supervisors', recipientCount: 1 });
    await supervisorSocket.waitFor(() => received(supervisorSocket, report.body.id).length === 1, WAIT_MS);
    expect(received(outsiderSocket, report.body.id)).toEqual([]);
    expect(received(outsiderSocket, toService.body.id)).toEqual([]);

    // An expired broadcast is no longer active, but is kept.
    await t.dataSource.query(`UPDATE messages SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 minute' WHERE id = $1`, [broadcast.body.id]);
    const active = await as(outsider, api().get('/api/v1/messages/inbox')).query({ siteId });
    expect(active.body.items.map((m: { id: string }) => m.id)).not.toContain(broadcast.body.id);
    const all = await as(outsider, api().get('/api/v1/messages/inbox')).query({ siteId, status: 'all' });
    expect(all.body.items).toEqual([expect.objectContaining({ id: broadcast.body.id, active: false })]);
    expect((await as(outsider, api().get('/api/v1/messages/unread-count'))).body.unread).toBe(0);
  });

  it('refuses bad input with a problem and writes nothing', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const other = await createOpenSite(t.dataSource);
    const sender = await createAgent(t.dataSource, t.url, siteId);
    const stranger = await createAgent(t.dataSource, t.url, other.siteId);
    const before = await rows();

    const cases: [Record<string, unknown>, number][] = [
      // A site the sender cannot see: 404, as if it did not exist.
      [{ siteId: other.siteId, recipientType: 'site', subject: 'Bonjour', body: '' }, 404],
      [{ siteId: randomUUID(), recipientType: 'site', subject: 'Bonjour', body: '' }, 404],
      // A colleague or a service of another site.
      [{ siteId, recipientType: 'user', recipientUserId: stranger.id, subject: 'Bonjour', body: '' }, 404],
      [{ siteId, recipientType: 'service', recipientServiceId: other.serviceId, subject: 'Bonjour', body: '' }, 404],
      [{ siteId, recipientType: 'user', subject: 'Bonjour', body: '' }, 400],
      [{ siteId, recipientType: 'site', subject: '  ', body: '' }, 400],
      [{ siteId, recipientType: 'site', subject: 'Bonjour', body: '', priority: 'critical' }, 400],
      [{ siteId, recipientType: 'site', subject: 'Bonjour', body: '', expiresAt: new Date(Date.now() - 60_000).toISOString() }, 400],
      [{ siteId, kind: 'management_report', recipientType: 'site', subject: 'Bonjour', body: '' }, 400],
      // Nobody else on the site yet.
      [{ siteId, recipientType: 'site', subject: 'Bonjour', body: '' }, 422],
    ];
    for (const [body, status] of cases) {
      const res = await as(sender, api().post('/api/v1/messages')).send(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await rows()).toEqual(before);
    expect((await as(sender, api().get('/api/v1/messages/inbox')).query({ siteId: other.siteId })).status).toBe(404);
    expect((await as(sender, api().get('/api/v1/messages/recipients')).query({ siteId: other.siteId })).status).toBe(404);
  });
});
