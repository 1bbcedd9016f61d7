import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService, diffFields } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal, UserPrincipal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { EntryAlreadyClosedError, NoteAlreadyAcknowledgedError, OwnNoteError } from './handover.errors';

export const LOGBOOK_CATEGORIES = ['information', 'instruction', 'incident', 'maintenance', 'visitor', 'delivery', 'other'] as const;
export type LogbookCategory = (typeof LOGBOOK_CATEGORIES)[number];
export const LOGBOOK_PRIORITIES = ['low', 'normal', 'high'] as const;
export type LogbookPriority = (typeof LOGBOOK_PRIORITIES)[number];
export const LOGBOOK_STATUSES = ['open', 'closed'] as const;

/**
 * A note is for every user of its site who has not acknowledged it, except its author and users
 * whose account is newer than the note; after this many days it is history, no longer pending.
 */
export const NOTE_PENDING_DAYS = 7;

export interface LogbookEntryView {
  id: string;
  siteId: string;
  category: LogbookCategory;
  priority: LogbookPriority;
  title: string;
  body: string;
  dueAt: Date | null;
  status: 'open' | 'closed';
  createdByUserId: string | null;
  createdByName: string | null;
  createdAt: Date;
  closedAt: Date | null;
  closedByUserId: string | null;
  closingComment: string | null;
  version: number;
}

/** What the author left open when writing the note (ids and short labels; no confidential subject). */
export interface HandoverSnapshot {
  tickets: { id: string; number: string; status: string; queueId: string }[];
  requests: { id: string; subject: string | null; status: string; channel: string }[];
  tasks: { id: string; title: string; dueAt: string | null; urgent: boolean; important: boolean }[];
  callbacks: { id: string; contactName: string; subject: string; callBefore: string | null }[];
  logbookEntries: { id: string; title: string; priority: string }[];
}

export interface HandoverNoteView {
  id: string;
  siteId: string;
  authorUserId: string | null;
  authorName: string | null;
  body: string;
  snapshot: HandoverSnapshot;
  createdAt: Date;
  acknowledgements: { userId: string; name: string; acknowledgedAt: Date }[];
  acknowledgedByMe: boolean;
}

interface EntryRow {
  id: string;
  site_id: string;
  category: LogbookCategory;
  priority: LogbookPriority;
  title: string;
  body: string;
  due_at: Date | null;
  status: 'open' | 'closed';
  created_by_user_id: string | null;
  created_by_name?: string | null;
  created_at: Date;
  closed_at: Date | null;
  closed_by_user_id: string | null;
  closing_comment: string | null;
  version: number;
}

interface NoteRow {
  id: string;
  site_id: string;
  author_user_id: string | null;
  author_name: string | null;
  body: string;
  snapshot: HandoverSnapshot;
  created_at: Date;
  acknowledgements: { userId: string; name: string; acknowledgedAt: string }[];
  acknowledged_by_me: boolean;
}

const PRIORITY_ORDER = `CASE e.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END`;

/**
 * Shift handover (C2.1 "assurer la passation"): the site's logbook (main courante), whose open
 * entries carry over from shift to shift until someone closes them, and handover notes that the
 * outgoing agent writes and each incoming agent acknowledges once.
 */
@Injectable()
export class HandoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async createEntry(
    principal: Principal,
    input: { siteId: string; category: LogbookCategory; priority?: LogbookPriority; title: string; body?: string; dueAt?: string | null },
  ): Promise<LogbookEntryView> {
    const user = asUser(principal);
    assertSiteAccess(user, input.siteId);
    const dueAt = input.dueAt ? new Date(input.dueAt) : null;
    if (dueAt && dueAt.getTime() <= Date.now()) throw new ValidationError('dueAt is past', [{ field: 'dueAt', message: 'dueAt must be in the future' }]);
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(
        `INSERT INTO logbook_entries (site_id, category, priority, title, body, due_at, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *, (SELECT display_name FROM users WHERE id = $7) AS created_by_name`,
        [input.siteId, input.category, input.priority ?? 'normal', input.title, input.body ?? '', dueAt, user.id],
      )) as EntryRow[];
      const view = entryView(row);
      await this.audit.record(manager, { action: 'create', entity: 'logbook_entry', entityId: row.id, siteId: row.site_id, changes: diffFields(null, view, ['category', 'priority', 'title', 'dueAt']) });
      emit(row.site_id, 'logbook.entry_created', { entryId: row.id, priority: row.priority });
      return view;
    });
  }

  /** Open entries first (high priority, oldest first: they have waited longest), then the closed ones, latest first. */
  async listEntries(
    principal: Principal,
    query: { siteId: string; status?: 'open' | 'closed'; page: number; limit: number },
  ): Promise<{ items: LogbookEntryView[]; total: number }> {
    assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId];
    let where = 'e.site_id = $1';
    if (query.status) {
      params.push(query.status);
      where += ` AND e.status = $2`;
    }
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM logbook_entries e WHERE ${where}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT e.*, u.display_name AS created_by_name FROM logbook_entries e LEFT JOIN users u ON u.id = e.created_by_user_id
        WHERE ${where}
        ORDER BY (e.status = 'open') DESC,
                 CASE WHEN e.status = 'open' THEN ${PRIORITY_ORDER} END,
                 CASE WHEN e.status = 'open' THEN e.created_at END ASC,
                 e.closed_at DESC, e.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as EntryRow[];
    return { items: rows.map(entryView), total };
  }

  async closeEntry(principal: Principal, id: string, comment: string): Promise<LogbookEntryView> {
    const user = asUser(principal);
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(`SELECT * FROM logbook_entries WHERE id = $1 FOR UPDATE`, [id])) as EntryRow[];
      if (!row) throw new NotFoundError('Logbook entry', id);
      assertSiteAccess(user, row.site_id, 'Logbook entry', id);
      if (row.status === 'closed') throw new EntryAlreadyClosedError(id);
      const [closed] = await rowsOf<EntryRow>(
        manager,
        `UPDATE logbook_entries e SET status = 'closed', closed_at = now(), closed_by_user_id = $2, closing_comment = $3, version = version + 1
          WHERE id = $1 RETURNING e.*, (SELECT display_name FROM users WHERE id = e.created_by_user_id) AS created_by_name`,
        [id, user.id, comment],
      );
      await this.audit.record(manager, {
        action: 'update',
        entity: 'logbook_entry',
        entityId: id,
        siteId: row.site_id,
        changes: diffFields(entryView(row), entryView(closed), ['status', 'closedAt', 'closedByUserId', 'closingComment']),
      });
      emit(row.site_id, 'logbook.entry_closed', { entryId: id });
      return entryView(closed);
    });
  }

  /** The outgoing agent's note, with a snapshot of what they leave open on the site. */
  async createNote(principal: Principal, input: { siteId: string; body: string }): Promise<HandoverNoteView> {
    const user = asUser(principal);
    assertSiteAccess(user, input.siteId);
    return this.live.transaction(async (manager, emit) => {
      const snapshot = await this.openItemsOf(manager, user.id, input.siteId);
      const [row] = (await manager.query(`INSERT INTO handover_notes (site_id, author_user_id, body, snapshot) VALUES ($1, $2, $3, $4) RETURNING id`, [
        input.siteId,
        user.id,
        input.body,
        JSON.stringify(snapshot),
      ])) as { id: string }[];
      await this.audit.record(manager, { action: 'create', entity: 'handover_note', entityId: row.id, siteId: input.siteId, changes: {} });
      emit(input.siteId, 'handover.note_created', { noteId: row.id, authorUserId: user.id });
      return (await this.notes(manager, user, `n.id = $2`, [row.id]))[0];
    });
  }

  /** `pending`: the notes this user still has to acknowledge (see NOTE_PENDING_DAYS); otherwise the site's notes, latest first. */
  async listNotes(principal: Principal, query: { siteId: string; pending?: boolean; page: number; limit: number }): Promise<{ items: HandoverNoteView[]; total: number }> {
    const user = asUser(principal);
    assertSiteAccess(user, query.siteId);
    const params: unknown[] = [query.siteId];
    let where = 'n.site_id = $2';
    if (query.pending) {
      params.push(NOTE_PENDING_DAYS);
      where += ` AND ${PENDING_SQL}`;
    }
    // `$1` (the viewer) is declared even when only the pending filter reads it.
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM handover_notes n, (SELECT $1::uuid AS viewer) v WHERE ${where}`, [
      user.id,
      ...params,
    ])) as {
      total: number;
    }[];
    const items = await this.notes(this.dataSource.manager, user, where, params, { limit: query.limit, offset: (query.page - 1) * query.limit });
    return { items, total };
  }

  async acknowledge(principal: Principal, noteId: string): Promise<HandoverNoteView> {
    const user = asUser(principal);
    return this.live.transaction(async (manager, emit) => {
      const [note] = (await manager.query(`SELECT site_id, author_user_id FROM handover_notes WHERE id = $1`, [noteId])) as { site_id: string; author_user_id: string | null }[];
      if (!note) throw new NotFoundError('Handover note', noteId);
      assertSiteAccess(user, note.site_id, 'Handover note', noteId);
      if (note.author_user_id === user.id) throw new OwnNoteError(noteId);
      const inserted = (await manager.query(
        `INSERT INTO handover_acknowledgements (note_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING acknowledged_at`,
        [noteId, user.id],
      )) as unknown[];
      if (inserted.length === 0) throw new NoteAlreadyAcknowledgedError(noteId);
      await this.audit.record(manager, { action: 'update', entity: 'handover_note', entityId: noteId, siteId: note.site_id, changes: { acknowledgedBy: { to: user.id } } });
      emit(note.site_id, 'handover.note_acknowledged', { noteId, userId: user.id });
      return (await this.notes(manager, user, `n.id = $2`, [noteId]))[0];
    });
  }

  /**
   * What an agent sees when taking over: the notes they have not acknowledged, every open logbook
   * entry of the site (carried over until closed) and their own open items, to hand over in turn.
   */
  async summary(principal: Principal, siteId: string): Promise<{ pendingNotes: HandoverNoteView[]; openEntries: LogbookEntryView[]; mine: HandoverSnapshot }> {
    const user = asUser(principal);
    assertSiteAccess(user, siteId);
    const [pending, open, mine] = await Promise.all([
      this.listNotes(user, { siteId, pending: true, page: 1, limit: 50 }),
      this.listEntries(user, { siteId, status: 'open', page: 1, limit: 200 }),
      this.openItemsOf(this.dataSource.manager, user.id, siteId),
    ]);
    return { pendingNotes: pending.items, openEntries: open.items, mine };
  }

  /** In `where`, `$1` is the viewer and `$2`… are `params`. */
  private async notes(
    manager: EntityManager,
    user: UserPrincipal,
    where: string,
    params: unknown[],
    page?: { limit: number; offset: number },
  ): Promise<HandoverNoteView[]> {
    const values = [user.id, ...params, ...(page ? [page.limit, page.offset] : [])];
    const rows = (await manager.query(
      `SELECT n.*, a.display_name AS author_name,
              EXISTS (SELECT 1 FROM handover_acknowledgements m WHERE m.note_id = n.id AND m.user_id = $1::uuid) AS acknowledged_by_me,
              coalesce((SELECT json_agg(json_build_object('userId', k.user_id, 'name', u.display_name, 'acknowledgedAt', k.acknowledged_at) ORDER BY k.acknowledged_at)
                          FROM handover_acknowledgements k JOIN users u ON u.id = k.user_id WHERE k.note_id = n.id), '[]') AS acknowledgements
         FROM handover_notes n LEFT JOIN users a ON a.id = n.author_user_id
        WHERE ${where}
        ORDER BY n.created_at DESC, n.id
        ${page ? `LIMIT $${values.length - 1} OFFSET $${values.length}` : ''}`,
      values,
    )) as NoteRow[];
    return rows.map((r) => ({
      id: r.id,
      siteId: r.site_id,
      authorUserId: r.author_user_id,
      authorName: r.author_name,
      body: r.body,
      snapshot: r.snapshot,
      createdAt: r.created_at,
      acknowledgements: r.acknowledgements.map((k) => ({ userId: k.userId, name: k.name, acknowledgedAt: new Date(k.acknowledgedAt) })),
      acknowledgedByMe: r.acknowledged_by_me,
    }));
  }

  private async openItemsOf(manager: EntityManager, userId: string, siteId: string): Promise<HandoverSnapshot> {
    const [tickets, requests, tasks, callbacks, logbookEntries] = await Promise.all([
      manager.query(
        `SELECT id, number, status, queue_id AS "queueId" FROM tickets
          WHERE agent_user_id = $1 AND site_id = $2 AND status IN ('called', 'serving', 'parked') ORDER BY created_at, id`,
        [userId, siteId],
      ),
      manager.query(
        `SELECT id, CASE WHEN confidentiality = 'normal' THEN subject END AS subject, status, channel FROM requests
          WHERE handled_by_user_id = $1 AND site_id = $2 AND status IN ('open', 'in_progress') ORDER BY arrived_at, id`,
        [userId, siteId],
      ),
      manager.query(
        `SELECT id, title, due_at AS "dueAt", urgent, important FROM tasks
          WHERE owner_user_id = $1 AND site_id = $2 AND status = 'open' ORDER BY due_at NULLS LAST, created_at, id`,
        [userId, siteId],
      ),
      manager.query(
        `SELECT id, contact_name AS "contactName", subject, call_before AS "callBefore" FROM callbacks
          WHERE owner_user_id = $1 AND site_id = $2 AND status = 'open' ORDER BY call_before NULLS LAST, created_at, id`,
        [userId, siteId],
      ),
      manager.query(`SELECT id, title, priority FROM logbook_entries WHERE site_id = $1 AND status = 'open' ORDER BY created_at, id`, [siteId]),
    ]);
    // Through JSON so the stored snapshot and the one returned now look the same (ISO strings).
    return JSON.parse(JSON.stringify({ tickets, requests, tasks, callbacks, logbookEntries })) as HandoverSnapshot;
  }
}

/** `$1` viewer, `$3` days: not theirs, not acknowledged by them, written after their account and within the window. */
const PENDING_SQL = `n.author_user_id IS DISTINCT FROM $1
  AND NOT EXISTS (SELECT 1 FROM handover_acknowledgements k WHERE k.note_id = n.id AND k.user_id = $1)
  AND n.created_at >= (SELECT created_at FROM users WHERE id = $1)
  AND n.created_at > now() - make_interval(days => $3)`;

function asUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new ForbiddenError('The handover is written and acknowledged by users');
  return principal;
}

function entryView(r: EntryRow): LogbookEntryView {
  return {
    id: r.id,
    siteId: r.site_id,
    category: r.category,
    priority: r.priority,
    title: r.title,
    body: r.body,
    dueAt: r.due_at,
    status: r.status,
    createdByUserId: r.created_by_user_id,
    createdByName: r.created_by_name ?? null,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closedByUserId: r.closed_by_user_id,
    closingComment: r.closing_comment,
    version: r.version,
  };
}
