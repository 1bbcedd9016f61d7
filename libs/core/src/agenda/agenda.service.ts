import { Injectable } from '@nestjs/common';
import ical, { ICalCalendar } from 'ical-generator';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/domain-error';
import { roleAtLeast, type Principal, type UserPrincipal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { randomSecret, safeEqual, sha256 } from '../identity/tokens';
import { LiveEvents } from '../live/live-events.service';
import { assertOwner } from '../tasks/owners';

export const AGENDA_KINDS = ['appointment', 'meeting', 'task', 'callback'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** Longest range one agenda read may cover. */
export const MAX_AGENDA_DAYS = 62;
/** The iCalendar feed covers this window around now (calendar apps re-poll it). */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 180;
/** Tasks and callbacks are points in time; calendars show them as short blocks. */
const POINT_MINUTES = 15;

export interface AgendaItem {
  kind: AgendaKind;
  id: string;
  siteId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  place: string | null;
  /** Null for appointments (they belong to a queue). */
  ownerUserId: string | null;
}

export interface MeetingInput {
  siteId: string;
  title: string;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  notes?: string | null;
  ownerUserId?: string | null;
  serviceId?: string | null;
}

/** Absent fields keep their value; owners may be cleared as long as one remains. */
export type MeetingPatch = Partial<Omit<MeetingInput, 'siteId'>>;

export interface MeetingView {
  id: string;
  siteId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  notes: string | null;
  ownerUserId: string | null;
  serviceId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date | null;
  version: number;
}

interface MeetingRow {
  id: string;
  site_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  place: string | null;
  notes: string | null;
  owner_user_id: string | null;
  service_id: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date | null;
  version: number;
}

type Subject = { userId: string; serviceId: string | null } | { userId: null; serviceId: string };

/**
 * One calendar per agent or service (C1.1 "outils de planification"): appointments, meetings, tasks
 * with a due date and callbacks with a deadline. An agent's appointments are those of the queues of
 * their service, those they booked and those whose ticket they served. The iCalendar feed is read
 * by calendar apps without a bearer header: it is protected by a per-user secret token, stored hashed.
 */
@Injectable()
export class AgendaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async createMeeting(principal: Principal, input: MeetingInput): Promise<MeetingView> {
    assertSiteAccess(principal, input.siteId);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    assertEndsAfterStart(startsAt, endsAt);
    let ownerUserId = input.ownerUserId ?? null;
    const serviceId = input.serviceId ?? null;
    if (!ownerUserId && !serviceId) {
      if (principal.kind !== 'user') throw new ValidationError('ownerUserId or serviceId is required', [{ field: 'ownerUserId', message: 'an API key must name an owner' }]);
      ownerUserId = principal.id;
    }
    return this.live.transaction(async (manager, emit) => {
      await assertOwner(manager, input.siteId, { ownerUserId, ownerServiceId: serviceId });
      const [row] = (await manager.query(
        `INSERT INTO meetings (site_id, owner_user_id, service_id, title, starts_at, ends_at, place, notes, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [input.siteId, ownerUserId, serviceId, input.title, startsAt, endsAt, input.place ?? null, input.notes ?? null, principal.kind === 'user' ? principal.id : null],
      )) as MeetingRow[];
      const view = meetingView(row);
      await this.audit.record(manager, { action: 'create', entity: 'meeting', entityId: row.id, siteId: row.site_id, changes: diffFields(null, view, ['title', 'startsAt', 'endsAt', 'place', 'ownerUserId', 'serviceId']) });
      emit(row.site_id, 'meeting.changed', { meetingId: row.id, action: 'created' }, meetingRooms(row), { private: true });
      return view;
    });
  }

  async getMeeting(principal: Principal, id: string): Promise<MeetingView> {
    const [row] = (await this.dataSource.query(`SELECT * FROM meetings WHERE id = $1`, [id])) as MeetingRow[];
    if (!row) throw new NotFoundError('Meeting', id);
    assertSiteAccess(principal, row.site_id, 'Meeting', id);
    return meetingView(row);
  }

  /** Same rules as creation, checked on the meeting as it would become; the site does not change. */
  async updateMeeting(principal: Principal, id: string, patch: MeetingPatch, expectedVersion?: number): Promise<MeetingView> {
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(`SELECT * FROM meetings WHERE id = $1 FOR UPDATE`, [id])) as MeetingRow[];
      if (!row) throw new NotFoundError('Meeting', id);
      assertSiteAccess(principal, row.site_id, 'Meeting', id);
      if (expectedVersion !== undefined && row.version !== expectedVersion) {
        throw new ConflictError(`Meeting ${id} is now at version ${row.version}; reload it and apply the change again`, 'stale_version');
      }
      const startsAt = patch.startsAt !== undefined ? new Date(patch.startsAt) : row.starts_at;
      const endsAt = patch.endsAt !== undefined ? new Date(patch.endsAt) : row.ends_at;
      assertEndsAfterStart(startsAt, endsAt);
      const owner = {
        ownerUserId: patch.ownerUserId !== undefined ? patch.ownerUserId : row.owner_user_id,
        ownerServiceId: patch.serviceId !== undefined ? patch.serviceId : row.service_id,
      };
      if (!owner.ownerUserId && !owner.ownerServiceId) {
        throw new ValidationError('A meeting needs an owner', [{ field: 'ownerUserId', message: 'ownerUserId or serviceId must remain' }]);
      }
      await assertOwner(manager, row.site_id, owner);
      const [updated] = await rowsOf<MeetingRow>(
        manager,
        `UPDATE meetings SET title = $2, starts_at = $3, ends_at = $4, place = $5, notes = $6, owner_user_id = $7, service_id = $8,
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [
          id,
          patch.title ?? row.title,
          startsAt,
          endsAt,
          patch.place !== undefined ? patch.place : row.place,
          patch.notes !== undefined ? patch.notes : row.notes,
          owner.ownerUserId,
          owner.ownerServiceId,
        ],
      );
      const before = meetingView(row);
      const after = meetingView(updated);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'meeting',
        entityId: id,
        siteId: row.site_id,
        changes: diffFields(before, after, ['title', 'startsAt', 'endsAt', 'place', 'notes', 'ownerUserId', 'serviceId']),
      });
      // Both the former and the new owners' agendas change.
      const audience = [...new Set([...meetingRooms(row), ...meetingRooms(updated)])];
      emit(row.site_id, 'meeting.changed', { meetingId: id, action: 'updated' }, audience, { private: true });
      return after;
    });
  }

  async deleteMeeting(principal: Principal, id: string): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(`SELECT * FROM meetings WHERE id = $1 FOR UPDATE`, [id])) as MeetingRow[];
      if (!row) throw new NotFoundError('Meeting', id);
      assertSiteAccess(principal, row.site_id, 'Meeting', id);
      await manager.query(`DELETE FROM meetings WHERE id = $1`, [id]);
      await this.audit.record(manager, { action: 'delete', entity: 'meeting', entityId: id, siteId: row.site_id, changes: diffFields(meetingView(row), null, ['title', 'startsAt', 'endsAt']) });
      emit(row.site_id, 'meeting.changed', { meetingId: id, action: 'deleted' }, meetingRooms(row), { private: true });
    });
  }

  /**
   * The agenda of a user (default: the caller) or a service between two instants. Agents read their
   * own and their service's; supervisors and admins those of anyone sharing one of their sites.
   */
  async agenda(principal: Principal, query: { userId?: string; serviceId?: string; from: Date; to: Date }): Promise<{ items: AgendaItem[] }> {
    if (query.to.getTime() <= query.from.getTime()) throw new ValidationError('to must be after from', [{ field: 'to', message: 'must be after from' }]);
    if (query.to.getTime() - query.from.getTime() > MAX_AGENDA_DAYS * 86_400_000) {
      throw new ValidationError('Range too long', [{ field: 'to', message: `the range must be at most ${MAX_AGENDA_DAYS} days` }]);
    }
    if (query.userId && query.serviceId) throw new ValidationError('userId or serviceId', [{ field: 'serviceId', message: 'give userId or serviceId, not both' }]);
    const subject = await this.subjectFor(principal, query);
    return { items: await this.itemsOf(this.dataSource.manager, subject, principal.siteIds, query.from, query.to) };
  }

  /** A new secret replaces the previous one (which stops working at once); shown once, stored hashed. */
  async rotateFeedToken(principal: Principal): Promise<{ token: string; url: string }> {
    const user = asUser(principal);
    const token = randomSecret(24);
    await this.live.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO calendar_feed_tokens (user_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
        [user.id, sha256(token)],
      );
      await this.audit.record(manager, { action: 'update', entity: 'calendar_feed_token', entityId: user.id, changes: { secret: { to: '[redacted]' } } });
    });
    return { token, url: `${this.config.publicUrl.replace(/\/$/, '')}/api/v1/calendars/agents/${user.id}.ics?token=${token}` };
  }

  async revokeFeedToken(principal: Principal): Promise<void> {
    const user = asUser(principal);
    await this.live.transaction(async (manager) => {
      const deleted = (await manager.query(`DELETE FROM calendar_feed_tokens WHERE user_id = $1 RETURNING user_id`, [user.id])) as unknown[];
      if (!deleted.length) throw new NotFoundError('Calendar feed');
      await this.audit.record(manager, { action: 'delete', entity: 'calendar_feed_token', entityId: user.id, changes: {} });
    });
  }

  /** The agent's iCalendar feed; a wrong, rotated or missing token, or an inactive user, is "not found". */
  async feed(userId: string, token: string | undefined): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT f.token_hash, u.display_name, u.service_id, array_agg(us.site_id) AS site_ids
         FROM calendar_feed_tokens f JOIN users u ON u.id = f.user_id AND u.active
         LEFT JOIN user_sites us ON us.user_id = u.id
        WHERE f.user_id = $1 GROUP BY f.token_hash, u.display_name, u.service_id`,
      [userId],
    )) as { token_hash: string; display_name: string; service_id: string | null; site_ids: (string | null)[] }[];
    if (!row || !token || !safeEqual(sha256(token), row.token_hash)) throw new NotFoundError('Calendar feed');
    const now = Date.now();
    const items = await this.itemsOf(
      this.dataSource.manager,
      { userId, serviceId: row.service_id },
      row.site_ids.filter((s): s is string => s !== null),
      new Date(now - FEED_PAST_DAYS * 86_400_000),
      new Date(now + FEED_FUTURE_DAYS * 86_400_000),
    );
    return toICal(row.display_name, items).toString();
  }

  private async subjectFor(principal: Principal, query: { userId?: string; serviceId?: string }): Promise<Subject> {
    if (query.serviceId) {
      const [service] = (await this.dataSource.query(`SELECT site_id FROM services WHERE id = $1`, [query.serviceId])) as { site_id: string }[];
      if (!service) throw new NotFoundError('Service', query.serviceId);
      assertSiteAccess(principal, service.site_id, 'Service', query.serviceId);
      if (principal.kind === 'user' && !roleAtLeast(principal.role, 'supervisor') && principal.serviceId !== query.serviceId) {
        throw new ForbiddenError('Agents read the agenda of their own service');
      }
      return { userId: null, serviceId: query.serviceId };
    }
    const userId = query.userId ?? (principal.kind === 'user' ? principal.id : undefined);
    if (!userId) throw new ValidationError('userId or serviceId is required', [{ field: 'userId', message: 'an API key must name a user or a service' }]);
    const [user] = (await this.dataSource.query(
      `SELECT u.service_id FROM users u WHERE u.id = $1 AND EXISTS (SELECT 1 FROM user_sites us WHERE us.user_id = u.id AND us.site_id = ANY($2::uuid[]))`,
      [userId, principal.siteIds],
    )) as { service_id: string | null }[];
    if (!user) throw new NotFoundError('User', userId);
    if (principal.kind === 'user' && principal.id !== userId && !roleAtLeast(principal.role, 'supervisor')) {
      throw new ForbiddenError('Agents read their own agenda');
    }
    return { userId, serviceId: user.service_id };
  }

  /** One statement per source, merged and sorted by start. */
  private async itemsOf(manager: EntityManager, subject: Subject, siteIds: string[], from: Date, to: Date): Promise<AgendaItem[]> {
    const p = [siteIds, from, to, subject.userId, subject.serviceId];
    // A user's items: theirs, plus their service's meetings; a service's: its own.
    const owned = (userCol: string, serviceCol: string, userAlsoService: string) =>
      `(($4::uuid IS NOT NULL AND ${userCol} = $4::uuid)
        OR ($5::uuid IS NOT NULL AND ${serviceCol} = $5::uuid AND ($4::uuid IS NULL OR ${userAlsoService})))`;
    const [appointments, meetings, tasks, callbacks] = (await Promise.all([
      manager.query(
        `SELECT a.id, a.site_id, a.starts_at, a.ends_at, a.status, q.name AS queue_name, a.contact_name, s.name AS site_name
           FROM appointments a JOIN queues q ON q.id = a.queue_id JOIN sites s ON s.id = a.site_id
          WHERE a.site_id = ANY($1::uuid[]) AND a.status <> 'cancelled' AND a.starts_at < $3 AND a.ends_at > $2
            AND (($5::uuid IS NOT NULL AND q.service_id = $5::uuid)
                 OR ($4::uuid IS NOT NULL AND (a.booked_by = 'user:' || $4::text
                      OR EXISTS (SELECT 1 FROM tickets t WHERE t.appointment_id = a.id AND t.agent_user_id = $4::uuid))))
          ORDER BY a.starts_at`,
        p,
      ),
      manager.query(
        `SELECT id, site_id, title, starts_at, ends_at, place, owner_user_id FROM meetings
          WHERE site_id = ANY($1::uuid[]) AND starts_at < $3 AND ends_at > $2 AND ${owned('owner_user_id', 'service_id', 'true')}`,
        p,
      ),
      manager.query(
        `SELECT id, site_id, title, due_at, status, owner_user_id FROM tasks
          WHERE site_id = ANY($1::uuid[]) AND status <> 'cancelled' AND due_at >= $2 AND due_at < $3 AND ${owned('owner_user_id', 'owner_service_id', 'owner_user_id IS NULL')}`,
        p,
      ),
      manager.query(
        `SELECT id, site_id, contact_name, subject, call_before, status, owner_user_id FROM callbacks
          WHERE site_id = ANY($1::uuid[]) AND status <> 'cancelled' AND call_before >= $2 AND call_before < $3 AND ${owned('owner_user_id', 'owner_service_id', 'owner_user_id IS NULL')}`,
        p,
      ),
    ])) as [
      { id: string; site_id: string; starts_at: Date; ends_at: Date; status: string; queue_name: string; contact_name: string; site_name: string }[],
      { id: string; site_id: string; title: string; starts_at: Date; ends_at: Date; place: string | null; owner_user_id: string | null }[],
      { id: string; site_id: string; title: string; due_at: Date; status: string; owner_user_id: string | null }[],
      { id: string; site_id: string; contact_name: string; subject: string; call_before: Date; status: string; owner_user_id: string | null }[],
    ];
    const point = (at: Date) => new Date(at.getTime() + POINT_MINUTES * 60_000);
    const items: AgendaItem[] = [
      ...appointments.map((a) => ({ kind: 'appointment' as const, id: a.id, siteId: a.site_id, title: `${a.queue_name} · ${a.contact_name}`, startsAt: a.starts_at, endsAt: a.ends_at, status: a.status, place: a.site_name, ownerUserId: null })),
      ...meetings.map((m) => ({ kind: 'meeting' as const, id: m.id, siteId: m.site_id, title: m.title, startsAt: m.starts_at, endsAt: m.ends_at, status: 'planned', place: m.place, ownerUserId: m.owner_user_id })),
      ...tasks.map((t) => ({ kind: 'task' as const, id: t.id, siteId: t.site_id, title: t.title, startsAt: t.due_at, endsAt: point(t.due_at), status: t.status, place: null, ownerUserId: t.owner_user_id })),
      ...callbacks.map((c) => ({ kind: 'callback' as const, id: c.id, siteId: c.site_id, title: `${c.contact_name} · ${c.subject}`, startsAt: c.call_before, endsAt: point(c.call_before), status: c.status, place: null, ownerUserId: c.owner_user_id })),
    ];
    return items.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  }
}

const KIND_LABEL: Record<AgendaKind, string> = { appointment: 'Rendez-vous', meeting: 'Réunion', task: 'Tâche', callback: 'Rappel' };

function toICal(name: string, items: AgendaItem[]): ICalCalendar {
  const calendar = ical({ name: `Guichet · ${name}`, prodId: { company: 'Guichet', product: 'agenda', language: 'FR' }, ttl: 15 * 60 });
  for (const item of items) {
    calendar.createEvent({
      // Stable UIDs: a calendar app updates the event rather than duplicating it on each poll.
      id: `${item.kind}-${item.id}@guichet`,
      start: item.startsAt,
      end: item.endsAt,
      summary: `${KIND_LABEL[item.kind]} · ${item.title}`,
      location: item.place ?? undefined,
      categories: [{ name: item.kind }],
    });
  }
  return calendar;
}

function meetingRooms(row: MeetingRow): string[] {
  return [...(row.owner_user_id ? [rooms.user(row.owner_user_id)] : []), ...(row.service_id ? [rooms.service(row.service_id)] : [])];
}

function assertEndsAfterStart(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw new ValidationError('endsAt before startsAt', [{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
}

function asUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new ForbiddenError('Calendar feeds belong to users');
  return principal;
}

function meetingView(r: MeetingRow): MeetingView {
  return {
    id: r.id,
    siteId: r.site_id,
    title: r.title,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    notes: r.notes,
    ownerUserId: r.owner_user_id,
    serviceId: r.service_id,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
