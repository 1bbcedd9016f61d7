import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import { DateTime } from 'luxon';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { escalationJobId, warningJobId } from '@guichet/core/complaints/complaint-clocks';
import { ComplaintSlaSteps } from '@guichet/core/complaints/complaint-sla-steps.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { eventuallyWithin } from '@guichet/testing/eventually';
import { MailSink, ReceivedMail, startMailSink } from '@guichet/testing/mail-sink';
import { createApiKey, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync') as { parse: (input: string, options?: Record<string, unknown>) => string[][] };

/**
 * Text of a PDF through pdf-parse. In a child Node process: pdf.js loads its worker with a dynamic
 * import(), which Jest's CommonJS sandbox refuses without --experimental-vm-modules.
 */
function pdfText(data: Buffer): Promise<string> {
  const script = `const { PDFParse } = require('pdf-parse');
    const chunks = []; process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => process.stdout.write((await new PDFParse({ data: Buffer.concat(chunks) }).getText()).text));`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), maxBuffer: 10 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(data);
  });
}

/** Upper bounds only: a slow machine waits longer, nothing asserts a duration. */
const WAIT_MS = 30_000;
const ZONE = 'Europe/Paris';
const NINE_TO_SIX = [{ open: '09:00', close: '18:00' }];
const OFFICE_HOURS = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX };

interface ClockJson {
  kind: 'acknowledge' | 'answer';
  dueAt: string;
  warnAt: string | null;
  pausedAt: string | null;
  pausedMinutes: number;
  stoppedAt: string | null;
  state: string;
  breached: boolean;
  minutesLeft: number | null;
}

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) => eventuallyWithin(probe, what, WAIT_MS);

describe('complaints: lifecycle, SLA clocks in business time, escalations and monthly report', () => {
  const savedEnv = { SMTP_URL: process.env.SMTP_URL, REDIS_PREFIX: process.env.REDIS_PREFIX, PUBLIC_URL: process.env.PUBLIC_URL };
  let mails: ReceivedMail[] = [];
  const clients: RecordingClient[] = [];
  let sink: MailSink | undefined;
  let t: TestApp;
  let worker: INestApplicationContext;
  let followups: Queue;
  let followupEvents: QueueEvents;

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    sink = await startMailSink();
    mails = sink.mails;
    process.env.SMTP_URL = sink.url;
    process.env.PUBLIC_URL = 'https://guichet.test';
    // Own Redis prefix: other suites run workers at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-complaints`;
    t = await startTestApp();
    worker = await createWorkerApp();
    followups = t.app.get<Queue>(getQueueToken(QUEUES.followups));
    followupEvents = new QueueEvents(QUEUES.followups, { connection: followups.opts.connection, prefix: followups.opts.prefix });
    await followupEvents.waitUntilReady();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await followupEvents?.close();
    await worker?.close();
    await t?.close();
    await sink?.close();
    Object.assign(process.env, savedEnv);
  });

  async function site(opts: { hours?: unknown; zone?: string } = {}): Promise<{ siteId: string; supervisor: Agent; agent: Agent }> {
    const [row] = (await t.dataSource.query(`INSERT INTO sites (name, time_zone, opening_hours) VALUES ($1, $2, $3) RETURNING id`, [
      `Réclamations ${uniqueSuffix()}`,
      opts.zone ?? ZONE,
      JSON.stringify(opts.hours ?? OFFICE_HOURS),
    ])) as { id: string }[];
    const supervisor = await createAgent(t.dataSource, t.url, row.id, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, row.id);
    return { siteId: row.id, supervisor, agent };
  }

  async function category(who: Agent, siteId: string, body: Record<string, unknown>): Promise<string> {
    const res = await as(who, api().post('/api/v1/complaint-categories')).send({ siteId, name: `Motif ${uniqueSuffix()}`, ...body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function complain(who: Agent, body: Record<string, unknown>): Promise<{ id: string; clocks: ClockJson[]; [key: string]: unknown }> {
    const res = await as(who, api().post('/api/v1/complaints')).send({ channel: 'desk', reason: 'Attente trop longue', description: 'Deux heures debout', ...body });
    if (res.status !== 201) throw new Error(`complaint: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; clocks: ClockJson[] };
  }

  const clock = (complaint: { clocks: ClockJson[] }, kind: 'acknowledge' | 'answer') => complaint.clocks.find((c) => c.kind === kind) as ClockJson;
  const local = (iso: string, zone = ZONE) => DateTime.fromISO(iso, { zone }).toFormat("cccc yyyy-MM-dd HH:mm", { locale: 'en' });

  async function live(who: Agent, siteId: string): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token, siteId });
    clients.push(client);
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
    return client;
  }

  it('counts a 4-business-hour SLA from Friday 17:55 to Monday 12:55 in the site time zone', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 60, answerMinutes: 240, warningPercent: 75 });
    // A past Friday 17:55 in Paris (an e-mail received then, recorded now).
    const friday = DateTime.now().setZone(ZONE).minus({ weeks: 1 }).set({ weekday: 5, hour: 17, minute: 55, second: 0, millisecond: 0 });
    const created = await complain(agent, { siteId, channel: 'email', categoryId, receivedAt: friday.toISO() });

    expect(local(created.receivedAt as string)).toBe(`Friday ${friday.toISODate()} 17:55`);
    const monday = friday.plus({ days: 3 }).toISODate();
    expect(local(clock(created, 'answer').dueAt)).toBe(`Monday ${monday} 12:55`);
    expect(local(clock(created, 'acknowledge').dueAt)).toBe(`Monday ${monday} 09:55`);
    // 75 % of 240 business minutes = 180: 5 on Friday, 175 on Monday from 9:00.
    expect(local(clock(created, 'answer').warnAt as string)).toBe(`Monday ${monday} 11:55`);
    const read = await as(agent, api().get(`/api/v1/complaints/${created.id}`));
    expect(read.status).toBe(200);
    expect(clock(read.body, 'answer').dueAt).toBe(clock(created, 'answer').dueAt);
    const [row] = (await t.dataSource.query(`SELECT due_at FROM complaint_clocks WHERE complaint_id = $1 AND kind = 'answer'`, [created.id])) as {
      due_at: Date;
    }[];
    expect(row.due_at.toISOString()).toBe(DateTime.fromISO(`${monday}T12:55`, { zone: ZONE }).toUTC().toISO());

    // Same moment on a category that counts around the clock: 4 real hours.
    const allDay = await category(supervisor, siteId, { acknowledgeMinutes: 60, answerMinutes: 240, useBusinessHours: false });
    const other = await complain(agent, { siteId, channel: 'email', categoryId: allDay, receivedAt: friday.toISO() });
    expect(local(clock(other, 'answer').dueAt)).toBe(`Friday ${friday.toISODate()} 21:55`);
  });

  it('warns the owner once and escalates to supervisors once (live and one mail), across a worker restart', async () => {
    const { siteId, supervisor, agent } = await site();
    // Around the clock; the answer warning one minute after reception, the breach 60 minutes after it.
    const categoryId = await category(supervisor, siteId, {
      acknowledgeMinutes: 600,
      answerMinutes: 60,
      warningMinutesBefore: 59,
      useBusinessHours: false,
    });
    const ownerLive = await live(agent, siteId);
    const supervisorLive = await live(supervisor, siteId);
    const receivedAt = new Date(Date.now() - 60 * 60_000 + 20_000); // answer due in 20 s, its warning already due
    const created = await complain(agent, { siteId, categoryId, receivedAt: receivedAt.toISOString(), severity: 'high' });
    const dueAt = new Date(clock(created, 'answer').dueAt);
    expect(created.ownerUserId).toBe(agent.id);

    await eventually(async () => (await count(`SELECT count(*) AS n FROM complaint_clocks WHERE complaint_id = $1 AND kind = 'answer' AND warned_at IS NOT NULL`, [created.id])) === 1 || undefined, 'the warning');
    await ownerLive.waitFor((events) => events.some((e) => e.name === 'complaint.sla_warning' && e.body.complaintId === created.id), WAIT_MS);

    // The worker dies between the warning and the escalation, and another one starts.
    await worker.close();
    expect(await count(`SELECT count(*) AS n FROM complaint_clocks WHERE complaint_id = $1 AND escalated_at IS NOT NULL`, [created.id])).toBe(0);
    worker = await createWorkerApp();

    await eventually(
      async () => (await count(`SELECT count(*) AS n FROM complaint_clocks WHERE complaint_id = $1 AND kind = 'answer' AND escalation_mailed_at IS NOT NULL`, [created.id])) === 1 || undefined,
      'the escalation mail',
    );
    await supervisorLive.waitFor((events) => events.some((e) => e.name === 'complaint.sla_escalated' && e.body.complaintId === created.id), WAIT_MS);

    // Replays: both jobs run again (a stalled job recovered), and the sweep passes twice.
    for (const id of [warningJobId(created.id, 'answer', dueAt), escalationJobId(created.id, 'answer', dueAt)]) {
      const job = await Job.fromId(followups, id);
      expect(job).toBeDefined();
      if ((await job!.getState()) !== 'completed') await job!.waitUntilFinished(followupEvents, WAIT_MS);
      await job!.retry('completed');
      await job!.waitUntilFinished(followupEvents, WAIT_MS);
    }
    const steps = worker.get(ComplaintSlaSteps);
    await steps.sweep();
    await steps.sweep();
    const sweep = await t.app.get(JobProducer).enqueue('followups.complaint-sla-sweep', {}, { jobId: `complaint-sweep-test-${randomUUID()}` });
    await sweep.waitUntilFinished(followupEvents, WAIT_MS);

    const events = async (type: string) => count(`SELECT count(*) AS n FROM live_events WHERE type = $1 AND data->>'complaintId' = $2`, [type, created.id]);
    expect(await events('complaint.sla_warning')).toBe(1);
    expect(await events('complaint.sla_escalated')).toBe(1);
    const history = await as(agent, api().get(`/api/v1/complaints/${created.id}/history`));
    expect(history.body.items.filter((e: { type: string }) => e.type === 'sla_warning')).toHaveLength(1);
    expect(history.body.items.filter((e: { type: string }) => e.type === 'sla_escalated')).toEqual([
      expect.objectContaining({ actor: { type: 'system', id: null, label: 'SLA' }, data: { clock: 'answer', dueAt: dueAt.toISOString() } }),
    ]);
    const escalationMails = mails.filter((m) => m.text.includes(created.id));
    expect(escalationMails).toHaveLength(1);
    expect(escalationMails[0].to).toEqual([supervisor.email]);
    expect(ownerLive.events.filter((e) => e.name === 'complaint.sla_warning' && e.body.complaintId === created.id)).toHaveLength(1);
    expect(supervisorLive.events.filter((e) => e.name === 'complaint.sla_escalated' && e.body.complaintId === created.id)).toHaveLength(1);
    // The warning is private to the owner: the supervisor's socket did not get it.
    expect(supervisorLive.events.some((e) => e.name === 'complaint.sla_warning' && e.body.complaintId === created.id)).toBe(false);

    const read = (await as(agent, api().get(`/api/v1/complaints/${created.id}`))).body;
    expect(read.escalationReason).toBe('answer_sla');
    expect(clock(read, 'answer')).toMatchObject({ state: 'breached', breached: true });
    expect(clock(read, 'acknowledge')).toMatchObject({ state: 'running', breached: false });
    // Answering late stops the clock, which stays breached.
    const answered = await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'answered', answer: 'Nous avons revu le planning' });
    expect(answered.status).toBe(200);
    expect(clock(answered.body, 'answer')).toMatchObject({ state: 'breached', minutesLeft: null });
    expect(clock(answered.body, 'acknowledge').state).toBe('met');
  });

  it('performs the steps whose jobs Redis lost through the sweep, once', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 30, answerMinutes: 60, useBusinessHours: false });
    await worker.close();
    const created = await complain(agent, { siteId, categoryId, receivedAt: new Date(Date.now() - 2 * 3600_000).toISOString() });
    for (const kind of ['acknowledge', 'answer'] as const) {
      const due = new Date(clock(created, kind).dueAt);
      await followups.remove(warningJobId(created.id, kind, due));
      await followups.remove(escalationJobId(created.id, kind, due));
      expect(await Job.fromId(followups, escalationJobId(created.id, kind, due))).toBeUndefined();
    }
    worker = await createWorkerApp();
    const steps = worker.get(ComplaintSlaSteps);
    await Promise.all([steps.sweep(), steps.sweep()]);
    expect(await count(`SELECT count(*) AS n FROM complaint_clocks WHERE complaint_id = $1 AND escalated_at IS NOT NULL AND escalation_mailed_at IS NOT NULL`, [created.id])).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM live_events WHERE type = 'complaint.sla_escalated' AND data->>'complaintId' = $1`, [created.id])).toBe(2);
    expect(mails.filter((m) => m.text.includes(created.id))).toHaveLength(2);
    // The first breach names the escalation.
    expect((await as(agent, api().get(`/api/v1/complaints/${created.id}`))).body.escalationReason).toBe('acknowledge_sla');
  });

  it('runs the lifecycle: acknowledge, investigate, pause and resume, answer, close, reopen, with history and jobs following', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 120, answerMinutes: 600, warningPercent: 50, useBusinessHours: false });
    const created = await complain(agent, { siteId, categoryId, requestedRemedy: 'Un remboursement' });
    const ackDue = new Date(clock(created, 'acknowledge').dueAt);
    expect(await Job.fromId(followups, escalationJobId(created.id, 'acknowledge', ackDue))).toBeDefined();

    const ack = await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'acknowledged' });
    expect(ack.status).toBe(200);
    expect(clock(ack.body, 'acknowledge').state).toBe('met');
    // The acknowledge clock's pending jobs went with it.
    expect(await Job.fromId(followups, escalationJobId(created.id, 'acknowledge', ackDue))).toBeUndefined();
    expect(await Job.fromId(followups, warningJobId(created.id, 'acknowledge', ackDue))).toBeUndefined();
    expect((await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'investigating' })).status).toBe(200);

    // Waiting for the visitor: the answer clock pauses; its due time moves by the time waited.
    const answerDue = new Date(clock(ack.body, 'answer').dueAt);
    const paused = await as(agent, api().post(`/api/v1/complaints/${created.id}/pause`)).send({ reason: 'Justificatif attendu' });
    expect(paused.status).toBe(200);
    expect(clock(paused.body, 'answer').state).toBe('paused');
    expect(await Job.fromId(followups, escalationJobId(created.id, 'answer', answerDue))).toBeUndefined();
    await t.dataSource.query(`UPDATE complaint_clocks SET paused_at = paused_at - interval '30 minutes' WHERE complaint_id = $1 AND kind = 'answer'`, [
      created.id,
    ]);
    const resumed = await as(agent, api().post(`/api/v1/complaints/${created.id}/resume`)).send({});
    expect(resumed.status).toBe(200);
    const after = clock(resumed.body, 'answer');
    expect(after.state).toBe('running');
    expect(after.pausedMinutes).toBeGreaterThanOrEqual(30);
    expect(new Date(after.dueAt).getTime()).toBeCloseTo(answerDue.getTime() + after.pausedMinutes * 60_000, -1);
    expect(await Job.fromId(followups, escalationJobId(created.id, 'answer', new Date(after.dueAt)))).toBeDefined();

    const answered = await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'answered', answer: 'Remboursement accordé' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', answer: 'Remboursement accordé' });
    expect(clock(answered.body, 'answer').state).toBe('met');
    const patched = await as(agent, api().patch(`/api/v1/complaints/${created.id}`)).send({
      compensation: 'Remboursement du timbre',
      compensationAmount: 12.5,
      withinRemit: false,
      followUp: 'Rappeler la visiteuse',
      followUpOn: '2026-12-15',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ compensationAmount: 12.5, withinRemit: false, followUpOn: '2026-12-15' });
    expect((await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'closed' })).status).toBe(200);
    const reopened = await as(agent, api().post(`/api/v1/complaints/${created.id}/status`)).send({ status: 'reopened' });
    expect(reopened.status).toBe(200);
    expect(clock(reopened.body, 'answer')).toMatchObject({ state: 'running', stoppedAt: null, pausedMinutes: 0 });

    const history = (await as(agent, api().get(`/api/v1/complaints/${created.id}/history`))).body.items as { type: string; actor: { id: string }; data: Record<string, unknown> }[];
    expect(history.map((e) => (e.type === 'status_changed' ? `${e.data.from}>${e.data.to}` : e.type))).toEqual([
      'created',
      'received>acknowledged',
      'acknowledged>investigating',
      'paused',
      'resumed',
      'investigating>answered',
      'updated',
      'answered>closed',
      'closed>reopened',
    ]);
    expect(history.every((e) => e.actor.id === agent.id)).toBe(true);
    const list = await as(supervisor, api().get('/api/v1/complaints')).query({ siteId, status: 'reopened' });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
  });

  it('links a complaint to a request, replays an Idempotency-Key, and opens to API keys by scope', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 60, answerMinutes: 600 });
    const req = await as(agent, api().post('/api/v1/requests')).send({ siteId, channel: 'desk', subject: 'Passeport' });
    expect(req.status).toBe(201);
    const body = { siteId, channel: 'desk', categoryId, reason: 'Dossier perdu', description: 'Le dossier déposé est introuvable', requestId: req.body.id };
    const first = await as(agent, api().post('/api/v1/complaints')).set('Idempotency-Key', 'complaint-key-0001').send(body);
    const again = await as(agent, api().post('/api/v1/complaints')).set('Idempotency-Key', 'complaint-key-0001').send(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body.requestId).toBe(req.body.id);
    expect(await count(`SELECT count(*) AS n FROM complaints WHERE request_id = $1`, [req.body.id])).toBe(1);
    const reused = await as(agent, api().post('/api/v1/complaints')).set('Idempotency-Key', 'complaint-key-0001').send({ ...body, reason: 'Autre' });
    expect(reused.status).toBe(422);

    const reader = (await createApiKey(t.dataSource, ['complaints:read'], [siteId])).key;
    expect((await api().get('/api/v1/complaints').set('X-Api-Key', reader).query({ siteId })).body.total).toBe(1);
    expect((await api().post('/api/v1/complaints').set('X-Api-Key', reader).send(body)).status).toBe(403);
    const writer = (await createApiKey(t.dataSource, ['complaints:write'], [siteId])).key;
    const byKey = await api().post('/api/v1/complaints').set('X-Api-Key', writer).send({ ...body, channel: 'web', requestId: undefined });
    expect(byKey.status).toBe(201);
    expect(byKey.body.ownerUserId).toBeNull();
  });

  it('turns a low survey answer into a complaint in one call, once', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 60, answerMinutes: 600 });
    const [visitor] = (await t.dataSource.query(`INSERT INTO visitors (site_id, first_name, last_name) VALUES ($1, 'Inès', 'Martin') RETURNING id`, [siteId])) as { id: string }[];
    const [service] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteId, `État civil ${uniqueSuffix()}`])) as { id: string }[];
    const [response] = (await t.dataSource.query(
      `INSERT INTO survey_responses (site_id, source, visitor_id, service_id, agent_user_id, channel, language, csat)
       VALUES ($1, 'kiosk', $2, $3, $4, 'desk', 'fr', 1) RETURNING id`,
      [siteId, visitor.id, service.id, agent.id],
    )) as { id: string }[];
    const body = { surveyResponseId: response.id, categoryId, reason: 'Accueil désagréable', description: 'Note 1/5 à la borne' };
    const res = await as(supervisor, api().post('/api/v1/complaints')).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ siteId, channel: 'survey', visitorId: visitor.id, serviceId: service.id, agentUserId: agent.id, surveyResponseId: response.id });
    const again = await as(supervisor, api().post('/api/v1/complaints')).send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('survey_response_already_complained');
    expect(await count(`SELECT count(*) AS n FROM complaints WHERE survey_response_id = $1`, [response.id])).toBe(1);
  });

  it('refuses bad input with a 4xx problem and writes nothing', async () => {
    const { siteId, supervisor, agent } = await site();
    const categoryId = await category(supervisor, siteId, { acknowledgeMinutes: 60, answerMinutes: 600 });
    const created = await complain(agent, { siteId, categoryId });
    const snapshot = async () => ({
      complaints: await count(`SELECT count(*) AS n FROM complaints WHERE site_id = $1`, [siteId]),
      clocks: await count(`SELECT count(*) AS n FROM complaint_clocks k JOIN complaints c ON c.id = k.complaint_id WHERE c.site_id = $1`, [siteId]),
      events: await count(`SELECT count(*) AS n FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.site_id = $1`, [siteId]),
      categories: await count(`SELECT count(*) AS n FROM complaint_categories WHERE site_id = $1`, [siteId]),
      version: await count(`SELECT version AS n FROM complaints WHERE id = $1`, [created.id]),
      paused: await count(`SELECT count(*) AS n FROM complaint_clocks WHERE complaint_id = $1 AND paused_at IS NOT NULL`, [created.id]),
    });
    const post = (path: string, body: Record<string, unknown>, who: Agent = agent) => as(who, api().post(path)).send(body);
    const base = { siteId, categoryId, reason: 'Motif', description: 'Description' };
    const expectProblem = async (res: request.Response, status: number, code?: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (code) expect(res.body.code).toBe(code);
    };

    let before = await snapshot();
    await expectProblem(await post('/api/v1/complaints', base), 400, 'validation_failed'); // no channel
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'fax' }), 400);
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'survey' }), 400); // survey channel without a response
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', categoryId: randomUUID() }), 422, 'invalid_reference');
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', surveyResponseId: randomUUID() }), 422, 'invalid_reference');
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', requestId: randomUUID(), ticketId: randomUUID() }), 422, 'invalid_reference');
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', reason: '   ' }), 400);
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', receivedAt: new Date(Date.now() + 3600_000).toISOString() }), 400);
    await expectProblem(await post('/api/v1/complaints', { ...base, channel: 'desk', siteId: randomUUID() }), 404);
    await expectProblem(await post('/api/v1/complaint-categories', { siteId, name: 'Double', acknowledgeMinutes: 10, answerMinutes: 60, warningPercent: 50, warningMinutesBefore: 5 }, supervisor), 400);
    await expectProblem(await post('/api/v1/complaint-categories', { siteId, name: 'Agent', acknowledgeMinutes: 10, answerMinutes: 60 }), 403); // agents do not configure
    expect(await snapshot()).toEqual(before);

    const path = `/api/v1/complaints/${created.id}`;
    await expectProblem(await post(`${path}/status`, { status: 'closed' }), 422, 'invalid_transition'); // received → closed
    await expectProblem(await post(`${path}/status`, { status: 'answered' }), 400); // no answer text
    await expectProblem(await post(`${path}/status`, { status: 'acknowledged', answer: 'Bien reçu' }), 400);
    await expectProblem(await post(`${path}/status`, { status: 'done' }), 400);
    await expectProblem(await as(agent, api().post(`${path}/status`)).set('If-Match', '"99"').send({ status: 'acknowledged' }), 409, 'stale_version');
    await expectProblem(await post(`${path}/resume`, {}), 409, 'clock_not_paused');
    await expectProblem(await as(agent, api().patch(path)).send({ compensationAmount: 10 }), 400); // an amount without saying what
    await expectProblem(await as(agent, api().patch(path)).send({ ownerUserId: randomUUID() }), 422, 'invalid_reference');
    expect(await snapshot()).toEqual(before);

    expect((await post(`${path}/pause`, {})).status).toBe(200);
    before = await snapshot();
    await expectProblem(await post(`${path}/pause`, {}), 409, 'clock_paused'); // pausing a paused clock
    expect(await snapshot()).toEqual(before);
    expect(before.paused).toBe(2);

    // A site the caller cannot see is 404, for the complaint and for the report.
    const stranger = await site();
    await expectProblem(await as(stranger.agent, api().get(path)), 404);
    await expectProblem(await as(stranger.supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-10.csv`)), 404);
    await expectProblem(await as(supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-13.csv`)), 400);
    await expectProblem(await as(supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-10.xls`)), 404);
    await expectProblem(await as(agent, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-10.csv`)), 403);
  });

  it('reports a month to management as CSV and PDF, counted in the site time zone', async () => {
    const zone = 'Pacific/Auckland';
    const { siteId, supervisor, agent } = await site({ zone });
    // A year to answer: nothing breaches on its own while the test runs.
    const billing = await category(supervisor, siteId, { acknowledgeMinutes: 525_000, answerMinutes: 525_000, useBusinessHours: false });
    const waiting = await category(supervisor, siteId, { acknowledgeMinutes: 525_000, answerMinutes: 525_000, useBusinessHours: false });
    const [visitor] = (await t.dataSource.query(`INSERT INTO visitors (site_id, first_name, last_name) VALUES ($1, 'Paul', 'Durand') RETURNING id`, [siteId])) as { id: string }[];
    const at = (iso: string) => DateTime.fromISO(iso, { zone }).toISO();
    // 2026-10-01 00:30 in Auckland is still September in UTC; 2026-11-01 00:10 there is in October in UTC.
    const first = await complain(agent, { siteId, categoryId: billing, channel: 'desk', visitorId: visitor.id, receivedAt: at('2026-10-01T00:30') });
    const second = await complain(agent, { siteId, categoryId: billing, channel: 'email', visitorId: visitor.id, receivedAt: at('2026-10-15T10:00') });
    const third = await complain(agent, { siteId, categoryId: waiting, channel: 'phone', receivedAt: at('2026-10-31T23:50') });
    await complain(agent, { siteId, categoryId: waiting, channel: 'desk', visitorId: visitor.id, receivedAt: at('2026-11-01T00:10') }); // November
    await complain(agent, { siteId, categoryId: waiting, channel: 'desk', receivedAt: at('2026-09-30T23:50') }); // September

    const step = (id: string, body: Record<string, unknown>) => as(agent, api().post(`/api/v1/complaints/${id}/status`)).send(body);
    expect((await step(first.id, { status: 'answered', answer: 'Facture corrigée' })).status).toBe(200);
    expect((await as(agent, api().patch(`/api/v1/complaints/${first.id}`)).send({ compensation: 'Avoir', compensationAmount: 20 })).status).toBe(200);
    expect((await step(first.id, { status: 'closed' })).status).toBe(200);
    expect((await step(second.id, { status: 'acknowledged' })).status).toBe(200);
    expect((await as(agent, api().patch(`/api/v1/complaints/${second.id}`)).send({ withinRemit: false })).status).toBe(200);
    // The third complaint's answer deadline passed long ago (set in the database) and the sweep escalates it.
    await t.dataSource.query(`UPDATE complaint_clocks SET due_at = started_at + interval '1 hour' WHERE complaint_id = $1 AND kind = 'answer'`, [third.id]);
    await worker.get(ComplaintSlaSteps).sweep();
    expect(await count(`SELECT count(*) AS n FROM complaints WHERE id = $1 AND escalated_at IS NOT NULL`, [third.id])).toBe(1);

    const clocks = (await t.dataSource.query(
      `SELECT k.kind, extract(epoch FROM k.stopped_at - k.started_at) / 60 AS minutes FROM complaint_clocks k WHERE k.complaint_id = ANY($1) AND k.stopped_at IS NOT NULL`,
      [[first.id, second.id]],
    )) as { kind: string; minutes: string }[];
    const mean = (kind: string) => {
      const values = clocks.filter((c) => c.kind === kind).map((c) => Number(c.minutes));
      return Math.round((10 * values.reduce((a, b) => a + b, 0)) / values.length) / 10;
    };

    const csv = await as(supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-10.csv`)).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.text) as string[][];
    expect(rows[0]).toEqual(['section', 'item', 'value']);
    const value = (section: string, item: string) => rows.find((r) => r[0] === section && r[1] === item)?.[2];
    const names = (await as(supervisor, api().get('/api/v1/complaint-categories')).query({ siteId })).body as { id: string; name: string }[];
    const nameOf = (id: string) => names.find((c) => c.id === id)?.name as string;
    expect(value('summary', 'received')).toBe('3');
    expect(value('by_category', nameOf(billing))).toBe('2');
    expect(value('by_category', nameOf(waiting))).toBe('1');
    expect(value('by_channel', 'desk')).toBe('1');
    expect(value('by_channel', 'email')).toBe('1');
    expect(value('by_channel', 'phone')).toBe('1');
    expect(value('sla_acknowledge', 'met')).toBe('2');
    expect(value('sla_acknowledge', 'pending')).toBe('1');
    expect(value('sla_acknowledge', 'compliance_percent')).toBe('100');
    expect(value('sla_answer', 'met')).toBe('1');
    expect(value('sla_answer', 'breached')).toBe('1');
    expect(value('sla_answer', 'pending')).toBe('1');
    expect(value('sla_answer', 'compliance_percent')).toBe('50');
    expect(Number(value('sla_acknowledge', 'average_business_minutes'))).toBeCloseTo(mean('acknowledge'), 0);
    expect(Number(value('sla_answer', 'average_business_minutes'))).toBeCloseTo(mean('answer'), 0);
    // Paul Durand complained twice in October (his November complaint is another month).
    expect(value('repeated_complainant', 'Paul Durand')).toBe('2');
    expect(value('actions', 'answered')).toBe('1');
    expect(value('actions', 'closed')).toBe('1');
    expect(value('actions', 'outside_remit')).toBe('1');
    expect(value('actions', 'escalated')).toBe('1');
    expect(value('actions', 'compensations')).toBe('1');
    expect(value('actions', 'compensation_total')).toBe('20');

    const pdf = await as(supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-10.pdf`))
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('Rapport mensuel des réclamations');
    expect(text).toContain('octobre 2026');
    expect(text).toContain('Réclamations reçues : 3');
    expect(text).toContain(`${nameOf(billing)} : 2`);
    expect(text).toContain('Paul Durand : 2');
    expect(text).toMatch(/Réponse : 1 dans les délais, 1 hors délai, 1 en cours/);
    expect(text).toContain('Gestes commerciaux : 1 (total 20.00 €)');

    const json = await as(supervisor, api().get(`/api/v1/sites/${siteId}/complaint-reports/2026-11.json`));
    expect(json.body.received).toBe(1);
  });
});
