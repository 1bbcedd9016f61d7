import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive } from '@guichet/testing/live-client';

describe('flow: tickets, counters and call-next', () => {
  let t: TestApp;
  let siteId: string;
  let serviceId: string;
  let supervisor: Agent;
  let queueA: string;
  let queueB: string;

  const api = () => request(t.url);
  const as = (agent: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${agent.token}`);
  const issue = (body: Record<string, unknown>, who: { token: string } = supervisor) => as(who, api().post('/api/v1/tickets')).send(body);
  const ticketCount = async () => Number(((await t.dataSource.query(`SELECT count(*) AS n FROM tickets WHERE site_id = $1`, [siteId])) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    queueA = (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: 'Accueil', prefix: 'A' })).id;
    queueB = (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: 'État civil', prefix: 'B' })).id;
  });
  afterAll(() => t.close());

  async function openCounter(queueIds: string[]): Promise<{ agent: Agent; counterId: string; counterName: string }> {
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const counter = await createCounter(t.url, supervisor.token, { siteId, name: `Guichet ${uniqueSuffix()}`, queueIds });
    const opened = await as(agent, api().post(`/api/v1/counters/${counter.id}/open`)).send({});
    expect(opened.status).toBe(200);
    return { agent, counterId: counter.id, counterName: counter.name };
  }

  async function drain(queueIds: string[]): Promise<void> {
    await t.dataSource.query(`UPDATE tickets SET status = 'cancelled' WHERE queue_id = ANY($1::uuid[]) AND status = 'waiting'`, [queueIds]);
  }

  it('issues numbered tickets with position and estimate, idempotently', async () => {
    await drain([queueA]);
    const first = await issue({ queueId: queueA, channel: 'desk' }).set('Idempotency-Key', `kiosk-${uniqueSuffix()}-1`);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ queueId: queueA, status: 'waiting', number: expect.stringMatching(/^A\d{3}$/), position: 1 });
    expect(first.body.estimatedWaitSeconds).toBe(0);

    const key = `kiosk-${uniqueSuffix()}-2`;
    const second = await issue({ queueId: queueA, channel: 'kiosk' }).set('Idempotency-Key', key);
    const retry = await issue({ queueId: queueA, channel: 'kiosk' }).set('Idempotency-Key', key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(second.body.id);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(second.body.position).toBe(2);
    const reused = await issue({ queueId: queueB, channel: 'kiosk' }).set('Idempotency-Key', key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('lets a kiosk key issue tickets only on its own site', async () => {
    const kiosk = await createApiKey(t.dataSource, ['kiosk'], [siteId]);
    const ok = await api().post('/api/v1/tickets').set('X-Api-Key', kiosk.key).send({ queueId: queueA, channel: 'kiosk', needs: ['reduced_mobility'] });
    expect(ok.status).toBe(201);
    expect(ok.body.priorityClass).toBe('needs');
    const otherSite = await createSite(t.dataSource);
    const stranger = await createApiKey(t.dataSource, ['kiosk'], [otherSite]);
    const refused = await api().post('/api/v1/tickets').set('X-Api-Key', stranger.key).send({ queueId: queueA, channel: 'kiosk' });
    expect(refused.status).toBe(404);
    const noScope = await createApiKey(t.dataSource, ['visitors:read'], [siteId]);
    expect((await api().post('/api/v1/tickets').set('X-Api-Key', noScope.key).send({ queueId: queueA, channel: 'kiosk' })).status).toBe(403);
  });

  it('refuses bad input with a problem and leaves the state unchanged', async () => {
    const before = await ticketCount();
    const unknownQueue = await issue({ queueId: '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20', channel: 'kiosk' });
    expect(unknownQueue.status).toBe(404);
    const badChannel = await issue({ queueId: queueA, channel: 'fax', needs: ['jetpack'] });
    expect(badChannel.status).toBe(400);
    expect((badChannel.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['channel', 'needs']);
    const badHours = await as(supervisor, api().post('/api/v1/queues')).send({
      siteId,
      serviceId,
      name: 'Horaires faux',
      prefix: 'H',
      openingHours: { mon: [{ open: '14:00', close: '09:00' }] },
    });
    expect(badHours.status).toBe(400);
    expect((badHours.body.errors as { field: string }[]).map((e) => e.field)).toContain('openingHours.mon[0].close');
    const closedQueue = (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: 'Fermée', prefix: 'Z', active: false })).id;
    const closed = await issue({ queueId: closedQueue, channel: 'kiosk' });
    expect(closed.status).toBe(422);
    expect(closed.body.code).toBe('queue_closed');
    expect(await ticketCount()).toBe(before);

    const { counterId } = await openCounter([queueB]);
    const intruder = await createAgent(t.dataSource, t.url, siteId);
    const notOpened = await as(intruder, api().post(`/api/v1/counters/${counterId}/call-next`));
    expect(notOpened.status).toBe(422);
    expect(notOpened.body.code).toBe('counter_not_open');

    const waiting = await issue({ queueId: queueB, channel: 'desk' });
    const neverStarted = await as(supervisor, api().post(`/api/v1/tickets/${waiting.body.id}/finish`)).send({});
    expect(neverStarted.status).toBe(422);
    expect(neverStarted.body.code).toBe('invalid_transition');
    const after = await as(supervisor, api().get(`/api/v1/tickets/${waiting.body.id}`));
    expect(after.body.status).toBe('waiting');
  });

  it('runs a ticket through call, recall, start and finish with live events and a snapshot', async () => {
    await drain([queueA, queueB]);
    const { agent, counterId, counterName } = await openCounter([queueA]);
    const display = await createApiKey(t.dataSource, ['display'], [siteId]);
    const screen = await connectLive(t.url, { apiKey: display.key, siteId });
    await screen.waitFor((events) => events.some((e) => e.name === 'subscribed'));

    const ticket = await issue({ queueId: queueA, channel: 'kiosk' });
    const called = await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
    expect(called.status).toBe(200);
    expect(called.body).toMatchObject({ id: ticket.body.id, status: 'called', counterId });
    await screen.waitFor((events) => events.some((e) => e.name === 'ticket.called' && e.body.ticketId === ticket.body.id));
    expect(screen.events.find((e) => e.name === 'ticket.called')!.body).toMatchObject({ counterName, number: ticket.body.number, siteId });

    const busy = await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('agent_busy');

    expect((await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/recall`))).body.recallCount).toBe(1);
    expect((await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/start`))).body.status).toBe('serving');
    const snapshot = await as(agent, api().get(`/api/v1/sites/${siteId}/flow`));
    expect(snapshot.status).toBe(200);
    expect(snapshot.body.counters.find((c: { counterId: string }) => c.counterId === counterId)).toMatchObject({ state: 'serving', currentTicketId: ticket.body.id });
    expect(snapshot.body.lastCalls[0]).toMatchObject({ ticketId: ticket.body.id, counterName });
    const done = await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/finish`)).send({});
    expect(done.body).toMatchObject({ status: 'done', endedAt: expect.any(String) });
    expect((await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`))).status).toBe(204);

    await screen.waitFor((events) => events.some((e) => e.name === 'ticket.done'));
    const seqs = screen.events.filter((e) => typeof e.body?.seq === 'number').map((e) => e.body.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(Math.max(...seqs)).toBeLessThanOrEqual(((await as(agent, api().get(`/api/v1/sites/${siteId}/flow`))).body.seq as number));
    screen.close();
  });

  it('marks a no-show after the allowed recalls', async () => {
    await drain([queueA]);
    const { agent, counterId } = await openCounter([queueA]);
    const ticket = await issue({ queueId: queueA, channel: 'desk' });
    await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
    await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/recall`));
    await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/recall`));
    const third = await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/recall`));
    expect(third.body.status).toBe('no_show');
    const state = await as(agent, api().get(`/api/v1/sites/${siteId}/flow`));
    expect(state.body.counters.find((c: { counterId: string }) => c.counterId === counterId).state).toBe('available');
  });

  it('keeps the arrival time across a transfer, so the total stay covers both queues', async () => {
    await drain([queueA, queueB]);
    const first = await openCounter([queueA]);
    const second = await openCounter([queueB]);
    const earlyInB = await issue({ queueId: queueB, channel: 'desk' });
    const ticket = await issue({ queueId: queueA, channel: 'desk' });
    const laterInB = await issue({ queueId: queueB, channel: 'desk' });
    await as(first.agent, api().post(`/api/v1/counters/${first.counterId}/call-next`));
    await as(first.agent, api().post(`/api/v1/tickets/${ticket.body.id}/start`));
    const moved = await as(first.agent, api().post(`/api/v1/tickets/${ticket.body.id}/transfer`)).send({ queueId: queueB, reason: 'Acte de naissance' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ queueId: queueB, status: 'waiting', number: ticket.body.number, arrivedAt: ticket.body.arrivedAt });
    expect(moved.body.position).toBe(2); // behind the earlier arrival, ahead of the later one

    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await as(second.agent, api().post(`/api/v1/counters/${second.counterId}/call-next`));
      order.push(next.body.id);
      await as(second.agent, api().post(`/api/v1/tickets/${next.body.id}/start`));
      await as(second.agent, api().post(`/api/v1/tickets/${next.body.id}/finish`)).send({});
    }
    expect(order).toEqual([earlyInB.body.id, ticket.body.id, laterInB.body.id]);
    const final = await as(supervisor, api().get(`/api/v1/tickets/${ticket.body.id}`));
    expect(final.body.arrivedAt).toBe(ticket.body.arrivedAt);
    expect(new Date(final.body.endedAt).getTime() - new Date(final.body.arrivedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(final.body.endedAt).getTime() - new Date(moved.body.queuedAt).getTime(),
    );
    const history = (await t.dataSource.query(`SELECT type, queue_id FROM ticket_events WHERE ticket_id = $1 ORDER BY id`, [ticket.body.id])) as {
      type: string;
      queue_id: string;
    }[];
    expect(history.map((h) => h.type)).toEqual(['issued', 'called', 'started', 'transferred', 'called', 'started', 'done']);
  });

  it('serves 200 tickets exactly once with 20 agents calling at once, in key order', async () => {
    const queue = (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: 'Charge', prefix: 'C' })).id;
    for (let i = 0; i < 200; i++) {
      const needs = i % 7 === 0 ? ['reduced_mobility'] : i % 13 === 0 ? ['urgency'] : [];
      const res = await issue({ queueId: queue, channel: 'kiosk', needs });
      expect(res.status).toBe(201);
    }
    const counters = await Promise.all(Array.from({ length: 20 }, () => openCounter([queue])));
    const served: { id: string; calledAt: string }[] = [];
    await Promise.all(
      counters.map(async ({ agent, counterId }) => {
        for (;;) {
          const next = await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
          if (next.status === 204) return;
          expect(next.status).toBe(200);
          served.push({ id: next.body.id, calledAt: next.body.calledAt });
          await as(agent, api().post(`/api/v1/tickets/${next.body.id}/start`));
          const done = await as(agent, api().post(`/api/v1/tickets/${next.body.id}/finish`)).send({});
          expect(done.status).toBe(200);
        }
      }),
    );
    expect(served).toHaveLength(200);
    expect(new Set(served.map((s) => s.id)).size).toBe(200);
    const rows = (await t.dataSource.query(
      `SELECT id, status, sort_key, first_called_at FROM tickets WHERE queue_id = $1 ORDER BY first_called_at, sort_key`,
      [queue],
    )) as { id: string; status: string; sort_key: Date; first_called_at: Date }[];
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    // Order follows the keys: a ticket is never called after one with a later key was called
    // earlier than it by more than the in-flight window (20 agents take 20 tickets at a time).
    const byKey = [...rows].sort((a, b) => a.sort_key.getTime() - b.sort_key.getTime() || (a.id < b.id ? -1 : 1));
    const callRank = new Map(rows.map((r, i) => [r.id, i]));
    byKey.forEach((row, keyRank) => expect(Math.abs(callRank.get(row.id)! - keyRank)).toBeLessThan(20));
  });

  it('lets a display catch up on the calls it missed while disconnected', async () => {
    await drain([queueA]);
    const { agent, counterId, counterName } = await openCounter([queueA]);
    const display = await createApiKey(t.dataSource, ['display'], [siteId]);
    const screen = await connectLive(t.url, { apiKey: display.key, siteId });
    await screen.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const lastSeq = screen.events.find((e) => e.name === 'subscribed')!.body.seq as number;
    screen.socket.disconnect();

    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const ticket = await issue({ queueId: queueA, channel: 'kiosk' });
      numbers.push(ticket.body.number);
      await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
      await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/start`));
      await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/finish`)).send({});
    }
    const back = await connectLive(t.url, { apiKey: display.key, siteId, afterSeq: lastSeq });
    await back.waitFor((events) => events.some((e) => e.name === 'subscribed'));
    const calls = back.events.filter((e) => e.name === 'ticket.called').map((e) => [e.body.number, e.body.counterName]);
    expect(calls).toEqual(numbers.map((n) => [n, counterName]));
    back.close();
  });

  it('exposes a public follow-up page by token and lets the visitor cancel', async () => {
    const ticket = await issue({ queueId: queueA, channel: 'web' });
    const page = await api().get(`/api/v1/public/tickets/${ticket.body.trackingToken}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ number: ticket.body.number, status: 'waiting', position: expect.any(Number) });
    expect(JSON.stringify(page.body)).not.toContain(ticket.body.id);
    expect((await api().post(`/api/v1/public/tickets/${ticket.body.trackingToken}/cancel`)).status).toBe(204);
    expect((await api().get(`/api/v1/public/tickets/${ticket.body.trackingToken}`)).body.status).toBe('cancelled');
    expect((await api().get('/api/v1/public/tickets/not-a-token')).status).toBe(404);
  });

  it('pauses with a reason from the list and times the states', async () => {
    const { agent, counterId } = await openCounter([queueA]);
    const bad = await as(agent, api().post(`/api/v1/counters/${counterId}/pause`)).send({ reason: 'nap' });
    expect(bad.status).toBe(400);
    const paused = await as(agent, api().post(`/api/v1/counters/${counterId}/pause`)).send({ reason: 'back_office' });
    expect(paused.body).toMatchObject({ state: 'paused', pauseReason: 'back_office' });
    expect((await as(agent, api().post(`/api/v1/counters/${counterId}/resume`))).body.state).toBe('available');
    expect((await as(agent, api().post(`/api/v1/counters/${counterId}/close`))).body.state).toBe('closed');
    const states = (await t.dataSource.query(
      `SELECT st.state FROM agent_session_states st JOIN agent_sessions s ON s.id = st.session_id WHERE s.counter_id = $1 ORDER BY st.id`,
      [counterId],
    )) as { state: string }[];
    expect(states.map((s) => s.state)).toEqual(['available', 'paused', 'available', 'closed']);
  });
});
