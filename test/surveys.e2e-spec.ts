import { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import request from 'supertest';
import { hashSecret, newSecret } from '@guichet/core/surveys/survey-tokens';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { eventuallyWithin } from '@guichet/testing/eventually';
import { MailSink, ReceivedMail, startMailSink } from '@guichet/testing/mail-sink';
import { createApiKey, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive } from '@guichet/testing/live-client';
import { seedDemo } from '../libs/database/src/demo/seed-demo';
import { dropDatabase, prepareDatabase } from '../libs/database/src/schema-setup';
import { createWorkerApp } from '../apps/worker/src/bootstrap';
import { SurveyInvitationsSweepHandler } from '../apps/worker/src/surveys/survey-invitations-sweep.handler';
import { MAX_SEND_ATTEMPTS } from '@guichet/core/surveys/survey-invitations.service';

/** Upper bound for a job or a mail to arrive; a slow machine waits longer, never fails a timing assertion. */
const WAIT_MS = 20_000;

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) => eventuallyWithin(probe, what, WAIT_MS);

/** Deterministic pseudo-random numbers, so a failing figure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const TEMPLATE = {
  name: 'Après passage',
  title: { fr: 'Votre avis nous intéresse', en: 'We value your opinion' },
  intro: { fr: 'Trois questions, une minute.', en: 'Three questions, one minute.' },
  questions: [
    { key: 'satisfaction', type: 'csat', label: { fr: 'Êtes-vous satisfait(e) ?', en: 'Were you satisfied?' } },
    { key: 'recommend', type: 'nps', label: { fr: 'Nous recommanderiez-vous ?', en: 'Would you recommend us?' } },
    {
      key: 'issues',
      type: 'choice',
      multiple: true,
      reasons: true,
      required: false,
      label: { fr: "Qu'est-ce qui n'allait pas ?", en: 'What went wrong?' },
      options: [
        { value: 'waiting', label: { fr: 'Attente', en: 'Waiting' } },
        { value: 'welcome', label: { fr: 'Accueil', en: 'Welcome' } },
        { value: 'information', label: { fr: 'Information', en: 'Information' } },
      ],
    },
    { key: 'clarity', type: 'scale', min: 1, max: 4, required: false, label: { fr: 'Clarté', en: 'Clarity' } },
    { key: 'comment', type: 'text', label: { fr: 'Un commentaire ?', en: 'Any comment?' } },
  ],
};

describe('surveys: invitations, public answers, kiosk smileys and satisfaction figures', () => {
  const savedEnv = { SMTP_URL: process.env.SMTP_URL, REDIS_PREFIX: process.env.REDIS_PREFIX, PUBLIC_URL: process.env.PUBLIC_URL };
  let mails: ReceivedMail[] = [];
  let sink: MailSink | undefined;
  let t: TestApp;
  let worker: INestApplicationContext;
  let siteId: string;
  let serviceId: string;
  let supervisor: Agent;
  let agent: Agent;
  let templateId: string;
  let kioskKey: string;
  /** Addresses of visitors who must never receive a survey; checked at the end. */
  const neverMailed: string[] = [];

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const responsesOf = (site: string) => count(`SELECT count(*) AS n FROM survey_responses WHERE site_id = $1`, [site]);
  const answeredOf = (site: string) => count(`SELECT count(*) AS n FROM survey_invitations WHERE site_id = $1 AND answered_at IS NOT NULL`, [site]);

  async function visitor(site: string, fields: { consent?: boolean; purposes?: string[]; language?: string; email?: string | null } = {}) {
    const email = fields.email === undefined ? `visitor-${uniqueSuffix()}@example.test` : fields.email;
    const [row] = (await t.dataSource.query(
      `INSERT INTO visitors (site_id, first_name, last_name, email, preferred_language, consent_given, consent_at, consent_purposes)
       VALUES ($1, 'Camille', 'Martin', $2, $3, $4, CASE WHEN $4 THEN now() END, $5) RETURNING id`,
      [site, email, fields.language ?? null, fields.consent ?? true, fields.purposes ?? ['surveys']],
    )) as { id: string }[];
    return { id: row.id, email: email as string };
  }

  /** Opens then closes a request of this visitor through the API: the survey trigger under test. */
  async function closeRequest(visitorId: string, channel = 'desk', site = siteId, who: Agent = agent): Promise<string> {
    const created = await as(who, api().post('/api/v1/requests')).send({ siteId: site, channel, subject: 'Carte de stationnement', visitorId });
    expect(created.status).toBe(201);
    const taken = await as(who, api().post(`/api/v1/requests/${created.body.id}/status`)).send({ status: 'in_progress' });
    expect(taken.status).toBe(200);
    const closed = await as(who, api().post(`/api/v1/requests/${created.body.id}/status`)).send({ status: 'closed' });
    expect(closed.status).toBe(200);
    return created.body.id as string;
  }

  async function linkFor(email: string): Promise<string> {
    const mail = await eventually(() => mails.find((m) => m.to.includes(email)), `the survey mail to ${email}`);
    const match = /https:\/\/guichet\.test\/s\/([A-Za-z0-9_-]{43})/.exec(mail.text);
    if (!match) throw new Error(`no survey link in: ${mail.text}`);
    return match[1];
  }

  beforeAll(async () => {
    // A mailbox the server refuses: the invitation's send fails and is retried, then given up.
    sink = await startMailSink({ refuse: (address) => address.startsWith('refused-') });
    mails = sink.mails;
    process.env.SMTP_URL = sink.url;
    process.env.PUBLIC_URL = 'https://guichet.test';
    // Own Redis prefix: other suites run workers at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-surveys`;
    t = await startTestApp();
    worker = await createWorkerApp();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    agent = await createAgent(t.dataSource, t.url, siteId, 'agent');
    kioskKey = (await createApiKey(t.dataSource, ['kiosk'], [siteId])).key;
    const template = await as(supervisor, api().post('/api/v1/surveys/templates')).send({ siteId, ...TEMPLATE });
    expect(template.status).toBe(201);
    templateId = template.body.id;
    // Desk requests and served tickets are surveyed at once; phone requests an hour later (then swept in a test).
    for (const rule of [
      { trigger: 'request_closed', channels: ['desk'], delayMinutes: 0 },
      { trigger: 'request_closed', channels: [], delayMinutes: 60 },
      { trigger: 'ticket_done', delayMinutes: 0 },
    ]) {
      const res = await as(supervisor, api().post('/api/v1/surveys/rules')).send({ siteId, templateId, ...rule });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink?.close();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('refuses a template missing a language or with a broken question, writing nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM survey_templates WHERE site_id = $1`, [siteId]);
    const noEnglish = await as(supervisor, api().post('/api/v1/surveys/templates')).send({
      siteId,
      ...TEMPLATE,
      name: 'Sans anglais',
      title: { fr: 'Votre avis' },
    });
    expect(noEnglish.status).toBe(400);
    expect(noEnglish.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'title.en' })]));
    const badScale = await as(supervisor, api().post('/api/v1/surveys/templates')).send({
      siteId,
      ...TEMPLATE,
      name: 'Échelle cassée',
      questions: [{ key: 'x', type: 'scale', min: 5, max: 2, label: { fr: 'x', en: 'x' } }],
    });
    expect(badScale.status).toBe(400);
    const duplicate = await as(supervisor, api().post('/api/v1/surveys/templates')).send({ siteId, ...TEMPLATE });
    expect(duplicate.status).toBe(409);
    expect(await count(`SELECT count(*) AS n FROM survey_templates WHERE site_id = $1`, [siteId])).toBe(before);
  });

  it('mails a consenting visitor a single-use link that answers once, can be corrected, and refuses bad answers', async () => {
    const camille = await visitor(siteId, { language: 'fr' });
    const requestId = await closeRequest(camille.id);
    const token = await linkFor(camille.email);
    const mail = mails.find((m) => m.to.includes(camille.email))!;
    expect(mail.subject).toContain('votre avis');
    const [invitation] = (await t.dataSource.query(`SELECT * FROM survey_invitations WHERE interaction_id = $1`, [requestId])) as Record<string, unknown>[];
    expect(invitation).toMatchObject({ interaction_kind: 'request', visitor_id: camille.id, agent_user_id: agent.id, channel: 'desk', language: 'fr' });
    // Only the hash of the token is stored.
    expect(invitation.token_hash).toBe(hashSecret(token));

    const page = await api().get(`/api/v1/public/surveys/${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ language: 'fr', title: 'Votre avis nous intéresse' });
    expect(page.body.questions.map((q: { key: string }) => q.key)).toEqual(['satisfaction', 'recommend', 'issues', 'clarity', 'comment']);
    expect(page.body.questions[0]).toMatchObject({ type: 'csat', label: 'Êtes-vous satisfait(e) ?' });

    // Bad input: 4xx problem, nothing written.
    const before = { responses: await responsesOf(siteId), answered: await answeredOf(siteId) };
    for (const [answers, field] of [
      [{ satisfaction: 4, recommend: 11 }, 'answers.recommend'],
      [{ satisfaction: 0, recommend: 8 }, 'answers.satisfaction'],
      [{ satisfaction: 4 }, 'answers.recommend'],
      [{ satisfaction: 4, recommend: 8, issues: ['parking'] }, 'answers.issues'],
      [{ satisfaction: 4, recommend: 8, clarity: 5 }, 'answers.clarity'],
      [{ satisfaction: 4, recommend: 8, unknown: 'x' }, 'answers.unknown'],
    ] as const) {
      const res = await api().post(`/api/v1/public/surveys/${token}/answers`).send({ answers });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const unknown = await api().post(`/api/v1/public/surveys/${newSecret()}/answers`).send({ answers: { satisfaction: 4, recommend: 8 } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect((await api().get(`/api/v1/public/surveys/${newSecret()}`)).status).toBe(404);
    expect({ responses: await responsesOf(siteId), answered: await answeredOf(siteId) }).toEqual(before);

    const live = await connectLive(t.url, { token: supervisor.token, siteId });
    try {
      await live.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
      const first = await api()
        .post(`/api/v1/public/surveys/${token}/answers`)
        .send({ answers: { satisfaction: 2, recommend: 3, issues: ['waiting'], comment: "Beaucoup trop d'attente au guichet" } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ responseId: expect.any(String), editKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      await live.waitFor((events) => events.some((e) => e.name === 'survey.answered'), WAIT_MS);
      expect(live.events.find((e) => e.name === 'survey.answered')!.body).toMatchObject({ responseId: first.body.responseId, source: 'link', csat: 2, nps: 3 });
    } finally {
      live.close();
    }
    const [stored] = (await t.dataSource.query(`SELECT * FROM survey_responses WHERE invitation_id = $1`, [invitation.id])) as Record<string, unknown>[];
    expect(stored).toMatchObject({ csat: 2, nps: 3, service_id: null, agent_user_id: agent.id, channel: 'desk', reason_tags: ['waiting'] });

    const afterFirst = { responses: await responsesOf(siteId), answered: await answeredOf(siteId) };
    const second = await api().post(`/api/v1/public/surveys/${token}/answers`).send({ answers: { satisfaction: 5, recommend: 10 } });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('survey_already_answered');
    expect((await api().get(`/api/v1/public/surveys/${token}`)).status).toBe(409);
    expect({ responses: await responsesOf(siteId), answered: await answeredOf(siteId) }).toEqual(afterFirst);

  });

  it('lets the first answer be corrected with its edit key only, and only within the window', async () => {
    const visitorRow = await visitor(siteId, { language: 'en' });
    await closeRequest(visitorRow.id);
    const token = await linkFor(visitorRow.email);
    const mail = mails.find((m) => m.to.includes(visitorRow.email))!;
    expect(mail.subject).toContain('how was your visit');
    expect((await api().get(`/api/v1/public/surveys/${token}`)).body).toMatchObject({ language: 'en', title: 'We value your opinion' });
    const first = await api().post(`/api/v1/public/surveys/${token}/answers`).send({ answers: { satisfaction: 3, recommend: 6 } });
    expect(first.status).toBe(201);
    const editKey = first.body.editKey as string;

    const withKey = await api().get(`/api/v1/public/surveys/${token}`).query({ editKey });
    expect(withKey.status).toBe(200);
    expect(withKey.body.answers).toEqual({ satisfaction: 3, recommend: 6 });
    const wrongKey = await api().patch(`/api/v1/public/surveys/${token}/answers`).send({ editKey: newSecret(), answers: { satisfaction: 5, recommend: 9 } });
    expect(wrongKey.status).toBe(409);
    expect(wrongKey.body.code).toBe('survey_edit_closed');
    const badCorrection = await api().patch(`/api/v1/public/surveys/${token}/answers`).send({ editKey, answers: { satisfaction: 6, recommend: 9 } });
    expect(badCorrection.status).toBe(400);
    const corrected = await api().patch(`/api/v1/public/surveys/${token}/answers`).send({ editKey, answers: { satisfaction: 5, recommend: 9 } });
    expect(corrected.status).toBe(200);
    const [row] = (await t.dataSource.query(`SELECT csat, nps, version FROM survey_responses WHERE id = $1`, [first.body.responseId])) as {
      csat: number;
      nps: number;
      version: number;
    }[];
    expect(row).toEqual({ csat: 5, nps: 9, version: 2 });

    // Past the window the key no longer opens anything.
    await t.dataSource.query(`UPDATE survey_responses SET editable_until = now() - interval '1 second' WHERE id = $1`, [first.body.responseId]);
    const late = await api().patch(`/api/v1/public/surveys/${token}/answers`).send({ editKey, answers: { satisfaction: 1, recommend: 0 } });
    expect(late.status).toBe(409);
    expect((await api().get(`/api/v1/public/surveys/${token}`).query({ editKey })).status).toBe(409);
    expect((await t.dataSource.query(`SELECT csat FROM survey_responses WHERE id = $1`, [first.body.responseId]))[0].csat).toBe(5);
  });

  it('refuses an expired link with 410 and writes nothing', async () => {
    const late = await visitor(siteId);
    const requestId = await closeRequest(late.id);
    const token = await linkFor(late.email);
    await t.dataSource.query(`UPDATE survey_invitations SET expires_at = now() - interval '1 minute' WHERE interaction_id = $1`, [requestId]);
    const before = { responses: await responsesOf(siteId), answered: await answeredOf(siteId) };
    const page = await api().get(`/api/v1/public/surveys/${token}`);
    expect(page.status).toBe(410);
    expect(page.body.code).toBe('survey_link_expired');
    const post = await api().post(`/api/v1/public/surveys/${token}/answers`).send({ answers: { satisfaction: 5, recommend: 10 } });
    expect(post.status).toBe(410);
    expect(post.headers['content-type']).toContain('application/problem+json');
    expect({ responses: await responsesOf(siteId), answered: await answeredOf(siteId) }).toEqual(before);
  });

  it('never invites a visitor without consent, without the surveys purpose or without e-mail', async () => {
    const refused = await visitor(siteId, { consent: false, purposes: [] });
    const otherPurpose = await visitor(siteId, { consent: true, purposes: ['appointments'] });
    neverMailed.push(refused.email, otherPurpose.email);
    const noEmail = await visitor(siteId, { email: null });
    const ids = [refused.id, otherPurpose.id, noEmail.id];
    for (const id of ids) await closeRequest(id);
    expect(await count(`SELECT count(*) AS n FROM survey_invitations WHERE visitor_id = ANY($1)`, [ids])).toBe(0);
  });

  it('re-checks consent when sending: a visitor who withdrew it meanwhile is not mailed', async () => {
    const changing = await visitor(siteId);
    neverMailed.push(changing.email);
    // Phone requests are surveyed an hour later (the catch-all rule).
    const requestId = await closeRequest(changing.id, 'phone');
    const [pending] = (await t.dataSource.query(`SELECT id, sent_at FROM survey_invitations WHERE interaction_id = $1`, [requestId])) as {
      id: string;
      sent_at: Date | null;
    }[];
    expect(pending.sent_at).toBeNull();
    await t.dataSource.query(`UPDATE visitors SET consent_purposes = '{}' WHERE id = $1`, [changing.id]);
    // The hour passed and its job was lost with Redis: the sweep finds it, re-checks and cancels it.
    await t.dataSource.query(`UPDATE survey_invitations SET send_at = now() - interval '1 hour' WHERE id = $1`, [pending.id]);
    await worker.get(SurveyInvitationsSweepHandler).handle();
    const [after] = (await t.dataSource.query(`SELECT sent_at, token_hash, cancelled_at, cancel_reason FROM survey_invitations WHERE id = $1`, [
      pending.id,
    ])) as Record<string, unknown>[];
    expect(after).toMatchObject({ sent_at: null, token_hash: null, cancel_reason: 'no consent or no e-mail address' });
    expect(after.cancelled_at).not.toBeNull();
  });

  it('sends, through the sweep, a due invitation whose job was lost', async () => {
    const lost = await visitor(siteId);
    const requestId = await closeRequest(lost.id, 'phone');
    await t.dataSource.query(`UPDATE survey_invitations SET send_at = now() - interval '10 minutes' WHERE interaction_id = $1`, [requestId]);
    await worker.get(SurveyInvitationsSweepHandler).handle();
    const token = await linkFor(lost.email);
    expect((await api().get(`/api/v1/public/surveys/${token}`)).status).toBe(200);
    // A second sweep does not mail it again.
    await worker.get(SurveyInvitationsSweepHandler).handle();
    expect(mails.filter((m) => m.to.includes(lost.email))).toHaveLength(1);
  });

  it('keeps sweeping past a refused mail, and gives it up after a few attempts', async () => {
    const refused = await visitor(siteId, { email: `refused-${uniqueSuffix()}@example.test` });
    const fine = await visitor(siteId);
    const refusedRequest = await closeRequest(refused.id, 'phone');
    await closeRequest(fine.id, 'phone');
    await t.dataSource.query(`UPDATE survey_invitations SET send_at = now() - interval '10 minutes' WHERE visitor_id = ANY($1)`, [[refused.id, fine.id]]);
    // Oldest first: the refused one comes before the other and must not hold it back.
    await t.dataSource.query(`UPDATE survey_invitations SET send_at = send_at - interval '1 minute' WHERE interaction_id = $1`, [refusedRequest]);
    const result = await worker.get(SurveyInvitationsSweepHandler).handle();
    expect(result.failed).toBeGreaterThanOrEqual(1);
    await linkFor(fine.email);
    const row = async () =>
      ((await t.dataSource.query(`SELECT sent_at, token_hash, send_attempts, cancelled_at, cancel_reason FROM survey_invitations WHERE interaction_id = $1`, [
        refusedRequest,
      ])) as Record<string, unknown>[])[0];
    // The worker's own scheduled sweep may have tried it too: at least one refused attempt, not given up yet.
    expect(await row()).toMatchObject({ sent_at: null, token_hash: null, cancelled_at: null });
    expect((await row()).send_attempts).toBeGreaterThanOrEqual(1);
    await t.dataSource.query(`UPDATE survey_invitations SET send_attempts = $2 WHERE interaction_id = $1`, [refusedRequest, MAX_SEND_ATTEMPTS - 1]);
    await worker.get(SurveyInvitationsSweepHandler).handle();
    expect(await row()).toMatchObject({ sent_at: null, send_attempts: MAX_SEND_ATTEMPTS, cancel_reason: 'mail refused' });
    expect((await row()).cancelled_at).not.toBeNull();
  });

  it('surveys a visitor at most once per period, checked when scheduling', async () => {
    const frequent = await visitor(siteId);
    await closeRequest(frequent.id);
    await linkFor(frequent.email);
    await closeRequest(frequent.id);
    expect(await count(`SELECT count(*) AS n FROM survey_invitations WHERE visitor_id = $1`, [frequent.id])).toBe(1);
  });

  it('surveys a served ticket and takes one kiosk smiley per ticket', async () => {
    const queue = await createQueue(t.url, supervisor.token, { siteId, serviceId, name: `Accueil ${uniqueSuffix()}`, prefix: 'SV' });
    const counter = await createCounter(t.url, supervisor.token, { siteId, name: `Guichet ${uniqueSuffix()}`, queueIds: [queue.id] });
    expect((await as(agent, api().post(`/api/v1/counters/${counter.id}/open`)).send({})).status).toBeLessThan(300);
    const served = await visitor(siteId);
    const ticket = await api().post('/api/v1/tickets').set('X-API-Key', kioskKey).send({ queueId: queue.id, channel: 'kiosk', visitorId: served.id });
    expect(ticket.status).toBe(201);
    expect((await as(agent, api().post(`/api/v1/counters/${counter.id}/call-next`))).status).toBe(200);
    expect((await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/start`)).send({})).status).toBe(200);

    const early = await api().post('/api/v1/kiosk/ratings').set('X-API-Key', kioskKey).send({ siteId, score: 4, ticketId: ticket.body.id });
    expect(early.status).toBe(404);
    expect((await as(agent, api().post(`/api/v1/tickets/${ticket.body.id}/finish`)).send({})).status).toBe(200);

    const [invitation] = (await t.dataSource.query(`SELECT * FROM survey_invitations WHERE interaction_id = $1`, [ticket.body.id])) as Record<string, unknown>[];
    expect(invitation).toMatchObject({ interaction_kind: 'ticket', service_id: serviceId, agent_user_id: agent.id, channel: 'kiosk' });
    await linkFor(served.email);

    const before = await responsesOf(siteId);
    for (const score of [0, 6, 2.5]) {
      const bad = await api().post('/api/v1/kiosk/ratings').set('X-API-Key', kioskKey).send({ siteId, score, ticketId: ticket.body.id });
      expect(bad.status).toBe(400);
    }
    expect(await responsesOf(siteId)).toBe(before);
    const rated = await api().post('/api/v1/kiosk/ratings').set('X-API-Key', kioskKey).send({ siteId, score: 4, ticketNumber: ticket.body.number });
    expect(rated.status).toBe(201);
    const [smiley] = (await t.dataSource.query(`SELECT * FROM survey_responses WHERE id = $1`, [rated.body.responseId])) as Record<string, unknown>[];
    expect(smiley).toMatchObject({ source: 'kiosk', csat: 4, nps: null, interaction_id: ticket.body.id, service_id: serviceId, agent_user_id: agent.id });
    const again = await api().post('/api/v1/kiosk/ratings').set('X-API-Key', kioskKey).send({ siteId, score: 1, ticketId: ticket.body.id });
    expect(again.status).toBe(409);
    // A smiley without ticket is kept too (the visitor did not type the number).
    expect((await api().post('/api/v1/kiosk/ratings').set('X-API-Key', kioskKey).send({ siteId, score: 5 })).status).toBe(201);
    expect(await responsesOf(siteId)).toBe(before + 2);
    // Agents and other sites' keys may not rate for this site.
    const otherKey = (await createApiKey(t.dataSource, ['kiosk'], [(await createOpenSite(t.dataSource)).siteId])).key;
    expect((await api().post('/api/v1/kiosk/ratings').set('X-API-Key', otherKey).send({ siteId, score: 5 })).status).toBe(404);
  });

  it('manages rules, settings and templates: deactivation stops the survey, a used template stays, stale writes are refused', async () => {
    const other = await createOpenSite(t.dataSource);
    const boss = await createAgent(t.dataSource, t.url, other.siteId, 'supervisor');
    const desk = await createAgent(t.dataSource, t.url, other.siteId, 'agent');
    const template = await as(boss, api().post('/api/v1/surveys/templates')).send({ siteId: other.siteId, ...TEMPLATE });
    const rule = await as(boss, api().post('/api/v1/surveys/rules')).send({ siteId: other.siteId, templateId: template.body.id, trigger: 'request_closed', delayMinutes: 0 });
    expect(rule.status).toBe(201);

    const defaults = await as(boss, api().get(`/api/v1/surveys/settings/${other.siteId}`));
    expect(defaults.body).toMatchObject({ minDaysBetween: 30, linkValidHours: 168, editWindowMinutes: 15, version: 0 });
    const saved = await as(boss, api().patch(`/api/v1/surveys/settings/${other.siteId}`)).set('If-Match', '"0"').send({ minDaysBetween: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ minDaysBetween: 0, linkValidHours: 168, version: 1 });
    const stale = await as(boss, api().patch(`/api/v1/surveys/settings/${other.siteId}`)).set('If-Match', '"0"').send({ minDaysBetween: 5 });
    expect(stale.status).toBe(409);
    expect((await as(boss, api().patch(`/api/v1/surveys/settings/${other.siteId}`)).send({ linkValidHours: 0 })).status).toBe(400);
    expect((await as(boss, api().patch(`/api/v1/surveys/rules/${rule.body.id}`)).send({ templateId: templateId })).status).toBe(400);
    expect((await as(supervisor, api().get(`/api/v1/surveys/settings/${other.siteId}`))).status).toBe(404);

    const used = await as(boss, api().delete(`/api/v1/surveys/templates/${template.body.id}`));
    expect(used.status).toBe(409);
    expect(used.body.code).toBe('template_in_use');
    const off = await as(boss, api().patch(`/api/v1/surveys/templates/${template.body.id}`)).send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, version: 2, name: TEMPLATE.name });
    const person = await visitor(other.siteId);
    await closeRequest(person.id, 'desk', other.siteId, desk);
    expect(await count(`SELECT count(*) AS n FROM survey_invitations WHERE visitor_id = $1`, [person.id])).toBe(0);

    expect((await as(boss, api().patch(`/api/v1/surveys/templates/${template.body.id}`)).send({ active: true })).status).toBe(200);
    await closeRequest(person.id, 'desk', other.siteId, desk);
    await linkFor(person.email);
    // No minimum interval on this site any more: the next closed request is surveyed too.
    await closeRequest(person.id, 'desk', other.siteId, desk);
    expect(await count(`SELECT count(*) AS n FROM survey_invitations WHERE visitor_id = $1`, [person.id])).toBe(2);
  });

  describe('figures', () => {
    let figSite: string;
    let figSupervisor: Agent;
    const services: string[] = [];
    const agents: string[] = [];
    const channels = ['desk', 'phone', 'email'];
    /** What the test itself sent: the raw answers the figures must agree with. */
    const raw: { service: string; agent: string; channel: string; csat: number | null; nps: number | null; kiosk: boolean; tags: string[]; comment: string | null }[] = [];
    const invitations: { service: string; agent: string; channel: string; answered: boolean }[] = [];

    beforeAll(async () => {
      const site = await createOpenSite(t.dataSource);
      figSite = site.siteId;
      services.push(site.serviceId);
      const [second] = (await t.dataSource.query(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [figSite, `État civil ${uniqueSuffix()}`])) as {
        id: string;
      }[];
      services.push(second.id);
      figSupervisor = await createAgent(t.dataSource, t.url, figSite, 'supervisor');
      for (let i = 0; i < 3; i++) agents.push((await createAgent(t.dataSource, t.url, figSite, 'agent')).id);
      const template = await as(figSupervisor, api().post('/api/v1/surveys/templates')).send({ siteId: figSite, ...TEMPLATE });
      expect(template.status).toBe(201);

      const random = lcg(20261128);
      const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
      const comments = ["L'attente était trop longue", 'Accueil désagréable', 'Waiting far too long and nobody could explain', 'Très bien', null];
      for (let i = 0; i < 40; i++) {
        const target = { service: pick(services), agent: pick(agents), channel: pick(channels) };
        // Sent invitations (token known to the test); the API answers most of them.
        const token = newSecret();
        const [inv] = (await t.dataSource.query(
          `INSERT INTO survey_invitations (site_id, template_id, interaction_kind, interaction_id, visitor_id, service_id, agent_user_id, channel,
                                           language, token_hash, send_at, sent_at, expires_at)
           VALUES ($1, $2, 'request', gen_random_uuid(), NULL, $3, $4, $5, 'fr', $6, now(), now(), now() + interval '1 day') RETURNING id`,
          [figSite, template.body.id, target.service, target.agent, target.channel, hashSecret(token)],
        )) as { id: string }[];
        expect(inv.id).toBeDefined();
        const answered = random() < 0.75;
        invitations.push({ ...target, answered });
        if (!answered) continue;
        const csat = 1 + Math.floor(random() * 5);
        const nps = random() < 0.2 ? null : Math.floor(random() * 11);
        const tags = random() < 0.5 ? [pick(['waiting', 'welcome', 'information'])] : [];
        const comment = pick(comments);
        const answers: Record<string, unknown> = { satisfaction: csat, recommend: nps ?? 0 };
        if (tags.length) answers.issues = tags;
        if (comment) answers.comment = comment;
        const res = await api().post(`/api/v1/public/surveys/${token}/answers`).send({ answers });
        expect(res.status).toBe(201);
        if (nps === null) await t.dataSource.query(`UPDATE survey_responses SET nps = NULL WHERE id = $1`, [res.body.responseId]);
        raw.push({ ...target, csat, nps, kiosk: false, tags, comment });
      }
    });

    function expected(rows: typeof raw, sent: typeof invitations) {
      const csatRows = rows.filter((r) => r.csat !== null);
      const npsRows = rows.filter((r) => r.nps !== null);
      // Half away from zero to one decimal, as documented for the API.
      const round = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10;
      const promoters = npsRows.filter((r) => (r.nps as number) >= 9).length;
      const detractors = npsRows.filter((r) => (r.nps as number) <= 6).length;
      return {
        responses: rows.length,
        csat: csatRows.length ? round((100 * csatRows.filter((r) => (r.csat as number) >= 4).length) / csatRows.length) : null,
        nps: npsRows.length ? round((100 * (promoters - detractors)) / npsRows.length) : null,
        responseRate: sent.length ? round((100 * sent.filter((s) => s.answered).length) / sent.length) : null,
      };
    }

    it('computes CSAT, NPS and response rate per service, agent and channel as an independent computation does', async () => {
      for (const [groupBy, field] of [
        ['service', 'service'],
        ['agent', 'agent'],
        ['channel', 'channel'],
      ] as const) {
        const res = await as(figSupervisor, api().get('/api/v1/surveys/figures')).query({ siteId: figSite, groupBy });
        expect(res.status).toBe(200);
        const keys = [...new Set(invitations.map((i) => i[field]))];
        expect(res.body.groups).toHaveLength(keys.length);
        for (const key of keys) {
          const group = res.body.groups.find((g: { key: string }) => g.key === key);
          const want = expected(
            raw.filter((r) => r[field] === key),
            invitations.filter((i) => i[field] === key),
          );
          expect(group).toMatchObject(want);
        }
        expect(res.body.total).toMatchObject(expected(raw, invitations));
      }
      const weeks = await as(figSupervisor, api().get('/api/v1/surveys/figures')).query({ siteId: figSite, groupBy: 'week' });
      expect(weeks.status).toBe(200);
      expect(weeks.body.groups.reduce((n: number, g: { responses: number }) => n + g.responses, 0)).toBe(raw.length);
      for (const g of weeks.body.groups) expect(g.key).toMatch(/^\d{4}-W\d{2}$/);
    });

    it('exact NPS and CSAT on a known set', async () => {
      // 10 NPS answers: 4 promoters (9, 10, 9, 10), 3 passives, 3 detractors → NPS 10; CSAT 6 of 10 → 60.
      const site = await createOpenSite(t.dataSource);
      const sup = await createAgent(t.dataSource, t.url, site.siteId, 'supervisor');
      const scores: [number, number][] = [[5, 9], [4, 10], [5, 9], [4, 10], [4, 7], [4, 8], [3, 8], [2, 6], [1, 0], [3, 5]];
      for (const [csat, nps] of scores) {
        await t.dataSource.query(
          `INSERT INTO survey_responses (site_id, source, channel, language, csat, nps, service_id) VALUES ($1, 'kiosk', 'kiosk', 'fr', $2, $3, $4)`,
          [site.siteId, csat, nps, site.serviceId],
        );
      }
      const res = await as(sup, api().get('/api/v1/surveys/figures')).query({ siteId: site.siteId, groupBy: 'service' });
      expect(res.body.total).toMatchObject({ responses: 10, csat: 60, nps: 10, promoters: 4, detractors: 3, responseRate: null });
    });

    it('ranks the reasons of dissatisfaction (tags and comment themes) and exports CSV', async () => {
      const res = await as(figSupervisor, api().get('/api/v1/surveys/reasons')).query({ siteId: figSite });
      expect(res.status).toBe(200);
      const unhappy = raw.filter((r) => (r.csat !== null && r.csat <= 3) || (r.nps !== null && r.nps <= 6));
      expect(res.body.dissatisfied).toBe(unhappy.length);
      const tagCounts = new Map<string, number>();
      for (const r of unhappy) for (const tag of r.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
      expect(res.body.tags).toEqual(
        [...tagCounts].map(([tag, n]) => ({ tag, count: n })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
      );
      const waitingComments = unhappy.filter((r) => r.comment && /attente|waiting/i.test(r.comment)).length;
      expect(res.body.themes.find((th: { theme: string }) => th.theme === 'waiting')?.count ?? 0).toBe(waitingComments);
      const counts = res.body.themes.map((th: { count: number }) => th.count);
      expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));

      const csv = await as(figSupervisor, api().get('/api/v1/surveys/figures.csv')).query({ siteId: figSite, groupBy: 'channel' });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
      const json = await as(figSupervisor, api().get('/api/v1/surveys/figures')).query({ siteId: figSite, groupBy: 'channel' });
      for (const group of json.body.groups) {
        const line = rows.find((r) => r.channel === group.key)!;
        expect(Number(line.responses)).toBe(group.responses);
        expect(line.csat_percent === '' ? null : Number(line.csat_percent)).toBe(group.csat);
        expect(line.nps === '' ? null : Number(line.nps)).toBe(group.nps);
      }
      expect(rows[rows.length - 1].channel).toBe('total');
      const reasonsCsv = await as(figSupervisor, api().get('/api/v1/surveys/reasons.csv')).query({ siteId: figSite });
      expect((parse(reasonsCsv.text, { columns: true }) as unknown[]).length).toBe(res.body.tags.length + res.body.themes.length);
    });

    it('lets a supervisor tag an answer, refuses bad tags and other sites', async () => {
      const list = await as(figSupervisor, api().get('/api/v1/surveys/responses')).query({ siteId: figSite, dissatisfied: 'true', limit: 5 });
      expect(list.status).toBe(200);
      const target = list.body.items[0];
      const bad = await as(figSupervisor, api().patch(`/api/v1/surveys/responses/${target.id}/tags`)).send({ tags: ['Not a slug!'] });
      expect(bad.status).toBe(400);
      const tagged = await as(figSupervisor, api().patch(`/api/v1/surveys/responses/${target.id}/tags`))
        .set('If-Match', `"${target.version}"`)
        .send({ tags: ['signage'] });
      expect(tagged.status).toBe(200);
      expect(tagged.body.reasonTags).toEqual(['signage']);
      const stale = await as(figSupervisor, api().patch(`/api/v1/surveys/responses/${target.id}/tags`))
        .set('If-Match', `"${target.version}"`)
        .send({ tags: ['x'] });
      expect(stale.status).toBe(409);
      // The supervisor of the first site does not see this site's answers.
      expect((await as(supervisor, api().get(`/api/v1/surveys/responses/${target.id}`))).status).toBe(404);
      expect((await as(supervisor, api().get('/api/v1/surveys/figures')).query({ siteId: figSite })).status).toBe(404);
      expect((await as(agent, api().get('/api/v1/surveys/figures')).query({ siteId })).status).toBe(403);
    });
  });

  it('never mailed the visitors who must not be surveyed', () => {
    expect(neverMailed.length).toBeGreaterThan(0);
    expect(mails.filter((m) => m.to.some((to) => neverMailed.includes(to)))).toEqual([]);
  });
});

/** The demo lands in a database of its own: other suites share the run's database and must not see its sites. */
describe('demo surveys', () => {
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `${url.pathname}_surveys_demo`;
  const demoUrl = url.toString();
  let db: Client;

  beforeAll(async () => {
    await prepareDatabase(demoUrl);
    await seedDemo(demoUrl);
    db = new Client({ connectionString: demoUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    if (!process.env.KEEP_TEST_DB) await dropDatabase(demoUrl);
  });

  it('loads a bilingual template, its rules and weeks of answers the figures can use', async () => {
    const { rows } = await db.query<{ responses: number; weeks: number; answered: number; sent: number; csat: number; low: number; tagged: number }>(
      `SELECT (SELECT count(*)::int FROM survey_responses) AS responses,
              (SELECT count(DISTINCT date_trunc('week', submitted_at))::int FROM survey_responses) AS weeks,
              (SELECT count(*)::int FROM survey_invitations WHERE answered_at IS NOT NULL) AS answered,
              (SELECT count(*)::int FROM survey_invitations) AS sent,
              (SELECT count(*) FILTER (WHERE csat >= 4)::float / count(csat) FROM survey_responses) AS csat,
              (SELECT count(*)::int FROM survey_responses WHERE csat <= 3) AS low,
              (SELECT count(*)::int FROM survey_responses WHERE reason_tags <> '{}') AS tagged`,
    );
    const figures = rows[0];
    expect(figures.weeks).toBeGreaterThanOrEqual(8);
    expect(figures.responses).toBeGreaterThan(100);
    expect(figures.sent).toBeGreaterThan(0);
    expect(figures.answered / figures.sent).toBeGreaterThan(0.4);
    expect(figures.answered / figures.sent).toBeLessThan(0.9);
    expect(figures.csat).toBeGreaterThan(0.5);
    expect(figures.low).toBeGreaterThan(0);
    expect(figures.tagged).toBeGreaterThan(0);
  });
});
