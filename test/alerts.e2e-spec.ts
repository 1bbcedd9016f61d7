import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AlertEvaluator } from '@guichet/core/alerts/alert-evaluator.service';
import { evaluationJob } from '@guichet/core/alerts/alert-trigger.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

/** Upper bounds only: a slow or busy machine waits longer, nothing asserts a duration. */
const WAIT_MS = 20_000;

interface AlertRow {
  id: string;
  kind: string;
  dedup_key: string;
  counter_id: string | null;
  ticket_id: string | null;
  details: { value: number; threshold: number };
  acknowledged_at: Date | null;
  resolved_at: Date | null;
}

describe('flow alerts (API + worker)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let producer: JobProducer;
  let queue: Queue;
  let queueEvents: QueueEvents;
  const clients: RecordingClient[] = [];

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);

  beforeAll(async () => {
    t = await startTestApp();
    worker = await createWorkerApp();
    // The API's producer: it outlives the worker restarts below.
    producer = t.app.get(JobProducer);
    queue = t.app.get<Queue>(getQueueToken(QUEUES.alerts));
    queueEvents = new QueueEvents(QUEUES.alerts, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await queueEvents.waitUntilReady();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await queueEvents?.close();
    await worker?.close();
    await t?.close();
  });

  async function site(): Promise<{ siteId: string; supervisor: Agent; queueId: string }> {
    const { siteId, serviceId } = await createOpenSite(t.dataSource);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const { id: queueId } = await createQueue(t.url, supervisor.token, { siteId, serviceId, name: `Accueil ${uniqueSuffix()}`, prefix: 'A' });
    return { siteId, supervisor, queueId };
  }

  async function putRules(who: Agent, queueId: string, body: Record<string, unknown>): Promise<request.Response> {
    return as(who, api().put(`/api/v1/queues/${queueId}/alert-rules`)).send(body);
  }

  async function issue(who: Agent, queueId: string, count = 1): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await as(who, api().post('/api/v1/tickets')).send({ queueId, channel: 'desk' });
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    }
    return ids;
  }

  /** Enqueues an evaluation that runs now (a fresh jobId: the 10 s bucket id would collapse with earlier ones). */
  function enqueueEvaluation(queueId: string): Promise<Job> {
    return producer.enqueue('alerts.evaluate-queue', { queueId }, { jobId: `alerts-eval-${queueId}-test-${randomUUID()}` });
  }

  async function evaluate(queueId: string): Promise<void> {
    await (await enqueueEvaluation(queueId)).waitUntilFinished(queueEvents, WAIT_MS);
  }

  async function alerts(queueId: string, openOnly = true): Promise<AlertRow[]> {
    return (await t.dataSource.query(
      `SELECT * FROM flow_alerts WHERE queue_id = $1 ${openOnly ? 'AND resolved_at IS NULL' : ''} ORDER BY raised_at, dedup_key`,
      [queueId],
    )) as AlertRow[];
  }

  async function storedEvents(queueId: string, type: string): Promise<number> {
    const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM live_events WHERE type = $1 AND data->>'queueId' = $2`, [
      type,
      queueId,
    ])) as { n: number }[];
    return n;
  }

  async function live(who: Agent, siteId: string): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token, siteId });
    clients.push(client);
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
    return client;
  }

  const received = (client: RecordingClient, name: string, queueId: string) => client.events.filter((e) => e.name === name && e.body.queueId === queueId);

  async function openCounter(supervisor: Agent, siteId: string, queueId: string): Promise<{ agent: Agent; counterId: string }> {
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const counter = await createCounter(t.url, supervisor.token, { siteId, name: `Guichet ${uniqueSuffix()}`, queueIds: [queueId] });
    expect((await as(agent, api().post(`/api/v1/counters/${counter.id}/open`)).send({})).status).toBe(200);
    return { agent, counterId: counter.id };
  }

  async function backdate(ticketIds: string[], minutes: number): Promise<void> {
    await t.dataSource.query(
      `UPDATE tickets SET arrived_at = arrived_at - make_interval(mins => $2), queued_at = queued_at - make_interval(mins => $2) WHERE id = ANY($1::uuid[])`,
      [ticketIds, minutes],
    );
  }

  it('raises one alert on the sixth ticket over a threshold of 5, pushes it to the site, and resolves it once served below', async () => {
    const { siteId, supervisor, queueId } = await site();
    expect((await putRules(supervisor, queueId, { maxWaiting: 5 })).status).toBe(200);
    const dashboard = await live(supervisor, siteId);
    const stranger = await site();
    const otherDashboard = await live(stranger.supervisor, stranger.siteId);

    await issue(supervisor, queueId, 5);
    await evaluate(queueId);
    expect(await alerts(queueId)).toEqual([]);

    await issue(supervisor, queueId);
    await evaluate(queueId);
    await evaluate(queueId);
    const [alert] = await alerts(queueId);
    expect(await alerts(queueId)).toHaveLength(1);
    expect(alert).toMatchObject({ kind: 'waiting_count', dedup_key: `waiting_count:${queueId}`, details: { value: 6, threshold: 5 } });

    await dashboard.waitFor((events) => events.some((e) => e.name === 'alert.raised' && e.body.alertId === alert.id), WAIT_MS);
    expect(received(dashboard, 'alert.raised', queueId)).toEqual([
      {
        name: 'alert.raised',
        body: {
          alertId: alert.id,
          queueId,
          counterId: null,
          ticketId: null,
          kind: 'waiting_count',
          severity: 'warning',
          value: 6,
          threshold: 5,
          raisedAt: expect.any(String),
          siteId,
          seq: expect.any(Number),
          at: expect.any(String),
        },
      },
    ]);
    const listed = await as(supervisor, api().get('/api/v1/alerts')).query({ siteId, status: 'open' });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: alert.id, queueId, kind: 'waiting_count', status: 'open', value: 6, threshold: 5, unit: 'tickets' }] });

    // Serve two: four left waiting, below the threshold.
    const { agent, counterId } = await openCounter(supervisor, siteId, queueId);
    const first = await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
    expect((await as(agent, api().post(`/api/v1/tickets/${first.body.id}/start`))).status).toBe(200);
    expect((await as(agent, api().post(`/api/v1/tickets/${first.body.id}/finish`)).send({})).status).toBe(200);
    expect((await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`))).status).toBe(200);
    await evaluate(queueId);

    expect(await alerts(queueId)).toEqual([]);
    await dashboard.waitFor((events) => events.some((e) => e.name === 'alert.resolved' && e.body.alertId === alert.id), WAIT_MS);
    const history = await as(supervisor, api().get('/api/v1/alerts')).query({ siteId, status: 'resolved' });
    expect(history.body).toMatchObject({ total: 1, items: [{ id: alert.id, status: 'resolved', resolvedAt: expect.any(String) }] });
    expect(received(dashboard, 'alert.raised', queueId)).toHaveLength(1);
    expect(otherDashboard.events.filter((e) => e.name.startsWith('alert.'))).toEqual([]);
  });

  it('raises the alert from the evaluation that ticket changes enqueue, with no sweep or manual trigger', async () => {
    const { supervisor, queueId } = await site();
    expect((await putRules(supervisor, queueId, { maxWaiting: 2 })).status).toBe(200);
    await issue(supervisor, queueId, 3);
    // The issuance enqueued its queue's evaluation for the end of the current 10 s bucket.
    const scheduled = (await queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter(
      (job) => job.name === 'alerts.evaluate-queue' && (job.data as { queueId: string }).queueId === queueId && !job.id?.includes('-test-'),
    );
    expect(scheduled.length).toBeGreaterThan(0);
    await Promise.all(scheduled.map((job) => job.waitUntilFinished(queueEvents, WAIT_MS).catch(() => undefined)));
    const deadline = Date.now() + WAIT_MS;
    while ((await alerts(queueId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await alerts(queueId)).map((a) => a.kind)).toEqual(['waiting_count']);
  });

  it('raises alerts from the 30 s sweep alone, with no trigger from the API', async () => {
    const { supervisor, queueId } = await site();
    // Thresholds written directly: the API's PUT would also enqueue an evaluation.
    await t.dataSource.query(`INSERT INTO queue_alert_rules (queue_id, max_waiting) VALUES ($1, 1)`, [queueId]);
    await issue(supervisor, queueId, 2);
    expect(await queue.getJobScheduler('alerts-sweep')).toMatchObject({ name: 'alerts.sweep', pattern: '*/30 * * * * *' });

    // Run the sweep now rather than waiting for its next tick; it enqueues the queue's bucket job (≤ 10 s delay).
    await (await producer.enqueue('alerts.sweep', {}, { jobId: `alerts-sweep-test-${randomUUID()}` })).waitUntilFinished(queueEvents, WAIT_MS);
    const deadline = Date.now() + WAIT_MS;
    while ((await alerts(queueId)).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await alerts(queueId)).map((a) => a.kind)).toEqual(['waiting_count']);
  });

  it('raises each alert exactly once when the worker is killed while alerts are due and started again', async () => {
    const { siteId, supervisor, queueId } = await site();
    expect((await putRules(supervisor, queueId, { maxWaiting: 2, maxLongestWaitMinutes: 10, maxTicketWaitMinutes: 10 })).status).toBe(200);
    const tickets = await issue(supervisor, queueId, 3);
    await backdate(tickets, 20);
    const dashboard = await live(supervisor, siteId);
    // waiting_count, longest_wait, and ticket_wait for each of the three tickets.
    const due = 5;

    // Evaluations pile up (the bucket jobId twice: one job), and the worker goes down among them.
    const bucket = evaluationJob(queueId, Date.now()).jobId;
    const before = await Promise.all([
      ...Array.from({ length: 4 }, () => enqueueEvaluation(queueId)),
      producer.enqueue('alerts.evaluate-queue', { queueId }, { jobId: bucket }),
      producer.enqueue('alerts.evaluate-queue', { queueId }, { jobId: bucket }),
    ]);
    expect(before[4].id).toBe(before[5].id);
    await worker.close();

    worker = await createWorkerApp();
    const after = await Promise.all(Array.from({ length: 4 }, () => enqueueEvaluation(queueId)));
    // A second worker evaluating the same queue at the same moment.
    const evaluator = worker.get(AlertEvaluator);
    await Promise.all([evaluator.evaluate(queueId), evaluator.evaluate(queueId)]);
    for (const job of [...before, ...after]) await job.waitUntilFinished(queueEvents, WAIT_MS);
    // A job run again after its worker died before acknowledging it (BullMQ's stalled-job recovery).
    const replayed = (await Job.fromId(queue, after[0].id!))!;
    await replayed.retry('completed');
    await replayed.waitUntilFinished(queueEvents, WAIT_MS);

    const open = await alerts(queueId);
    expect(open.map((a) => a.kind).sort()).toEqual(['longest_wait', 'ticket_wait', 'ticket_wait', 'ticket_wait', 'waiting_count']);
    expect(open.filter((a) => a.kind === 'ticket_wait').map((a) => a.ticket_id).sort()).toEqual([...tickets].sort());
    expect(await alerts(queueId, false)).toHaveLength(due);
    expect(await storedEvents(queueId, 'alert.raised')).toBe(due);
    expect(await storedEvents(queueId, 'alert.resolved')).toBe(0);
    await dashboard.waitFor((events) => received({ events } as RecordingClient, 'alert.raised', queueId).length >= due, WAIT_MS);
    await evaluate(queueId); // one more pass after the client caught up: still nothing new
    const pushed = received(dashboard, 'alert.raised', queueId).map((e) => e.body.alertId);
    expect(pushed).toHaveLength(due);
    expect(new Set(pushed)).toEqual(new Set(open.map((a) => a.id)));
  });

  it('raises counter_idle per counter available or paused too long while tickets wait, and ticket_wait per overdue ticket', async () => {
    const { siteId, supervisor, queueId } = await site();
    expect((await putRules(supervisor, queueId, { maxCounterIdleMinutes: 5, maxTicketWaitMinutes: 15 })).status).toBe(200);
    const available = await openCounter(supervisor, siteId, queueId);
    const paused = await openCounter(supervisor, siteId, queueId);
    expect((await as(paused.agent, api().post(`/api/v1/counters/${paused.counterId}/pause`)).send({ reason: 'break' })).status).toBe(200);
    const [old, recent] = await issue(supervisor, queueId, 2);
    await backdate([old], 20);
    await backdate([recent], 10);
    await t.dataSource.query(
      `UPDATE agent_sessions SET state_since = now() - interval '30 minutes' WHERE counter_id = ANY($1::uuid[]) AND closed_at IS NULL`,
      [[available.counterId, paused.counterId]],
    );

    await evaluate(queueId);
    const raised = await alerts(queueId);
    expect(raised.map((a) => [a.kind, a.counter_id ?? a.ticket_id]).sort()).toEqual(
      [
        ['counter_idle', available.counterId],
        ['counter_idle', paused.counterId],
        ['ticket_wait', old],
      ].sort(),
    );
    // Idle while tickets wait: since the oldest ticket came (20 min), not since the session state changed (30 min).
    expect(raised.find((a) => a.counter_id === available.counterId)!.details).toMatchObject({ threshold: 300 });
    expect(raised.find((a) => a.counter_id === available.counterId)!.details.value).toBeGreaterThanOrEqual(1200);
    expect(raised.find((a) => a.counter_id === available.counterId)!.details.value).toBeLessThan(1800);

    // The available counter calls the overdue ticket: its idle alert and the ticket's resolve; the paused one stays.
    const called = await as(available.agent, api().post(`/api/v1/counters/${available.counterId}/call-next`));
    expect(called.body.id).toBe(old);
    await evaluate(queueId);
    expect((await alerts(queueId)).map((a) => [a.kind, a.counter_id])).toEqual([['counter_idle', paused.counterId]]);

    expect((await as(paused.agent, api().post(`/api/v1/counters/${paused.counterId}/resume`))).status).toBe(200);
    await evaluate(queueId);
    expect(await alerts(queueId)).toEqual([]);
    expect(await alerts(queueId, false)).toHaveLength(3);
  });

  it('raises longest and estimated wait alerts, and resolves them when the thresholds are turned off', async () => {
    const { supervisor, queueId } = await site();
    expect((await putRules(supervisor, queueId, { maxLongestWaitMinutes: 10, maxEstimatedWaitMinutes: 10 })).status).toBe(200);
    const [first] = await issue(supervisor, queueId, 3);
    await backdate([first], 12);
    await evaluate(queueId);
    // No service history: 300 s per ticket, no counter open → 3 × 300 s = 15 min estimated.
    expect((await alerts(queueId)).map((a) => [a.kind, a.details.value]).sort()).toEqual([
      ['estimated_wait', 900],
      ['longest_wait', expect.any(Number)],
    ]);

    expect((await putRules(supervisor, queueId, {})).body).toMatchObject({ maxLongestWaitMinutes: null, maxEstimatedWaitMinutes: null, version: 2 });
    await evaluate(queueId);
    expect(await alerts(queueId)).toEqual([]);
  });

  it('keeps thresholds per queue for supervisors, refuses bad input and strangers with a problem, and audits changes', async () => {
    const { siteId, supervisor, queueId } = await site();
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const stranger = (await site()).supervisor;
    const rules = () => as(supervisor, api().get(`/api/v1/queues/${queueId}/alert-rules`));
    const auditCount = async () =>
      ((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_entries WHERE entity = 'queue_alert_rules' AND entity_id = $1`, [queueId])) as { n: number }[])[0].n;

    expect((await rules()).body).toEqual({
      queueId,
      maxWaiting: null,
      maxLongestWaitMinutes: null,
      maxEstimatedWaitMinutes: null,
      maxCounterIdleMinutes: null,
      maxTicketWaitMinutes: null,
      version: 0,
      updatedAt: null,
    });
    const saved = await putRules(supervisor, queueId, { maxWaiting: 8, maxTicketWaitMinutes: 30 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ maxWaiting: 8, maxTicketWaitMinutes: 30, maxLongestWaitMinutes: null, version: 1 });
    expect(await auditCount()).toBe(1);
    const [entry] = (await t.dataSource.query(`SELECT action, site_id, changes FROM audit_entries WHERE entity = 'queue_alert_rules' AND entity_id = $1`, [
      queueId,
    ])) as { action: string; site_id: string; changes: unknown }[];
    expect(entry).toEqual({ action: 'create', site_id: siteId, changes: { maxWaiting: { to: 8 }, maxTicketWaitMinutes: { to: 30 } } });

    const negative = await putRules(supervisor, queueId, { maxWaiting: -1, maxTicketWaitMinutes: 30 });
    expect(negative.status).toBe(400);
    expect(negative.headers['content-type']).toContain('application/problem+json');
    expect(negative.body.errors.map((e: { field: string }) => e.field)).toEqual(['maxWaiting']);
    const bad = await putRules(supervisor, queueId, { maxLongestWaitMinutes: 1.5, maxEstimatedWaitMinutes: 100000, maxCounterIdleMinutes: '5', colour: 'red' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([
      'colour',
      'maxCounterIdleMinutes',
      'maxEstimatedWaitMinutes',
      'maxLongestWaitMinutes',
    ]);
    expect((await putRules(agent, queueId, { maxWaiting: 1 })).status).toBe(403);
    expect((await putRules(stranger, queueId, { maxWaiting: 1 })).status).toBe(404);
    expect((await as(supervisor, api().get(`/api/v1/alert-rules/${queueId}`))).status).toBe(200);
    expect((await as(stranger, api().get(`/api/v1/queues/${queueId}/alert-rules`))).status).toBe(404);
    // PUT replaces: the ticket threshold not sent is turned off.
    expect((await putRules(supervisor, queueId, { maxWaiting: 1 })).status).toBe(200);
    expect((await rules()).body).toMatchObject({ maxWaiting: 1, version: 2 });
    const conflict = await as(supervisor, api().put(`/api/v1/queues/${queueId}/alert-rules`)).set('If-Match', '"1"').send({ maxWaiting: 2 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('stale_version');

    // Nothing changed by the refused requests; an identical save writes nothing either.
    expect((await rules()).body).toMatchObject({ maxWaiting: 1, maxTicketWaitMinutes: null, version: 2 });
    expect((await putRules(supervisor, queueId, { maxWaiting: 1 })).body.version).toBe(2);
    expect(await auditCount()).toBe(2);
  });

  it('lets one supervisor of the site acknowledge an alert, once, and nobody from another site', async () => {
    const { siteId, supervisor, queueId } = await site();
    const colleague = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const stranger = (await site()).supervisor;
    expect((await putRules(supervisor, queueId, { maxWaiting: 0 })).status).toBe(200);
    await issue(supervisor, queueId);
    await evaluate(queueId);
    const [alert] = await alerts(queueId);
    const dashboard = await live(colleague, siteId);
    const acknowledge = (who: Agent, id = alert.id) => as(who, api().post(`/api/v1/alerts/${id}/acknowledge`));

    expect((await acknowledge(stranger)).status).toBe(404);
    expect((await acknowledge(agent)).status).toBe(403);
    expect((await acknowledge(supervisor, randomUUID())).status).toBe(404);
    expect((await as(stranger, api().get('/api/v1/alerts')).query({ siteId })).body).toEqual({ items: [], total: 0 });
    expect((await alerts(queueId))[0].acknowledged_at).toBeNull();

    const acked = await acknowledge(supervisor);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: alert.id, status: 'acknowledged', acknowledgedByUserId: supervisor.id, acknowledgedAt: expect.any(String) });
    const again = await acknowledge(colleague);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_acknowledged');

    await dashboard.waitFor((events) => events.some((e) => e.name === 'alert.acknowledged' && e.body.alertId === alert.id), WAIT_MS);
    expect(received(dashboard, 'alert.acknowledged', queueId)).toHaveLength(1);
    const [entry] = (await t.dataSource.query(`SELECT actor_id, action FROM audit_entries WHERE entity = 'flow_alert' AND entity_id = $1`, [alert.id])) as {
      actor_id: string;
      action: string;
    }[];
    expect(entry).toEqual({ actor_id: supervisor.id, action: 'update' });

    const list = (query: Record<string, string>) => as(supervisor, api().get('/api/v1/alerts')).query({ siteId, ...query });
    expect((await list({ status: 'acknowledged' })).body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);
    expect((await list({ status: 'open' })).body.total).toBe(0);
    expect((await list({ from: new Date(Date.now() + 60_000).toISOString() })).body.total).toBe(0);
    expect((await list({ status: 'closed' })).status).toBe(400);
    expect((await list({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' })).status).toBe(400);
    // Still waiting, still acknowledged: the next evaluation keeps it open and raises nothing new.
    await evaluate(queueId);
    expect(await alerts(queueId, false)).toHaveLength(1);
  });
});
