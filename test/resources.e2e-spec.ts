import { DateTime } from 'luxon';
import { Client } from 'pg';
import request from 'supertest';
import { DEMO_LOGINS, TOWN_HALL_CODE } from '../libs/database/src/demo/demo-data';
import { DEMO_BOOKINGS, DEMO_RESOURCES, insertDemoResources } from '../libs/database/src/demo/resources';
import { dropDatabase, prepareDatabase } from '../libs/database/src/schema-setup';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createSite, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js') as typeof import('ical.js').default;

const WAIT_MS = 20_000;

interface Booking {
  id: string;
  resourceId: string;
  parentBookingId: string | null;
  startsAt: string;
  endsAt: string;
  status: string;
  version: number;
  equipment: Booking[];
  catering: { headcount: number | null; notes: string | null } | null;
}

describe('rooms and equipment: resources, bookings without double booking, availability, iCalendar', () => {
  let t: TestApp;
  let siteId: string;
  let otherSiteId: string;
  let supervisor: Agent;
  let agent: Agent;
  let colleague: Agent;
  let outsider: Agent;
  let key: string;
  let live: RecordingClient;

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  /** A day a week ahead (UTC), so every period of the suite is in the future. */
  const day = DateTime.utc().plus({ days: 7 }).startOf('day');
  let dayOffset = 0;
  /** A fresh day for each test, so tests never see each other's bookings. */
  const freshDay = () => day.plus({ days: dayOffset++ });
  const at = (d: DateTime, hours: number, minutes = 0) => d.plus({ hours, minutes }).toISO() as string;
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);
  /** Everything a refused request must leave untouched. */
  const snapshot = async () => ({
    bookings: await count(`SELECT count(*) AS n FROM resource_bookings`),
    confirmed: await count(`SELECT count(*) AS n FROM resource_bookings WHERE status = 'confirmed'`),
    versions: await count(`SELECT coalesce(sum(version), 0) AS n FROM resource_bookings`),
    resources: await count(`SELECT count(*) AS n FROM resources`),
    resourceVersions: await count(`SELECT coalesce(sum(version), 0) AS n FROM resources`),
    audit: await count(`SELECT count(*) AS n FROM audit_entries WHERE entity IN ('resource', 'resource_booking')`),
  });

  async function newResource(body: Record<string, unknown>): Promise<{ id: string; name: string; version: number }> {
    const res = await as(supervisor, api().post('/api/v1/resources')).send({ siteId, name: `Salle ${uniqueSuffix()}`, kind: 'room', capacity: 8, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; version: number };
  }

  function book(who: { token: string }, body: Record<string, unknown>): request.Test {
    return as(who, api().post('/api/v1/bookings')).send({ title: 'Réunion', ...body });
  }

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource);
    otherSiteId = await createSite(t.dataSource);
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    agent = await createAgent(t.dataSource, t.url, siteId);
    colleague = await createAgent(t.dataSource, t.url, siteId);
    outsider = await createAgent(t.dataSource, t.url, otherSiteId, 'supervisor');
    key = (await createApiKey(t.dataSource, ['bookings:write'], [siteId])).key;
    live = await connectLive(t.url, { token: supervisor.token, siteId });
    await live.waitFor((events) => events.some((e) => e.name === 'subscribed'), WAIT_MS);
  });

  afterAll(async () => {
    live?.close();
    await t?.close();
  });

  describe('resources', () => {
    it('supervisors keep the rooms and equipment of their sites; agents read them; every change is audited and announced', async () => {
      const name = `Salle Lumière ${uniqueSuffix()}`;
      const created = await as(supervisor, api().post('/api/v1/resources')).send({
        siteId,
        kind: 'room',
        name,
        capacity: 12,
        equipment: ['visio', 'écran', 'visio'],
        location: 'Bâtiment A, 2e étage',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, capacity: 12, equipment: ['visio', 'écran'], active: true, version: 1, calendarFeed: false });
      const id = created.body.id as string;

      const read = await as(agent, api().get(`/api/v1/resources/${id}`));
      expect(read.status).toBe(200);
      const listed = await as(agent, api().get('/api/v1/resources')).query({ siteId, kind: 'room', q: 'Lumière' });
      expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);

      const stale = await as(supervisor, api().patch(`/api/v1/resources/${id}`)).set('If-Match', '"7"').send({ capacity: 14 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      const updated = await as(supervisor, api().patch(`/api/v1/resources/${id}`)).set('If-Match', '"1"').send({ capacity: 14 });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ capacity: 14, version: 2 });

      const audit = (await t.dataSource.query(`SELECT action, changes FROM audit_entries WHERE entity = 'resource' AND entity_id = $1 ORDER BY at`, [id])) as {
        action: string;
        changes: Record<string, { from?: unknown; to?: unknown }>;
      }[];
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
      expect(audit[1].changes).toEqual({ capacity: { from: 12, to: 14 } });
      await live.waitFor((events) => events.filter((e) => e.name === 'resource.changed' && e.body.resourceId === id).length === 2, WAIT_MS);
      const event = live.events.find((e) => e.name === 'resource.changed' && e.body.resourceId === id)!;
      expect(Object.keys(event.body).sort()).toEqual(['action', 'at', 'resourceId', 'seq', 'siteId']);

      // Never booked: can be deleted.
      const removed = await as(supervisor, api().delete(`/api/v1/resources/${id}`));
      expect(removed.status).toBe(204);
      expect(await count(`SELECT count(*) AS n FROM resources WHERE id = $1`, [id])).toBe(0);
    });

    it('refuses bad resources with a problem and changes nothing', async () => {
      const existing = await newResource({ name: `Salle Doublon ${uniqueSuffix()}` });
      const booked = await newResource({});
      const dayOf = freshDay();
      const tooLong = await book(agent, { resourceId: booked.id, startsAt: at(dayOf, 9), endsAt: at(dayOf, 24 * 32) });
      expect(tooLong.status).toBe(400);
      expect((await book(agent, { resourceId: booked.id, startsAt: at(dayOf, 9), endsAt: at(dayOf, 10) })).status).toBe(201);

      const before = await snapshot();
      const cases: [string, { token: string }, () => request.Test, number, string][] = [
        ['an agent creating', agent, () => api().post('/api/v1/resources').send({ siteId, kind: 'room', name: 'X', capacity: 3 }), 403, 'forbidden'],
        ['a room without capacity', supervisor, () => api().post('/api/v1/resources').send({ siteId, kind: 'room', name: 'Sans capacité' }), 400, 'validation_failed'],
        ['equipment with a capacity', supervisor, () => api().post('/api/v1/resources').send({ siteId, kind: 'equipment', name: 'Écran', capacity: 3 }), 400, 'validation_failed'],
        ['an unknown kind', supervisor, () => api().post('/api/v1/resources').send({ siteId, kind: 'car', name: 'Auto' }), 400, 'validation_failed'],
        ['a site not theirs', supervisor, () => api().post('/api/v1/resources').send({ siteId: otherSiteId, kind: 'room', name: 'Ailleurs', capacity: 3 }), 404, 'not_found'],
        ['a duplicate name (any case)', supervisor, () => api().post('/api/v1/resources').send({ siteId, kind: 'room', name: existing.name.toUpperCase(), capacity: 3 }), 409, 'already_exists'],
        ['removing the capacity of a room', supervisor, () => api().patch(`/api/v1/resources/${existing.id}`).send({ capacity: null }), 400, 'validation_failed'],
        ['changing a resource of another site', outsider, () => api().patch(`/api/v1/resources/${existing.id}`).send({ capacity: 3 }), 404, 'not_found'],
        ['deleting a booked resource', supervisor, () => api().delete(`/api/v1/resources/${booked.id}`), 409, 'resource_in_use'],
        ['rotating a feed as an agent', agent, () => api().post(`/api/v1/resources/${existing.id}/calendar-token`), 403, 'forbidden'],
      ];
      for (const [what, who, send, status, code] of cases) {
        const res = await as(who, send());
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('bookings', () => {
    it('two overlapping bookings of one room sent at the same instant: exactly one 201 and one 409, every time', async () => {
      const room = await newResource({});
      const d = freshDay();
      for (let round = 0; round < 6; round++) {
        const start = d.plus({ hours: round * 2 });
        const [a, b] = await Promise.all([
          book(agent, { resourceId: room.id, startsAt: at(start, 0), endsAt: at(start, 1) }),
          book(colleague, { resourceId: room.id, startsAt: at(start, 0, 30), endsAt: at(start, 1, 30) }),
        ]);
        expect([a.status, b.status].sort()).toEqual([201, 409]);
        const loser = a.status === 409 ? a : b;
        expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(loser.body.code).toBe('booking_conflict');
        expect(loser.body.errors).toEqual([{ field: 'resourceId', message: expect.stringContaining(room.name) }]);
      }
      expect(await count(`SELECT count(*) AS n FROM resource_bookings WHERE resource_id = $1`, [room.id])).toBe(6);
    });

    it('adjacent bookings both succeed ([10:00, 11:00) then [11:00, 12:00)), also sent together', async () => {
      const room = await newResource({});
      const d = freshDay();
      const [first, second] = await Promise.all([
        book(agent, { resourceId: room.id, startsAt: at(d, 10), endsAt: at(d, 11) }),
        book(colleague, { resourceId: room.id, startsAt: at(d, 11), endsAt: at(d, 12) }),
      ]);
      expect([first.status, second.status]).toEqual([201, 201]);
      // The same instants written with another offset are the same instants.
      const local = d.setZone('Europe/Paris');
      const third = await book(agent, { resourceId: room.id, startsAt: local.plus({ hours: 12 }).toISO(), endsAt: local.plus({ hours: 13 }).toISO() });
      expect(third.status).toBe(201);
      const overlapping = await book(agent, { resourceId: room.id, startsAt: at(d, 12, 59), endsAt: at(d, 14) });
      expect(overlapping.status).toBe(409);
    });

    it('books a room with equipment and catering in one request, all or nothing, and names the resource in conflict', async () => {
      const room = await newResource({ capacity: 10 });
      const projector = await newResource({ kind: 'equipment', capacity: undefined, name: `Vidéoprojecteur ${uniqueSuffix()}` });
      const speaker = await newResource({ kind: 'equipment', capacity: undefined, name: `Enceinte ${uniqueSuffix()}` });
      const d = freshDay();
      const elsewhere = await newResource({});
      const taken = await book(colleague, { resourceId: elsewhere.id, startsAt: at(d, 9), endsAt: at(d, 11), equipmentIds: [projector.id] });
      expect(taken.status).toBe(201);

      const before = await snapshot();
      const refused = await book(agent, {
        resourceId: room.id,
        startsAt: at(d, 10),
        endsAt: at(d, 12),
        equipmentIds: [speaker.id, projector.id],
        catering: { headcount: 10, notes: 'Café et viennoiseries à 10 h' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('booking_conflict');
      expect(refused.body.errors).toEqual([{ field: 'equipmentIds[1]', message: expect.stringContaining(projector.name) }]);
      expect(refused.body.detail).toContain(projector.id);
      expect(await snapshot()).toEqual(before);

      const booked = await book(agent, {
        resourceId: room.id,
        startsAt: at(d, 11),
        endsAt: at(d, 12),
        attendees: 10,
        equipmentIds: [speaker.id, projector.id],
        catering: { headcount: 10, notes: 'Café et viennoiseries à 10 h' },
      });
      expect(booked.status).toBe(201);
      const detail = booked.body as Booking;
      expect(detail).toMatchObject({ resourceId: room.id, status: 'confirmed', attendees: 10, catering: { headcount: 10, notes: 'Café et viennoiseries à 10 h' } });
      expect(detail.equipment.map((e) => e.resourceId).sort()).toEqual([projector.id, speaker.id].sort());
      expect(detail.equipment.every((e) => e.parentBookingId === detail.id && e.startsAt === detail.startsAt && e.endsAt === detail.endsAt)).toBe(true);
      expect((await as(agent, api().get(`/api/v1/bookings/${detail.id}`))).body).toMatchObject({ id: detail.id, serviceOrders: [] });
      // Catering ordered from a caterer for this meeting: a service order linked to the booking (service-orders module).
      const [caterer] = (await t.dataSource.query(
        `INSERT INTO providers (site_id, kind, name, order_types, response_hours, completion_hours) VALUES ($1, 'external', 'Traiteur', '{catering}', 24, 48) RETURNING id`,
        [siteId],
      )) as { id: string }[];
      const [order] = (await t.dataSource.query(
        `INSERT INTO service_orders (site_id, provider_id, booking_id, type, title, requester_label, currency)
         VALUES ($1, $2, $3, 'catering', 'Café pour 10', 'Accueil', 'EUR') RETURNING id`,
        [siteId, caterer.id, detail.id],
      )) as { id: string }[];
      expect((await as(agent, api().get(`/api/v1/bookings/${detail.id}`))).body.serviceOrders).toEqual([
        { id: order.id, type: 'catering', status: 'draft', title: 'Café pour 10' },
      ]);
      await live.waitFor(
        (events) => [detail.id, ...detail.equipment.map((e) => e.id)].every((id) => events.some((e) => e.name === 'booking.created' && e.body.bookingId === id)),
        WAIT_MS,
      );
      expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE entity = 'resource_booking' AND entity_id = ANY($1::text[])`, [[detail.id, ...detail.equipment.map((e) => e.id)]])).toBe(3);

      // Cancelling the room releases its equipment; the period can be booked again.
      const cancelled = await as(agent, api().post(`/api/v1/bookings/${detail.id}/cancel`)).set('If-Match', `"${detail.version}"`).send({ reason: 'Reportée' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(cancelled.body.equipment.map((e: Booking) => e.status)).toEqual(['cancelled', 'cancelled']);
      await live.waitFor((events) => events.filter((e) => e.name === 'booking.cancelled' && [detail.id, ...detail.equipment.map((x) => x.id)].includes(e.body.bookingId as string)).length === 3, WAIT_MS);
      expect((await book(colleague, { resourceId: speaker.id, startsAt: at(d, 11), endsAt: at(d, 12) })).status).toBe(201);

      // Two rooms wanting the same projector at the same instant: one gets both, the other nothing at all.
      const roomA = await newResource({});
      const roomB = await newResource({});
      for (let round = 0; round < 4; round++) {
        const start = d.plus({ hours: 13 + round });
        const [a, b] = await Promise.all([
          book(agent, { resourceId: roomA.id, startsAt: at(start, 0), endsAt: at(start, 1), equipmentIds: [projector.id] }),
          book(colleague, { resourceId: roomB.id, startsAt: at(start, 0, 15), endsAt: at(start, 0, 45), equipmentIds: [projector.id] }),
        ]);
        expect([a.status, b.status].sort()).toEqual([201, 409]);
        const loser = a.status === 409 ? a : b;
        expect(loser.body.errors).toEqual([{ field: 'equipmentIds[0]', message: expect.stringContaining(projector.name) }]);
        const loserRoom = a.status === 409 ? roomA : roomB;
        expect(await count(`SELECT count(*) AS n FROM resource_bookings WHERE resource_id = $1 AND lower(period) >= $2`, [loserRoom.id, new Date(at(start, 0))])).toBe(0);
      }
    });

    it('moves a booking with If-Match (its equipment moves along), changes its equipment, and refuses a move onto a taken period', async () => {
      const room = await newResource({});
      const screen = await newResource({ kind: 'equipment', capacity: undefined, name: `Écran ${uniqueSuffix()}` });
      const board = await newResource({ kind: 'equipment', capacity: undefined, name: `Paperboard ${uniqueSuffix()}` });
      const d = freshDay();
      const other = await book(colleague, { resourceId: room.id, startsAt: at(d, 14), endsAt: at(d, 15) });
      expect(other.status).toBe(201);
      const mine = (await book(agent, { resourceId: room.id, startsAt: at(d, 9), endsAt: at(d, 10), equipmentIds: [screen.id] })).body as Booking;

      const before = await snapshot();
      const onto = await as(agent, api().patch(`/api/v1/bookings/${mine.id}`)).set('If-Match', `"${mine.version}"`).send({ startsAt: at(d, 14, 30), endsAt: at(d, 15, 30) });
      expect(onto.status).toBe(409);
      expect(onto.body.code).toBe('booking_conflict');
      const stale = await as(agent, api().patch(`/api/v1/bookings/${mine.id}`)).set('If-Match', '"9"').send({ startsAt: at(d, 16), endsAt: at(d, 17) });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      expect(await snapshot()).toEqual(before);

      const moved = await as(agent, api().patch(`/api/v1/bookings/${mine.id}`))
        .set('If-Match', `"${mine.version}"`)
        .send({ startsAt: at(d, 15), endsAt: at(d, 16), equipmentIds: [board.id] });
      expect(moved.status).toBe(200);
      const after = moved.body as Booking;
      expect(after).toMatchObject({ startsAt: new Date(at(d, 15)).toISOString(), endsAt: new Date(at(d, 16)).toISOString(), version: mine.version + 1 });
      const confirmed = after.equipment.filter((e) => e.status === 'confirmed');
      expect(confirmed.map((e) => e.resourceId)).toEqual([board.id]);
      expect(confirmed[0].startsAt).toBe(after.startsAt);
      expect(after.equipment.find((e) => e.resourceId === screen.id)?.status).toBe('cancelled');
      await live.waitFor((events) => events.some((e) => e.name === 'booking.updated' && e.body.bookingId === mine.id), WAIT_MS);
      const changes = (await t.dataSource.query(
        `SELECT changes FROM audit_entries WHERE entity = 'resource_booking' AND entity_id = $1 AND action = 'update'`,
        [mine.id],
      )) as { changes: Record<string, unknown> }[];
      expect(changes[0].changes).toMatchObject({ startsAt: { from: new Date(at(d, 9)).toISOString(), to: new Date(at(d, 15)).toISOString() } });
      // The old period is free again, the screen too.
      expect((await book(colleague, { resourceId: room.id, startsAt: at(d, 9), endsAt: at(d, 10), equipmentIds: [screen.id] })).status).toBe(201);

      // Releasing the equipment alone is a change of the booking too: new version, audited.
      const released = await as(agent, api().patch(`/api/v1/bookings/${mine.id}`)).set('If-Match', `"${after.version}"`).send({ equipmentIds: [] });
      expect(released.status).toBe(200);
      expect(released.body.version).toBe(after.version + 1);
      expect(released.body.equipment.every((e: Booking) => e.status === 'cancelled')).toBe(true);
      const lastAudit = (await t.dataSource.query(
        `SELECT changes FROM audit_entries WHERE entity = 'resource_booking' AND entity_id = $1 ORDER BY at DESC LIMIT 1`,
        [mine.id],
      )) as { changes: Record<string, unknown> }[];
      expect(lastAudit[0].changes).toEqual({ equipmentIds: { from: [board.id], to: [] } });
      const late = await as(agent, api().patch(`/api/v1/bookings/${mine.id}`)).set('If-Match', `"${after.version}"`).send({ title: 'Trop tard' });
      expect(late.status).toBe(409);
    });

    it('refuses bad bookings with a 4xx problem and changes nothing', async () => {
      const room = await newResource({ capacity: 4 });
      const gadget = await newResource({ kind: 'equipment', capacity: undefined, name: `Micro ${uniqueSuffix()}` });
      const inactive = await newResource({ active: false });
      const otherRoom = await newResource({});
      const foreignRoom = (
        await as(outsider, api().post('/api/v1/resources')).send({ siteId: otherSiteId, kind: 'room', name: `Salle B ${uniqueSuffix()}`, capacity: 5 })
      ).body as { id: string };
      const d = freshDay();
      const theirs = (await book(colleague, { resourceId: room.id, startsAt: at(d, 9), endsAt: at(d, 10) })).body as Booking;
      const gone = (await book(agent, { resourceId: room.id, startsAt: at(d, 11), endsAt: at(d, 12) })).body as Booking;
      expect((await as(agent, api().post(`/api/v1/bookings/${gone.id}/cancel`)).send({})).status).toBe(200);
      const past = DateTime.utc().minus({ days: 1 });
      const ticketsKey = (await createApiKey(t.dataSource, ['tickets:write'], [siteId])).key;

      const before = await snapshot();
      const cases: [string, { token: string }, () => request.Test, number, string][] = [
        ['end before start', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 14) }), 400, 'validation_failed'],
        ['an empty period', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 15) }), 400, 'validation_failed'],
        ['a time without offset', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: '2030-01-01T10:00:00', endsAt: '2030-01-01T11:00:00' }), 400, 'validation_failed'],
        ['no title', agent, () => api().post('/api/v1/bookings').send({ title: '  ', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16) }), 400, 'validation_failed'],
        ['capacity exceeded', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16), attendees: 5 }), 422, 'capacity_exceeded'],
        ['an unknown room', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: '7c1b6d3e-2f4a-4b5c-9d8e-0a1b2c3d4e5f', startsAt: at(d, 15), endsAt: at(d, 16) }), 404, 'not_found'],
        ['a room on a site they cannot see', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: foreignRoom.id, startsAt: at(d, 15), endsAt: at(d, 16) }), 404, 'not_found'],
        ['an inactive room', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: inactive.id, startsAt: at(d, 15), endsAt: at(d, 16) }), 422, 'resource_inactive'],
        ['a period already over', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(past, 0), endsAt: at(past, 1) }), 422, 'period_over'],
        ['a room as equipment', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16), equipmentIds: [otherRoom.id] }), 422, 'not_equipment'],
        ['inactive equipment', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16), equipmentIds: [inactive.id] }), 422, 'resource_inactive'],
        ['the same equipment twice', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16), equipmentIds: [gadget.id, gadget.id] }), 400, 'validation_failed'],
        ['equipment with equipment', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: gadget.id, startsAt: at(d, 15), endsAt: at(d, 16), equipmentIds: [gadget.id] }), 422, 'not_a_room'],
        ['a negative headcount', agent, () => api().post('/api/v1/bookings').send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16), catering: { headcount: -1 } }), 400, 'validation_failed'],
        ['cancelled twice', agent, () => api().post(`/api/v1/bookings/${gone.id}/cancel`).send({}), 422, 'booking_cancelled'],
        ['moving a cancelled booking', agent, () => api().patch(`/api/v1/bookings/${gone.id}`).send({ startsAt: at(d, 17), endsAt: at(d, 18) }), 422, 'booking_cancelled'],
        ['cancelling a colleague’s booking', agent, () => api().post(`/api/v1/bookings/${theirs.id}/cancel`).send({}), 403, 'forbidden'],
        ['cancelling on a site they cannot see', outsider, () => api().post(`/api/v1/bookings/${theirs.id}/cancel`).send({}), 404, 'not_found'],
        ['a stale If-Match', colleague, () => api().post(`/api/v1/bookings/${theirs.id}/cancel`).set('If-Match', '"5"').send({}), 409, 'stale_version'],
        ['a move ending before it starts', colleague, () => api().patch(`/api/v1/bookings/${theirs.id}`).send({ endsAt: at(d, 8) }), 400, 'validation_failed'],
        ['more attendees than seats on a change', colleague, () => api().patch(`/api/v1/bookings/${theirs.id}`).send({ attendees: 40 }), 422, 'capacity_exceeded'],
        ['a planning over too long a range', agent, () => api().get('/api/v1/bookings').query({ from: at(d, 0), to: at(d, 24 * 40) }), 400, 'validation_failed'],
        ['reading a booking of a site they cannot see', outsider, () => api().get(`/api/v1/bookings/${theirs.id}`), 404, 'not_found'],
        ['a planning of a site they cannot see', outsider, () => api().get('/api/v1/bookings').query({ siteId }), 404, 'not_found'],
        ['availability on a site they cannot see', agent, () => api().get('/api/v1/resources/availability').query({ siteId: otherSiteId, from: at(d, 0), to: at(d, 24) }), 404, 'not_found'],
      ];
      for (const [what, who, send, status, code] of cases) {
        const res = await as(who, send());
        expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      const wrongScope = await api().post('/api/v1/bookings').set('X-Api-Key', ticketsKey).send({ title: 'R', resourceId: room.id, startsAt: at(d, 15), endsAt: at(d, 16) });
      expect(wrongScope.status).toBe(403);
      expect(await snapshot()).toEqual(before);

      // A key with bookings:write acts for the site (supervisor-like for changes).
      const byKey = await api().post(`/api/v1/bookings/${theirs.id}/cancel`).set('X-Api-Key', key).send({ reason: 'Salle fermée' });
      expect(byKey.status).toBe(200);
    });
  });

  describe('availability', () => {
    it('gives free/busy per resource and finds a free room for N people between two times', async () => {
      const tag = `feat-${uniqueSuffix()}`;
      const small = await newResource({ capacity: 4, equipment: [tag] });
      const medium = await newResource({ capacity: 10, equipment: [tag] });
      const large = await newResource({ capacity: 30, equipment: [tag] });
      const d = freshDay();
      const busy = (await book(agent, { resourceId: medium.id, startsAt: at(d, 10), endsAt: at(d, 11) })).body as Booking;
      expect((await book(agent, { resourceId: large.id, startsAt: at(d, 11), endsAt: at(d, 12) })).status).toBe(201);

      const all = await as(agent, api().get('/api/v1/resources/availability')).query({ siteId, features: tag, from: at(d, 9), to: at(d, 12) });
      expect(all.status).toBe(200);
      const byId = new Map((all.body.items as { resource: { id: string }; free: boolean; busy: { bookingId: string }[] }[]).map((i) => [i.resource.id, i]));
      expect(byId.get(small.id)).toMatchObject({ free: true, busy: [] });
      expect(byId.get(medium.id)).toMatchObject({ free: false, busy: [{ bookingId: busy.id, startsAt: new Date(at(d, 10)).toISOString() }] });

      // 6 people from 10:00 to 11:00: medium is taken, small too small; large is free (its booking starts at 11:00).
      const found = await as(agent, api().get('/api/v1/resources/availability')).query({
        siteId,
        kind: 'room',
        minCapacity: 6,
        features: tag,
        from: at(d, 10),
        to: at(d, 11),
        freeOnly: true,
      });
      expect(found.status).toBe(200);
      expect(found.body.items.map((i: { resource: { id: string } }) => i.resource.id)).toEqual([large.id]);
      // From 9:00 to 10:00, the smallest room that fits comes first.
      const earlier = await as(agent, api().get('/api/v1/resources/availability')).query({ siteId, kind: 'room', minCapacity: 6, features: tag, from: at(d, 9), to: at(d, 10), freeOnly: true });
      expect(earlier.body.items.map((i: { resource: { id: string } }) => i.resource.id)).toEqual([medium.id, large.id]);

      // The planning of the day lists the bookings overlapping the range.
      const planning = await as(agent, api().get('/api/v1/bookings')).query({ siteId, from: at(d, 0), to: at(d, 24), status: 'confirmed' });
      expect(planning.status).toBe(200);
      expect(planning.body.items.map((b: Booking) => b.resourceId)).toEqual(expect.arrayContaining([medium.id, large.id]));
    });
  });

  describe('iCalendar feed', () => {
    it('serves a room’s bookings to a calendar app holding the feed secret, without a bearer header', async () => {
      const room = await newResource({ location: 'Rez-de-chaussée' });
      const d = freshDay();
      const meeting = (await book(agent, { resourceId: room.id, title: 'Comité d’accueil', startsAt: at(d, 9), endsAt: at(d, 10, 30), attendees: 6 })).body as Booking;
      const dropped = (await book(agent, { resourceId: room.id, title: 'Annulée', startsAt: at(d, 14), endsAt: at(d, 15) })).body as Booking;
      expect((await as(agent, api().post(`/api/v1/bookings/${dropped.id}/cancel`)).send({})).status).toBe(200);

      const noFeed = await api().get(`/api/v1/calendars/resources/${room.id}.ics`).query({ token: 'guess' });
      expect(noFeed.status).toBe(404);
      const rotated = await as(supervisor, api().post(`/api/v1/resources/${room.id}/calendar-token`));
      expect(rotated.status).toBe(201);
      const url = new URL(rotated.body.url as string);
      expect(url.pathname).toBe(`/api/v1/calendars/resources/${room.id}.ics`);
      const stored = (await t.dataSource.query(`SELECT feed_token_hash FROM resources WHERE id = $1`, [room.id])) as { feed_token_hash: string }[];
      expect(stored[0].feed_token_hash).not.toContain(rotated.body.token);
      const audit = (await t.dataSource.query(`SELECT changes FROM audit_entries WHERE entity = 'resource' AND entity_id = $1 ORDER BY at DESC LIMIT 1`, [room.id])) as {
        changes: Record<string, unknown>;
      }[];
      expect(JSON.stringify(audit[0].changes)).not.toContain(stored[0].feed_token_hash);

      const feed = await api().get(`${url.pathname}${url.search}`);
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      const calendar = new ICAL.Component(ICAL.parse(feed.text));
      const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      const byUid = new Map(events.map((e) => [e.uid, e]));
      const event = byUid.get(`${meeting.id}@guichet`)!;
      expect(event.summary).toBe('Comité d’accueil');
      expect(event.startDate.toJSDate().toISOString()).toBe(new Date(at(d, 9)).toISOString());
      expect(event.endDate.toJSDate().toISOString()).toBe(new Date(at(d, 10, 30)).toISOString());
      expect(event.location).toContain(room.name);
      expect(byUid.get(`${dropped.id}@guichet`)!.component.getFirstPropertyValue('status')).toBe('CANCELLED');

      const wrong = await api().get(url.pathname).query({ token: `${rotated.body.token}x` });
      expect(wrong.status).toBe(404);
      const again = await as(supervisor, api().post(`/api/v1/resources/${room.id}/calendar-token`));
      expect(again.status).toBe(201);
      expect((await api().get(`${url.pathname}${url.search}`)).status).toBe(404);
      expect((await api().get(new URL(again.body.url as string).pathname).query({ token: again.body.token })).status).toBe(200);
    });
  });
  describe('demo data', () => {
    it('loads the town hall’s rooms, equipment and meetings (in a database of its own)', async () => {
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `${url.pathname}_rooms_demo`;
      await prepareDatabase(url.toString());
      const db = new Client({ connectionString: url.toString() });
      await db.connect();
      try {
        await db.query(`INSERT INTO sites (name, code, time_zone) VALUES ('Mairie', $1, 'Europe/Paris')`, [TOWN_HALL_CODE]);
        for (const login of DEMO_LOGINS) {
          await db.query(`INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, 'x', $2, $3)`, [login.email, login.displayName, login.role]);
        }
        await insertDemoResources(db, new Date());
        const counts = (await db.query(`SELECT (SELECT count(*)::int FROM resources) AS resources, (SELECT count(*)::int FROM resource_bookings) AS bookings, (SELECT count(*)::int FROM resource_bookings WHERE organiser_user_id IS NULL) AS orphans`)).rows[0];
        expect(counts).toEqual({
          resources: DEMO_RESOURCES.length,
          bookings: DEMO_BOOKINGS.reduce((n, b) => n + 1 + (b.equipment?.length ?? 0), 0),
          orphans: 0,
        });
      } finally {
        await db.end();
        if (!process.env.KEEP_TEST_DB) await dropDatabase(url.toString());
      }
    });
  });
});
