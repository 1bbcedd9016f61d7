import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { reminderJobId, TaskRemindersService } from '@guichet/core/tasks/task-reminders.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

/** Upper bounds only: a slow machine waits longer, nothing asserts a duration. */
const WAIT_MS = 20_000;

describe('tasks, reminders, callbacks and next-up', () => {
  const savedPrefix = process.env.REDIS_PREFIX;
  let t: TestApp;
  let worker: INestApplicationContext | undefined;
  let followups: Queue;
  let followupEvents: QueueEvents;
  let producer: JobProducer;
  let siteId: string;
  let serviceId: string;
  let agent: Agent;
  let supervisor: Agent;
  const clients: RecordingClient[] = [];

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

  beforeAll(async () => {
    // Own Redis prefix: other suites run workers at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-tasks`;
    t = await startTestApp();
    worker = await createWorkerApp();
    followups = t.app.get<Queue>(getQueueToken(QUEUES.followups));
    producer = t.app.get(JobProducer);
    followupEvents = new QueueEvents(QUEUES.followups, { connection: followups.opts.connection, prefix: followups.opts.prefix });
    await followupEvents.waitUntilReady();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    agent = await createAgent(t.dataSource, t.url, siteId);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await followupEvents?.close();
    await worker?.close();
    await t?.close();
    process.env.REDIS_PREFIX = savedPrefix;
  });

  async function live(who: Agent): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token });
    clients.push(client);
    return client;
  }

  async function createTask(who: Agent, body: Record<string, unknown>): Promise<{ id: string; remindAt: string | null; version: number }> {
    const res = await as(who, api().post('/api/v1/tasks')).send({ siteId, title: `Tâche ${uniqueSuffix()}`, ...body });
    if (res.status !== 201) throw new Error(`task: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; remindAt: string | null; version: number };
  }

  async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > WAIT_MS) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const reminderSent = async (taskId: string) =>
    ((await t.dataSource.query(`SELECT reminder_sent_at FROM tasks WHERE id = $1`, [taskId])) as { reminder_sent_at: Date | null }[])[0].reminder_sent_at;
  const reminderEvents = (taskId: string) => count(`SELECT count(*) AS n FROM live_events WHERE type = 'task.reminder' AND data->>'taskId' = $1`, [taskId]);
  const isDue = async (taskId: string) => count(`SELECT count(*) AS n FROM tasks WHERE id = $1 AND remind_at <= now()`, [taskId]).then((n) => n === 1);

  /**
   * Runs the sweep now, without its grace period (the scheduled one only takes reminders 30 s late,
   * so that the sweeps of other suites' workers sharing this database never race these tests).
   */
  async function sweep(): Promise<{ sent: number }> {
    return worker!.get(TaskRemindersService).sweep(0);
  }

  describe('reminders', () => {
    it('fire once at their time, privately to the owner, and are kept on the task', async () => {
      const mine = await live(agent);
      const other = await live(await createAgent(t.dataSource, t.url, siteId));
      const task = await createTask(agent, { remindAt: inSeconds(2), urgent: true });
      expect(await followups.getJob(reminderJobId(task.id, new Date(task.remindAt!)))).toBeDefined();
      await mine.waitFor((events) => events.some((e) => e.name === 'task.reminder' && e.body.taskId === task.id), WAIT_MS);
      const sentAt = await reminderSent(task.id);
      expect(sentAt).not.toBeNull();
      expect(sentAt!.getTime()).toBeGreaterThanOrEqual(new Date(task.remindAt!).getTime());
      // A duplicate job and the sweep find the claim taken.
      const dup = await producer.enqueue('followups.task-reminder', { taskId: task.id, remindAt: task.remindAt! }, { jobId: `dup-${randomUUID()}` });
      expect(await dup.waitUntilFinished(followupEvents, WAIT_MS)).toMatchObject({ sent: false, reason: 'already sent' });
      await sweep();
      expect(await reminderEvents(task.id)).toBe(1);
      expect(other.events.some((e) => e.name === 'task.reminder' && e.body.taskId === task.id)).toBe(false);
      const read = await as(agent, api().get(`/api/v1/tasks/${task.id}`));
      expect(read.body.reminderSentAt).not.toBeNull();
    });

    it('are cancelled when the task is completed first; a leftover job is a no-op', async () => {
      const task = await createTask(agent, { remindAt: inSeconds(3) });
      const jobId = reminderJobId(task.id, new Date(task.remindAt!));
      expect(await followups.getJob(jobId)).toBeDefined();
      expect((await as(agent, api().post(`/api/v1/tasks/${task.id}/complete`))).status).toBe(200);
      expect(await followups.getJob(jobId)).toBeUndefined();
      await waitUntil(() => isDue(task.id), 'the reminder time');
      await sweep();
      const stale = await producer.enqueue('followups.task-reminder', { taskId: task.id, remindAt: task.remindAt! }, { jobId: `stale-${randomUUID()}` });
      expect(await stale.waitUntilFinished(followupEvents, WAIT_MS)).toMatchObject({ sent: false, reason: 'task done' });
      expect(await reminderSent(task.id)).toBeNull();
      expect(await reminderEvents(task.id)).toBe(0);
    });

    it('move with the task: the old job goes, the new time reminds once', async () => {
      const task = await createTask(agent, { remindAt: inSeconds(3600) });
      const moved = await as(agent, api().patch(`/api/v1/tasks/${task.id}`)).set('If-Match', `"${task.version}"`).send({ remindAt: inSeconds(2) });
      expect(moved.status).toBe(200);
      expect(await followups.getJob(reminderJobId(task.id, new Date(task.remindAt!)))).toBeUndefined();
      expect(await followups.getJob(reminderJobId(task.id, new Date(moved.body.remindAt as string)))).toBeDefined();
      await waitUntil(async () => (await reminderSent(task.id)) !== null, 'the moved reminder');
      expect(await reminderEvents(task.id)).toBe(1);
      // A stale If-Match is refused and changes nothing.
      const stale = await as(agent, api().patch(`/api/v1/tasks/${task.id}`)).set('If-Match', `"${task.version}"`).send({ title: 'Autre' });
      expect(stale.status).toBe(409);
    });

    it('survive a worker restart, and the sweep sends those whose job Redis lost', async () => {
      await worker!.close();
      worker = undefined;
      const waiting = await createTask(agent, { remindAt: inSeconds(1) });
      const lost = await createTask(agent, { remindAt: inSeconds(1) });
      await followups.remove(reminderJobId(lost.id, new Date(lost.remindAt!)));
      await waitUntil(async () => (await isDue(waiting.id)) && (await isDue(lost.id)), 'both reminder times');
      expect(await reminderSent(waiting.id)).toBeNull();
      worker = await createWorkerApp();
      await waitUntil(async () => (await reminderSent(waiting.id)) !== null, 'the reminder after restart');
      expect(await reminderSent(lost.id)).toBeNull();
      await sweep();
      expect(await reminderSent(lost.id)).not.toBeNull();
      expect(await reminderEvents(waiting.id)).toBe(1);
      expect(await reminderEvents(lost.id)).toBe(1);
    });
  });

  describe('tasks', () => {
    it('derive the quadrant and list mine and my service’s', async () => {
      const serviceAgent = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
      const who = { ...serviceAgent, token: (await login(t.url, serviceAgent)).accessToken };
      const forService = await createTask(supervisor, { ownerServiceId: serviceId, important: true });
      const own = await createTask(who, { urgent: true, important: true });
      const list = await as(who, api().get('/api/v1/tasks')).query({ ownerUserId: 'me', status: 'open' });
      expect(list.status).toBe(200);
      const byId = new Map((list.body.items as { id: string; quadrant: string }[]).map((i) => [i.id, i.quadrant]));
      expect(byId.get(forService.id)).toBe('schedule');
      expect(byId.get(own.id)).toBe('do_first');
      const doFirst = await as(who, api().get('/api/v1/tasks')).query({ ownerUserId: 'me', quadrant: 'do_first' });
      expect((doFirst.body.items as { id: string }[]).map((i) => i.id)).toEqual([own.id]);
    });

    it('recur: completing an occurrence creates the next one exactly once, same local time', async () => {
      const dueAt = new Date(Date.now() + 86_400_000);
      dueAt.setUTCSeconds(0, 0);
      const task = await createTask(agent, { dueAt: dueAt.toISOString(), recurrence: 'FREQ=DAILY', remindAt: new Date(dueAt.getTime() - 600_000).toISOString() });
      const done = await as(agent, api().post(`/api/v1/tasks/${task.id}/complete`));
      expect(done.status).toBe(200);
      const next = await as(agent, api().get(`/api/v1/tasks/${done.body.nextTaskId as string}`));
      expect(next.body).toMatchObject({ status: 'open', recurrence: 'FREQ=DAILY', previousTaskId: task.id });
      expect(new Date(next.body.dueAt as string).getTime() - dueAt.getTime()).toBe(86_400_000);
      expect(new Date(next.body.dueAt as string).getTime() - new Date(next.body.remindAt as string).getTime()).toBe(600_000);
      const again = await as(agent, api().post(`/api/v1/tasks/${task.id}/complete`));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('not_open');
      expect(await count(`SELECT count(*) AS n FROM tasks WHERE previous_task_id = $1`, [task.id])).toBe(1);
    });
  });

  describe('bad input: 4xx problem, nothing changed', () => {
    const tasks = () => count(`SELECT count(*) AS n FROM tasks WHERE site_id = $1`, [siteId]);
    const callbacks = () => count(`SELECT count(*) AS n FROM callbacks WHERE site_id = $1`, [siteId]);

    it.each([
      ['a reminder in the past', { remindAt: new Date(Date.now() - 60_000).toISOString() }, 400, 'remindAt'],
      ['a reminder without offset', { remindAt: '2030-01-01T10:00:00' }, 400, 'remindAt'],
      ['an invalid RRULE', { dueAt: '2030-01-01T10:00:00Z', recurrence: 'FREQ=SOMETIMES' }, 400, 'recurrence'],
      ['a recurrence without due date', { recurrence: 'FREQ=DAILY' }, 400, 'recurrence'],
      ['an empty title', { title: '  ' }, 400, 'title'],
    ])('%s', async (_, body, status, field) => {
      const before = await tasks();
      const res = await as(agent, api().post('/api/v1/tasks')).send({ siteId, title: 'x', ...body });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await tasks()).toBe(before);
    });

    it('an unknown assignee (user or service of another site)', async () => {
      const other = await createOpenSite(t.dataSource);
      const stranger = await createUser(t.dataSource, 'agent', [other.siteId]);
      const before = await tasks();
      const callbacksBefore = await callbacks();
      for (const body of [{ ownerUserId: stranger.id }, { ownerUserId: randomUUID() }, { ownerServiceId: other.serviceId }]) {
        const res = await as(agent, api().post('/api/v1/tasks')).send({ siteId, title: 'x', ...body });
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('unknown_assignee');
      }
      const res = await as(agent, api().post('/api/v1/callbacks')).send({ siteId, contactName: 'A', phone: '0612345678', subject: 'x', ownerUserId: stranger.id });
      expect(res.status).toBe(422);
      expect(await tasks()).toBe(before);
      expect(await callbacks()).toBe(callbacksBefore);
    });

    it('a site the caller cannot see is 404', async () => {
      const other = await createOpenSite(t.dataSource);
      const before = await tasks();
      expect((await as(agent, api().post('/api/v1/tasks')).send({ siteId: other.siteId, title: 'x' })).status).toBe(404);
      expect(await tasks()).toBe(before);
    });

    it('completing or cancelling a closed task', async () => {
      const task = await createTask(agent, {});
      expect((await as(agent, api().post(`/api/v1/tasks/${task.id}/cancel`))).status).toBe(200);
      for (const action of ['complete', 'cancel']) {
        const res = await as(agent, api().post(`/api/v1/tasks/${task.id}/${action}`));
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('not_open');
      }
      const row = (await t.dataSource.query(`SELECT status, version FROM tasks WHERE id = $1`, [task.id])) as { status: string; version: number }[];
      expect(row[0]).toEqual({ status: 'cancelled', version: 2 });
    });

    it.each([
      ['no number', { phone: undefined }, 'phone'],
      ['an invalid number', { phone: '12' }, 'phone'],
      ['no subject', { subject: '' }, 'subject'],
      ['a deadline in the past', { callBefore: new Date(Date.now() - 60_000).toISOString() }, 'callBefore'],
    ])('a callback with %s', async (_, body, field) => {
      const before = await callbacks();
      const res = await as(agent, api().post('/api/v1/callbacks')).send({ siteId, contactName: 'Camille Martin', phone: '06 12 34 56 78', subject: 'Dossier', ...body });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await callbacks()).toBe(before);
    });
  });

  describe('callbacks', () => {
    it('normalise the number, log attempts and close once', async () => {
      const created = await as(agent, api().post('/api/v1/callbacks')).send({
        siteId,
        contactName: 'Camille Martin',
        phone: '06 12 34 56 78',
        subject: 'Attestation de domicile',
        callBefore: inSeconds(7200),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ phone: '+33612345678', status: 'open', ownerUserId: agent.id, attemptCount: 0 });
      const id = created.body.id as string;
      const noAnswer = await as(agent, api().post(`/api/v1/callbacks/${id}/attempts`)).send({ result: 'no_answer' });
      expect(noAnswer.body).toMatchObject({ status: 'open', attemptCount: 1 });
      const reached = await as(agent, api().post(`/api/v1/callbacks/${id}/attempts`)).send({ result: 'reached', notes: 'Rappelée, dossier complet' });
      expect(reached.body).toMatchObject({ status: 'done', outcome: 'reached', attemptCount: 2 });
      expect((reached.body.attempts as { result: string }[]).map((a) => a.result)).toEqual(['no_answer', 'reached']);
      const late = await as(agent, api().post(`/api/v1/callbacks/${id}/attempts`)).send({ result: 'reached' });
      expect(late.status).toBe(409);
      expect(await count(`SELECT count(*) AS n FROM callback_attempts WHERE callback_id = $1`, [id])).toBe(2);
      const close = await as(agent, api().post(`/api/v1/callbacks/${id}/close`)).send({ outcome: 'cancelled' });
      expect(close.status).toBe(409);
    });
  });

  describe('next up', () => {
    it('merges tickets, callbacks, e-mails and tasks in the documented order', async () => {
      const desk = await createOpenSite(t.dataSource);
      const boss = await createAgent(t.dataSource, t.url, desk.siteId, 'supervisor');
      const me = await createAgent(t.dataSource, t.url, desk.siteId);
      const queue = await createQueue(t.url, boss.token, { siteId: desk.siteId, serviceId: desk.serviceId, name: 'Accueil', prefix: 'A' });
      const counter = await createCounter(t.url, boss.token, { siteId: desk.siteId, name: 'Guichet 1', queueIds: [queue.id] });
      expect((await as(me, api().post(`/api/v1/counters/${counter.id}/open`)).send({})).status).toBe(200);
      const tickets: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await as(boss, api().post('/api/v1/tickets')).send({ queueId: queue.id, channel: 'desk' });
        expect(res.status).toBe(201);
        tickets.push(res.body.id as string);
      }
      const post = async (path: string, body: Record<string, unknown>) => {
        const res = await as(me, api().post(path)).send({ siteId: desk.siteId, ...body });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const overdue = await post('/api/v1/tasks', { title: 'Relancer le prestataire', dueAt: new Date(Date.now() - 3600_000).toISOString() });
      const callback = await post('/api/v1/callbacks', { contactName: 'M. Durand', phone: '0612345678', subject: 'Carte grise', callBefore: inSeconds(600) });
      const doFirst = await post('/api/v1/tasks', { title: 'Badge visiteur', urgent: true, important: true });
      const someday = await post('/api/v1/tasks', { title: 'Ranger les brochures' });
      const [request] = (await t.dataSource.query(`INSERT INTO requests (site_id, channel, subject, status) VALUES ($1, 'email', 'Horaires', 'open') RETURNING id`, [
        desk.siteId,
      ])) as { id: string }[];
      await t.dataSource.query(
        `INSERT INTO email_messages (site_id, request_id, direction, message_id, from_address, subject) VALUES ($1, $2, 'inbound', $3, 'a@example.org', 'Horaires')`,
        [desk.siteId, request.id, `<${randomUUID()}@example.org>`],
      );
      const res = await as(me, api().get('/api/v1/me/next-up'));
      expect(res.status).toBe(200);
      expect(res.body.counterId).toBe(counter.id);
      const items = res.body.items as { kind: string; id: string; tier: string }[];
      expect(items.map((i) => `${i.kind}:${i.id}`)).toEqual([
        `task:${overdue}`,
        `callback:${callback}`,
        `ticket:${tickets[0]}`,
        `ticket:${tickets[1]}`,
        `task:${doFirst}`,
        `email:${request.id}`,
        `task:${someday}`,
      ]);
      expect(items.map((i) => i.tier)).toEqual(['overdue', 'due_soon', 'urgent_important', 'urgent_important', 'urgent_important', 'important', 'other']);
      // Answered: the e-mail leaves the list.
      await t.dataSource.query(
        `INSERT INTO email_messages (site_id, request_id, direction, message_id, from_address, subject, status, at) VALUES ($1, $2, 'outbound', $3, 'accueil@example.org', 'Re: Horaires', 'sent', now() + interval '1 second')`,
        [desk.siteId, request.id, `<${randomUUID()}@example.org>`],
      );
      const after = await as(me, api().get('/api/v1/me/next-up'));
      expect((after.body.items as { kind: string }[]).some((i) => i.kind === 'email')).toBe(false);
    });
  });
});
