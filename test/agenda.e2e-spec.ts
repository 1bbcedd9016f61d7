import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
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

    it('an agenda range that is reversed or too long', async () => {
      expect((await as(agent, api().get('/api/v1/agenda')).query({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' })).status).toBe(400);
      expect((await as(agent, api().get('/api/v1/agenda')).query({ from: '2030-01-01T00:00:00Z', to: '2030-06-01T00:00:00Z' })).status).toBe(400);
    });
  });
});
