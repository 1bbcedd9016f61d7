import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { DateTime } from 'luxon';
import request from 'supertest';
import { JobProducer } from '@guichet/jobs/job-producer';
import { QUEUES } from '@guichet/jobs/jobs';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { eventuallyWithin } from '@guichet/testing/eventually';
import { MailSink, ReceivedMail, startMailSink } from '@guichet/testing/mail-sink';
import { createApiKey, createSite, uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive } from '@guichet/testing/live-client';
import { createWorkerApp } from '../apps/worker/src/bootstrap';
import { AppointmentsNoShowHandler } from '../apps/worker/src/maintenance/appointments-no-show.handler';
import { AppointmentReminderHandler } from '../apps/worker/src/notifications/appointment-reminder.handler';

/** Upper bound for a job or a mail to arrive; a slow machine waits longer, never fails a timing assertion. */
const WAIT_MS = 20_000;
const ZONE = 'Europe/Paris'; // createOpenSite's zone

interface Slot {
  startsAt: string;
  endsAt: string;
  capacity: number;
  remaining: number;
}

const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) => eventuallyWithin(probe, what, WAIT_MS);

describe('appointments: slots, booking, mails, check-in and no-shows', () => {
  const savedEnv = { SMTP_URL: process.env.SMTP_URL, REDIS_PREFIX: process.env.REDIS_PREFIX, PUBLIC_URL: process.env.PUBLIC_URL };
  let mails: ReceivedMail[] = [];
  let sink: MailSink | undefined;
  let t: TestApp;
  let worker: INestApplicationContext;
  let notificationEvents: QueueEvents;
  let maintenanceEvents: QueueEvents;
  let siteId: string;
  let serviceId: string;
  let supervisor: Agent;
  let kioskKey: string;

  const api = () => request(t.url);
  const as = (agent: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${agent.token}`);
  const localDate = (plusDays = 0) => DateTime.now().setZone(ZONE).plus({ days: plusDays }).toISODate() as string;
  const count = async (sql: string, params: unknown[]) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    sink = await startMailSink();
    mails = sink.mails;
    process.env.SMTP_URL = sink.url;
    process.env.PUBLIC_URL = 'https://guichet.test';
    // Own Redis prefix: the worker suite runs its worker at the same time, and each worker must take only its own jobs.
    process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-appointments`;
    t = await startTestApp();
    worker = await createWorkerApp();
    const events = (name: string) => {
      const queue = worker.get<Queue>(getQueueToken(name));
      return new QueueEvents(name, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    };
    notificationEvents = events(QUEUES.notifications);
    maintenanceEvents = events(QUEUES.maintenance);
    await Promise.all([notificationEvents.waitUntilReady(), maintenanceEvents.waitUntilReady()]);
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    await t.dataSource.query(`UPDATE sites SET address = $2 WHERE id = $1`, [siteId, JSON.stringify({ street: '1 place de la Mairie', postalCode: '69001', city: 'Lyon' })]);
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    kioskKey = (await createApiKey(t.dataSource, ['kiosk'], [siteId])).key;
  });

  afterAll(async () => {
    await notificationEvents?.close();
    await maintenanceEvents?.close();
    await worker?.close();
    await t?.close();
    await sink?.close();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  let queues = 0;
  async function newQueue(fields: Record<string, unknown> = {}): Promise<string> {
    const n = queues++;
    const prefix = `Q${String.fromCharCode(65 + Math.floor(n / 26), 65 + (n % 26))}`;
    return (await createQueue(t.url, supervisor.token, { siteId, serviceId, name: `RDV ${uniqueSuffix()}`, prefix, ...fields })).id;
  }

  async function slots(queueId: string, from = localDate(), to = localDate(1)): Promise<Slot[]> {
    const res = await as(supervisor, api().get('/api/v1/appointments/slots')).query({ queueId, from, to });
    expect(res.status).toBe(200);
    return res.body.items as Slot[];
  }

  /** The first slot starting at least `minutes` from now. */
  async function slotIn(queueId: string, minutes: number): Promise<Slot> {
    const earliest = Date.now() + minutes * 60_000;
    const found = (await slots(queueId)).find((s) => new Date(s.startsAt).getTime() >= earliest);
    if (!found) throw new Error(`no slot ${minutes} minutes ahead`);
    return found;
  }

  function book(queueId: string, startsAt: string, extra: Record<string, unknown> = {}) {
    return as(supervisor, api().post('/api/v1/appointments')).send({ queueId, startsAt, contactName: 'Camille Martin', channel: 'phone', ...extra });
  }

  async function booked(queueId: string, startsAt: string, extra: Record<string, unknown> = {}): Promise<{ id: string; checkInCode: string; version: number }> {
    const res = await book(queueId, startsAt, extra);
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; checkInCode: string; version: number };
  }

  async function openCounter(queueIds: string[]): Promise<{ agent: Agent; counterId: string }> {
    const agent = await createAgent(t.dataSource, t.url, siteId);
    const counter = await createCounter(t.url, supervisor.token, { siteId, name: `Guichet ${uniqueSuffix()}`, queueIds });
    expect((await as(agent, api().post(`/api/v1/counters/${counter.id}/open`)).send({})).status).toBe(200);
    return { agent, counterId: counter.id };
  }

  async function serveAll(agent: Agent, counterId: string): Promise<string[]> {
    const served: string[] = [];
    for (;;) {
      const next = await as(agent, api().post(`/api/v1/counters/${counterId}/call-next`));
      if (next.status === 204) return served;
      expect(next.status).toBe(200);
      served.push(next.body.id as string);
      await as(agent, api().post(`/api/v1/tickets/${next.body.id}/start`));
      expect((await as(agent, api().post(`/api/v1/tickets/${next.body.id}/finish`)).send({})).status).toBe(200);
    }
  }

  const mailsTo = (address: string, subject: RegExp) => mails.filter((m) => m.to.includes(address) && subject.test(m.subject));

  describe('slots', () => {
    it('lists future slots of the queue with capacity and places left', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 2 });
      const list = await as(supervisor, api().get('/api/v1/appointments/slots')).query({ queueId, from: localDate(), to: localDate(1) });
      expect(list.body).toMatchObject({ queueId, timeZone: ZONE, slotMinutes: 30 });
      const items = list.body.items as Slot[];
      expect(items.length).toBeGreaterThan(24);
      for (const slot of items) {
        expect(new Date(slot.startsAt).getTime()).toBeGreaterThan(Date.now() - 5_000);
        expect(new Date(slot.endsAt).getTime() - new Date(slot.startsAt).getTime()).toBe(30 * 60_000);
        expect(slot).toMatchObject({ capacity: 2, remaining: 2 });
      }
      const target = items[3];
      await booked(queueId, target.startsAt);
      expect((await slots(queueId)).find((s) => s.startsAt === target.startsAt)).toMatchObject({ capacity: 2, remaining: 1 });
    });

    it('leaves out closures and queues that take no appointments', async () => {
      const closedDay = localDate(2);
      const other = await createOpenSite(t.dataSource);
      await t.dataSource.query(`UPDATE sites SET closures = $2 WHERE id = $1`, [other.siteId, JSON.stringify([{ from: closedDay, to: closedDay, label: 'Fermeture' }])]);
      const otherSupervisor = await createAgent(t.dataSource, t.url, other.siteId, 'supervisor');
      const queue = await createQueue(t.url, otherSupervisor.token, { siteId: other.siteId, serviceId: other.serviceId, name: 'RDV', prefix: 'R', slotMinutes: 60 });
      const res = await as(otherSupervisor, api().get('/api/v1/appointments/slots')).query({ queueId: queue.id, from: localDate(1), to: localDate(3) });
      const days = new Set((res.body.items as Slot[]).map((s) => DateTime.fromISO(s.startsAt).setZone(ZONE).toISODate()));
      expect([...days].sort()).toEqual([localDate(1), localDate(3)]);

      expect(await slots(await newQueue({ slotCapacity: 0 }))).toEqual([]);
      expect(await slots(await newQueue({ active: false }))).toEqual([]);
    });

    it('refuses a bad range with 400', async () => {
      const queueId = await newQueue();
      const query = (q: Record<string, string>) => as(supervisor, api().get('/api/v1/appointments/slots')).query({ queueId, ...q });
      expect((await query({ from: localDate(), to: localDate(31) })).status).toBe(400);
      expect((await query({ from: localDate(), to: localDate(30) })).status).toBe(200);
      expect((await query({ from: localDate(2), to: localDate(1) })).status).toBe(400);
      const badDate = await query({ from: '2026-02-30', to: 'tomorrow' });
      expect(badDate.status).toBe(400);
      expect((badDate.body.errors as { field: string }[]).map((e) => e.field)).toEqual(expect.arrayContaining(['from', 'to']));
    });
  });

  describe('booking', () => {
    it('books a slot start with a check-in code, an audit entry and a live event', async () => {
      const queueId = await newQueue({ slotMinutes: 15 });
      const slot = await slotIn(queueId, 60);
      const res = await book(queueId, slot.startsAt, { contactPhone: '+33 6 12 34 56 78', notes: 'Dossier de carte grise' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        queueId,
        siteId,
        status: 'booked',
        channel: 'phone',
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        checkInCode: expect.stringMatching(/^[2-9A-HJKMNP-TV-Z]{6}$/),
        bookedBy: `user:${supervisor.id}`,
        version: 1,
      });
      const audit = (await t.dataSource.query(`SELECT action, changes FROM audit_entries WHERE entity = 'appointment' AND entity_id = $1`, [res.body.id])) as {
        action: string;
        changes: Record<string, unknown>;
      }[];
      expect(audit).toEqual([{ action: 'create', changes: expect.objectContaining({ status: { to: 'booked' } }) }]);
      expect(JSON.stringify(audit)).not.toContain('+33'); // contact details stay out of the audit log
      const events = (await t.dataSource.query(`SELECT type, data FROM live_events WHERE site_id = $1 AND data->>'appointmentId' = $2`, [siteId, res.body.id])) as {
        type: string;
        data: Record<string, unknown>;
      }[];
      expect(events).toEqual([{ type: 'appointment.booked', data: { appointmentId: res.body.id, queueId, startsAt: slot.startsAt, status: 'booked' } }]);

      const byCode = await as(supervisor, api().get(`/api/v1/appointments/by-code/${res.body.checkInCode.toLowerCase()}`)).query({ siteId });
      expect(byCode.body.id).toBe(res.body.id);
      const day = DateTime.fromISO(slot.startsAt).setZone(ZONE).toISODate();
      const list = await as(supervisor, api().get('/api/v1/appointments')).query({ siteId, queueId, date: day, status: 'booked' });
      expect(list.body).toMatchObject({ total: 1, items: [{ id: res.body.id }] });
    });

    it('refuses a time that is not a slot start, a past slot and a full slot with 422', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 1 });
      const slot = await slotIn(queueId, 60);
      const offSlot = await book(queueId, new Date(new Date(slot.startsAt).getTime() + 10 * 60_000).toISOString());
      expect(offSlot.status).toBe(422);
      expect(offSlot.body.code).toBe('slot_unavailable');
      const past = DateTime.now().setZone(ZONE).startOf('hour').minus({ hours: 1 }).toISO() as string;
      expect((await book(queueId, past)).body.code).toBe('slot_unavailable');
      await booked(queueId, slot.startsAt);
      const full = await book(queueId, slot.startsAt);
      expect(full.status).toBe(422);
      expect(full.body.code).toBe('slot_full');
      expect((await slots(queueId)).find((s) => s.startsAt === slot.startsAt)?.remaining).toBe(0);
    });

    it('gives a capacity-1 slot to exactly one of many concurrent bookings', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 1 });
      const slot = await slotIn(queueId, 60);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => book(queueId, slot.startsAt, { contactName: `Rush ${i}` })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422, 422, 422]);
      expect(results.filter((r) => r.status === 422).every((r) => r.body.code === 'slot_full')).toBe(true);
      expect(await count(`SELECT count(*) AS n FROM appointments WHERE queue_id = $1`, [queueId])).toBe(1);
    });

    it('honours Idempotency-Key', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 5 });
      const slot = await slotIn(queueId, 60);
      const key = `booking-${uniqueSuffix()}`;
      const first = await book(queueId, slot.startsAt, { contactName: 'Idem Potent' }).set('Idempotency-Key', key);
      const retry = await book(queueId, slot.startsAt, { contactName: 'Idem Potent' }).set('Idempotency-Key', key);
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const reused = await book(queueId, slot.startsAt, { contactName: 'Someone Else' }).set('Idempotency-Key', key);
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
      expect(await count(`SELECT count(*) AS n FROM appointments WHERE queue_id = $1`, [queueId])).toBe(1);
    });

    it('lets an integrator key book on its sites only, and refuses bad input without writing anything', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 5 });
      const slot = await slotIn(queueId, 60);
      const integrator = await createApiKey(t.dataSource, ['appointments:write'], [siteId]);
      const viaKey = await api().post('/api/v1/appointments').set('X-Api-Key', integrator.key).send({ queueId, startsAt: slot.startsAt, contactName: 'Web', channel: 'web' });
      expect(viaKey.status).toBe(201);
      expect(viaKey.body.bookedBy).toBe(`api_key:${integrator.id}`);
      const before = await count(`SELECT count(*) AS n FROM appointments WHERE site_id = $1`, [siteId]);

      const stranger = await createApiKey(t.dataSource, ['appointments:write'], [await createSite(t.dataSource)]);
      expect((await api().post('/api/v1/appointments').set('X-Api-Key', stranger.key).send({ queueId, startsAt: slot.startsAt, contactName: 'X', channel: 'api' })).status).toBe(404);
      expect((await api().post('/api/v1/appointments').set('X-Api-Key', kioskKey).send({ queueId, startsAt: slot.startsAt, contactName: 'X', channel: 'api' })).status).toBe(403);
      const invalid = await book(queueId, slot.startsAt.replace(/(Z|[+-]\d{2}:\d{2})$/, ''), { contactName: '', contactEmail: 'not-an-email', channel: 'fax', extra: 1 });
      expect(invalid.status).toBe(400);
      expect((invalid.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['channel', 'contactEmail', 'contactName', 'extra', 'startsAt']);
      expect((await book('6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20', slot.startsAt)).status).toBe(404);
      expect((await book(queueId, slot.startsAt, { visitorId: '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20' })).status).toBe(404);
      expect((await api().post('/api/v1/appointments/check-in').set('X-Api-Key', kioskKey).send({ siteId, code: 'O0I1' })).status).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM appointments WHERE site_id = $1`, [siteId])).toBe(before);
    });
  });

  describe('mails', () => {
    it('sends, from the sweep and exactly once, the mails of a booking whose jobs were lost with Redis', async () => {
      const queueId = await newQueue({ slotMinutes: 30 });
      const slot = await slotIn(queueId, 180);
      const email = `lost-${uniqueSuffix()}@example.org`;
      const appointment = await booked(queueId, slot.startsAt, { contactEmail: email });
      await eventually(() => (mailsTo(email, /Rendez-vous confirmé/).length === 1 ? true : undefined), 'the confirmation mail');
      await eventually(() => (mailsTo(email, /Rappel/).length === 1 ? true : undefined), 'the reminder');
      // As if both jobs had never run: the booking is older and no mail is recorded as sent.
      await t.dataSource.query(
        `UPDATE appointments SET confirmation_sent_at = NULL, reminder_sent_at = NULL, created_at = now() - interval '10 minutes' WHERE id = $1`,
        [appointment.id],
      );
      const handler = worker.get(AppointmentsNoShowHandler);
      const [first, second] = await Promise.all([handler.handle(), handler.handle()]);
      expect(first.confirmations + second.confirmations).toBe(1);
      expect(first.reminders + second.reminders).toBe(1);
      expect(mailsTo(email, /Rendez-vous confirmé/)).toHaveLength(2);
      expect(mailsTo(email, /Rappel/)).toHaveLength(2);
      const again = await handler.handle();
      expect(again).toMatchObject({ confirmations: 0, reminders: 0 });
    });

    it('sends the confirmation through SMTP once the booking is committed', async () => {
      const queueId = await newQueue({ slotMinutes: 30 });
      const slot = await slotIn(queueId, 30);
      const email = `confirm-${uniqueSuffix()}@example.org`;
      const appointment = await booked(queueId, slot.startsAt, { contactEmail: email });
      const [mail] = await eventually(() => {
        const found = mailsTo(email, /Rendez-vous confirmé/);
        return found.length ? found : undefined;
      }, 'the confirmation mail');
      const local = DateTime.fromISO(slot.startsAt).setZone(ZONE).setLocale('fr');
      expect(mail.subject).toBe(`Rendez-vous confirmé le ${local.toFormat("cccc d LLLL yyyy 'à' HH'h'mm")} / Appointment confirmed`);
      expect(mail.text).toContain(`Code d'enregistrement : ${appointment.checkInCode}`);
      expect(mail.text).toContain('1 place de la Mairie, 69001 Lyon');
      expect(mail.text).toContain('https://guichet.test');
      expect(mail.text).toContain(`Check-in code: ${appointment.checkInCode}`);
      await eventually(async () => {
        const body = (await as(supervisor, api().get(`/api/v1/appointments/${appointment.id}`))).body as { confirmationSentAt: string | null };
        return body.confirmationSentAt ?? undefined;
      }, 'confirmationSentAt');
      // Starts in less than 2 hours: no reminder.
      expect(mailsTo(email, /Rappel/)).toHaveLength(0);
    });

    it('sends the reminder exactly once per appointment time, and again for a new time after a reschedule', async () => {
      const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 3 });
      const slot = await slotIn(queueId, 180); // 2 to 24 hours ahead: the reminder is due at once
      const email = `remind-${uniqueSuffix()}@example.org`;
      const appointment = await booked(queueId, slot.startsAt, { contactEmail: email });
      await eventually(() => (mailsTo(email, /Rappel/).length === 1 ? true : undefined), 'the reminder');

      // Run the handler again, twice at once, and enqueue the job again under another id: no second mail.
      const handler = worker.get(AppointmentReminderHandler);
      const payload = { appointmentId: appointment.id, startsAt: new Date(slot.startsAt).toISOString() };
      expect(await Promise.all([handler.handle(payload), handler.handle(payload)])).toEqual([
        { sent: false, reason: 'already sent' },
        { sent: false, reason: 'already sent' },
      ]);
      const again = await worker.get(JobProducer).enqueue('notifications.appointment-reminder', payload, { jobId: `again-${appointment.id}` });
      expect(await again.waitUntilFinished(notificationEvents, WAIT_MS)).toEqual({ sent: false, reason: 'already sent' });
      expect(mailsTo(email, /Rappel/)).toHaveLength(1);

      const later = await slotIn(queueId, 240);
      const moved = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/reschedule`)).send({ startsAt: later.startsAt });
      expect(moved.status).toBe(200);
      await eventually(() => (mailsTo(email, /Rappel/).length === 2 ? true : undefined), 'the reminder of the new time');
      const newTime = DateTime.fromISO(later.startsAt).setZone(ZONE).setLocale('fr').toFormat("HH'h'mm");
      expect(mailsTo(email, /Rappel/)[1].text).toContain(newTime);
      expect(await handler.handle(payload)).toEqual({ sent: false, reason: 'appointment moved' });

      await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/cancel`)).send({});
      expect(await handler.handle({ ...payload, startsAt: new Date(later.startsAt).toISOString() })).toEqual({ sent: false, reason: 'appointment cancelled' });
      expect(mailsTo(email, /Rappel/)).toHaveLength(2);
    });
  });

  describe('check-in', () => {
    it('serves an appointment checked in on time before standard tickets that arrived earlier', async () => {
      const queueId = await newQueue({ slotMinutes: 5, slotCapacity: 2 });
      const standard = [];
      for (let i = 0; i < 2; i++) standard.push((await as(supervisor, api().post('/api/v1/tickets')).send({ queueId, channel: 'desk' })).body.id as string);
      const slot = await slotIn(queueId, 10); // within the 30-minute early window
      const appointment = await booked(queueId, slot.startsAt);

      const checkIn = await api().post('/api/v1/appointments/check-in').set('X-Api-Key', kioskKey).send({ siteId, code: appointment.checkInCode.toLowerCase() });
      expect(checkIn.status).toBe(201);
      expect(checkIn.body).toMatchObject({ queueId, appointmentId: appointment.id, priorityClass: 'appointment', channel: 'kiosk', status: 'waiting', position: 1 });
      expect(checkIn.body.trackingToken).toEqual(expect.any(String));
      const after = await as(supervisor, api().get(`/api/v1/appointments/${appointment.id}`));
      expect(after.body).toMatchObject({ status: 'checked_in', ticketId: checkIn.body.id, checkedInAt: expect.any(String), version: 2 });

      const ticketsBefore = await count(`SELECT count(*) AS n FROM tickets WHERE queue_id = $1`, [queueId]);
      const twice = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/check-in`));
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('appointment_not_booked');
      expect((await api().post('/api/v1/appointments/check-in').set('X-Api-Key', kioskKey).send({ siteId, code: appointment.checkInCode })).status).toBe(404);
      expect(await count(`SELECT count(*) AS n FROM tickets WHERE queue_id = $1`, [queueId])).toBe(ticketsBefore);

      const { agent, counterId } = await openCounter([queueId]);
      expect(await serveAll(agent, counterId)).toEqual([checkIn.body.id, ...standard]);
      expect((await as(supervisor, api().get(`/api/v1/appointments/${appointment.id}`))).body.status).toBe('done');
    });

    it('queues one checked in too late as a walk-in, after the standard tickets that arrived earlier', async () => {
      const queueId = await newQueue({ slotMinutes: 5, slotCapacity: 2 });
      const appointment = await booked(queueId, (await slotIn(queueId, 10)).startsAt);
      const standard = [];
      for (let i = 0; i < 2; i++) standard.push((await as(supervisor, api().post('/api/v1/tickets')).send({ queueId, channel: 'desk' })).body.id as string);
      // The visitor comes 30 minutes after the start; the late window is 10 minutes.
      await t.dataSource.query(`UPDATE appointments SET starts_at = now() - interval '30 minutes', ends_at = now() - interval '25 minutes' WHERE id = $1`, [
        appointment.id,
      ]);
      const checkIn = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/check-in`));
      expect(checkIn.status).toBe(201);
      expect(checkIn.body).toMatchObject({ appointmentId: appointment.id, priorityClass: 'standard', channel: 'desk', position: 3 });
      const audit = (await t.dataSource.query(`SELECT changes FROM audit_entries WHERE entity_id = $1 ORDER BY at DESC LIMIT 1`, [appointment.id])) as {
        changes: Record<string, unknown>;
      }[];
      expect(audit[0].changes).toMatchObject({ status: { from: 'booked', to: 'checked_in' }, timing: { to: 'late' } });

      const { agent, counterId } = await openCounter([queueId]);
      expect(await serveAll(agent, counterId)).toEqual([...standard, checkIn.body.id]);
    });

    it('refuses a check-in before the early window, saying when it opens', async () => {
      const queueId = await newQueue({ slotMinutes: 30, appointmentEarlyMinutes: 20 });
      const slot = await slotIn(queueId, 120);
      const appointment = await booked(queueId, slot.startsAt);
      const early = await api().post(`/api/v1/appointments/${appointment.id}/check-in`).set('X-Api-Key', kioskKey);
      expect(early.status).toBe(422);
      expect(early.body.code).toBe('check_in_too_early');
      expect(early.body.detail).toContain(DateTime.fromISO(slot.startsAt).setZone(ZONE).minus({ minutes: 20 }).toFormat('HH:mm'));
      expect(await count(`SELECT count(*) AS n FROM tickets WHERE queue_id = $1`, [queueId])).toBe(0);
      expect((await as(supervisor, api().get(`/api/v1/appointments/${appointment.id}`))).body).toMatchObject({ status: 'booked', version: 1 });
    });
  });

  it('cancels and reschedules with version checks, freeing the old slot, with audit and live events', async () => {
    const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 1 });
    const first = await slotIn(queueId, 60);
    const second = await slotIn(queueId, 120);
    const appointment = await booked(queueId, first.startsAt);

    const stale = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/reschedule`)).set('If-Match', '"7"').send({ startsAt: second.startsAt });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('stale_version');
    const offSlot = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/reschedule`)).send({ startsAt: new Date(Date.parse(second.startsAt) + 60_000).toISOString() });
    expect(offSlot.body.code).toBe('slot_unavailable');

    const moved = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/reschedule`)).set('If-Match', '"1"').send({ startsAt: second.startsAt });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: second.startsAt, endsAt: second.endsAt, checkInCode: appointment.checkInCode, version: 2 });
    const free = await slots(queueId);
    expect(free.find((s) => s.startsAt === first.startsAt)?.remaining).toBe(1);
    expect(free.find((s) => s.startsAt === second.startsAt)?.remaining).toBe(0);
    expect((await book(queueId, first.startsAt)).status).toBe(201);

    expect((await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/cancel`)).set('If-Match', '1').send({})).status).toBe(409);
    const cancelled = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/cancel`)).set('If-Match', '"2"').send({ reason: 'Empêchement' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String), version: 3 });
    const again = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/cancel`)).send({});
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('appointment_not_booked');
    expect((await slots(queueId)).find((s) => s.startsAt === second.startsAt)?.remaining).toBe(1);

    const audit = (await t.dataSource.query(`SELECT action, changes FROM audit_entries WHERE entity = 'appointment' AND entity_id = $1 ORDER BY at`, [appointment.id])) as {
      action: string;
      changes: Record<string, { from?: unknown; to?: unknown }>;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    expect(audit[1].changes.startsAt).toEqual({ from: first.startsAt, to: second.startsAt });
    expect(audit[2].changes).toMatchObject({ status: { from: 'booked', to: 'cancelled' }, reason: { to: 'Empêchement' } });
    const events = (await t.dataSource.query(`SELECT type FROM live_events WHERE site_id = $1 AND data->>'appointmentId' = $2 ORDER BY seq`, [siteId, appointment.id])) as {
      type: string;
    }[];
    expect(events.map((e) => e.type)).toEqual(['appointment.booked', 'appointment.rescheduled', 'appointment.cancelled']);
  });

  describe('no-shows', () => {
    it('are marked by hand only once the late window is over', async () => {
      const queueId = await newQueue({ slotMinutes: 30 });
      const appointment = await booked(queueId, (await slotIn(queueId, 60)).startsAt);
      const tooSoon = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/no-show`));
      expect(tooSoon.status).toBe(422);
      expect(tooSoon.body.code).toBe('no_show_too_early');
      await t.dataSource.query(`UPDATE appointments SET starts_at = now() - interval '20 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`, [appointment.id]);
      const marked = await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/no-show`)).set('If-Match', '"1"');
      expect(marked.status).toBe(200);
      expect(marked.body).toMatchObject({ status: 'no_show', noShowAt: expect.any(String), version: 2 });
      expect((await as(supervisor, api().post(`/api/v1/appointments/${appointment.id}/no-show`))).body.code).toBe('appointment_not_booked');
    });

    it('are swept by the worker, idempotently, and announced live', async () => {
      const display = await createApiKey(t.dataSource, ['display'], [siteId]);
      const screen = await connectLive(t.url, { apiKey: display.key, siteId });
      try {
        await screen.waitFor((events) => events.some((e) => e.name === 'subscribed'));
        const queueId = await newQueue({ slotMinutes: 30, slotCapacity: 3, appointmentLateMinutes: 15 });
        const slot = await slotIn(queueId, 60);
        const [gone, stillLate, upcoming] = [await booked(queueId, slot.startsAt), await booked(queueId, slot.startsAt), await booked(queueId, slot.startsAt)];
        await t.dataSource.query(`UPDATE appointments SET starts_at = now() - interval '16 minutes', ends_at = now() + interval '14 minutes' WHERE id = $1`, [gone.id]);
        await t.dataSource.query(`UPDATE appointments SET starts_at = now() - interval '5 minutes', ends_at = now() + interval '25 minutes' WHERE id = $1`, [stillLate.id]);

        const producer = worker.get(JobProducer);
        const sweep = await producer.enqueue('maintenance.appointments-no-show', {});
        expect(await sweep.waitUntilFinished(maintenanceEvents, WAIT_MS)).toEqual({ marked: expect.any(Number), confirmations: expect.any(Number), reminders: expect.any(Number) });
        const status = async (id: string) => ((await t.dataSource.query(`SELECT status, version FROM appointments WHERE id = $1`, [id])) as { status: string; version: number }[])[0];
        expect(await status(gone.id)).toEqual({ status: 'no_show', version: 2 });
        expect(await status(stillLate.id)).toEqual({ status: 'booked', version: 1 });
        expect(await status(upcoming.id)).toEqual({ status: 'booked', version: 1 });
        await screen.waitFor((events) => events.some((e) => e.name === 'appointment.no_show' && e.body.appointmentId === gone.id), WAIT_MS);

        await (await producer.enqueue('maintenance.appointments-no-show', {})).waitUntilFinished(maintenanceEvents, WAIT_MS);
        expect(await status(gone.id)).toEqual({ status: 'no_show', version: 2 });
        const audit = (await t.dataSource.query(`SELECT actor_type, changes FROM audit_entries WHERE entity_id = $1 AND action = 'update'`, [gone.id])) as {
          actor_type: string;
          changes: Record<string, unknown>;
        }[];
        expect(audit).toEqual([{ actor_type: 'system', changes: { status: { from: 'booked', to: 'no_show' } } }]);

        // A no-show who turns up after all is checked in as a walk-in.
        const late = await as(supervisor, api().post(`/api/v1/appointments/${gone.id}/check-in`));
        expect(late.status).toBe(201);
        expect(late.body.priorityClass).toBe('standard');
      } finally {
        screen.close();
      }
    });
  });
});
