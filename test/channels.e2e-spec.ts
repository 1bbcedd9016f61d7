import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, TestUser, uniqueSuffix } from '@guichet/testing/factories';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

interface MailSpec {
  from: string;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  date?: Date;
  headers?: string[];
  body?: string;
}

/** A raw RFC 822 message as a mail gateway would post it. */
function rawMail(spec: MailSpec): string {
  const headers = [
    `From: ${spec.from}`,
    `To: ${spec.to ?? 'accueil@mairie.test'}`,
    `Subject: ${spec.subject ?? 'Demande'}`,
    `Date: ${(spec.date ?? new Date()).toUTCString()}`,
    ...(spec.messageId === null ? [] : [`Message-ID: ${spec.messageId ?? `<${uniqueSuffix()}.${Date.now()}@exemple.test>`}`]),
    ...(spec.inReplyTo ? [`In-Reply-To: ${spec.inReplyTo}`] : []),
    ...(spec.references?.length ? [`References: ${spec.references.join(' ')}`] : []),
    ...(spec.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${spec.body ?? 'Bonjour,\r\nmerci de votre aide.\r\n'}`;
}

describe('channels', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  const delivered: ParsedMail[] = [];
  /** Recipients the local SMTP server refuses while set (to exercise a failed reply). */
  const refused = new Set<string>();
  const previousSmtpUrl = process.env.SMTP_URL;

  let siteA: string;
  let siteB: string;
  let mailboxA: string;
  let serviceA: string;
  let inactiveServiceA: string;
  let serviceB: string;
  let agentA: TestUser;
  let agentB: TestUser;
  let supervisorA: TestUser;
  const tokens: Record<string, string> = {};
  let gatewayKey: string;
  let twoSiteKey: string;
  let live: RecordingClient;

  const api = () => request(t.url);
  const as = (who: string) => (r: request.Test) => r.set('Authorization', `Bearer ${tokens[who]}`);
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params)) as { n: string }[])[0].n);
  const insert = async (sql: string, params: unknown[]) => ((await t.dataSource.query(sql, params)) as { id: string }[])[0].id;
  const snapshot = async () => ({
    requests: await count('requests'),
    emails: await count('email_messages'),
    visitors: await count('visitors'),
    calls: await count('phone_calls'),
    audit: await count('audit_entries'),
    events: await count('request_events'),
  });
  const postMail = (raw: string, key = gatewayKey, query: Record<string, string> = { siteId: siteA }) =>
    api().post('/api/v1/channels/email/inbound').query(query).set('X-Api-Key', key).set('Content-Type', 'message/rfc822').send(Buffer.from(raw));
  const reply = (who: string, requestId: string, body: Record<string, unknown>) =>
    as(who)(api().post(`/api/v1/requests/${requestId}/email-replies`)).send(body);
  const timelineTypes = async (requestId: string) =>
    ((await as('supervisorA')(api().get(`/api/v1/requests/${requestId}/timeline`))).body.items as { type: string }[]).map((e) => e.type);

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (!refused.has(address.address)) return callback();
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      },
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            delivered.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    t = await startTestApp();

    siteA = await createSite(t.dataSource);
    siteB = await createSite(t.dataSource);
    mailboxA = `accueil-${uniqueSuffix()}@mairie-a.test`;
    await t.dataSource.query(`UPDATE sites SET email = $2 WHERE id = $1`, [siteA, mailboxA]);
    serviceA = await insert(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteA, `État civil ${uniqueSuffix()}`]);
    inactiveServiceA = await insert(`INSERT INTO services (site_id, name, active) VALUES ($1, $2, false) RETURNING id`, [siteA, `Fermé ${uniqueSuffix()}`]);
    serviceB = await insert(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [siteB, `Urbanisme ${uniqueSuffix()}`]);
    agentA = await createUser(t.dataSource, 'agent', [siteA], { serviceId: serviceA });
    agentB = await createUser(t.dataSource, 'agent', [siteB]);
    supervisorA = await createUser(t.dataSource, 'supervisor', [siteA]);
    for (const [name, user] of Object.entries({ agentA, agentB, supervisorA })) tokens[name] = (await login(t.url, user)).accessToken;
    gatewayKey = (await createApiKey(t.dataSource, ['requests:write'], [siteA])).key;
    twoSiteKey = (await createApiKey(t.dataSource, ['requests:write'], [siteA, siteB])).key;
    live = await connectLive(t.url, { token: tokens.supervisorA });
    await live.socket.emitWithAck('subscribe', { siteId: siteA });
  });

  afterAll(async () => {
    live?.close();
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    // Jest may run another suite in this process: it must not inherit this suite's mail server.
    if (previousSmtpUrl === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = previousSmtpUrl;
  });

  describe('e-mail', () => {
    const sender = `heloise.dupre.${uniqueSuffix()}@exemple.test`;
    const firstId = `<first.${uniqueSuffix()}@exemple.test>`;
    const wroteAt = new Date(Date.now() - 3600_000);
    wroteAt.setMilliseconds(0);
    let requestId: string;
    let emailId: string;

    it('A raw e-mail posted to the inbound endpoint creates a request; a reply to it lands in the same request; a reply sent from the API reaches the local SMTP server in the test', async () => {
      // 1. The visitor writes: a new e-mail request, a new visitor named after the From display name.
      const created = await postMail(
        rawMail({
          from: `"Héloïse Dupré" <${sender}>`,
          to: mailboxA,
          subject: 'Acte de naissance',
          messageId: firstId,
          date: wroteAt,
          body: 'Bonjour,\r\nIl me faut un acte de naissance.\r\n',
        }),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        outcome: 'created',
        request: { siteId: siteA, channel: 'email', subject: 'Acte de naissance', status: 'open', arrivedAt: wroteAt.toISOString() },
        email: { direction: 'inbound', status: 'received', messageId: firstId, fromAddress: sender, toAddresses: [mailboxA.toLowerCase()] },
      });
      expect(created.body.request.notes).toContain('acte de naissance');
      requestId = created.body.request.id;
      emailId = created.body.email.id;
      const [visitor] = await t.dataSource.query(`SELECT first_name, last_name, email, type FROM visitors WHERE id = $1`, [created.body.request.visitorId]);
      expect(visitor).toEqual({ first_name: 'Héloïse', last_name: 'Dupré', email: sender, type: 'citizen' });

      // 2. An agent answers from the console: the local SMTP server gets it, threaded on the visitor's mail.
      const sent = await reply('agentA', requestId, { body: 'Bonjour Madame,\nvoici la marche à suivre.' });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({
        direction: 'outbound',
        status: 'sent',
        inReplyTo: firstId,
        references: [firstId],
        toAddresses: [sender],
        subject: 'Re: Acte de naissance',
        textBody: 'Bonjour Madame,\nvoici la marche à suivre.',
        sentByUserId: agentA.id,
        error: null,
      });
      expect(sent.body.messageId).toMatch(/^<[0-9a-f-]{36}@mairie-a\.test>$/);
      const mail = delivered.find((m) => m.messageId === sent.body.messageId);
      expect(mail).toBeDefined();
      expect(mail!.inReplyTo).toBe(firstId);
      expect([mail!.references ?? []].flat()).toEqual([firstId]);
      expect(mail!.subject).toBe('Re: Acte de naissance');
      expect(mail!.text).toContain('voici la marche à suivre');
      expect(mail!.replyTo?.value[0].address).toBe(mailboxA);
      expect([mail!.to].flat()[0]?.value[0].address).toBe(sender);
      // Answering took the open request in hand.
      const taken = await as('agentA')(api().get(`/api/v1/requests/${requestId}`));
      expect(taken.body).toMatchObject({ status: 'in_progress', handledByUserId: agentA.id });
      const answered = await as('agentA')(api().post(`/api/v1/requests/${requestId}/status`)).send({ status: 'answered', outcome: 'information' });
      expect(answered.body.status).toBe('answered');

      // 3. The visitor answers our reply: same request, reopened.
      const answer = await postMail(
        rawMail({
          from: sender,
          to: mailboxA,
          subject: 'Re: Re: Acte de naissance',
          inReplyTo: sent.body.messageId,
          references: [firstId, sent.body.messageId],
          body: 'Merci, et pour mon fils ?',
        }),
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ outcome: 'threaded', request: { id: requestId, status: 'in_progress' }, email: { inReplyTo: sent.body.messageId } });

      const thread = await as('agentA')(api().get(`/api/v1/requests/${requestId}/emails`));
      expect(thread.status).toBe(200);
      expect(thread.body.total).toBe(3);
      expect(thread.body.items.map((e: { direction: string; status: string }) => `${e.direction}:${e.status}`)).toEqual([
        'inbound:received',
        'outbound:sent',
        'inbound:received',
      ]);
      expect(await timelineTypes(requestId)).toEqual([
        'created',
        'email_received',
        'status_changed',
        'email_queued',
        'email_sent',
        'status_changed',
        'email_received',
        'status_changed',
      ]);
      expect(await count('requests', 'visitor_id = $1', [created.body.request.visitorId])).toBe(1);
      expect(await count('audit_entries', `entity = 'email_message' AND site_id = $1 AND entity_id = ANY($2::text[])`, [
        siteA,
        thread.body.items.map((e: { id: string }) => e.id),
      ])).toBe(4);
      const announcedFor = (name: string) => (events: RecordingClient['events']) =>
        events.some((e) => e.name === name && (e.body.requestId ?? requestId) === requestId);
      for (const name of ['request.created', 'visitor.created', 'email.received', 'email.sent']) await live.waitFor(announcedFor(name));
      const announced = live.events.filter((e) => e.name.startsWith('email.')).map((e) => JSON.stringify(e.body));
      expect(announced.join()).not.toMatch(/marche à suivre|exemple\.test/);
    });

    it('is idempotent by Message-ID: the same message again answers 200 with the same request and writes nothing', async () => {
      const before = await snapshot();
      const again = await postMail(rawMail({ from: `"Héloïse Dupré" <${sender}>`, to: mailboxA, subject: 'Acte de naissance', messageId: firstId }));
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ outcome: 'duplicate', request: { id: requestId }, email: { id: emailId } });
      // A message without Message-ID gets one derived from its bytes: a re-post is recognised too.
      const anonymous = rawMail({ from: sender, messageId: null, subject: 'Sans identifiant', date: wroteAt });
      const first = await postMail(anonymous);
      expect(first.status).toBe(201);
      expect(first.body.email.messageId).toMatch(/@guichet\.generated>$/);
      const second = await postMail(anonymous);
      expect(second.status).toBe(200);
      expect(second.body.request.id).toBe(first.body.request.id);
      const after = await snapshot();
      expect(after.requests).toBe(before.requests + 1);
      expect(after.emails).toBe(before.emails + 1);
      expect(after.visitors).toBe(before.visitors);
    });

    it('recognises a known visitor by address, whatever the case, and never a merged one', async () => {
      const address = `Known.${uniqueSuffix()}@Exemple.test`;
      const known = await insert(`INSERT INTO visitors (site_id, first_name, last_name, email) VALUES ($1, 'Léa', 'Martin', $2) RETURNING id`, [siteA, address]);
      await t.dataSource.query(`INSERT INTO visitors (site_id, first_name, email, merged_into_id) VALUES ($1, 'Ancien', $2, $3)`, [siteA, address, known]);
      const before = await count('visitors');
      const res = await postMail(rawMail({ from: `Someone Else <${address.toLowerCase()}>` }));
      expect(res.status).toBe(201);
      expect(res.body.request.visitorId).toBe(known);
      expect(await count('visitors')).toBe(before);
    });

    it('refuses what is not a mail with a 400 and writes nothing', async () => {
      const before = await snapshot();
      const noFrom = await postMail('Subject: hello\r\n\r\nno sender here');
      expect(noFrom.status).toBe(400);
      expect(noFrom.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(noFrom.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
      expect((await postMail('')).status).toBe(400);
      const plainWords = await api()
        .post('/api/v1/channels/email/inbound')
        .query({ siteId: siteA })
        .set('X-Api-Key', gatewayKey)
        .set('Content-Type', 'text/plain')
        .send('just a few words');
      expect(plainWords.status).toBe(400);
      const json = await api().post('/api/v1/channels/email/inbound').query({ siteId: siteA }).set('X-Api-Key', gatewayKey).send({ raw: 'From: a@b.test' });
      expect(json.status).toBe(400);
      const pdf = await api()
        .post('/api/v1/channels/email/inbound')
        .query({ siteId: siteA })
        .set('X-Api-Key', gatewayKey)
        .set('Content-Type', 'application/pdf')
        .send(Buffer.from('%PDF-1.4'));
      expect(pdf.status).toBe(415);
      expect(await snapshot()).toEqual(before);
    });

    it('takes text/plain too, and routes a multi-site key by the site mailbox among the recipients', async () => {
      const viaText = await api()
        .post('/api/v1/channels/email/inbound')
        .set('X-Api-Key', twoSiteKey)
        .set('Content-Type', 'text/plain')
        .send(rawMail({ from: `routed.${uniqueSuffix()}@exemple.test`, to: `Accueil <${mailboxA.toUpperCase()}>` }));
      expect(viaText.status).toBe(201);
      expect(viaText.body.request.siteId).toBe(siteA);
      const before = await snapshot();
      const unrouted = await postMail(rawMail({ from: 'x@exemple.test', to: 'nobody@elsewhere.test' }), twoSiteKey, {});
      expect(unrouted.status).toBe(400);
      expect(unrouted.body.errors).toEqual([expect.objectContaining({ field: 'siteId' })]);
      expect(await snapshot()).toEqual(before);
    });

    it('takes a message/rfc822 mail beyond the API’s 1 MB body limit, up to 10 MB (413 beyond, nothing written)', async () => {
      const big = await postMail(rawMail({ from: `big.${uniqueSuffix()}@exemple.test`, body: `${'Pièce jointe recopiée. '.repeat(100_000)}\r\n` }));
      expect(big.status).toBe(201);
      const before = await snapshot();
      const huge = await postMail(rawMail({ from: `huge.${uniqueSuffix()}@exemple.test`, body: 'x'.repeat(11 * 1024 * 1024) }));
      expect(huge.status).toBe(413);
      expect(await snapshot()).toEqual(before);
    });

    it('stores a message once when the gateway delivers it twice at the same time', async () => {
      const raw = rawMail({ from: `twice.${uniqueSuffix()}@exemple.test`, subject: 'Deux fois' });
      const answers = await Promise.all([postMail(raw), postMail(raw)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(answers[0].body.request.id).toBe(answers[1].body.request.id);
      expect(await count('email_messages', 'message_id = $1', [answers[0].body.email.messageId])).toBe(1);
    });

    it('keeps sites apart: foreign sites are 404, agents cannot post inbound mail, threads never cross sites', async () => {
      const before = await snapshot();
      expect((await postMail(rawMail({ from: 'x@exemple.test' }), gatewayKey, { siteId: siteB })).status).toBe(404);
      const agentPost = await as('agentA')(api().post('/api/v1/channels/email/inbound').query({ siteId: siteA }))
        .set('Content-Type', 'message/rfc822')
        .send(Buffer.from(rawMail({ from: 'x@exemple.test' })));
      expect(agentPost.status).toBe(403);
      expect((await as('agentB')(api().get(`/api/v1/requests/${requestId}/emails`))).status).toBe(404);
      expect((await reply('agentB', requestId, { body: 'Intrusion' })).status).toBe(404);
      expect(await snapshot()).toEqual(before);
      // Site B's mailbox gets an answer to site A's thread: it opens a request in site B, site A's request is untouched.
      const crossing = await postMail(rawMail({ from: sender, inReplyTo: firstId, references: [firstId] }), twoSiteKey, { siteId: siteB });
      expect(crossing.status).toBe(201);
      expect(crossing.body).toMatchObject({ outcome: 'created', request: { siteId: siteB } });
      expect(crossing.body.request.id).not.toBe(requestId);
    });

    it('an automatic reply (out-of-office) joins the thread without reopening the request', async () => {
      const closed = await as('agentA')(api().post(`/api/v1/requests/${requestId}/status`)).send({ status: 'closed' });
      expect(closed.body.status).toBe('closed');
      const auto = await postMail(rawMail({ from: sender, inReplyTo: firstId, headers: ['Auto-Submitted: auto-replied'], subject: 'Absence' }));
      expect(auto.status).toBe(201);
      expect(auto.body).toMatchObject({ outcome: 'threaded', request: { id: requestId, status: 'closed' } });
    });

    it('keeps a reply the mail server refused (502), and sends it on retry, once', async () => {
      const refusedAddress = `refuse.${uniqueSuffix()}@exemple.test`;
      const opened = await postMail(rawMail({ from: refusedAddress, subject: 'Permis de construire' }));
      refused.add(refusedAddress);
      const failed = await reply('agentA', opened.body.request.id, { body: 'Texte précieux', subject: 'Votre dossier' });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('mail_delivery_failed');
      const [stored] = await t.dataSource.query(`SELECT id, status, error, text_body, subject FROM email_messages WHERE request_id = $1 AND direction = 'outbound'`, [
        opened.body.request.id,
      ]);
      expect(stored).toMatchObject({ status: 'failed', text_body: 'Texte précieux', subject: 'Votre dossier' });
      expect(stored.error).toMatch(/Mailbox unavailable/);
      expect(failed.body.detail).toContain(stored.id);
      await live.waitFor((events) => events.some((e) => e.name === 'email.failed' && e.body.emailId === stored.id));

      refused.delete(refusedAddress);
      const retried = await as('agentA')(api().post(`/api/v1/requests/${opened.body.request.id}/email-replies/${stored.id}/retry`));
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({ id: stored.id, status: 'sent', error: null });
      expect(delivered.filter((m) => m.messageId === retried.body.messageId)).toHaveLength(1);
      const again = await as('agentA')(api().post(`/api/v1/requests/${opened.body.request.id}/email-replies/${stored.id}/retry`));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('email_not_retryable');
      expect(delivered.filter((m) => m.messageId === retried.body.messageId)).toHaveLength(1);
      expect(await timelineTypes(opened.body.request.id)).toEqual(
        expect.arrayContaining(['email_queued', 'email_failed', 'email_queued', 'email_sent']),
      );
    });

    it('answers 422 no_recipient for a request nobody can be written to, writing nothing', async () => {
      const desk = await as('agentA')(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'desk', subject: 'Sans contact' });
      const before = await snapshot();
      const res = await reply('agentA', desk.body.id, { body: 'Bonjour' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('no_recipient');
      expect(await snapshot()).toEqual(before);
      expect((await reply('agentA', desk.body.id, { body: '   ' })).status).toBe(400);
    });
  });

  describe('phone', () => {
    const startedAt = new Date(Date.now() - 600_000);
    startedAt.setMilliseconds(0);
    let caller: string;
    const call = (who: string, body: Record<string, unknown>) =>
      as(who)(api().post('/api/v1/channels/phone/calls')).send({
        siteId: siteA,
        direction: 'inbound',
        startedAt: startedAt.toISOString(),
        durationSeconds: 240,
        outcome: 'answered',
        ...body,
      });

    beforeAll(async () => {
      caller = await insert(`INSERT INTO visitors (site_id, first_name, last_name, phone) VALUES ($1, 'Marc', 'Petit', '+33612345678') RETURNING id`, [siteA]);
    });

    it('normalises 06 12 34 56 78 and +33612345678 to E.164 and recognises the caller', async () => {
      const local = await call('agentA', { number: '06 12 34 56 78', notes: 'Demande les horaires' });
      expect(local.status).toBe(201);
      expect(local.body).toMatchObject({
        siteId: siteA,
        number: '+33612345678',
        visitorId: caller,
        requestId: null,
        agentUserId: agentA.id,
        durationSeconds: 240,
        startedAt: startedAt.toISOString(),
        notes: 'Demande les horaires',
      });
      const international = await call('agentA', {
        number: '+33612345678',
        direction: 'outbound',
        outcome: 'callback_requested',
        createRequest: { subject: 'Rappel pour un rendez-vous', notes: 'Rappeler avant midi' },
      });
      expect(international.status).toBe(201);
      expect(international.body).toMatchObject({ number: '+33612345678', visitorId: caller, direction: 'outbound' });
      const created = await as('agentA')(api().get(`/api/v1/requests/${international.body.requestId}`));
      expect(created.body).toMatchObject({ channel: 'phone', visitorId: caller, arrivedAt: startedAt.toISOString(), subject: 'Rappel pour un rendez-vous' });
      expect(await timelineTypes(international.body.requestId)).toEqual(['created', 'call_logged']);

      const list = await as('agentA')(api().get('/api/v1/channels/phone/calls').query({ siteId: siteA, visitorId: caller }));
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(2);
      expect(list.body.items.map((c: { id: string }) => c.id).sort()).toEqual([local.body.id, international.body.id].sort());
      const window = await as('agentA')(api().get('/api/v1/channels/phone/calls').query({ siteId: siteA, from: new Date(startedAt.getTime() + 1000).toISOString() }));
      expect(window.body.items.map((c: { id: string }) => c.id)).not.toContain(local.body.id);
      expect(await count('audit_entries', `entity = 'phone_call' AND entity_id = $1 AND changes->'number'->>'to' = '[personal]'`, [local.body.id])).toBe(1);
      await live.waitFor((events) => events.some((e) => e.name === 'call.logged' && e.body.callId === local.body.id));
    });

    it('links a call to an existing request of the site (timeline call_logged, its visitor)', async () => {
      const existing = await as('agentA')(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'desk', subject: 'Carte grise', visitorId: caller });
      const res = await call('agentA', { number: null, requestId: existing.body.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ requestId: existing.body.id, visitorId: caller, number: null });
      expect(await timelineTypes(existing.body.id)).toEqual(['created', 'call_logged']);
    });

    it('refuses an invalid number (400 on number), writing nothing', async () => {
      const before = await snapshot();
      const res = await call('agentA', { number: '06 12' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'number' })]);
      const both = await call('agentA', { number: '0612345678', requestId: '0b9f6c1e-5a4d-4c3b-9a2e-1f0e9d8c7b6a', createRequest: { subject: 'x' } });
      expect(both.status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('validates the transfer target: a service of the site, and only for a transferred call', async () => {
      const before = await snapshot();
      const foreign = await call('agentA', { number: '0612345678', outcome: 'transferred', transferredToServiceId: serviceB });
      expect(foreign.status).toBe(422);
      expect(foreign.body.errors).toEqual([expect.objectContaining({ field: 'transferredToServiceId' })]);
      expect((await call('agentA', { number: '0612345678', outcome: 'transferred', transferredToServiceId: inactiveServiceA })).status).toBe(422);
      expect((await call('agentA', { number: '0612345678', outcome: 'transferred' })).status).toBe(400);
      expect((await call('agentA', { number: '0612345678', transferredToServiceId: serviceA })).status).toBe(400);
      expect(await snapshot()).toEqual(before);

      const transferred = await call('agentA', { number: '0612345678', outcome: 'transferred', transferredToServiceId: serviceA });
      expect(transferred.status).toBe(201);
      expect(transferred.body.transferredToServiceId).toBe(serviceA);
      const [event] = await t.dataSource.query(`SELECT rooms FROM live_events WHERE type = 'call.logged' AND data->>'callId' = $1`, [transferred.body.id]);
      expect(event.rooms).toEqual([`site:${siteA}`, `service:${serviceA}`]);
    });

    it('keeps sites apart (404) and hides call notes of a confidential request from who may not read it', async () => {
      const before = await snapshot();
      expect((await call('agentB', { number: '0612345678' })).status).toBe(404);
      expect((await as('agentB')(api().get('/api/v1/channels/phone/calls').query({ siteId: siteA }))).status).toBe(404);
      const foreignVisitor = await insert(`INSERT INTO visitors (site_id, first_name) VALUES ($1, 'Autre') RETURNING id`, [siteB]);
      expect((await call('agentA', { number: '0612345678', visitorId: foreignVisitor })).status).toBe(422);
      expect(await snapshot()).toEqual({ ...before, visitors: before.visitors + 1 });

      const secret = await call('agentA', {
        number: '0612345678',
        notes: 'Situation familiale délicate',
        createRequest: { subject: 'Aide sociale', confidentiality: 'confidential' },
      });
      expect(secret.status).toBe(201);
      const otherAgent = await createUser(t.dataSource, 'agent', [siteA]);
      const token = (await login(t.url, otherAgent)).accessToken;
      const seen = await api().get('/api/v1/channels/phone/calls').query({ siteId: siteA }).set('Authorization', `Bearer ${token}`);
      const hidden = (seen.body.items as { id: string }[]).find((c) => c.id === secret.body.id)!;
      expect(hidden).toBeDefined();
      expect(hidden).not.toHaveProperty('notes');
      const bySupervisor = await as('supervisorA')(api().get('/api/v1/channels/phone/calls').query({ siteId: siteA }));
      expect((bySupervisor.body.items as { id: string; notes?: string }[]).find((c) => c.id === secret.body.id)!.notes).toBe('Situation familiale délicate');
    });
  });
});
