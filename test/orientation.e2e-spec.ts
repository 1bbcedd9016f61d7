import { DateTime } from 'luxon';
import request from 'supertest';
import { rooms } from '@guichet/live/rooms';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';
import { GatewayPublisher } from '../apps/api/src/live/gateway.publisher';

const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ open: '00:00', close: '24:00' }]]));

describe('orientation and transfers', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let civil: string;
  let social: string;
  let mondayService: string;
  let foreignService: string;
  let staffSocial: string;
  let caf: string;
  let unknownHoursPartner: string;
  let agentToken: string;
  let otherToken: string;
  let readKey: string;

  const api = () => request(t.url);
  const asAgent = (r: request.Test) => r.set('Authorization', `Bearer ${agentToken}`);
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(((await t.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params)) as { n: string }[])[0].n);
  const insert = async (sql: string, params: unknown[]) => ((await t.dataSource.query(sql, params)) as { id: string }[])[0].id;

  const createRequest = async (body: Record<string, unknown> = {}) => {
    const res = await asAgent(api().post('/api/v1/requests')).send({ siteId: siteA, channel: 'desk', subject: 'Renseignement', ...body });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; arrivedAt: string; version: number };
  };
  /** Publishes a marker event to one room only, bypassing the site room, to observe room membership. */
  const probe = (room: string, marker: string) =>
    t.app.get(GatewayPublisher).publish([
      {
        siteId: siteA,
        seq: 0,
        at: new Date().toISOString(),
        type: 'request.transferred',
        rooms: [room],
        data: { requestId: marker, transferId: marker, targetType: 'service', targetId: marker, serviceId: null, mode: 'probe' },
      },
    ]);
  const heard = (client: RecordingClient, marker: string) => client.events.some((e) => e.body.transferId === marker);
  const transfer = (requestId: string, body: Record<string, unknown>) =>
    asAgent(api().post(`/api/v1/requests/${requestId}/transfers`)).send({ mode: 'call_transfer', reason: 'Compétence du service', ...body });

  beforeAll(async () => {
    t = await startTestApp();
    // A site open around the clock, so that "open now" does not depend on when the suite runs.
    siteA = await insert(`INSERT INTO sites (name, time_zone, opening_hours) VALUES ($1, 'Europe/Paris', $2) RETURNING id`, [
      `Mairie ${uniqueSuffix()}`,
      JSON.stringify(ALWAYS_OPEN),
    ]);
    siteB = await createSite(t.dataSource);
    civil = await insert(
      `INSERT INTO services (site_id, name, description, keywords, location, phone) VALUES ($1, 'État civil', $2, $3, $4, '01 23 45 67 89') RETURNING id`,
      [siteA, 'Actes de naissance, de mariage et de décès, livret de famille', ['acte de naissance', 'mariage', 'décès'], { floor: 'RDC', office: '12' }],
    );
    social = await insert(
      `INSERT INTO services (site_id, name, description, keywords, opening_hours) VALUES ($1, 'CCAS', $2, $3, $4) RETURNING id`,
      [siteA, 'Aide sociale, domiciliation, épicerie solidaire', ['aide sociale', 'logement', 'RSA'], JSON.stringify(ALWAYS_OPEN)],
    );
    // Its own hours win over the site's: open one hour a week.
    mondayService = await insert(
      `INSERT INTO services (site_id, name, description, keywords, opening_hours) VALUES ($1, 'Archives', 'Copies d''actes anciens', $2, $3) RETURNING id`,
      [siteA, ['acte ancien'], JSON.stringify({ mon: [{ open: '08:00', close: '09:00' }] })],
    );
    await t.dataSource.query(`INSERT INTO services (site_id, name, keywords, active) VALUES ($1, 'Ancien état civil', $2, false)`, [
      siteA,
      ['acte de naissance'],
    ]);
    foreignService = await insert(`INSERT INTO services (site_id, name, description, keywords) VALUES ($1, 'État civil B', 'Actes de naissance', $2) RETURNING id`, [
      siteB,
      ['acte de naissance'],
    ]);
    staffSocial = await insert(
      `INSERT INTO staff (site_id, service_id, first_name, last_name, job_title, phone_extension) VALUES ($1, $2, 'Nadia', 'Roux', 'Conseillère logement', '204') RETURNING id`,
      [siteA, social],
    );
    caf = await insert(
      `INSERT INTO partners (site_id, name, description, keywords, website, opening_hours) VALUES ($1, 'CAF', 'Allocations familiales et aide au logement', $2, 'https://caf.fr', $3) RETURNING id`,
      [siteA, ['allocations', 'APL', 'logement'], JSON.stringify(ALWAYS_OPEN)],
    );
    unknownHoursPartner = await insert(
      `INSERT INTO partners (site_id, name, description, keywords) VALUES ($1, 'ADIL', 'Information sur le logement', $2) RETURNING id`,
      [siteA, ['logement', 'bail']],
    );
    agentToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteA]))).accessToken;
    otherToken = (await login(t.url, await createUser(t.dataSource, 'agent', [siteB]))).accessToken;
    readKey = (await createApiKey(t.dataSource, ['requests:read'], [siteA])).key;
  });
  afterAll(() => t.close());

  describe('suggestions', () => {
    it('ranks the site’s directory for words, with matched keywords, opening status and contact details', async () => {
      const res = await asAgent(api().get('/api/v1/orientation/suggestions').query({ q: 'acte naissance', siteId: siteA }));
      expect(res.status).toBe(200);
      const [first, ...rest] = res.body as Record<string, unknown>[];
      expect(first).toMatchObject({
        type: 'service',
        id: civil,
        name: 'État civil',
        matchedKeywords: ['acte de naissance'],
        openNow: true,
        phone: '01 23 45 67 89',
        location: { floor: 'RDC', office: '12' },
      });
      expect(first.score).toBeGreaterThan(0);
      expect(first.score).toBeLessThanOrEqual(1);
      // Open around the clock: it never goes from closed to open.
      expect(first.nextOpeningAt).toBeNull();
      const ids = res.body.map((s: { id: string }) => s.id);
      expect(ids).not.toContain(foreignService);
      // Inactive services are not suggested.
      expect(res.body.filter((s: { name: string }) => s.name === 'Ancien état civil')).toEqual([]);
      const archives = rest.find((s) => s.id === mondayService)!;
      const next = DateTime.fromISO(archives.nextOpeningAt as string, { zone: 'Europe/Paris' });
      expect([next.weekday, next.hour, next.minute]).toEqual([1, 8, 0]);
      expect(next.toMillis()).toBeGreaterThan(Date.now());
      expect(typeof archives.openNow).toBe('boolean');
    });

    it('suggests for a request from its subject, reformulation and category, across services, staff and partners', async () => {
      const created = await createRequest({ subject: 'Problème de logement', reformulation: 'Demande une aide au logement (APL)' });
      const res = await asAgent(api().get('/api/v1/orientation/suggestions').query({ requestId: created.id }));
      expect(res.status).toBe(200);
      const byId = new Map((res.body as { id: string }[]).map((s) => [s.id, s as Record<string, unknown>]));
      expect(byId.get(caf)).toMatchObject({ type: 'partner', website: 'https://caf.fr', openNow: true });
      expect(byId.get(caf)!.matchedKeywords).toEqual(expect.arrayContaining(['APL', 'logement']));
      expect(byId.get(social)).toMatchObject({ type: 'service', matchedKeywords: expect.arrayContaining(['logement']) });
      expect(byId.get(staffSocial)).toMatchObject({ type: 'staff', name: 'Nadia Roux', jobTitle: 'Conseillère logement', phone: '204', serviceId: social, openNow: true });
      expect(byId.get(unknownHoursPartner)).toMatchObject({ type: 'partner', openNow: null, nextOpeningAt: null });
      expect(res.body[0].id).toBe(caf);
      const scores = (res.body as { score: number }[]).map((s) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('answers 400 without requestId or q, and 404 for another site’s request or directory', async () => {
      const none = await asAgent(api().get('/api/v1/orientation/suggestions'));
      expect(none.status).toBe(400);
      expect((none.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['q', 'siteId']);
      expect((await asAgent(api().get('/api/v1/orientation/suggestions').query({ q: 'acte' }))).status).toBe(400);
      expect((await asAgent(api().get('/api/v1/orientation/suggestions').query({ q: 'acte', siteId: siteB }))).status).toBe(404);
      const created = await createRequest();
      const foreign = await api().get('/api/v1/orientation/suggestions').query({ requestId: created.id }).set('Authorization', `Bearer ${otherToken}`);
      expect(foreign.status).toBe(404);
      expect((await api().get('/api/v1/orientation/suggestions').query({ q: 'acte', siteId: siteA }).set('X-Api-Key', readKey)).status).toBe(200);
    });
  });

  describe('transfers', () => {
    it('keeps both transfers of a request in order and its first arrival time; the receiving service’s console hears of it', async () => {
      const receiving = await connectLive(t.url, { token: agentToken });
      const ack = (await receiving.socket.emitWithAck('subscribe', { siteId: siteA, serviceIds: [social] })) as { ok: boolean };
      expect(ack.ok).toBe(true);
      const created = await createRequest({ subject: 'Acte de naissance et logement' });

      const first = await transfer(created.id, { targetType: 'service', targetId: civil, note: 'Attend au guichet 3' });
      expect(first.status).toBe(201);
      expect(first.body.transfer).toMatchObject({ targetType: 'service', targetId: civil, targetName: 'État civil', serviceId: civil, mode: 'call_transfer' });
      // Sent on straight from the desk: the request was taken in hand on the way.
      expect(first.body.request).toMatchObject({ status: 'transferred', outcome: 'orientation', arrivedAt: created.arrivedAt });
      expect(first.body.request.inProgressAt).toEqual(expect.any(String));
      expect(first.body.request.transferredAt).toEqual(expect.any(String));

      const second = await transfer(created.id, { targetType: 'staff', targetId: staffSocial, mode: 'accompanied', reason: 'Dossier logement' });
      expect(second.status).toBe(201);
      expect(second.body.transfer).toMatchObject({ targetType: 'staff', targetId: staffSocial, targetName: 'Nadia Roux', serviceId: social });
      expect(second.body.request).toMatchObject({ status: 'transferred', arrivedAt: created.arrivedAt });

      const history = await asAgent(api().get(`/api/v1/requests/${created.id}/transfers`));
      expect(history.status).toBe(200);
      expect(history.body.map((x: { targetId: string; mode: string }) => [x.targetId, x.mode])).toEqual([
        [civil, 'call_transfer'],
        [staffSocial, 'accompanied'],
      ]);
      const timeline = await asAgent(api().get(`/api/v1/requests/${created.id}/timeline`));
      const kinds = (timeline.body.items as { type: string; data: Record<string, unknown> }[]).map((e) =>
        e.type === 'status_changed' ? `${e.data.from}→${e.data.to}` : e.type,
      );
      expect(kinds).toEqual(['created', 'open→in_progress', 'transferred', 'in_progress→transferred', 'transferred', 'transferred→transferred']);

      await receiving.waitFor((events) => events.some((e) => e.name === 'request.transferred' && e.body.transferId === second.body.transfer.id));
      const announced = receiving.events.find((e) => e.name === 'request.transferred' && e.body.transferId === second.body.transfer.id)!.body;
      expect(announced).toMatchObject({ siteId: siteA, requestId: created.id, targetType: 'staff', targetId: staffSocial, serviceId: social, mode: 'accompanied' });
      const [stored] = (await t.dataSource.query(`SELECT rooms FROM live_events WHERE type = 'request.transferred' AND data->>'transferId' = $1`, [
        second.body.transfer.id,
      ])) as { rooms: string[] }[];
      expect(stored.rooms).toEqual([rooms.site(siteA), rooms.service(social)]);
      // The console is in the service room itself, not only in the site room.
      probe(rooms.service(social), 'probe-social');
      await receiving.waitFor((events) => events.some((e) => e.body.transferId === 'probe-social'));
      expect(await count('audit_entries', `entity = 'transfer' AND entity_id = ANY($1)`, [[first.body.transfer.id, second.body.transfer.id]])).toBe(2);
      receiving.close();
    });

    it('orients to a partner: status oriented with outcome orientation, no service room', async () => {
      const created = await createRequest();
      await asAgent(api().post(`/api/v1/requests/${created.id}/status`)).send({ status: 'in_progress' });
      const res = await transfer(created.id, { targetType: 'partner', targetId: caf, mode: 'referral_letter' });
      expect(res.status).toBe(201);
      expect(res.body.transfer).toMatchObject({ targetType: 'partner', targetName: 'CAF', serviceId: null });
      expect(res.body.request).toMatchObject({ status: 'oriented', outcome: 'orientation', transferredAt: null });
      expect(res.body.request.orientedAt).toEqual(expect.any(String));
      const [stored] = (await t.dataSource.query(`SELECT rooms FROM live_events WHERE type = 'request.transferred' AND data->>'transferId' = $1`, [
        res.body.transfer.id,
      ])) as { rooms: string[] }[];
      expect(stored.rooms).toEqual([rooms.site(siteA)]);
    });

    it('refuses a target the caller may not see or that is not in the request’s site (422), writing nothing', async () => {
      const created = await createRequest();
      const snapshot = async () => ({
        transfers: await count('transfers', 'request_id = $1', [created.id]),
        events: await count('request_events', 'request_id = $1', [created.id]),
        audit: await count('audit_entries', 'entity_id = $1', [created.id]),
        live: await count('live_events', `data->>'requestId' = $1`, [created.id]),
        row: ((await t.dataSource.query(`SELECT status, version FROM requests WHERE id = $1`, [created.id])) as unknown[])[0],
      });
      const before = await snapshot();
      for (const body of [
        { targetType: 'service', targetId: foreignService },
        { targetType: 'partner', targetId: civil },
        { targetType: 'service', targetId: '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20' },
      ]) {
        const res = await transfer(created.id, body);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({ code: 'invalid_reference', errors: [expect.objectContaining({ field: 'targetId' })] });
      }
      const bad = await asAgent(api().post(`/api/v1/requests/${created.id}/transfers`)).send({ targetType: 'desk', targetId: 'x', mode: 'teleport', extra: 1 });
      expect(bad.status).toBe(400);
      expect([...new Set((bad.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual(['extra', 'mode', 'reason', 'targetId', 'targetType']);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a transfer of a finished request (422), a stale one (409) and one on another site (404)', async () => {
      const created = await createRequest();
      await asAgent(api().post(`/api/v1/requests/${created.id}/status`)).send({ status: 'in_progress' });
      await asAgent(api().post(`/api/v1/requests/${created.id}/status`)).send({ status: 'answered', outcome: 'information' });
      const finished = await transfer(created.id, { targetType: 'service', targetId: civil });
      expect(finished.status).toBe(422);
      expect(finished.body.code).toBe('invalid_transition');
      expect(await count('transfers', 'request_id = $1', [created.id])).toBe(0);

      const other = await createRequest();
      const stale = await transfer(other.id, { targetType: 'service', targetId: civil }).set('If-Match', '"7"');
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      const foreign = await api()
        .post(`/api/v1/requests/${other.id}/transfers`)
        .set('Authorization', `Bearer ${otherToken}`)
        .send({ targetType: 'service', targetId: foreignService, mode: 'call_transfer', reason: 'R' });
      expect(foreign.status).toBe(404);
      expect((await api().get(`/api/v1/requests/${other.id}/transfers`).set('Authorization', `Bearer ${otherToken}`)).status).toBe(404);
      expect(await count('transfers', 'request_id = $1', [other.id])).toBe(0);
      const byKey = await api().post(`/api/v1/requests/${other.id}/transfers`).set('X-Api-Key', readKey).send({ targetType: 'service', targetId: civil, mode: 'call_transfer', reason: 'R' });
      expect(byKey.status).toBe(403);
    });

    it('lists a service’s incoming transfers, newest first, with the request summary', async () => {
      const created = await createRequest({ subject: 'Domiciliation' });
      const made = await transfer(created.id, { targetType: 'service', targetId: social, mode: 'appointment_given' });
      const res = await asAgent(api().get(`/api/v1/services/${social}/incoming-transfers`));
      expect(res.status).toBe(200);
      expect(res.body.total).toBeGreaterThanOrEqual(2);
      expect(res.body.items[0]).toMatchObject({
        id: made.body.transfer.id,
        serviceId: social,
        request: { id: created.id, subject: 'Domiciliation', status: 'transferred', channel: 'desk' },
      });
      const later = await asAgent(api().get(`/api/v1/services/${social}/incoming-transfers`).query({ from: new Date(Date.now() + 60_000).toISOString() }));
      expect(later.body).toEqual({ items: [], total: 0 });
      expect((await asAgent(api().get(`/api/v1/services/${foreignService}/incoming-transfers`))).status).toBe(404);
    });

    it('lets the receiving service take the request over after a transfer', async () => {
      const created = await createRequest();
      await transfer(created.id, { targetType: 'service', targetId: social });
      const taken = await asAgent(api().post(`/api/v1/requests/${created.id}/status`)).send({ status: 'in_progress' });
      expect(taken.body).toMatchObject({ status: 'in_progress', outcome: null, reopenedAt: null });
    });
  });

  describe('service rooms', () => {
    it('refuses a service of another site or a malformed list, joining nothing; unsubscribe leaves the service rooms', async () => {
      const client = await connectLive(t.url, { token: agentToken });
      expect(await client.socket.emitWithAck('subscribe', { siteId: siteA, serviceIds: [foreignService] })).toEqual({ ok: false, error: 'service not found' });
      expect(await client.socket.emitWithAck('subscribe', { siteId: siteA, serviceIds: ['nope'] })).toMatchObject({ ok: false });
      probe(rooms.site(siteA), 'site-before');
      probe(rooms.service(foreignService), 'foreign-before');
      // Socket.IO keeps order per connection: anything sent before the marker below would have arrived first.
      expect(await client.socket.emitWithAck('subscribe', { siteId: siteA, serviceIds: [civil] })).toMatchObject({ ok: true });
      probe(rooms.service(civil), 'civil-joined');
      await client.waitFor((events) => events.some((e) => e.body.transferId === 'civil-joined'));
      expect(heard(client, 'site-before') || heard(client, 'foreign-before')).toBe(false);

      await client.socket.emitWithAck('unsubscribe', { siteId: siteA });
      await client.socket.emitWithAck('subscribe', { siteId: siteA });
      probe(rooms.service(civil), 'civil-left');
      probe(rooms.site(siteA), 'site-after');
      await client.waitFor((events) => events.some((e) => e.body.transferId === 'site-after'));
      expect(heard(client, 'civil-left')).toBe(false);
      client.close();
    });
  });
});
