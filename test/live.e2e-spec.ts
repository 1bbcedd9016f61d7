import Redis from 'ioredis';
import request from 'supertest';
import { AppConfig } from '@guichet/config/app-config';
import { LiveEvents } from '@guichet/core/live/live-events.service';
import { RedisEmitterPublisher } from '@guichet/core/live/redis-emitter.publisher';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login } from '@guichet/testing/factories';
import { connectLive } from '@guichet/testing/live-client';
import { rooms } from '@guichet/live/rooms';

describe('live gateway', () => {
  let t: TestApp;
  let siteId: string;
  let otherSite: string;
  let token: string;
  let live: LiveEvents;

  const announce = (site: string, id: string) =>
    live.transaction(async (_manager, emit) => emit(site, 'directory.changed', { entity: 'service', id, action: 'update' }));

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource);
    otherSite = await createSite(t.dataSource);
    token = (await login(t.url, await createUser(t.dataSource, 'agent', [siteId]))).accessToken;
    live = t.app.get(LiveEvents);
  });
  afterAll(() => t.close());

  it('refuses connections without valid credentials', async () => {
    await expect(connectLive(t.url, {})).rejects.toThrow(/auth/);
    await expect(connectLive(t.url, { token: 'forged' })).rejects.toThrow();
    const { key } = await createApiKey(t.dataSource, ['directory:read'], [siteId]);
    await expect(connectLive(t.url, { apiKey: key })).rejects.toThrow(/scope/);
  });

  it('delivers events of the subscribed site with a monotonically increasing seq', async () => {
    const client = await connectLive(t.url, { token });
    const ack = (await client.socket.emitWithAck('subscribe', { siteId })) as { ok: boolean; seq: number };
    expect(ack.ok).toBe(true);
    await announce(siteId, 'a');
    await announce(siteId, 'b');
    await announce(otherSite, 'elsewhere');
    await client.waitFor((events) => events.filter((e) => e.name === 'directory.changed').length === 2);
    const received = client.events.filter((e) => e.name === 'directory.changed').map((e) => e.body);
    expect(received.map((e) => e.id)).toEqual(['a', 'b']);
    expect(received.map((e) => e.seq)).toEqual([ack.seq + 1, ack.seq + 2]);
    expect(received[0]).toMatchObject({ siteId, entity: 'service', action: 'update', at: expect.any(String) });
    client.close();
  });

  it('refuses to subscribe to a site the caller may not see', async () => {
    const client = await connectLive(t.url, { token });
    const ack = (await client.socket.emitWithAck('subscribe', { siteId: otherSite })) as { ok: boolean; error: string };
    expect(ack).toEqual({ ok: false, error: 'site not found' });
    client.close();
  });

  it('replays what a client missed while disconnected, in order', async () => {
    const first = await connectLive(t.url, { token, siteId });
    await first.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const lastSeen = (first.events.find((e) => e.name === 'subscribed')!.body.seq as number) ?? 0;
    first.close();
    await announce(siteId, 'missed-1');
    await announce(siteId, 'missed-2');
    const back = await connectLive(t.url, { token, siteId, afterSeq: lastSeen });
    await back.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const replayed = back.events.filter((e) => e.name === 'directory.changed').map((e) => [e.body.seq, e.body.id]);
    expect(replayed).toEqual([
      [lastSeen + 1, 'missed-1'],
      [lastSeen + 2, 'missed-2'],
    ]);
    back.close();
  });

  it('asks for a resync when the gap cannot be replayed', async () => {
    await t.dataSource.query(`DELETE FROM live_events WHERE site_id = $1`, [siteId]);
    await announce(siteId, 'after-purge');
    const client = await connectLive(t.url, { token, siteId, afterSeq: 0 });
    await client.waitFor((events) => events.some((e) => e.name === 'resync'));
    client.close();
  });

  it('gives concurrent transactions distinct consecutive seqs', async () => {
    const before = await live.currentSeq(siteId);
    await Promise.all(Array.from({ length: 20 }, (_, i) => announce(siteId, `c${i}`)));
    const rows = (await t.dataSource.query(`SELECT seq FROM live_events WHERE site_id = $1 AND seq > $2 ORDER BY seq`, [siteId, before])) as {
      seq: string;
    }[];
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 20 }, (_, i) => before + i + 1));
  });

  it('delivers events published by another process through the Redis emitter (the worker path)', async () => {
    const client = await connectLive(t.url, { token, siteId });
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const publisher = new RedisEmitterPublisher(redis, t.app.get(AppConfig));
      publisher.publish([
        { siteId, seq: 999999, at: new Date().toISOString(), type: 'directory.changed', rooms: [`site:${siteId}`], data: { entity: 'staff', id: 'from-worker', action: 'update' } },
      ]);
      await client.waitFor((events) => events.some((e) => e.name === 'directory.changed' && e.body.id === 'from-worker'));
    } finally {
      redis.disconnect();
      client.close();
    }
  });

  it('announces directory changes made through the API', async () => {
    const supervisor = await login(t.url, await createUser(t.dataSource, 'supervisor', [siteId]));
    const [service] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, 'Urbanisme') RETURNING id`, [siteId])) as { id: string }[];
    const client = await connectLive(t.url, { token, siteId });
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const res = await request(t.url)
      .patch(`/api/v1/services/${service.id}`)
      .set('Authorization', `Bearer ${supervisor.accessToken}`)
      .send({ description: 'Permis de construire' });
    expect(res.status).toBe(200);
    await client.waitFor((events) => events.some((e) => e.name === 'directory.changed' && e.body.id === service.id));
    expect(client.events.find((e) => e.name === 'directory.changed' && e.body.id === service.id)!.body).toMatchObject({ entity: 'service', action: 'update' });
    client.close();
  });

  it('sends private events only to their rooms, live and in replays', async () => {
    const agent = await createUser(t.dataSource, 'agent', [siteId]);
    const agentToken = (await login(t.url, agent)).accessToken;
    const supervisorToken = (await login(t.url, await createUser(t.dataSource, 'supervisor', [siteId]))).accessToken;
    const { key } = await createApiKey(t.dataSource, ['display'], [siteId]);
    const privately = (id: string, room: string) =>
      live.transaction(async (_manager, emit) => emit(siteId, 'directory.changed', { entity: 'service', id, action: 'update' }, [room], { private: true }));
    const ids = (client: Awaited<ReturnType<typeof connectLive>>) =>
      client.events.filter((e) => e.name === 'directory.changed').map((e) => e.body.id);

    const clients = await Promise.all([agentToken, supervisorToken].map((tk) => connectLive(t.url, { token: tk, siteId })));
    clients.push(await connectLive(t.url, { apiKey: key, siteId }));
    await Promise.all(clients.map((c) => c.waitFor((events) => events.some((e) => e.name === 'subscribed'))));
    const [agentClient, supervisorClient, display] = clients;
    const before = (agentClient.events.find((e) => e.name === 'subscribed')!.body.seq as number) ?? 0;

    await privately('for-supervisors', rooms.supervisors(siteId));
    await privately('for-the-agent', rooms.user(agent.id));
    await announce(siteId, 'for-everyone');
    await Promise.all(clients.map((c) => c.waitFor((events) => events.some((e) => e.name === 'directory.changed' && e.body.id === 'for-everyone'))));
    expect(ids(agentClient)).toEqual(['for-the-agent', 'for-everyone']);
    expect(ids(supervisorClient)).toEqual(['for-supervisors', 'for-everyone']);
    expect(ids(display)).toEqual(['for-everyone']);
    clients.forEach((c) => c.close());

    const replayed = await Promise.all(
      [agentToken, supervisorToken].map((tk) => connectLive(t.url, { token: tk, siteId, afterSeq: before })),
    );
    await Promise.all(replayed.map((c) => c.waitFor((events) => events.some((e) => e.name === 'subscribed'))));
    expect(ids(replayed[0])).toEqual(['for-the-agent', 'for-everyone']);
    expect(ids(replayed[1])).toEqual(['for-supervisors', 'for-everyone']);
    replayed.forEach((c) => c.close());
  });
});
