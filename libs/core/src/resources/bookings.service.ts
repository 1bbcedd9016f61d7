import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditChanges } from '../audit/audit-entry.entity';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { roleAtLeast } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { MAX_BOOKING_DAYS, MAX_RANGE_DAYS, parsePeriod, Period } from './periods';
import { BOOKING_AUDIT_FIELDS, BookingRow, BookingStatus, BookingView, ResourceRow, selectBookings, toBookingView } from './resource-view';
import { BookingConflictError, ResourceErrorCode, ResourceRuleError } from './resources.errors';

export interface CateringInput {
  headcount?: number | null;
  notes?: string | null;
}

export interface BookingInput {
  resourceId: string;
  startsAt: string;
  endsAt: string;
  title: string;
  notes?: string | null;
  attendees?: number | null;
  /** Equipment booked with the room for the same period, all or nothing. */
  equipmentIds?: string[];
  catering?: CateringInput | null;
  /** Defaults to the signed-in user; an API key may name a user of the site. */
  organiserUserId?: string | null;
}

export interface BookingPatch {
  startsAt?: string;
  endsAt?: string;
  title?: string;
  notes?: string | null;
  attendees?: number | null;
  /** The full set of equipment wanted: items left out are released, new ones booked. */
  equipmentIds?: string[];
  catering?: CateringInput | null;
}

export interface BookingQuery {
  siteId?: string;
  resourceId?: string;
  status?: BookingStatus;
  /** Bookings overlapping [from, to). */
  from?: string;
  to?: string;
  /** Only the caller's own bookings (organised or made by them). */
  mine?: boolean;
  page: number;
  limit: number;
}

/** A catering service order linked to a booking (read-only here; the service-orders module owns them). */
export interface LinkedServiceOrder {
  id: string;
  type: string;
  status: string;
  title: string;
}

export interface BookingDetail extends BookingView {
  /** Equipment booked with this room booking, cancelled items included. */
  equipment: BookingView[];
  /** Service orders (catering…) linked to this booking, when the service-orders module is installed. */
  serviceOrders: LinkedServiceOrder[];
}

const EXCLUSION_VIOLATION = '23P01';

/**
 * Bookings of rooms and equipment. No double booking is possible: the database refuses any
 * overlap among confirmed bookings of a resource (exclusion constraint), including between two
 * concurrent requests. Each insert or move runs under a savepoint so that a refusal can be turned
 * into a 409 naming the resource already taken, after which the whole request is rolled back.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async book(principal: Principal, input: BookingInput): Promise<BookingDetail> {
    const period = parsePeriod(input.startsAt, input.endsAt, MAX_BOOKING_DAYS, { start: 'startsAt', end: 'endsAt' });
    assertNotOver(period);
    const equipmentIds = distinctIds(input.equipmentIds ?? [], 'equipmentIds');
    return this.live.transaction(async (manager, emit) => {
      const resource = await this.loadBookable(manager, principal, input.resourceId, 'resourceId');
      checkAttendees(resource, input.attendees ?? null);
      if (equipmentIds.length > 0 && resource.kind !== 'room') {
        throw new ResourceRuleError(ResourceErrorCode.NotARoom, 'Equipment can be booked with a room booking only', [
          { field: 'equipmentIds', message: 'book each equipment item on its own, or with a room' },
        ]);
      }
      const equipment = await this.loadEquipment(manager, principal, resource.site_id, equipmentIds);
      const organiser = await this.organiserOf(manager, principal, resource.site_id, input.organiserUserId);
      const createdBy = principal.kind === 'user' ? principal.id : null;

      const conflicts: FieldError[] = [];
      const mainId = await this.tryInsert(manager, conflicts, 'resourceId', resource, period, {
        title: input.title,
        notes: input.notes ?? null,
        organiser,
        attendees: input.attendees ?? null,
        catering: input.catering ?? null,
        parentId: null,
        createdBy,
      });
      for (const [index, item] of equipment) {
        await this.tryInsert(manager, conflicts, `equipmentIds[${index}]`, item, period, {
          title: input.title,
          notes: null,
          organiser,
          attendees: null,
          catering: null,
          parentId: mainId,
          createdBy,
        });
      }
      if (conflicts.length > 0 || !mainId) throw conflictError(conflicts);

      const detail = await this.detail(manager, mainId);
      for (const booking of [detail, ...detail.equipment]) {
        await this.audit.record(manager, {
          action: 'create',
          entity: 'resource_booking',
          entityId: booking.id,
          siteId: booking.siteId,
          changes: diffFields(null, booking, BOOKING_AUDIT_FIELDS),
        });
        emit(booking.siteId, 'booking.created', { bookingId: booking.id, resourceId: booking.resourceId, parentBookingId: booking.parentBookingId });
      }
      return detail;
    });
  }

  async list(principal: Principal, query: BookingQuery): Promise<{ items: BookingView[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId ? [query.siteId] : principal.siteIds];
    const where = ['b.site_id = ANY($1::uuid[])'];
    const add = (sql: string, ...values: unknown[]) => {
      let clause = sql;
      for (const value of values) {
        params.push(value);
        clause = clause.replace('?', `$${params.length}`);
      }
      where.push(clause);
    };
    if (query.resourceId) add('b.resource_id = ?', query.resourceId);
    if (query.status) add('b.status = ?', query.status);
    if (query.from || query.to) {
      if (!query.from || !query.to) {
        throw new ValidationError('Invalid range', [{ field: query.from ? 'to' : 'from', message: 'from and to go together' }]);
      }
      const range = parsePeriod(query.from, query.to, MAX_RANGE_DAYS, { start: 'from', end: 'to' });
      add(`b.period && tstzrange(?, ?, '[)')`, range.start, range.end);
    }
    if (query.mine) {
      if (principal.kind !== 'user') throw new ValidationError('mine is for signed-in users', [{ field: 'mine', message: 'an API key has no bookings of its own' }]);
      add('(b.organiser_user_id = ? OR b.created_by = ?)', principal.id, principal.id);
    }
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM resource_bookings b WHERE ${where.join(' AND ')}`, params)) as {
      total: number;
    }[];
    const rows = await selectBookings(this.dataSource.manager, where.join(' AND '), [...params, query.limit, (query.page - 1) * query.limit], `
      ORDER BY lower(b.period), r.kind DESC, lower(r.name), b.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`);
    return { items: rows.map(toBookingView), total };
  }

  async get(principal: Principal, id: string): Promise<BookingDetail> {
    const [row] = (await this.dataSource.query(`SELECT site_id FROM resource_bookings WHERE id = $1`, [id])) as { site_id: string }[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Booking', id);
    return this.detail(this.dataSource.manager, id);
  }

  /** Changes the details, the period (equipment moves along) or the equipment of a confirmed room booking. */
  async update(principal: Principal, id: string, patch: BookingPatch, version?: number): Promise<BookingDetail> {
    return this.live.transaction(async (manager, emit) => {
      const before = await this.lockBooking(manager, principal, id, version);
      assertChangeable(before, 'change');
      if (before.parent_booking_id) {
        throw new ResourceRuleError(ResourceErrorCode.ManagedByParent, 'This equipment was booked with a room: change the room booking instead');
      }
      const period = parsePeriod(patch.startsAt ?? before.starts_at, patch.endsAt ?? before.ends_at, MAX_BOOKING_DAYS, {
        start: 'startsAt',
        end: 'endsAt',
      });
      const moved = period.start.getTime() !== before.starts_at.getTime() || period.end.getTime() !== before.ends_at.getTime();
      if (moved) assertNotOver(period);
      const [resource] = (await manager.query(`SELECT * FROM resources WHERE id = $1`, [before.resource_id])) as ResourceRow[];
      const attendees = patch.attendees === undefined ? before.attendees : patch.attendees;
      if (patch.attendees !== undefined) checkAttendees(resource, attendees);
      const catering = patch.catering === undefined ? { headcount: before.catering_headcount, notes: before.catering_notes } : patch.catering;

      const children = await selectBookings(manager, `b.parent_booking_id = $1 AND b.status = 'confirmed'`, [id], 'ORDER BY b.id FOR UPDATE OF b');
      const wanted = patch.equipmentIds === undefined ? null : distinctIds(patch.equipmentIds, 'equipmentIds');
      if (wanted && wanted.length > 0 && resource.kind !== 'room') {
        throw new ResourceRuleError(ResourceErrorCode.NotARoom, 'Equipment can be booked with a room booking only', [
          { field: 'equipmentIds', message: 'this booking is not of a room' },
        ]);
      }
      const released = wanted ? children.filter((c) => !wanted.includes(c.resource_id)) : [];
      const kept = children.filter((c) => !released.includes(c));
      const added = wanted ? wanted.map((rid, index) => [index, rid] as const).filter(([, rid]) => !children.some((c) => c.resource_id === rid)) : [];
      const newEquipment = await this.loadEquipment(manager, principal, before.site_id, added.map(([, rid]) => rid), added.map(([index]) => index));

      const conflicts: FieldError[] = [];
      // Released items first: their periods no longer count against anything.
      await this.cancelRows(manager, principal, emit, released, 'Removed from the room booking');
      // A change of equipment is a change of the booking: its version moves too, so If-Match sees it.
      const equipmentChanged = released.length > 0 || added.length > 0;
      await this.tryUpdate(manager, conflicts, 'startsAt', resource, before.id, {
        period,
        title: patch.title ?? before.title,
        notes: patch.notes === undefined ? before.notes : patch.notes,
        attendees,
        catering,
        force: equipmentChanged,
      });
      for (const child of kept) {
        if (!moved && patch.title === undefined) continue;
        const index = wanted ? wanted.indexOf(child.resource_id) : -1;
        const field = index >= 0 ? `equipmentIds[${index}]` : 'startsAt';
        await this.tryUpdate(manager, conflicts, field, { id: child.resource_id, name: child.resource_name }, child.id, {
          period,
          title: patch.title ?? child.title,
          notes: child.notes,
          attendees: null,
          catering: null,
          force: false,
        });
      }
      const addedIds: string[] = [];
      for (const [index, item] of newEquipment) {
        const newId = await this.tryInsert(manager, conflicts, `equipmentIds[${index}]`, item, period, {
          title: patch.title ?? before.title,
          notes: null,
          organiser: before.organiser_user_id,
          attendees: null,
          catering: null,
          parentId: before.id,
          createdBy: principal.kind === 'user' ? principal.id : null,
        });
        if (newId) addedIds.push(newId);
      }
      if (conflicts.length > 0) throw conflictError(conflicts);

      const detail = await this.detail(manager, id);
      const changedRows = [before, ...kept];
      for (const old of changedRows) {
        const now = old.id === id ? detail : detail.equipment.find((e) => e.id === old.id);
        if (!now || now.version === old.version) continue;
        const equipment: AuditChanges =
          old.id === id && equipmentChanged
            ? { equipmentIds: { from: children.map((c) => c.resource_id).sort(), to: detail.equipment.filter((e) => e.status === 'confirmed').map((e) => e.resourceId).sort() } }
            : {};
        await this.audit.record(manager, {
          action: 'update',
          entity: 'resource_booking',
          entityId: now.id,
          siteId: now.siteId,
          changes: { ...diffFields(toBookingView(old), now, BOOKING_AUDIT_FIELDS), ...equipment },
        });
        emit(now.siteId, 'booking.updated', { bookingId: now.id, resourceId: now.resourceId, version: now.version });
      }
      for (const item of detail.equipment.filter((e) => addedIds.includes(e.id))) {
        await this.audit.record(manager, {
          action: 'create',
          entity: 'resource_booking',
          entityId: item.id,
          siteId: item.siteId,
          changes: diffFields(null, item, BOOKING_AUDIT_FIELDS),
        });
        emit(item.siteId, 'booking.created', { bookingId: item.id, resourceId: item.resourceId, parentBookingId: item.parentBookingId });
      }
      return detail;
    });
  }

  /** Cancels a confirmed booking; a room booking releases its equipment with it. */
  async cancel(principal: Principal, id: string, version?: number, reason?: string): Promise<BookingDetail> {
    return this.live.transaction(async (manager, emit) => {
      const before = await this.lockBooking(manager, principal, id, version);
      assertChangeable(before, 'cancel');
      const children = await selectBookings(manager, `b.parent_booking_id = $1 AND b.status = 'confirmed'`, [id], 'ORDER BY b.id FOR UPDATE OF b');
      await this.cancelRows(manager, principal, emit, [before, ...children], reason ?? null);
      return this.detail(manager, id);
    });
  }

  private async cancelRows(manager: EntityManager, principal: Principal, emit: Emit, rows: BookingRow[], reason: string | null): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE resource_bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3, updated_at = now(), version = version + 1
        WHERE id = ANY($1::uuid[])`,
      [rows.map((r) => r.id), principal.kind === 'user' ? principal.id : null, reason],
    );
    for (const row of rows) {
      await this.audit.record(manager, {
        action: 'update',
        entity: 'resource_booking',
        entityId: row.id,
        siteId: row.site_id,
        changes: { status: { from: row.status, to: 'cancelled' }, ...(reason ? { reason: { to: reason } } : {}) },
      });
      emit(row.site_id, 'booking.cancelled', { bookingId: row.id, resourceId: row.resource_id });
    }
  }

  private async detail(manager: EntityManager, id: string): Promise<BookingDetail> {
    const [row] = await selectBookings(manager, 'b.id = $1', [id]);
    const equipment = await selectBookings(manager, 'b.parent_booking_id = $1', [id], 'ORDER BY b.status, lower(r.name), b.id');
    return { ...toBookingView(row), equipment: equipment.map(toBookingView), serviceOrders: await this.linkedOrders(manager, id) };
  }

  /**
   * Catering and other service orders are another module's; it may not be installed (its table is
   * then absent), so the link is read only when the table and its booking column exist.
   */
  private async linkedOrders(manager: EntityManager, bookingId: string): Promise<LinkedServiceOrder[]> {
    const [present] = (await manager.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'service_orders' AND column_name = 'booking_id'`,
    )) as unknown[];
    if (!present) return [];
    return (await manager.query(`SELECT id, type, status, title FROM service_orders WHERE booking_id = $1 ORDER BY created_at, id`, [bookingId])) as LinkedServiceOrder[];
  }

  /** The booking locked for a change: visible to the caller, at the version they read, theirs to change. */
  private async lockBooking(manager: EntityManager, principal: Principal, id: string, version?: number): Promise<BookingRow> {
    const [row] = await selectBookings(manager, 'b.id = $1', [id], 'FOR UPDATE OF b');
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Booking', id);
    if (version !== undefined && version !== row.version) {
      throw new ConflictError(`Booking ${id} was changed meanwhile (version ${row.version})`, 'stale_version');
    }
    const own = principal.kind === 'user' && (row.organiser_user_id === principal.id || row.created_by === principal.id);
    const supervises = principal.kind === 'api_key' || roleAtLeast(principal.role, 'supervisor');
    if (!own && !supervises) throw new ForbiddenError('Only the organiser or a supervisor may change this booking');
    return row;
  }

  /** A resource of the caller's sites that takes bookings, share-locked so it is not deactivated meanwhile. */
  private async loadBookable(manager: EntityManager, principal: Principal, id: string, field: string): Promise<ResourceRow> {
    const [row] = (await manager.query(`SELECT * FROM resources WHERE id = $1 FOR SHARE`, [id])) as ResourceRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Resource', id);
    if (!row.active) {
      throw new ResourceRuleError(ResourceErrorCode.ResourceInactive, `${row.name} is not available for booking`, [{ field, message: 'this resource is inactive' }]);
    }
    return row;
  }

  /** Equipment items of the room's site, in request order (by their index in the request's list). */
  private async loadEquipment(
    manager: EntityManager,
    principal: Principal,
    siteId: string,
    ids: string[],
    indexes: number[] = ids.map((_, i) => i),
  ): Promise<[number, ResourceRow][]> {
    // Locked in id order so that two requests wanting the same items cannot wait on each other in a cycle.
    const order = ids.map((id, i) => [indexes[i], id] as const).sort((a, b) => a[1].localeCompare(b[1]));
    const items: [number, ResourceRow][] = [];
    for (const [index, id] of order) {
      const field = `equipmentIds[${index}]`;
      const row = await this.loadBookable(manager, principal, id, field);
      if (row.kind !== 'equipment') {
        throw new ResourceRuleError(ResourceErrorCode.NotEquipment, `${row.name} is not equipment`, [{ field, message: 'must be an equipment item' }]);
      }
      if (row.site_id !== siteId) {
        throw new ValidationError('Equipment of another site', [{ field, message: 'must be equipment of the room’s site' }]);
      }
      items.push([index, row]);
    }
    return items;
  }

  private async organiserOf(manager: EntityManager, principal: Principal, siteId: string, requested: string | null | undefined): Promise<string | null> {
    if (!requested) return principal.kind === 'user' ? principal.id : null;
    if (principal.kind === 'user' && requested === principal.id) return requested;
    const [user] = (await manager.query(
      `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id WHERE u.id = $1 AND us.site_id = $2 AND u.active`,
      [requested, siteId],
    )) as unknown[];
    if (!user) throw new NotFoundError('User', requested);
    return requested;
  }

  /** Inserts one booking; an overlap is added to `conflicts` (naming the resource) instead of aborting. */
  private async tryInsert(
    manager: EntityManager,
    conflicts: FieldError[],
    field: string,
    resource: Pick<ResourceRow, 'id' | 'name' | 'site_id'>,
    period: Period,
    values: {
      title: string;
      notes: string | null;
      organiser: string | null;
      attendees: number | null;
      catering: CateringInput | null;
      parentId: string | null;
      createdBy: string | null;
    },
  ): Promise<string | null> {
    return this.underSavepoint(manager, conflicts, field, resource, period, async () => {
      const [row] = (await manager.query(
        `INSERT INTO resource_bookings (resource_id, site_id, period, title, notes, organiser_user_id, attendees, catering_headcount, catering_notes,
                                        parent_booking_id, created_by)
         VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          resource.id,
          resource.site_id,
          period.start,
          period.end,
          values.title,
          values.notes,
          values.organiser,
          values.attendees,
          values.catering?.headcount ?? null,
          values.catering?.notes ?? null,
          values.parentId,
          values.createdBy,
        ],
      )) as { id: string }[];
      return row.id;
    });
  }

  private async tryUpdate(
    manager: EntityManager,
    conflicts: FieldError[],
    field: string,
    resource: Pick<ResourceRow, 'id' | 'name'>,
    bookingId: string,
    values: { period: Period; title: string; notes: string | null; attendees: number | null; catering: CateringInput | null; force: boolean },
  ): Promise<void> {
    await this.underSavepoint(manager, conflicts, field, resource, values.period, async () => {
      await manager.query(
        `UPDATE resource_bookings SET period = tstzrange($2, $3, '[)'), title = $4, notes = $5, attendees = $6, catering_headcount = $7, catering_notes = $8,
                updated_at = now(), version = version + 1
          WHERE id = $1 AND ($9 OR (period, title, notes, attendees, catering_headcount, catering_notes)
                IS DISTINCT FROM (tstzrange($2, $3, '[)'), $4, $5, $6, $7, $8))`,
        [
          bookingId,
          values.period.start,
          values.period.end,
          values.title,
          values.notes,
          values.attendees,
          values.catering?.headcount ?? null,
          values.catering?.notes ?? null,
          values.force,
        ],
      );
      return bookingId;
    });
  }

  /**
   * Runs one write under a savepoint. If the exclusion constraint refuses it, the savepoint is
   * rolled back (the transaction stays usable) and the booking already holding the resource is
   * named in `conflicts`. The caller throws once every item was tried, so all conflicts are reported.
   */
  private async underSavepoint(
    manager: EntityManager,
    conflicts: FieldError[],
    field: string,
    resource: Pick<ResourceRow, 'id' | 'name'>,
    period: Period,
    write: () => Promise<string>,
  ): Promise<string | null> {
    await manager.query(`SAVEPOINT booking_write`);
    try {
      const id = await write();
      await manager.query(`RELEASE SAVEPOINT booking_write`);
      return id;
    } catch (error) {
      if (!(error instanceof QueryFailedError) || (error.driverError as { code?: string }).code !== EXCLUSION_VIOLATION) throw error;
      await manager.query(`ROLLBACK TO SAVEPOINT booking_write`);
      const [taken] = (await manager.query(
        `SELECT lower(period) AS starts_at, upper(period) AS ends_at FROM resource_bookings
          WHERE resource_id = $1 AND status = 'confirmed' AND period && tstzrange($2, $3, '[)') ORDER BY lower(period) LIMIT 1`,
        [resource.id, period.start, period.end],
      )) as { starts_at: Date; ends_at: Date }[];
      const when = taken ? ` from ${taken.starts_at.toISOString()} to ${taken.ends_at.toISOString()}` : '';
      conflicts.push({ field, message: `${resource.name} (${resource.id}) is already booked${when}` });
      return null;
    }
  }
}

function conflictError(conflicts: FieldError[]): BookingConflictError {
  const names = conflicts.map((c) => c.message).join('; ');
  return new BookingConflictError(`Already booked: ${names}`, conflicts);
}

function assertNotOver(period: Period): void {
  if (period.end.getTime() <= Date.now()) {
    throw new ResourceRuleError(ResourceErrorCode.PeriodOver, 'This period is already over', [{ field: 'endsAt', message: 'must be in the future' }]);
  }
}

function assertChangeable(row: BookingRow, op: string): void {
  if (row.status === 'cancelled') throw new ResourceRuleError(ResourceErrorCode.BookingCancelled, `Cannot ${op} this booking: it is already cancelled`);
  if (row.ends_at.getTime() <= Date.now()) throw new ResourceRuleError(ResourceErrorCode.PeriodOver, `Cannot ${op} this booking: it is over`);
}

function checkAttendees(resource: ResourceRow, attendees: number | null): void {
  if (attendees !== null && resource.capacity !== null && attendees > resource.capacity) {
    throw new ResourceRuleError(ResourceErrorCode.CapacityExceeded, `${resource.name} seats ${resource.capacity} people at most`, [
      { field: 'attendees', message: `must be at most ${resource.capacity}` },
    ]);
  }
}

function distinctIds(ids: string[], field: string): string[] {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) throw new ValidationError('The same item is listed twice', [{ field: `${field}[${index}]`, message: 'is listed twice' }]);
    seen.add(id);
  });
  return ids;
}
