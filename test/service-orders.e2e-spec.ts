import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ServiceOrderFollowupsService } from '@guichet/core/service-orders/service-order-followups.service';
import { followupJobId } from '@guichet/core/service-orders/service-orders.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { eventuallyWithin } from '@guichet/testing/eventually';
import { MailSink, ReceivedMail, startMailSink } from '@guichet/testing/mail-sink';
import { createApiKey, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';

/** Upper bound for a job, a mail or an event to arrive; nothing asserts a duration. */
const WAIT_MS = 60_000;

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) => eventuallyWithin(probe, what, WAIT_MS);

describe('service orders: lifecycle, approval, comments, ratings and follow-ups', () => {
  const savedEnv = { SMTP_URL: process.env.SMTP_URL, REDIS_PREFIX: process.env.REDIS_PREFIX, PUBLIC_URL: process.env.PUBLIC_URL };
  let mails: ReceivedMail[] = [];
  const clients: RecordingClient[] = [];
  let sink: MailSink | undefined;
  let t: TestApp;
  let worker: INestApplicationContext;
  let siteId: string;
  let supervisor: Agent;
  let requester: Agent;
  let colleague: Agent;

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[]) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    sink = await startMailSink();
    mails = sink.mails;
    process.env.SMTP_URL = sink.url;
    process.env.PUBLIC_URL = 'https://guichet.test';
    // Own Redis prefix: other suites run workers at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-service-orders`;
    t = await startTestApp();
    worker = await createWorkerApp();
    ({ siteId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    requester = await createAgent(t.dataSource, t.url, siteId);
    colleague = await createAgent(t.dataSource, t.url, siteId);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await worker?.close();
    await t?.close();
    await sink?.close();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  async function live(who: Agent, site = siteId): Promise<RecordingClient> {
    const client = await connectLive(t.url, { token: who.token, siteId: site });
    clients.push(client);
    await client.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
    return client;
  }

  async function provider(fields: Record<string, unknown> = {}, site = siteId, who = supervisor): Promise<{ id: string; contacts: { id: string; email: string }[] }> {
    const res = await as(who, api().post('/api/v1/providers')).send({
      siteId: site,
      kind: 'external',
      name: `Fournitures ${uniqueSuffix()}`,
      orderTypes: ['supplies', 'equipment'],
      responseHours: 24,
      completionHours: 72,
      contacts: [{ name: 'Claire Martin', email: `contact-${uniqueSuffix()}@provider.test`, isPrimary: true }],
      ...fields,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function order(providerId: string, fields: Record<string, unknown> = {}, who: Agent = requester): Promise<Record<string, any>> {
    const res = await as(who, api().post('/api/v1/service-orders')).send({
      siteId,
      providerId,
      type: 'supplies',
      title: 'Ramettes de papier',
      lines: [
        { item: 'Ramette A4 80 g', quantity: 10, unitPriceCents: 499 },
        { item: 'Stylos bleus (boîte)', quantity: 2, unitPriceCents: 1250 },
      ],
      ...fields,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  const move = (who: Agent, id: string, status: string, note?: string) =>
    as(who, api().post(`/api/v1/service-orders/${id}/status`)).send({ status, ...(note ? { note } : {}) });

  const tables = ['service_orders', 'service_order_lines', 'service_order_status_history', 'service_order_comments', 'service_order_attachments', 'service_order_ratings'];
  async function snapshot(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of tables) out[table] = await count(`SELECT count(*) AS n FROM ${table}`, []);
    out.audit = await count(`SELECT count(*) AS n FROM audit_entries WHERE entity LIKE 'service_order%'`, []);
    return out;
  }

  it('creates a draft with lines and its total in cents, walks it to closed and timestamps every change', async () => {
    const { id: providerId } = await provider();
    const site = await live(supervisor);
    const created = await order(providerId, { neededBy: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    expect(created).toMatchObject({
      status: 'draft',
      currency: 'EUR',
      totalCents: 10 * 499 + 2 * 1250,
      requesterUserId: requester.id,
      approvalRequired: false,
      allowedTransitions: ['submitted', 'cancelled'],
    });
    expect(created.lines).toEqual([
      { item: 'Ramette A4 80 g', quantity: 10, unitPriceCents: 499, totalCents: 4990 },
      { item: 'Stylos bleus (boîte)', quantity: 2, unitPriceCents: 1250, totalCents: 2500 },
    ]);

    const steps: [Agent, string][] = [
      [requester, 'submitted'],
      [colleague, 'accepted'],
      [colleague, 'in_progress'],
      [colleague, 'delivered'],
      [requester, 'closed'],
    ];
    let body = created;
    for (const [who, status] of steps) {
      const res = await move(who, created.id, status, `vers ${status}`);
      expect(res.status).toBe(200);
      body = res.body;
      expect(body.status).toBe(status);
    }
    expect(body.submittedAt && body.acceptedAt && body.startedAt && body.completedAt && body.closedAt).toBeTruthy();
    expect(body.dueAt).toBe(created.neededBy);
    expect(body.history.map((h: { fromStatus: string | null; toStatus: string }) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'draft'],
      ['draft', 'submitted'],
      ['submitted', 'accepted'],
      ['accepted', 'in_progress'],
      ['in_progress', 'delivered'],
      ['delivered', 'closed'],
    ]);
    expect(body.history[2]).toMatchObject({ actorType: 'user', actorId: colleague.id, note: 'vers accepted' });
    const times = body.history.map((h: { at: string }) => new Date(h.at).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    await site.waitFor(
      (events) => events.filter((e) => e.name === 'service_order.status_changed' && e.body.orderId === created.id).length === steps.length,
      WAIT_MS,
    );
    expect(site.events.some((e) => e.name === 'service_order.created' && e.body.orderId === created.id)).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'service_order' AND entity_id = $1`, [created.id])).toBe(1 + steps.length);
  });

  it('edits a draft with If-Match (lines replaced, total recomputed) and no longer once submitted', async () => {
    const { id: providerId } = await provider();
    const created = await order(providerId);
    const edited = await as(requester, api().patch(`/api/v1/service-orders/${created.id}`))
      .set('If-Match', `"${created.version}"`)
      .send({ title: 'Papier et stylos', lines: [{ item: 'Ramette A4', quantity: 3, unitPriceCents: 450 }] });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Papier et stylos', totalCents: 1350, version: created.version + 1 });
    expect(edited.body.lines).toEqual([{ item: 'Ramette A4', quantity: 3, unitPriceCents: 450, totalCents: 1350 }]);
    const stale = await as(requester, api().patch(`/api/v1/service-orders/${created.id}`)).set('If-Match', `"${created.version}"`).send({ title: 'X' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_version');
    expect((await as(colleague, api().patch(`/api/v1/service-orders/${created.id}`)).send({ title: 'X' })).status).toBe(403);
    expect((await move(requester, created.id, 'submitted')).status).toBe(200);
    const late = await as(requester, api().patch(`/api/v1/service-orders/${created.id}`)).send({ title: 'X' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('not_draft');
    expect((await as(requester, api().get(`/api/v1/service-orders/${created.id}`))).body.title).toBe('Papier et stylos');
    const mine = await as(requester, api().get('/api/v1/service-orders')).query({ siteId, mine: true, status: 'submitted' });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(created.id);
    expect((await as(colleague, api().get('/api/v1/service-orders')).query({ siteId, mine: true })).body.items.map((o: { id: string }) => o.id)).not.toContain(created.id);
  });

  it('asks a supervisor to approve orders above the site threshold before the provider may accept', async () => {
    const { id: providerId } = await provider();
    expect((await as(requester, api().put(`/api/v1/service-order-settings/${siteId}`)).send({ approvalThresholdCents: 10_000, currency: 'EUR' })).status).toBe(403);
    const put = await as(supervisor, api().put(`/api/v1/service-order-settings/${siteId}`)).send({ approvalThresholdCents: 10_000, currency: 'EUR' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ approvalThresholdCents: 10_000, currency: 'EUR', custom: true });

    const small = await order(providerId, { lines: [{ item: 'Agrafes', quantity: 2, unitPriceCents: 5_000 }] });
    expect((await move(requester, small.id, 'submitted')).body).toMatchObject({ approvalRequired: false, approvalPending: false });

    const big = await order(providerId, { lines: [{ item: 'Fauteuil', quantity: 3, unitPriceCents: 5_000 }] });
    const submitted = await move(requester, big.id, 'submitted');
    expect(submitted.body).toMatchObject({ status: 'submitted', approvalRequired: true, approvalPending: true, dueAt: null });
    expect(submitted.body.allowedTransitions).not.toContain('accepted');
    const refused = await move(colleague, big.id, 'accepted');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('approval_pending');
    expect((await as(requester, api().post(`/api/v1/service-orders/${big.id}/approve`)).send({})).status).toBe(403);
    const approved = await as(supervisor, api().post(`/api/v1/service-orders/${big.id}/approve`)).send({ note: 'Budget validé' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ approvalPending: false, approvedByUserId: supervisor.id });
    expect(approved.body.dueAt).not.toBeNull();
    expect((await as(supervisor, api().post(`/api/v1/service-orders/${big.id}/approve`)).send({})).body.code).toBe('approval_not_pending');
    expect((await move(colleague, big.id, 'accepted')).status).toBe(200);

    // A supervisor's own submission is its approval.
    const own = await order(providerId, { lines: [{ item: 'Bureau', quantity: 1, unitPriceCents: 30_000 }] }, supervisor);
    expect((await move(supervisor, own.id, 'submitted')).body).toMatchObject({ approvalRequired: true, approvalPending: false, approvedByUserId: supervisor.id });
    await as(supervisor, api().put(`/api/v1/service-order-settings/${siteId}`)).send({ approvalThresholdCents: 50_000, currency: 'EUR' });
  });

  it('keeps comments from both sides and attachments by http(s) URL', async () => {
    const { id: providerId, contacts } = await provider();
    const created = await order(providerId);
    const internal = await as(requester, api().post(`/api/v1/service-orders/${created.id}/comments`)).send({ body: 'Livraison à l’accueil svp' });
    expect(internal.status).toBe(201);
    const spoken = await as(colleague, api().post(`/api/v1/service-orders/${created.id}/comments`)).send({
      body: 'Livraison jeudi matin',
      side: 'provider',
      providerContactId: contacts[0].id,
    });
    expect(spoken.status).toBe(201);
    expect(spoken.body).toMatchObject({ side: 'provider', providerContactId: contacts[0].id, authorLabel: expect.stringContaining('Claire Martin') });
    const key = await createApiKey(t.dataSource, ['provisions:read', 'provisions:write'], [siteId]);
    const integration = await api()
      .post(`/api/v1/service-orders/${created.id}/comments`)
      .set('X-Api-Key', key.key)
      .send({ body: 'Commande préparée', side: 'provider' });
    expect(integration.status).toBe(201);

    const before = await snapshot();
    for (const url of ['ftp://files.example.com/devis.pdf', 'javascript:alert(1)', 'not a url']) {
      const res = await as(requester, api().post(`/api/v1/service-orders/${created.id}/attachments`)).send({ url });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await snapshot()).toEqual(before);
    const attached = await as(requester, api().post(`/api/v1/service-orders/${created.id}/attachments`)).send({ url: 'https://docs.example.com/devis-42.pdf', label: 'Devis' });
    expect(attached.status).toBe(201);

    const view = (await as(requester, api().get(`/api/v1/service-orders/${created.id}`))).body;
    expect(view.comments.map((c: { side: string; body: string }) => [c.side, c.body])).toEqual([
      ['internal', 'Livraison à l’accueil svp'],
      ['provider', 'Livraison jeudi matin'],
      ['provider', 'Commande préparée'],
    ]);
    expect(view.attachments).toEqual([expect.objectContaining({ url: 'https://docs.example.com/devis-42.pdf', label: 'Devis' })]);
  });

  it('rates a completed order once, from 1 to 5 on each criterion', async () => {
    const { id: providerId } = await provider();
    const created = await order(providerId);
    const early = await as(requester, api().post(`/api/v1/service-orders/${created.id}/rating`)).send({ timeliness: 4, quality: 4, communication: 4 });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('not_completed');
    for (const status of ['submitted', 'accepted', 'done']) expect((await move(status === 'submitted' ? requester : colleague, created.id, status)).status).toBe(200);

    const before = await snapshot();
    for (const bad of [
      { timeliness: 6, quality: 4, communication: 4 },
      { timeliness: 4, quality: 0, communication: 4 },
      { timeliness: 4, quality: 4, communication: 2.5 },
      { timeliness: 4, quality: 4 },
    ]) {
      const res = await as(requester, api().post(`/api/v1/service-orders/${created.id}/rating`)).send(bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await as(colleague, api().post(`/api/v1/service-orders/${created.id}/rating`)).send({ timeliness: 1, quality: 1, communication: 1 })).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    const rated = await as(requester, api().post(`/api/v1/service-orders/${created.id}/rating`)).send({ timeliness: 5, quality: 4, communication: 3, comment: 'Rapide' });
    expect(rated.status).toBe(201);
    const again = await as(supervisor, api().post(`/api/v1/service-orders/${created.id}/rating`)).send({ timeliness: 1, quality: 1, communication: 1 });
    expect(again.status).toBe(409);
    expect((await as(requester, api().get(`/api/v1/service-orders/${created.id}`))).body).toMatchObject({
      rating: { timeliness: 5, quality: 4, communication: 3, comment: 'Rapide' },
      canRate: false,
    });
  });

  it('refuses bad input with a 4xx problem and changes nothing', async () => {
    const { id: providerId } = await provider();
    const draft = await order(providerId);
    const otherSite = (await createOpenSite(t.dataSource)).siteId;
    const otherSupervisor = await createAgent(t.dataSource, t.url, otherSite, 'supervisor');
    const foreignProvider = await provider({}, otherSite, otherSupervisor);
    // A room booking on each site (rows written directly: the bookings API is another suite's).
    const booking = async (site: string) => {
      const [resource] = (await t.dataSource.query(`INSERT INTO resources (site_id, kind, name, capacity) VALUES ($1, 'room', $2, 10) RETURNING id`, [
        site,
        `Salle ${uniqueSuffix()}`,
      ])) as { id: string }[];
      const [row] = (await t.dataSource.query(
        `INSERT INTO resource_bookings (resource_id, site_id, period, title) VALUES ($1, $2, tstzrange(now() + interval '1 day', now() + interval '1 day 2 hours'), 'Réunion') RETURNING id`,
        [resource.id, site],
      )) as { id: string }[];
      return row.id;
    };
    const ownBooking = await booking(siteId);
    const foreignBooking = await booking(otherSite);
    const start = Date.now() + 2 * 86_400_000;
    const before = await snapshot();

    const cases: [string, () => request.Test, number, string][] = [
      ['negative quantity', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'supplies', title: 'X', lines: [{ item: 'Stylo', quantity: -2, unitPriceCents: 100 }] }), 400, 'validation_failed'],
      ['zero quantity', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'supplies', title: 'X', lines: [{ item: 'Stylo', quantity: 0, unitPriceCents: 100 }] }), 400, 'validation_failed'],
      ['negative unit price', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'supplies', title: 'X', lines: [{ item: 'Stylo', quantity: 1, unitPriceCents: -100 }] }), 400, 'validation_failed'],
      [
        'window ending before it starts',
        () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'catering', title: 'Buffet', windowStart: new Date(start).toISOString(), windowEnd: new Date(start - 3_600_000).toISOString() }),
        400,
        'validation_failed',
      ],
      [
        'window ending before it starts (edit)',
        () => as(requester, api().patch(`/api/v1/service-orders/${draft.id}`)).send({ windowStart: new Date(start).toISOString(), windowEnd: new Date(start).toISOString() }),
        400,
        'validation_failed',
      ],
      ['unknown type', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'magic', title: 'X' }), 400, 'validation_failed'],
      ['provider of another site', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId: foreignProvider.id, type: 'supplies', title: 'X' }), 422, 'provider_not_of_site'],
      ['booking of another site', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'catering', title: 'Buffet', bookingId: foreignBooking }), 422, 'booking_not_of_site'],
      ['unknown booking', () => as(requester, api().post('/api/v1/service-orders')).send({ siteId, providerId, type: 'catering', title: 'Buffet', bookingId: randomUUID() }), 422, 'booking_not_of_site'],
      ['jump from draft to done', () => move(supervisor, draft.id, 'done'), 422, 'invalid_transition'],
      ['jump from draft to closed', () => move(requester, draft.id, 'closed'), 422, 'invalid_transition'],
      ['unknown status', () => move(requester, draft.id, 'finished'), 400, 'validation_failed'],
      ['submit by someone else', () => move(colleague, draft.id, 'submitted'), 403, 'forbidden'],
      ['order of an invisible site', () => as(otherSupervisor, api().get(`/api/v1/service-orders/${draft.id}`)), 404, 'not_found'],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call();
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await snapshot()).toEqual(before);
    expect((await as(requester, api().get(`/api/v1/service-orders/${draft.id}`))).body).toMatchObject({ status: 'draft', version: draft.version });

    const attached = await order(providerId, { type: 'catering', title: 'Plateaux repas', bookingId: ownBooking });
    expect(attached.bookingId).toBe(ownBooking);
  });

  describe('follow-up of late orders', () => {
    let queue: Queue;
    beforeAll(() => {
      queue = t.app.get<Queue>(getQueueToken(QUEUES.followups));
    });

    const mailsTo = (address: string, subject: RegExp) => mails.filter((m) => m.to.includes(address) && subject.test(m.subject));
    const storedEvents = (type: string, orderId: string) => count(`SELECT count(*) AS n FROM live_events WHERE type = $1 AND data->>'orderId' = $2`, [type, orderId]);
    const orderRow = async (id: string) =>
      ((await t.dataSource.query(`SELECT reminder_sent_at, escalated_at, remind_at, escalate_at, number FROM service_orders WHERE id = $1`, [id])) as {
        reminder_sent_at: Date | null;
        escalated_at: Date | null;
        remind_at: Date;
        escalate_at: Date;
        number: string;
      }[])[0];

    it('reminds the provider and the requester once and escalates to the supervisors once, across a worker restart', async () => {
      // 0.003 h = 10.8 s: reminded ~11 s after submission (not accepted), escalated ~11 s later.
      const slow = await provider({ responseHours: 0.003, completionHours: 0.003 });
      const contact = slow.contacts[0].email;
      const requesterLive = await live(requester);
      const supervisorLive = await live(supervisor);
      const created = await order(slow.id, { title: 'Réparation photocopieur', type: 'maintenance', lines: [] , description: 'Bourrage papier' });
      const submitted = await move(requester, created.id, 'submitted');
      expect(submitted.status).toBe(200);
      expect(new Date(submitted.body.escalateAt).getTime()).toBeGreaterThan(new Date(submitted.body.remindAt).getTime());

      await eventually(async () => ((await orderRow(created.id)).reminder_sent_at ? true : undefined), 'the reminder');
      // The worker goes down between the reminder and the escalation, and a new one starts.
      await worker.close();
      worker = await createWorkerApp();
      await eventually(async () => ((await orderRow(created.id)).escalated_at ? true : undefined), 'the escalation');

      // Duplicates of every kind: the same job ids again, fresh job ids, the sweep and two direct runs at once.
      const row = await orderRow(created.id);
      const producer = t.app.get(JobProducer);
      const extra = await Promise.all([
        producer.enqueue('followups.service-order-step', { orderId: created.id, step: 'reminder' }, { jobId: followupJobId(created.id, 'reminder', row.remind_at) }),
        producer.enqueue('followups.service-order-step', { orderId: created.id, step: 'escalation' }, { jobId: `service-order-escalation-test-${randomUUID()}` }),
        producer.enqueue('followups.service-orders-sweep', {}, { jobId: `service-orders-sweep-test-${randomUUID()}` }),
      ]);
      const followups = worker.get(ServiceOrderFollowupsService);
      const direct = await Promise.all([followups.advance(created.id), followups.advance(created.id)]);
      expect(direct.every((o) => !o.reminded && !o.escalated)).toBe(true);
      for (const job of extra) await eventually(async () => ((await job.isCompleted()) || (await job.isFailed()) ? true : undefined), `job ${job.id}`);

      await eventually(() => (mailsTo(supervisor.email, /Escalade/).length > 0 ? true : undefined), 'the escalation mail');
      await eventually(() => (mailsTo(contact, /Relance/).length > 0 && mailsTo(requester.email, /en retard/).length > 0 ? true : undefined), 'the reminder mails');
      expect(mailsTo(contact, /Relance/)).toHaveLength(1);
      expect(mailsTo(contact, /Relance/)[0].subject).toContain(`n° ${row.number}`);
      expect(mailsTo(requester.email, /en retard/)).toHaveLength(1);
      expect(mailsTo(supervisor.email, /Escalade/)).toHaveLength(1);
      expect(mailsTo(supervisor.email, /Escalade/)[0].text).toContain(`https://guichet.test/service-orders/${created.id}`);
      expect(await storedEvents('service_order.reminder', created.id)).toBe(1);
      expect(await storedEvents('service_order.escalated', created.id)).toBe(1);
      await requesterLive.waitFor((events) => events.some((e) => e.name === 'service_order.reminder' && e.body.orderId === created.id), WAIT_MS);
      await supervisorLive.waitFor((events) => events.some((e) => e.name === 'service_order.escalated' && e.body.orderId === created.id), WAIT_MS);
      expect(requesterLive.events.filter((e) => e.name === 'service_order.reminder' && e.body.orderId === created.id)).toHaveLength(1);
      expect(requesterLive.events.some((e) => e.name === 'service_order.escalated')).toBe(false);
      expect(supervisorLive.events.filter((e) => e.name === 'service_order.escalated' && e.body.orderId === created.id)).toHaveLength(1);
      expect(supervisorLive.events.some((e) => e.name === 'service_order.reminder' && e.body.orderId === created.id)).toBe(false);
      await queue.count(); // the queue is reachable (the jobs above ran on it)
    });

    it('performs the steps whose jobs Redis lost through the sweep, once', async () => {
      const { id: providerId, contacts } = await provider({ responseHours: 1, completionHours: 2 });
      const created = await order(providerId);
      const submitted = (await move(requester, created.id, 'submitted')).body;
      // Redis lost both delayed jobs; the order is now past both due times.
      for (const [step, at] of [
        ['reminder', submitted.remindAt],
        ['escalation', submitted.escalateAt],
      ] as const) {
        expect(await queue.remove(followupJobId(created.id, step, new Date(at)))).toBe(1);
      }
      await t.dataSource.query(`UPDATE service_orders SET remind_at = now() - interval '2 hours', escalate_at = now() - interval '1 hour' WHERE id = $1`, [created.id]);
      const followups = worker.get(ServiceOrderFollowupsService);
      await Promise.all([followups.sweep(), followups.sweep()]);
      await followups.sweep();
      const row = await orderRow(created.id);
      expect(row.reminder_sent_at).not.toBeNull();
      expect(row.escalated_at).not.toBeNull();
      expect(await storedEvents('service_order.reminder', created.id)).toBe(1);
      expect(await storedEvents('service_order.escalated', created.id)).toBe(1);
      const number = `n° ${row.number} `;
      expect(mails.filter((m) => m.to.includes(contacts[0].email) && m.subject.includes(number))).toHaveLength(1);
    });

    it('does nothing for an order finished or cancelled before its due time', async () => {
      const { id: providerId } = await provider({ responseHours: 1, completionHours: 2 });
      const done = await order(providerId);
      const cancelled = await order(providerId);
      for (const [who, status] of [
        [requester, 'submitted'],
        [colleague, 'accepted'],
        [colleague, 'done'],
      ] as const) {
        expect((await move(who, done.id, status)).status).toBe(200);
      }
      expect((await move(requester, cancelled.id, 'submitted')).status).toBe(200);
      expect((await move(requester, cancelled.id, 'cancelled', 'Plus besoin')).status).toBe(200);
      await t.dataSource.query(`UPDATE service_orders SET remind_at = now() - interval '2 hours', escalate_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [
        [done.id, cancelled.id],
      ]);
      const followups = worker.get(ServiceOrderFollowupsService);
      for (const id of [done.id, cancelled.id]) {
        expect(await followups.advance(id)).toEqual({ reminded: false, escalated: false, mails: 0 });
        expect(await storedEvents('service_order.reminder', id)).toBe(0);
      }
    });
  });
});
