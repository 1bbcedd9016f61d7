import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

const WAIT_MS = 20_000;
const ZONE = 'Europe/Paris'; // createOpenSite's zone

describe('providers: service levels, contacts, figures and improvement actions', () => {
  let t: TestApp;
  let siteId: string;
  let supervisor: Agent;
  let agent: Agent;
  const clients: RecordingClient[] = [];

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    ({ siteId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    agent = await createAgent(t.dataSource, t.url, siteId);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.close();
  });

  const body = (fields: Record<string, unknown> = {}) => ({
    siteId,
    kind: 'external',
    name: `Nettoyage ${uniqueSuffix()}`,
    description: 'Ménage des bureaux et du hall',
    orderTypes: ['cleaning'],
    email: 'contact@proprete.test',
    phone: '+33 4 72 00 00 00',
    contractReference: 'MARCHE-2026-014',
    contractEndsOn: '2027-12-31',
    responseHours: 4,
    completionHours: 24,
    contacts: [
      { name: 'Paul Durand', role: 'Chef d’équipe', email: 'paul@proprete.test', isPrimary: true },
      { name: 'Astreinte', phone: '06 00 00 00 00' },
    ],
    ...fields,
  });

  const snapshot = async () => ({
    providers: await count(`SELECT count(*) AS n FROM providers`),
    contacts: await count(`SELECT count(*) AS n FROM provider_contacts`),
    actions: await count(`SELECT count(*) AS n FROM provider_improvement_actions`),
    audit: await count(`SELECT count(*) AS n FROM audit_entries WHERE entity LIKE 'provider%'`),
  });

  it('records internal and external providers with their contacts, contract and service level', async () => {
    const dashboard = await connectLive(t.url, { token: supervisor.token, siteId });
    clients.push(dashboard);
    await dashboard.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);

    const external = await as(supervisor, api().post('/api/v1/providers')).send(body());
    expect(external.status).toBe(201);
    expect(external.body).toMatchObject({
      kind: 'external',
      orderTypes: ['cleaning'],
      contractReference: 'MARCHE-2026-014',
      contractEndsOn: '2027-12-31',
      responseHours: 4,
      completionHours: 24,
      active: true,
      version: 1,
    });
    expect(external.body.contacts.map((c: { name: string; isPrimary: boolean }) => [c.name, c.isPrimary])).toEqual([
      ['Paul Durand', true],
      ['Astreinte', false],
    ]);
    const internal = await as(supervisor, api().post('/api/v1/providers')).send(
      body({ kind: 'internal', name: `Services généraux ${uniqueSuffix()}`, orderTypes: ['maintenance', 'room_booking'], responseHours: 0.5, completionHours: 8, contacts: [] }),
    );
    expect(internal.status).toBe(201);

    const listed = await as(agent, api().get('/api/v1/providers')).query({ siteId, kind: 'internal' });
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([internal.body.id]);
    const cleaning = await as(agent, api().get('/api/v1/providers')).query({ siteId, orderType: 'cleaning' });
    expect(cleaning.body.items.map((p: { id: string }) => p.id)).toEqual([external.body.id]);

    await dashboard.waitFor((events) => events.some((e) => e.name === 'provider.changed' && e.body.providerId === internal.body.id), WAIT_MS);
    expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'provider' AND entity_id = $1 AND action = 'create'`, [external.body.id])).toBe(1);
  });

  it('edits a provider with If-Match and manages its contacts; only supervisors may', async () => {
    const { body: created } = await as(supervisor, api().post('/api/v1/providers')).send(body());
    const patched = await as(supervisor, api().patch(`/api/v1/providers/${created.id}`)).set('If-Match', '"1"').send({ completionHours: 12, active: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ completionHours: 12, active: false, version: 2 });
    const stale = await as(supervisor, api().patch(`/api/v1/providers/${created.id}`)).set('If-Match', '"1"').send({ completionHours: 6 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_version');
    expect((await as(agent, api().patch(`/api/v1/providers/${created.id}`)).send({ name: 'X' })).status).toBe(403);

    const added = await as(supervisor, api().post(`/api/v1/providers/${created.id}/contacts`)).send({ name: 'Nadia', email: 'nadia@proprete.test', isPrimary: true });
    expect(added.status).toBe(201);
    const after = (await as(agent, api().get(`/api/v1/providers/${created.id}`))).body;
    expect(after.contacts.filter((c: { isPrimary: boolean }) => c.isPrimary).map((c: { name: string }) => c.name)).toEqual(['Nadia']);
    const renamed = await as(supervisor, api().patch(`/api/v1/providers/${created.id}/contacts/${added.body.id}`)).send({ role: 'Commerciale' });
    expect(renamed.body).toMatchObject({ name: 'Nadia', role: 'Commerciale', isPrimary: true });
    expect((await as(supervisor, api().delete(`/api/v1/providers/${created.id}/contacts/${added.body.id}`))).status).toBe(204);
    expect((await as(agent, api().get(`/api/v1/providers/${created.id}`))).body.contacts).toHaveLength(2);

    const stranger = await createAgent(t.dataSource, t.url, (await createOpenSite(t.dataSource)).siteId, 'supervisor');
    expect((await as(stranger, api().get(`/api/v1/providers/${created.id}`))).status).toBe(404);
    expect((await as(stranger, api().get(`/api/v1/providers/${created.id}/figures`))).status).toBe(404);
  });

  it('refuses bad providers with a 400 problem and writes nothing', async () => {
    const before = await snapshot();
    const { body: created } = await as(supervisor, api().post('/api/v1/providers')).send(body());
    const mid = await snapshot();
    for (const bad of [
      body({ responseHours: 0 }),
      body({ completionHours: -4 }),
      body({ responseHours: 1.23456 }),
      body({ kind: 'partner' }),
      body({ orderTypes: ['flowers'] }),
      body({ name: '   ' }),
      body({ contacts: [{ name: 'A', email: 'not-an-email' }] }),
      body({ contacts: [{ name: 'A', isPrimary: true }, { name: 'B', isPrimary: true }] }),
    ]) {
      const res = await as(supervisor, api().post('/api/v1/providers')).send(bad);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await as(agent, api().post('/api/v1/providers')).send(body())).status).toBe(403);
    expect((await as(supervisor, api().patch(`/api/v1/providers/${created.id}`)).send({ name: null })).status).toBe(400);
    const range = await as(agent, api().get(`/api/v1/providers/${created.id}/figures`)).query({ from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
    expect(range.status).toBe(400);
    const action = await as(agent, api().post(`/api/v1/providers/${created.id}/improvement-actions`)).send({ title: '', status: 'someday' });
    expect(action.status).toBe(400);
    expect(await snapshot()).toEqual(mid);
    expect(mid.providers).toBe(before.providers + 1);
  });

  it('keeps improvement actions proposed for a provider', async () => {
    const { body: created } = await as(supervisor, api().post('/api/v1/providers')).send(body());
    const proposed = await as(agent, api().post(`/api/v1/providers/${created.id}/improvement-actions`)).send({
      title: 'Passage supplémentaire le vendredi',
      description: 'Le hall est sale en fin de semaine',
      dueOn: '2026-12-31',
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({ status: 'proposed', createdByUserId: agent.id, completedAt: null, dueOn: '2026-12-31' });
    const done = await as(supervisor, api().patch(`/api/v1/providers/${created.id}/improvement-actions/${proposed.body.id}`))
      .set('If-Match', '"1"')
      .send({ status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(done.body.completedAt).not.toBeNull();
    const listed = await as(agent, api().get(`/api/v1/providers/${created.id}/improvement-actions`));
    expect(listed.body.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[proposed.body.id, 'done']]);
  });

  it('computes on-time rate, average delay, ratings and the monthly trend exactly from the orders and ratings', async () => {
    const requester = agent;
    const { body: provider } = await as(supervisor, api().post('/api/v1/providers')).send(body({ orderTypes: ['supplies', 'cleaning'] }));
    const move = async (id: string, status: string) => {
      const res = await as(status === 'submitted' || status === 'cancelled' ? requester : supervisor, api().post(`/api/v1/service-orders/${id}/status`)).send({ status });
      expect(res.status).toBe(200);
    };
    const create = async (title: string) => {
      const res = await as(requester, api().post('/api/v1/service-orders')).send({
        siteId,
        providerId: provider.id,
        type: 'cleaning',
        title,
        lines: [{ item: 'Heure de ménage', quantity: 2, unitPriceCents: 3500 }],
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    // Completed orders, with due and completion times set to known instants (the API stamps "now").
    const completed = [
      { title: 'A', end: 'done', dueAt: '2026-01-10T10:00:00Z', completedAt: '2026-01-10T09:00:00Z', rating: [5, 4, 5] },
      { title: 'B', end: 'delivered', dueAt: '2026-01-20T10:00:00Z', completedAt: '2026-01-20T13:30:00Z', rating: [2, 3, 3] },
      { title: 'C', end: 'done', dueAt: '2026-02-05T08:00:00Z', completedAt: '2026-02-05T08:00:00Z', rating: null },
      // 23:30 UTC on 28 February is 00:30 on 1 March in Paris: a March completion.
      { title: 'D', end: 'done', dueAt: '2026-02-28T12:00:00Z', completedAt: '2026-02-28T23:30:00Z', rating: [4, 4, 1] },
      { title: 'E', end: 'closed', dueAt: '2026-03-15T12:00:00Z', completedAt: '2026-03-14T12:00:00Z', rating: [3, 5, 4] },
    ] as const;
    for (const order of completed) {
      const id = await create(order.title);
      for (const status of ['submitted', 'accepted', 'in_progress', order.end === 'closed' ? 'done' : order.end]) await move(id, status);
      if (order.end === 'closed') await move(id, 'closed');
      await t.dataSource.query(`UPDATE service_orders SET due_at = $2, completed_at = $3 WHERE id = $1`, [id, order.dueAt, order.completedAt]);
      if (order.rating) {
        const [timeliness, quality, communication] = order.rating;
        expect((await as(requester, api().post(`/api/v1/service-orders/${id}/rating`)).send({ timeliness, quality, communication })).status).toBe(201);
      }
    }
    const open = await create('F');
    await move(open, 'submitted');
    await move(open, 'accepted');
    const rejected = await create('G');
    await move(rejected, 'submitted');
    await move(rejected, 'rejected');
    const cancelled = await create('H');
    await move(cancelled, 'submitted');
    await move(cancelled, 'cancelled');
    await create('I (draft)');

    // Expected figures, computed here from the data above (not with the API's own code).
    const r2 = (x: number) => Math.round(x * 100) / 100;
    const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
    const monthOf = (iso: string) => {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).formatToParts(new Date(iso));
      return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
    };
    const expectFor = (orders: readonly (typeof completed)[number][]) => {
      const onTime = orders.filter((o) => Date.parse(o.completedAt) <= Date.parse(o.dueAt)).length;
      const delays = orders.map((o) => Math.max(0, Date.parse(o.completedAt) - Date.parse(o.dueAt)) / 3_600_000);
      const rated = orders.filter((o) => o.rating).map((o) => o.rating!);
      const avg = (xs: number[]) => (xs.length ? r2(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
      return {
        completed: orders.length,
        onTime,
        onTimeRate: orders.length ? r4(onTime / orders.length) : null,
        averageDelayHours: avg(delays),
        ratings: {
          count: rated.length,
          average: avg(rated.flat()),
          timeliness: avg(rated.map((r) => r[0])),
          quality: avg(rated.map((r) => r[1])),
          communication: avg(rated.map((r) => r[2])),
        },
      };
    };
    const months = [...new Set(completed.map((o) => monthOf(o.completedAt)))].sort();
    expect(months).toEqual(['2026-01', '2026-02', '2026-03']);

    const all = await as(agent, api().get(`/api/v1/providers/${provider.id}/figures`));
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      providerId: provider.id,
      from: null,
      to: null,
      orders: { total: 8, open: 1, completed: 5, rejected: 1, cancelled: 1 },
      ...expectFor(completed),
      months: months.map((month) => ({ month, ...expectFor(completed.filter((o) => monthOf(o.completedAt) === month)) })),
    });
    // Spot-check the arithmetic itself, so a shared misunderstanding cannot hide: 3 of 5 on time, delays 0 + 3.5 + 0 + 11.5 + 0.
    expect(all.body).toMatchObject({ onTime: 3, onTimeRate: 0.6, averageDelayHours: 3, ratings: { count: 4, average: r2(43 / 12) } });

    const from = '2026-02-01T00:00:00+01:00';
    const to = '2026-03-10T00:00:00+01:00';
    const ranged = await as(agent, api().get(`/api/v1/providers/${provider.id}/figures`)).query({ from, to });
    const inRange = completed.filter((o) => Date.parse(o.completedAt) >= Date.parse(from) && Date.parse(o.completedAt) < Date.parse(to));
    expect(inRange.map((o) => o.title)).toEqual(['C', 'D']);
    expect(ranged.body).toMatchObject({ ...expectFor(inRange), months: [
      { month: '2026-02', ...expectFor(inRange.filter((o) => monthOf(o.completedAt) === '2026-02')) },
      { month: '2026-03', ...expectFor(inRange.filter((o) => monthOf(o.completedAt) === '2026-03')) },
    ] });
  });
});
