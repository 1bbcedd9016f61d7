import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { uniqueSuffix } from '@guichet/testing/factories';
import { Agent, createAgent, createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { connectLive, RecordingClient } from '@guichet/testing/live-client';

interface Note {
  id: string;
  body: string;
  acknowledgedByMe: boolean;
  acknowledgements: { userId: string; acknowledgedAt: string }[];
  snapshot: {
    tickets: { id: string }[];
    tasks: { id: string }[];
    callbacks: { id: string }[];
    requests: { id: string; subject: string | null; status: string; channel: string }[];
    logbookEntries: { id: string }[];
  };
}

describe('shift handover: logbook and handover notes', () => {
  let t: TestApp;
  let siteId: string;
  let serviceId: string;
  let supervisor: Agent;
  let morning: Agent;
  let afternoon1: Agent;
  let afternoon2: Agent;
  const clients: RecordingClient[] = [];

  const api = () => request(t.url);
  const as = (who: { token: string }, r: request.Test) => r.set('Authorization', `Bearer ${who.token}`);
  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    supervisor = await createAgent(t.dataSource, t.url, siteId, 'supervisor');
    morning = await createAgent(t.dataSource, t.url, siteId);
    afternoon1 = await createAgent(t.dataSource, t.url, siteId);
    afternoon2 = await createAgent(t.dataSource, t.url, siteId);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t?.close();
  });

  async function entry(who: Agent, body: Record<string, unknown> = {}): Promise<{ id: string }> {
    const res = await as(who, api().post('/api/v1/logbook-entries')).send({ siteId, category: 'instruction', title: `Consigne ${uniqueSuffix()}`, ...body });
    if (res.status !== 201) throw new Error(`entry: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  }

  const summary = async (who: Agent) => {
    const res = await as(who, api().get('/api/v1/handover')).query({ siteId });
    expect(res.status).toBe(200);
    return res.body as { pendingNotes: Note[]; openEntries: { id: string }[]; mine: Note['snapshot'] };
  };

  it('a morning item shows, unacknowledged, to the afternoon agents and stays open until closed', async () => {
    const watcher = await connectLive(t.url, { token: afternoon1.token });
    clients.push(watcher);
    watcher.socket.emit('subscribe', { siteId });
    await watcher.waitFor((events) => events.some((e) => e.name === 'subscribed'), 10_000);

    // Morning shift: a logbook entry, a ticket at the counter, a task and a callback left open, then the note.
    const item = await entry(morning, { priority: 'high', body: 'La porte du parking reste ouverte: prévenir la sécurité à 14 h', dueAt: new Date(Date.now() + 4 * 3600_000).toISOString() });
    const queue = await createQueue(t.url, supervisor.token, { siteId, serviceId, name: 'Accueil', prefix: 'H' });
    const counter = await createCounter(t.url, supervisor.token, { siteId, name: 'Guichet matin', queueIds: [queue.id] });
    expect((await as(morning, api().post(`/api/v1/counters/${counter.id}/open`)).send({})).status).toBe(200);
    expect((await as(supervisor, api().post('/api/v1/tickets')).send({ queueId: queue.id, channel: 'desk' })).status).toBe(201);
    const called = await as(morning, api().post(`/api/v1/counters/${counter.id}/call-next`));
    expect(called.status).toBe(200);
    const task = await as(morning, api().post('/api/v1/tasks')).send({ siteId, title: 'Commander des badges' });
    const callback = await as(morning, api().post('/api/v1/callbacks')).send({ siteId, contactName: 'Mme Leroy', phone: '0478000000', subject: 'Rendez-vous' });
    const requests = (await t.dataSource.query(
      `INSERT INTO requests (site_id, channel, subject, status, confidentiality, handled_by_user_id)
       VALUES ($1, 'phone', 'Inscription cantine', 'in_progress', 'normal', $2), ($1, 'desk', 'Situation familiale', 'open', 'confidential', $2)
       RETURNING id`,
      [siteId, morning.id],
    )) as { id: string }[];
    const note = await as(morning, api().post('/api/v1/handover-notes')).send({ siteId, body: 'Calme ce matin. Attention à la porte du parking.' });
    expect(note.status).toBe(201);
    const noteBody = note.body as Note;
    expect(noteBody.snapshot.tickets.map((x) => x.id)).toEqual([called.body.id]);
    expect(noteBody.snapshot.tasks.map((x) => x.id)).toEqual([task.body.id]);
    expect(noteBody.snapshot.callbacks.map((x) => x.id)).toEqual([callback.body.id]);
    // Open requests handled by the author, without the subject of a confidential one.
    expect(noteBody.snapshot.requests).toHaveLength(2);
    expect(noteBody.snapshot.requests).toEqual(
      expect.arrayContaining([
        { id: requests[0].id, subject: 'Inscription cantine', status: 'in_progress', channel: 'phone' },
        { id: requests[1].id, subject: null, status: 'open', channel: 'desk' },
      ]),
    );
    expect(noteBody.snapshot.logbookEntries.map((x) => x.id)).toContain(item.id);
    await watcher.waitFor((events) => events.some((e) => e.name === 'handover.note_created' && e.body.noteId === noteBody.id), 10_000);

    // Afternoon: both incoming agents see the note unacknowledged and the open item; the author has nothing to acknowledge.
    for (const who of [afternoon1, afternoon2]) {
      const view = await summary(who);
      expect(view.pendingNotes.find((n) => n.id === noteBody.id)).toMatchObject({ acknowledgedByMe: false, acknowledgements: [] });
      expect(view.openEntries.map((e) => e.id)).toContain(item.id);
    }
    expect((await summary(morning)).pendingNotes.map((n) => n.id)).not.toContain(noteBody.id);

    const ack = await as(afternoon1, api().post(`/api/v1/handover-notes/${noteBody.id}/acknowledge`));
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ acknowledgedByMe: true, acknowledgements: [{ userId: afternoon1.id }] });
    expect((await summary(afternoon1)).pendingNotes.map((n) => n.id)).not.toContain(noteBody.id);
    expect((await summary(afternoon2)).pendingNotes.map((n) => n.id)).toContain(noteBody.id);

    // Acknowledging is not closing: the item carries over until someone closes it.
    expect((await summary(afternoon1)).openEntries.map((e) => e.id)).toContain(item.id);
    const closed = await as(afternoon2, api().post(`/api/v1/logbook-entries/${item.id}/close`)).send({ comment: 'Sécurité prévenue, porte fermée à 14 h 05' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedByUserId: afternoon2.id, closingComment: 'Sécurité prévenue, porte fermée à 14 h 05' });
    expect((await summary(afternoon1)).openEntries.map((e) => e.id)).not.toContain(item.id);
    const history = await as(afternoon1, api().get('/api/v1/logbook-entries')).query({ siteId, status: 'closed' });
    expect((history.body.items as { id: string }[]).map((e) => e.id)).toContain(item.id);
    // The site's notes stay readable as history, with who read them and when.
    const notes = await as(afternoon2, api().get('/api/v1/handover-notes')).query({ siteId });
    const read = (notes.body.items as Note[]).find((n) => n.id === noteBody.id);
    expect(read).toMatchObject({ acknowledgedByMe: false, acknowledgements: [{ userId: afternoon1.id }] });
    expect(read!.acknowledgements[0].acknowledgedAt).toBeTruthy();
  });

  it('a user created after a note is not asked to acknowledge it', async () => {
    const note = await as(morning, api().post('/api/v1/handover-notes')).send({ siteId, body: 'Note ancienne' });
    const newcomer = await createAgent(t.dataSource, t.url, siteId);
    expect((await summary(newcomer)).pendingNotes.map((n) => n.id)).not.toContain(note.body.id);
  });

  describe('bad input: 4xx problem, nothing changed', () => {
    const entries = () => count(`SELECT count(*) AS n FROM logbook_entries WHERE site_id = $1`, [siteId]);

    it('acknowledging a note twice is 409; the author acknowledging is 422', async () => {
      const note = await as(morning, api().post('/api/v1/handover-notes')).send({ siteId, body: 'RAS' });
      expect((await as(afternoon2, api().post(`/api/v1/handover-notes/${note.body.id}/acknowledge`))).status).toBe(200);
      const ackRow = await t.dataSource.query(`SELECT acknowledged_at FROM handover_acknowledgements WHERE note_id = $1`, [note.body.id]);
      const twice = await as(afternoon2, api().post(`/api/v1/handover-notes/${note.body.id}/acknowledge`));
      expect(twice.status).toBe(409);
      expect(twice.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(twice.body.code).toBe('already_acknowledged');
      const own = await as(morning, api().post(`/api/v1/handover-notes/${note.body.id}/acknowledge`));
      expect(own.status).toBe(422);
      expect(own.body.code).toBe('own_note');
      expect(await t.dataSource.query(`SELECT acknowledged_at FROM handover_acknowledgements WHERE note_id = $1`, [note.body.id])).toEqual(ackRow);
    });

    it('closing a closed item is 409 and keeps who closed it', async () => {
      const item = await entry(morning);
      expect((await as(afternoon1, api().post(`/api/v1/logbook-entries/${item.id}/close`)).send({ comment: 'Fait' })).status).toBe(200);
      const before = await t.dataSource.query(`SELECT status, closed_at, closed_by_user_id, closing_comment, version FROM logbook_entries WHERE id = $1`, [item.id]);
      const again = await as(afternoon2, api().post(`/api/v1/logbook-entries/${item.id}/close`)).send({ comment: 'Encore' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('already_closed');
      expect(await t.dataSource.query(`SELECT status, closed_at, closed_by_user_id, closing_comment, version FROM logbook_entries WHERE id = $1`, [item.id])).toEqual(before);
    });

    it.each([
      ['a due date in the past', { dueAt: new Date(Date.now() - 60_000).toISOString() }, 'dueAt'],
      ['an unknown category', { category: 'gossip' }, 'category'],
      ['an empty title', { title: ' ' }, 'title'],
      ['an unknown priority', { priority: 'urgent!' }, 'priority'],
    ])('an entry with %s is 400', async (_, body, field) => {
      const before = await entries();
      const res = await as(morning, api().post('/api/v1/logbook-entries')).send({ siteId, category: 'incident', title: 'x', ...body });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      expect(await entries()).toBe(before);
    });

    it('closing without a comment is 400 and leaves the entry open', async () => {
      const item = await entry(morning);
      const res = await as(afternoon1, api().post(`/api/v1/logbook-entries/${item.id}/close`)).send({ comment: '' });
      expect(res.status).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM logbook_entries WHERE id = $1 AND status = 'open'`, [item.id])).toBe(1);
    });

    it('an empty note is 400; an unknown note is 404', async () => {
      const before = await count(`SELECT count(*) AS n FROM handover_notes WHERE site_id = $1`, [siteId]);
      expect((await as(morning, api().post('/api/v1/handover-notes')).send({ siteId, body: '' })).status).toBe(400);
      expect(await count(`SELECT count(*) AS n FROM handover_notes WHERE site_id = $1`, [siteId])).toBe(before);
      expect((await as(morning, api().post(`/api/v1/handover-notes/${randomUUID()}/acknowledge`))).status).toBe(404);
    });

    it('another site’s logbook and notes are 404', async () => {
      const other = await createOpenSite(t.dataSource);
      const stranger = await createAgent(t.dataSource, t.url, other.siteId);
      const item = await entry(morning);
      const note = await as(morning, api().post('/api/v1/handover-notes')).send({ siteId, body: 'Interne' });
      expect((await as(stranger, api().get('/api/v1/handover')).query({ siteId })).status).toBe(404);
      expect((await as(stranger, api().get('/api/v1/logbook-entries')).query({ siteId })).status).toBe(404);
      expect((await as(stranger, api().post(`/api/v1/logbook-entries/${item.id}/close`)).send({ comment: 'x' })).status).toBe(404);
      expect((await as(stranger, api().post(`/api/v1/handover-notes/${note.body.id}/acknowledge`))).status).toBe(404);
      expect(await count(`SELECT count(*) AS n FROM handover_acknowledgements WHERE note_id = $1`, [note.body.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM logbook_entries WHERE id = $1 AND status = 'open'`, [item.id])).toBe(1);
    });
  });
});
