import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { escalationJobId } from '@guichet/core/incidents/escalation-policy';
import { IncidentEscalationService } from '@guichet/core/incidents/incident-escalation.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { eventuallyWithin } from '@guichet/testing/eventually';
import { MailSink, ReceivedMail, startMailSink } from '@guichet/testing/mail-sink';
import { createApiKey, createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

/** Upper bounds only: a slow or busy machine waits longer, nothing asserts a duration. */
const WAIT_MS = 30_000;

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) => eventuallyWithin(probe, what, WAIT_MS);

interface StepRow {
  step: number;
  name: string;
  due_at: Date;
  notified_at: Date | null;
  send_email: boolean;
  mail_sent_at: Date | null;
}

describe('incidents: one-tap alerts, escalation chain, register', () => {
  const savedEnv = { SMTP_URL: process.env.SMTP_URL, REDIS_PREFIX: process.env.REDIS_PREFIX };
  let mails: ReceivedMail[] = [];
  const clients: RecordingClient[] = [];
  let sink: MailSink | undefined;
  let t: TestApp;
  let worker: INestApplicationContext;
  let producer: JobProducer;
  let followupEvents: QueueEvents;

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const steps = async (alertId: string) =>
    (await t.dataSource.query(`SELECT step, name, due_at, notified_at, send_email, mail_sent_at FROM incident_alert_steps WHERE alert_id = $1 ORDER BY step`, [
      alertId,
    ])) as StepRow[];
  const storedEvents = (type: string, alertId: string, step?: number) =>
    count(`SELECT count(*) AS n FROM live_events WHERE type = $1 AND data->>'alertId' = $2 AND ($3::int IS NULL OR (data->>'step')::int = $3)`, [type, alertId, step ?? null]);

  beforeAll(async () => {
    sink = await startMailSink();
    mails = sink.mails;
    process.env.SMTP_URL = sink.url;
    // Own Redis prefix: other suites run workers at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-incidents`;
    t = await startTestApp();
    worker = await createWorkerApp();
    producer = t.app.get(JobProducer);
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.followups));
    followupEvents = new QueueEvents(QUEUES.followups, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await followupEvents.waitUntilReady();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await followupEvents?.close();
    await worker?.close();
    await t?.close();
    await sink?.close();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function live(who: { token: string }, siteId: string): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token, siteId });
    clients.push(client);
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
    return client;
  }

  const got = (client: RecordingClient, name: string, alertId: string, step?: number) =>
    client.events.filter((e) => e.name === name && e.body.alertId === alertId && (step === undefined || e.body.step === step));

  async function putPolicy(who: Agent, siteId: string, body: Record<string, unknown>, version?: number): Promise<request.Response> {
    const r = as(who, api().put(`/api/v1/sites/${siteId}/incident-escalation-policy`));
    if (version !== undefined) r.set('If-Match', `"${version}"`);
    return r.send(body);
  }

  const level = (overrides: Record<string, unknown>) => ({
    name: 'Niveau',
    delaySeconds: 60,
    notifySupervisors: false,
    notifyAdmins: false,
    notifySecurity: false,
    userIds: [],
    emails: [],
    sendEmail: false,
    ...overrides,
  });

  /** Runs one step's job now, under a fresh id (the step's own id may still be in the queue), and returns its result. */
  async function runStep(alertId: string, step: number): Promise<{ notified: number[]; mailed: number[]; skipped?: string }> {
    const job = await producer.enqueue('followups.incident-escalation', { alertId, step }, { jobId: `incident-escalation-test-${randomUUID()}` });
    return (await job.waitUntilFinished(followupEvents, WAIT_MS)) as { notified: number[]; mailed: number[]; skipped?: string };
  }

  it('"call security" reaches the supervisors and security at once, escalates once after the delay across a worker restart, and acknowledging stops the chain', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const bystander = await createAgent(t.dataSource, t.url, siteId);
    const guard = await createAgent(t.dataSource, t.url, siteId);
    const manager = await createAgent(t.dataSource, t.url, siteId);
    const [counter] = (await t.dataSource.query(`INSERT INTO counters (site_id, name) VALUES ($1, $2) RETURNING id`, [siteId, `Guichet ${uniqueSuffix()}`])) as { id: string }[];
    const policy = await putPolicy(supervisor, siteId, {
      securityUserIds: [guard.id],
      securityEmails: ['poste-securite@test.guichet'],
      levels: [
        // Long enough that the worker is surely down before it is due, even on a loaded machine.
        level({ name: 'Responsable de site', delaySeconds: 8, userIds: [manager.id], sendEmail: true }),
        level({ name: 'Direction', delaySeconds: 600, notifySupervisors: true, notifyAdmins: true }),
      ],
    }, 0);
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ isDefault: false, version: 1, levels: [{ delaySeconds: 8 }, { delaySeconds: 600 }] });

    const dashboard = await live(supervisor, siteId);
    const guardSocket = await live(guard, siteId);
    const managerSocket = await live(manager, siteId);
    const bystanderSocket = await live(bystander, siteId);

    const raised = await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'security', counterId: counter.id });
    expect(raised.status).toBe(201);
    const alertId = raised.body.alert.id as string;
    const incidentId = raised.body.incidentId as string;
    expect(raised.body.repeated).toBe(false);
    expect(raised.body.alert.steps.map((s: { step: number; notifiedAt: string | null }) => [s.step, s.notifiedAt !== null])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);

    // Pushed as soon as it is raised: no polling, the supervisors' and the guard's sockets get it.
    await dashboard.waitFor(() => got(dashboard, 'incident.alert_raised', alertId).length === 1, WAIT_MS);
    await guardSocket.waitFor(() => got(guardSocket, 'incident.alert_raised', alertId).length === 1, WAIT_MS);
    expect(got(dashboard, 'incident.alert_raised', alertId)[0].body).toMatchObject({ incidentId, kind: 'security', severity: 'security', step: 0, raisedByUserId: agent.id });

    // The worker dies before the first level is due: nothing happens while it is down.
    await worker.close();
    const [, first] = await steps(alertId);
    await eventually(async () => ((await count(`SELECT count(*) AS n FROM incident_alert_steps WHERE alert_id = $1 AND step = 1 AND due_at < now()`, [alertId])) ? true : undefined), 'step 1 due');
    expect((await steps(alertId))[1].notified_at).toBeNull();

    worker = await createWorkerApp();
    await managerSocket.waitFor(() => got(managerSocket, 'incident.alert_escalated', alertId, 1).length === 1, WAIT_MS);
    const afterRestart = await steps(alertId);
    expect(afterRestart[1].notified_at!.getTime()).toBeGreaterThanOrEqual(first.due_at.getTime());
    expect(got(managerSocket, 'incident.alert_escalated', alertId, 1)[0].body).toMatchObject({ level: 'Responsable de site', step: 1 });

    // Mails: step 0 to the security contacts, step 1 to the manager, each once.
    await eventually(() => (mails.some((m) => m.to.includes(manager.email.toLowerCase())) ? true : undefined), 'level 1 mail');
    await eventually(() => (mails.some((m) => m.to.includes('poste-securite@test.guichet')) ? true : undefined), 'security mail');
    expect(mails.filter((m) => m.to.includes('poste-securite@test.guichet'))[0].to).toEqual(['poste-securite@test.guichet', guard.email.toLowerCase()].sort());

    // The same step again (a retried or duplicated job, the sweep): nothing more.
    expect(await runStep(alertId, 1)).toMatchObject({ notified: [], mailed: [] });
    await worker.get(IncidentEscalationService).sweep();
    expect(await storedEvents('incident.alert_escalated', alertId, 1)).toBe(1);
    expect(mails.filter((m) => m.to.includes(manager.email.toLowerCase()))).toHaveLength(1);
    expect(mails.filter((m) => m.to.includes('poste-securite@test.guichet'))).toHaveLength(1);

    // The supervisor takes it: the chain stops, the people alerted are told.
    const ack = await as(supervisor, api().post(`/api/v1/incident-alerts/${alertId}/acknowledge`)).send();
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: alertId, acknowledgedByUserId: supervisor.id });
    await guardSocket.waitFor(() => got(guardSocket, 'incident.alert_acknowledged', alertId).length === 1, WAIT_MS);

    // Acknowledging twice: 409 problem, the first acknowledgement stays.
    const again = await as(supervisor, api().post(`/api/v1/incident-alerts/${alertId}/acknowledge`)).send();
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body.code).toBe('alert_already_acknowledged');
    const [ackRow] = (await t.dataSource.query(`SELECT acknowledged_at, acknowledged_by_user_id FROM incident_alerts WHERE id = $1`, [alertId])) as {
      acknowledged_at: Date;
      acknowledged_by_user_id: string;
    }[];
    expect(ackRow.acknowledged_by_user_id).toBe(supervisor.id);
    expect(ackRow.acknowledged_at.toISOString()).toBe(ack.body.acknowledgedAt);

    // Level 2 comes due after the acknowledgement: neither its job nor the sweep alerts anyone.
    await t.dataSource.query(`UPDATE incident_alert_steps SET due_at = now() - interval '1 minute' WHERE alert_id = $1 AND step = 2`, [alertId]);
    expect(await runStep(alertId, 2)).toMatchObject({ notified: [], skipped: 'acknowledged' });
    await worker.get(IncidentEscalationService).sweep();
    expect((await steps(alertId))[2].notified_at).toBeNull();
    expect(await storedEvents('incident.alert_escalated', alertId, 2)).toBe(0);

    // Private all along: a colleague on the same site saw none of it.
    expect(bystanderSocket.events.filter((e) => e.name.startsWith('incident.'))).toEqual([]);

    // The incident records the call.
    const incident = await as(supervisor, api().get(`/api/v1/incidents/${incidentId}`));
    expect(incident.status).toBe(200);
    expect(incident.body).toMatchObject({ severity: 'security', status: 'open', actions: ['security_called'], reportedByUserId: agent.id });
    expect(incident.body.alerts).toHaveLength(1);
  });

  it('performs a step whose job Redis lost (the sweep), once, in order', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const admin = await createUser(t.dataSource, 'admin', [siteId]);
    const adminToken = (await login(t.url, admin)).accessToken;
    const adminSocket = await live({ token: adminToken }, siteId);
    const dashboard = await live(supervisor, siteId);
    // Default policy: supervisors again after 120 s, then admins after 180 s more.
    const raised = await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'supervisor', place: 'Hall' });
    expect(raised.status).toBe(201);
    const alertId = raised.body.alert.id as string;
    expect(raised.body.alert.steps.map((s: { name: string }) => s.name)).toEqual(['supervisor', 'Superviseurs (relance)', 'Administrateurs et sécurité']);
    const queue = worker.get<Queue>(getQueueToken(QUEUES.followups));
    for (const step of [1, 2]) await queue.remove(escalationJobId(alertId, step));
    expect(await queue.getJob(escalationJobId(alertId, 1))).toBeUndefined();

    // Both levels' time has come while their jobs were gone.
    await t.dataSource.query(`UPDATE incident_alert_steps SET due_at = due_at - interval '10 minutes' WHERE alert_id = $1 AND step > 0`, [alertId]);
    const swept = await worker.get(IncidentEscalationService).sweep();
    expect(swept.notified).toBeGreaterThanOrEqual(2);
    await adminSocket.waitFor(() => got(adminSocket, 'incident.alert_escalated', alertId, 2).length === 1, WAIT_MS);
    await dashboard.waitFor(() => got(dashboard, 'incident.alert_escalated', alertId, 1).length === 1, WAIT_MS);
    const rows = await steps(alertId);
    expect(rows.every((r) => r.notified_at !== null)).toBe(true);
    expect(rows[1].notified_at!.getTime()).toBeLessThanOrEqual(rows[2].notified_at!.getTime());
    await worker.get(IncidentEscalationService).sweep();
    expect(await storedEvents('incident.alert_escalated', alertId)).toBe(2);
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const other = await createOpenSite(t.dataSource);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, siteId);
    expect((await putPolicy(supervisor, siteId, { securityUserIds: [], securityEmails: [], levels: [level({ notifySupervisors: true, delaySeconds: 30 })] })).status).toBe(200);
    const levels = () => count(`SELECT count(*) AS n FROM incident_escalation_levels WHERE site_id = $1 AND delay_seconds = 30`, [siteId]);

    for (const delaySeconds of [0, -5, 1.5]) {
      const res = await putPolicy(supervisor, siteId, { securityUserIds: [], securityEmails: [], levels: [level({ notifySupervisors: true, delaySeconds })] });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await levels()).toBe(1);
    }
    // The database refuses it too, whatever writes it.
    await expect(
      t.dataSource.query(`UPDATE incident_escalation_levels SET delay_seconds = 0 WHERE site_id = $1`, [siteId]),
    ).rejects.toThrow(/check constraint/);
    // A level alerting nobody, a stale version, a user of another site.
    expect((await putPolicy(supervisor, siteId, { securityUserIds: [], securityEmails: [], levels: [level({})] })).status).toBe(400);
    expect((await putPolicy(supervisor, siteId, { securityUserIds: [], securityEmails: [], levels: [] }, 0)).status).toBe(409);
    const stranger = await createAgent(t.dataSource, t.url, other.siteId);
    expect((await putPolicy(supervisor, siteId, { securityUserIds: [stranger.id], securityEmails: [], levels: [] })).status).toBe(400);
    expect(await levels()).toBe(1);
    // An agent does not change the policy; a site one cannot see is 404.
    expect((await putPolicy(agent, siteId, { securityUserIds: [], securityEmails: [], levels: [] })).status).toBe(403);
    expect((await putPolicy(supervisor, other.siteId, { securityUserIds: [], securityEmails: [], levels: [] })).status).toBe(404);

    // An alert on a site the agent cannot see: 404, nothing written.
    const before = [await count(`SELECT count(*) AS n FROM incidents`), await count(`SELECT count(*) AS n FROM incident_alerts`)];
    const foreign = await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId: other.siteId, kind: 'security' });
    expect(foreign.status).toBe(404);
    expect((await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'police' })).status).toBe(400);
    expect([await count(`SELECT count(*) AS n FROM incidents`), await count(`SELECT count(*) AS n FROM incident_alerts`)]).toEqual(before);

    // Acknowledging: an agent who was not alerted does not see the alert; unknown ids are 404.
    const raised = await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'supervisor' });
    const alertId = raised.body.alert.id as string;
    const colleague = await createAgent(t.dataSource, t.url, siteId);
    expect((await as(colleague, api().post(`/api/v1/incident-alerts/${alertId}/acknowledge`)).send()).status).toBe(404);
    expect((await as(supervisor, api().post(`/api/v1/incident-alerts/${randomUUID()}/acknowledge`)).send()).status).toBe(404);
    expect(await count(`SELECT count(*) AS n FROM incident_alerts WHERE id = $1 AND acknowledged_at IS NULL`, [alertId])).toBe(1);
    // A double tap returns the waiting alert instead of a second chain.
    const tapAgain = await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'supervisor' });
    expect(tapAgain.status).toBe(201);
    expect(tapAgain.body).toMatchObject({ repeated: true, alert: { id: alertId } });
  });

  it('records, follows up and closes incidents; the register filters and counts them in the site time zone', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const other = await createOpenSite(t.dataSource);
    const supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const otherAgent = await createAgent(t.dataSource, t.url, siteId);
    const dashboard = await live(supervisor, siteId);
    const [foreignVisitor] = (await t.dataSource.query(`INSERT INTO visitors (site_id, last_name) VALUES ($1, 'Martin') RETURNING id`, [other.siteId])) as { id: string }[];

    const incidents = () => count(`SELECT count(*) AS n FROM incidents WHERE site_id = $1`, [siteId]);
    const linked = await as(agent, api().post('/api/v1/incidents')).send({ siteId, severity: 'tension', visitorId: foreignVisitor.id });
    expect(linked.status).toBe(422);
    expect(await incidents()).toBe(0);
    expect((await as(agent, api().post('/api/v1/incidents')).send({ siteId, severity: 'tension', signs: ['shouting'] })).status).toBe(400);
    expect(await incidents()).toBe(0);

    // Monday 09:30 in Paris (winter) and Monday 00:30 in Paris (summer: still Sunday in UTC).
    const created = await as(agent, api().post('/api/v1/incidents')).send({
      siteId,
      severity: 'conflict',
      occurredAt: '2026-03-02T08:30:00Z',
      place: 'Guichet 2',
      signs: ['raised_voice', 'agitation'],
      observations: 'Attente jugée trop longue',
      actions: ['listening', 'reformulation'],
      peopleInvolved: 'Un usager, l’agent du guichet 2',
      involvedUserIds: [agent.id],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await dashboard.waitFor((events) => events.some((e) => e.name === 'incident.created' && e.body.incidentId === id), WAIT_MS);
    const night = await as(supervisor, api().post('/api/v1/incidents')).send({ siteId, severity: 'aggression', occurredAt: '2026-07-05T22:30:00Z' });
    expect(night.status).toBe(201);

    const updated = await as(agent, api().patch(`/api/v1/incidents/${id}`)).set('If-Match', '"1"').send({ actions: ['listening', 'reformulation', 'solution_proposed'], outcome: 'calmed' });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    const stale = await as(agent, api().patch(`/api/v1/incidents/${id}`)).set('If-Match', '"1"').send({ outcome: 'visitor_left' });
    expect(stale.status).toBe(409);
    expect((await as(agent, api().patch(`/api/v1/incidents/${id}`)).send({ severity: null })).status).toBe(400);

    // Only supervisors and admins close; a report is required; closing twice is a conflict.
    expect((await as(agent, api().post(`/api/v1/incidents/${id}/close`)).send({ report: 'Fin' })).status).toBe(403);
    expect((await as(supervisor, api().post(`/api/v1/incidents/${id}/close`)).send({ report: '   ' })).status).toBe(400);
    const closed = await as(supervisor, api().post(`/api/v1/incidents/${id}/close`)).send({ report: 'Usager reçu par la responsable, rendez-vous fixé.' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'calmed', closedByUserId: supervisor.id });
    expect((await as(supervisor, api().post(`/api/v1/incidents/${id}/close`)).send({ report: 'Encore' })).status).toBe(409);
    expect((await as(agent, api().patch(`/api/v1/incidents/${id}`)).send({ observations: 'x' })).status).toBe(409);
    expect((await as(agent, api().post('/api/v1/incident-alerts')).send({ siteId, kind: 'supervisor', incidentId: id })).status).toBe(409);

    // The register: supervisors see everything, an agent what they reported or took part in.
    const register = await as(supervisor, api().get('/api/v1/incidents')).query({ siteId });
    expect(register.body.total).toBe(2);
    expect((await as(supervisor, api().get('/api/v1/incidents')).query({ siteId, severity: 'aggression' })).body.total).toBe(1);
    expect((await as(supervisor, api().get('/api/v1/incidents')).query({ siteId, status: 'open' })).body.items.map((i: { id: string }) => i.id)).toEqual([night.body.id]);
    expect((await as(agent, api().get('/api/v1/incidents')).query({ siteId })).body.total).toBe(1);
    expect((await as(otherAgent, api().get('/api/v1/incidents')).query({ siteId })).body.total).toBe(0);
    expect((await as(otherAgent, api().get(`/api/v1/incidents/${id}`))).status).toBe(404);
    expect((await as(supervisor, api().get('/api/v1/incidents')).query({ siteId, from: '2026-04-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).status).toBe(400);

    const stats = await as(supervisor, api().get('/api/v1/incidents/stats')).query({ siteId });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ timeZone: 'Europe/Paris', total: 2, open: 1, bySeverity: { tension: 0, conflict: 1, aggression: 1, security: 0 } });
    expect(stats.body.byHour[9]).toBe(1);
    expect(stats.body.byHour[0]).toBe(1);
    expect(stats.body.byWeekday).toEqual([2, 0, 0, 0, 0, 0, 0]);
    expect((await as(agent, api().get('/api/v1/incidents/stats')).query({ siteId })).status).toBe(403);
    expect((await as(supervisor, api().get('/api/v1/incidents/stats')).query({ siteId: other.siteId })).status).toBe(404);
  });

  it('an API key may not raise or read incidents', async () => {
    const { siteId } = await createOpenSite(t.dataSource);
    const { key } = await createApiKey(t.dataSource, ['tickets:read'], [siteId]);
    expect((await api().post('/api/v1/incident-alerts').set('X-Api-Key', key).send({ siteId, kind: 'security' })).status).toBe(403);
  });
});
