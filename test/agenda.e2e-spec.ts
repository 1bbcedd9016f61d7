import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive } from '@guichet/testing/live-client';
// An independent parser: the feed is written with ical-generator.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js') as {
  parse(text: string): unknown;
  Component: new (data: unknown) => { getAllSubcomponents(name: string): unknown[] };
  Event: new (component: unknown) => { uid: string; summary: string; startDate: { toJSDate(): Date }; endDate: { toJSDate(): Date } };
};

const ZONE = 'Europe/Paris';

describe('agenda and iCalendar feed', () => {
  let t: TestApp;
  let siteId: string;
  let serviceId: string;
  let supervisor: Agent;
  let agent: Agent;
  let queueId: string;

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  const localDate = (plusDays = 0) => DateTime.now().setZone(ZONE).plus({ days: plusDays }).toISODate() as string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    const user = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
    agent = { ...user, token: (await login(t.url, user)).accessToken };
    queueId = (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: `RDV ${uniqueSuffix()}`, prefix: 'R', slotMinutes: 30 })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function bookAppointments(n: number): Promise<{ id: string; startsAt: string; endsAt: string }[]> {
    const slots = await as(supervisor, api().get('/api/v1/appointments/slots')).query({ queueId, from: localDate(1), to: localDate(2) });
    expect(slots.status).toBe(200);
    const free = (slots.body.items as { startsAt: string; remaining: number }[]).filter((s) => s.remaining > 0);
    const booked: { id: string; startsAt: string; endsAt: string }[] = [];
    for (const slot of free.slice(0, n)) {
      const res = await as(supervisor, api().post('/api/v1/appointments')).send({ queueId, startsAt: slot.startsAt, contactName: `Camille ${uniqueSuffix()}`, channel: 'phone' });
      expect(res.status).toBe(201);
      booked.push(res.body as { id: string; startsAt: string; endsAt: string });
    }
    return booked;
  }

  it('merges appointments, meetings, tasks and callbacks of an agent and of a service', async () => {
    const [appointment] = await bookAppointments(1);
    const from = DateTime.now().toUTC();
    const meeting = await as(agent, api().post('/api/v1/meetings')).send({
      siteId,
      title: 'Point équipe',
      startsAt: from.plus({ hours: 26 }).toISO(),
      endsAt: from.plus({ hours: 27 }).toISO(),
      place: 'Salle B',
    });
    expect(meeting.status).toBe(201);
    const serviceMeeting = await as(supervisor, api().post('/api/v1/meetings')).send({
      siteId,
      serviceId,
      title: 'Réunion de service',
      startsAt: from.plus({ hours: 30 }).toISO(),
      endsAt: from.plus({ hours: 31 }).toISO(),
    });
    expect(serviceMeeting.status).toBe(201);
    const task = await as(agent, api().post('/api/v1/tasks')).send({ siteId, title: 'Préparer les badges', dueAt: from.plus({ hours: 28 }).toISO() });
    const callback = await as(agent, api().post('/api/v1/callbacks')).send({ siteId, contactName: 'M. Petit', phone: '0612345678', subject: 'Devis', callBefore: from.plus({ hours: 29 }).toISO() });
    const range = { from: from.toISO(), to: from.plus({ days: 3 }).toISO() };

    const mine = await as(agent, api().get('/api/v1/agenda')).query(range);
    expect(mine.status).toBe(200);
    const kinds = (mine.body.items as { kind: string; id: string }[]).map((i) => `${i.kind}:${i.id}`);
    expect(kinds).toEqual(
      expect.arrayContaining([`appointment:${appointment.id}`, `meeting:${meeting.body.id}`, `meeting:${serviceMeeting.body.id}`, `task:${task.body.id}`, `callback:${callback.body.id}`]),
    );
    const starts = (mine.body.items as { startsAt: string }[]).map((i) => new Date(i.startsAt).getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));

    const service = await as(agent, api().get('/api/v1/agenda')).query({ ...range, serviceId });
    const serviceKinds = (service.body.items as { kind: string; id: string }[]).map((i) => `${i.kind}:${i.id}`);
    expect(serviceKinds).toEqual(expect.arrayContaining([`appointment:${appointment.id}`, `meeting:${serviceMeeting.body.id}`]));
    expect(serviceKinds).not.toContain(`meeting:${meeting.body.id}`);

    // A supervisor reads the agent's; another agent may not.
    expect((await as(supervisor, api().get('/api/v1/agenda')).query({ ...range, userId: agent.id })).status).toBe(200);
    const colleague = await createAgent(t.dataSource, t.url, siteId);
    expect((await as(colleague, api().get('/api/v1/agenda')).query({ ...range, userId: agent.id })).status).toBe(403);
    const stranger = await createAgent(t.dataSource, t.url, (await createOpenSite(t.dataSource)).siteId, 'supervisor');
    expect((await as(stranger, api().get('/api/v1/agenda')).query({ ...range, userId: agent.id })).status).toBe(404);
  });

  it('serves an iCalendar feed that an independent parser reads, with the agent’s appointments', async () => {
    const booked = await bookAppointments(2);
    const rotated = await as(agent, api().post('/api/v1/calendars/feed-token'));
    expect(rotated.status).toBe(201);
    const url = new URL(rotated.body.url as string);
    expect(url.pathname).toBe(`/api/v1/calendars/agents/${agent.id}.ics`);

    const feed = await api().get(url.pathname).query({ token: rotated.body.token as string });
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    for (const appointment of booked) {
      const event = events.find((e) => e.uid === `appointment-${appointment.id}@guichet`);
      expect(event).toBeDefined();
      expect(event!.startDate.toJSDate().getTime()).toBe(new Date(appointment.startsAt).getTime());
      expect(event!.endDate.toJSDate().getTime()).toBe(new Date(appointment.endsAt).getTime());
      expect(event!.summary).toMatch(/^Rendez-vous · RDV/);
    }

    // Rotating replaces the secret: the old URL stops working.
    const again = await as(agent, api().post('/api/v1/calendars/feed-token'));
    expect((await api().get(url.pathname).query({ token: rotated.body.token as string })).status).toBe(404);
    expect((await api().get(url.pathname).query({ token: again.body.token as string })).status).toBe(200);
  });

  async function createMeeting(who: Agent, body: Record<string, unknown> = {}): Promise<{ id: string; version: number; startsAt: string; endsAt: string }> {
    const res = await as(who, api().post('/api/v1/meetings')).send({
      siteId,
      title: `Réunion ${uniqueSuffix()}`,
      startsAt: '2030-03-04T09:00:00Z',
      endsAt: '2030-03-04T10:00:00Z',
      ...body,
    });
    if (res.status !== 201) throw new Error(`meeting: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; startsAt: string; endsAt: string };
  }

  it('edits a meeting with If-Match: new times in the agenda, audited, private live event', async () => {
    const meeting = await createMeeting(agent, { place: 'Salle B' });
    expect(meeting.version).toBe(1);
    const watcher = await connectLive(t.url, { token: agent.token });
    const colleague = await createAgent(t.dataSource, t.url, siteId);
    const outsider = await connectLive(t.url, { token: colleague.token });
    try {
      const res = await as(agent, api().patch(`/api/v1/meetings/${meeting.id}`))
        .set('If-Match', '"1"')
        .send({ title: 'Point équipe déplacé', startsAt: '2030-03-05T14:00:00+01:00', endsAt: '2030-03-05T15:30:00+01:00', place: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: meeting.id, title: 'Point équipe déplacé', place: null, ownerUserId: agent.id, version: 2 });
      expect(new Date(res.body.startsAt as string).toISOString()).toBe('2030-03-05T13:00:00.000Z');
      expect(new Date(res.body.endsAt as string).toISOString()).toBe('2030-03-05T14:30:00.000Z');

      const read = await as(agent, api().get(`/api/v1/meetings/${meeting.id}`));
      expect(read.body).toMatchObject({ title: 'Point équipe déplacé', version: 2 });
      const agenda = await as(agent, api().get('/api/v1/agenda')).query({ from: '2030-03-05T00:00:00Z', to: '2030-03-06T00:00:00Z' });
      expect(agenda.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'meeting', id: meeting.id, startsAt: '2030-03-05T13:00:00.000Z', ownerUserId: agent.id })]),
      );

      const [entry] = (await t.dataSource.query(`SELECT action, changes FROM audit_entries WHERE entity = 'meeting' AND entity_id = $1 AND action = 'update'`, [
        meeting.id,
      ])) as { action: string; changes: Record<string, { from?: unknown; to?: unknown }> }[];
      expect(entry.changes).toMatchObject({ title: { to: 'Point équipe déplacé' }, place: { from: 'Salle B', to: null } });
      expect(entry.changes.startsAt).toBeDefined();

      await watcher.waitFor((events) => events.some((e) => e.name === 'meeting.changed' && e.body.meetingId === meeting.id && e.body.action === 'updated'));
      // A colleague of the site is not an owner: the private event never reaches them.
      expect(outsider.events.some((e) => e.name === 'meeting.changed' && e.body.meetingId === meeting.id)).toBe(false);
    } finally {
      watcher.close();
      outsider.close();
    }
  });

  describe('bad input: 4xx problem, nothing changed', () => {
    it('a wrong, missing or foreign token, or a malformed feed name, is a 404 problem', async () => {
      const token = (await as(agent, api().post('/api/v1/calendars/feed-token'))).body.token as string;
      const other = await createAgent(t.dataSource, t.url, siteId);
      for (const [path, query] of [
        [`/api/v1/calendars/agents/${agent.id}.ics`, { token: 'not-the-token' }],
        [`/api/v1/calendars/agents/${agent.id}.ics`, {}],
        [`/api/v1/calendars/agents/${other.id}.ics`, { token }],
        [`/api/v1/calendars/agents/${randomUUID()}.ics`, { token }],
        [`/api/v1/calendars/agents/${agent.id}`, { token }],
      ] as const) {
        const res = await api().get(path).query(query);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });

    it.each([
      ['ends before it starts', { startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T09:00:00Z' }, 400],
      ['has no offset', { startsAt: '2030-01-01T10:00:00', endsAt: '2030-01-01T11:00:00Z' }, 400],
      ['has an unknown owner', { startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T11:00:00Z', ownerUserId: randomUUID() }, 422],
    ])('a meeting that %s', async (_, body, status) => {
      const before = await count(`SELECT count(*) AS n FROM meetings WHERE site_id = $1`, [siteId]);
      const res = await as(agent, api().post('/api/v1/meetings')).send({ siteId, title: 'Réunion', ...body });
      expect(res.status).toBe(status);
      expect(await count(`SELECT count(*) AS n FROM meetings WHERE site_id = $1`, [siteId])).toBe(before);
    });

    it('a meeting edit from a stale version is a 409 problem', async () => {
      const meeting = await createMeeting(agent);
      expect((await as(agent, api().patch(`/api/v1/meetings/${meeting.id}`)).set('If-Match', '"1"').send({ title: 'Première' })).status).toBe(200);
      const stale = await as(agent, api().patch(`/api/v1/meetings/${meeting.id}`)).set('If-Match', '"1"').send({ title: 'Seconde' });
      expect(stale.status).toBe(409);
      expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(stale.body.code).toBe('stale_version');
      const [row] = (await t.dataSource.query(`SELECT title, version FROM meetings WHERE id = $1`, [meeting.id])) as { title: string; version: number }[];
      expect(row).toEqual({ title: 'Première', version: 2 });
    });

    it.each([
      ['ends before it starts', { endsAt: '2030-03-04T08:00:00Z', title: 'Jamais' }, 400],
      ['starts after its end', { startsAt: '2030-03-04T11:00:00Z' }, 400],
      ['has a null title', { title: null }, 400],
      ['has an unknown owner', { ownerUserId: randomUUID() }, 422],
      ['loses its only owner', { ownerUserId: null }, 400],
    ])('a meeting edit that %s changes nothing', async (_, body, status) => {
      const meeting = await createMeeting(agent);
      const snapshot = () => t.dataSource.query(`SELECT title, starts_at, ends_at, owner_user_id, version FROM meetings WHERE id = $1`, [meeting.id]);
      const before = await snapshot();
      const audits = await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'meeting' AND entity_id = $1`, [meeting.id]);
      const res = await as(agent, api().patch(`/api/v1/meetings/${meeting.id}`)).set('If-Match', '"1"').send(body);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await snapshot()).toEqual(before);
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'meeting' AND entity_id = $1`, [meeting.id])).toBe(audits);
    });

    it('a meeting of another site, or unknown, is a 404 to edit or read', async () => {
      const meeting = await createMeeting(agent);
      const stranger = await createAgent(t.dataSource, t.url, (await createOpenSite(t.dataSource)).siteId, 'supervisor');
      expect((await as(stranger, api().patch(`/api/v1/meetings/${meeting.id}`)).send({ title: 'Intrus' })).status).toBe(404);
      expect((await as(stranger, api().get(`/api/v1/meetings/${meeting.id}`))).status).toBe(404);
      expect((await as(agent, api().patch(`/api/v1/meetings/${randomUUID()}`)).send({ title: 'Personne' })).status).toBe(404);
      const [row] = (await t.dataSource.query(`SELECT title, version FROM meetings WHERE id = $1`, [meeting.id])) as { title: string; version: number }[];
      expect(row.version).toBe(1);
      expect(row.title).not.toBe('Intrus');
    });

    it('an agenda range that is reversed or too long', async () => {
      expect((await as(agent, api().get('/api/v1/agenda')).query({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' })).status).toBe(400);
      expect((await as(agent, api().get('/api/v1/agenda')).query({ from: '2030-01-01T00:00:00Z', to: '2030-06-01T00:00:00Z' })).status).toBe(400);
    });
  });
});
