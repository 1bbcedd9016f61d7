import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { rowsOf } from '@guichet/database/sql';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { randomSecret, sha256 } from '../identity/tokens';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { BusyInterval, isFree, MAX_RANGE_DAYS, parsePeriod } from './periods';
import { lockResource, RESOURCE_AUDIT_FIELDS, ResourceKind, ResourceRow, ResourceView, toResourceView } from './resource-view';

export interface ResourceInput {
  siteId: string;
  kind: ResourceKind;
  name: string;
  capacity?: number | null;
  equipment?: string[];
  location?: string | null;
  active?: boolean;
}

/** A resource stays on its site and keeps its kind: its bookings were made for what it is. */
export type ResourcePatch = Partial<Omit<ResourceInput, 'siteId' | 'kind'>>;

export interface ResourceQuery {
  siteId?: string;
  kind?: ResourceKind;
  active?: boolean;
  q?: string;
  page: number;
  limit: number;
}

export interface AvailabilityQuery {
  siteId?: string;
  resourceId?: string;
  kind?: ResourceKind;
  /** Rooms seating at least this many people (equipment has no capacity and is left out). */
  minCapacity?: number;
  /** Rooms that have every one of these features. */
  features?: string[];
  from: string;
  to: string;
  /** Only resources free over the whole range ("a free room for N people between X and Y"). */
  freeOnly?: boolean;
}

export interface BusySlot extends BusyInterval {
  bookingId: string;
}

export interface ResourceAvailability {
  resource: ResourceView;
  /** Free over the whole range. */
  free: boolean;
  busy: BusySlot[];
}

export interface CalendarToken {
  token: string;
  /** Subscribe a calendar app to this address; it works without signing in, until the next rotation. */
  url: string;
}

/**
 * Rooms and equipment of a site: CRUD for supervisors, availability for everybody, and the secret
 * of each resource's iCalendar feed (kept as a SHA-256 only; shown once, when rotated).
 */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, query: ResourceQuery): Promise<{ items: ResourceView[]; total: number }> {
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId ? [query.siteId] : principal.siteIds];
    const where = ['site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (query.kind) add('kind = ?', query.kind);
    if (query.active !== undefined) add('active = ?', query.active);
    if (query.q) add(`(name ILIKE ? OR location ILIKE ?)`, `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const from = `FROM resources WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT * ${from} ORDER BY kind DESC, lower(name), id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as ResourceRow[];
    return { items: rows.map(toResourceView), total };
  }

  async get(principal: Principal, id: string): Promise<ResourceView> {
    const [row] = (await this.dataSource.query(`SELECT * FROM resources WHERE id = $1`, [id])) as ResourceRow[];
    if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Resource', id);
    return toResourceView(row);
  }

  async create(principal: Principal, input: ResourceInput): Promise<ResourceView> {
    assertSiteAccess(principal, input.siteId);
    checkCapacity(input.kind, input.capacity ?? null);
    return this.live.transaction(async (manager, emit) => {
      await this.assertNameFree(manager, input.siteId, input.name, null);
      const [row] = (await manager.query(
        `INSERT INTO resources (site_id, kind, name, capacity, equipment, location, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [input.siteId, input.kind, input.name, input.capacity ?? null, uniqueFeatures(input.equipment), input.location ?? null, input.active ?? true],
      )) as ResourceRow[];
      await this.recordChange(manager, emit, null, row, 'create');
      return toResourceView(row);
    });
  }

  async update(principal: Principal, id: string, patch: ResourcePatch, version?: number): Promise<ResourceView> {
    return this.live.transaction(async (manager, emit) => {
      const before = await lockResource(manager, principal, id, version);
      const capacity = patch.capacity === undefined ? before.capacity : patch.capacity;
      checkCapacity(before.kind, capacity);
      if (patch.name !== undefined) await this.assertNameFree(manager, before.site_id, patch.name, id);
      const [row] = await rowsOf<ResourceRow>(
        manager,
        `UPDATE resources SET name = $2, capacity = $3, equipment = $4, location = $5, active = $6, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [
          id,
          patch.name ?? before.name,
          capacity,
          patch.equipment === undefined ? before.equipment : uniqueFeatures(patch.equipment),
          patch.location === undefined ? before.location : patch.location,
          patch.active ?? before.active,
        ],
      );
      await this.recordChange(manager, emit, before, row, 'update');
      return toResourceView(row);
    });
  }

  /** Only a resource never booked can be deleted; one with a history is deactivated instead. */
  async remove(principal: Principal, id: string, version?: number): Promise<void> {
    await this.live.transaction(async (manager, emit) => {
      const before = await lockResource(manager, principal, id, version);
      const [used] = (await manager.query(`SELECT 1 FROM resource_bookings WHERE resource_id = $1 LIMIT 1`, [id])) as unknown[];
      if (used) throw new ConflictError('This resource has bookings: deactivate it instead (active: false)', 'resource_in_use');
      await manager.query(`DELETE FROM resources WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'resource',
        entityId: id,
        siteId: before.site_id,
        changes: diffFields(toResourceView(before), null, RESOURCE_AUDIT_FIELDS),
      });
      emit(before.site_id, 'resource.changed', { resourceId: id, action: 'delete' });
    });
  }

  /**
   * Free/busy of the matching resources over [from, to). With `freeOnly`, only those free over the
   * whole range, smallest suitable room first.
   */
  async availability(principal: Principal, query: AvailabilityQuery): Promise<{ from: Date; to: Date; items: ResourceAvailability[] }> {
    const range = parsePeriod(query.from, query.to, MAX_RANGE_DAYS, { start: 'from', end: 'to' });
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId ? [query.siteId] : principal.siteIds];
    const where = ['r.site_id = ANY($1::uuid[])', 'r.active'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.resourceId) add('r.id = ?', query.resourceId);
    if (query.kind) add('r.kind = ?', query.kind);
    if (query.minCapacity !== undefined) add('r.capacity >= ?', query.minCapacity);
    if (query.features?.length) add('r.equipment @> ?::text[]', query.features);
    const resources = (await this.dataSource.query(
      `SELECT r.* FROM resources r WHERE ${where.join(' AND ')} ORDER BY r.kind DESC, r.capacity NULLS LAST, lower(r.name), r.id`,
      params,
    )) as ResourceRow[];
    if (query.resourceId && resources.length === 0) {
      // The resource may exist but be inactive: still answer 404 only when the caller cannot see it.
      await this.get(principal, query.resourceId);
    }
    const busy = resources.length
      ? ((await this.dataSource.query(
          `SELECT id, resource_id, lower(period) AS starts_at, upper(period) AS ends_at FROM resource_bookings
            WHERE resource_id = ANY($1::uuid[]) AND status = 'confirmed' AND period && tstzrange($2, $3, '[)')
            ORDER BY lower(period)`,
          [resources.map((r) => r.id), range.start, range.end],
        )) as { id: string; resource_id: string; starts_at: Date; ends_at: Date }[])
      : [];
    const items = resources.map((resource) => {
      const slots = busy.filter((b) => b.resource_id === resource.id).map((b) => ({ bookingId: b.id, startsAt: b.starts_at, endsAt: b.ends_at }));
      return { resource: toResourceView(resource), free: isFree(range, slots), busy: slots };
    });
    return { from: range.start, to: range.end, items: query.freeOnly ? items.filter((i) => i.free) : items };
  }

  /** A new feed secret; the previous one stops working at once. */
  async rotateCalendarToken(principal: Principal, id: string): Promise<CalendarToken> {
    const token = randomSecret(32);
    await this.live.transaction(async (manager, emit) => {
      const before = await lockResource(manager, principal, id);
      const [row] = await rowsOf<ResourceRow>(
        manager,
        `UPDATE resources SET feed_token_hash = $2, feed_token_rotated_at = now(), updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *`,
        [id, sha256(token)],
      );
      await this.audit.record(manager, {
        action: 'update',
        entity: 'resource',
        entityId: id,
        siteId: row.site_id,
        changes: diffFields({ tokenHash: before.feed_token_hash }, { tokenHash: row.feed_token_hash }, ['tokenHash']),
      });
      emit(row.site_id, 'resource.changed', { resourceId: id, action: 'update' });
    });
    return { token, url: `${this.config.publicUrl.replace(/\/$/, '')}/api/v1/calendars/resources/${id}.ics?token=${token}` };
  }

  /** The resource whose feed secret this is; anything else (unknown, wrong, rotated) is "not found". */
  async resourceForFeed(id: string, token: string): Promise<ResourceRow> {
    const [row] = (await this.dataSource.query(`SELECT * FROM resources WHERE id = $1 AND feed_token_hash = $2`, [id, sha256(token)])) as ResourceRow[];
    if (!row) throw new NotFoundError('Calendar');
    return row;
  }

  private async assertNameFree(manager: EntityManager, siteId: string, name: string, exceptId: string | null): Promise<void> {
    const [clash] = (await manager.query(`SELECT 1 FROM resources WHERE site_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3`, [
      siteId,
      name,
      exceptId,
    ])) as unknown[];
    if (clash) throw new ConflictError(`A room or equipment named "${name}" already exists on this site`, 'already_exists');
  }

  private async recordChange(
    manager: EntityManager,
    emit: Emit,
    before: ResourceRow | null,
    after: ResourceRow,
    action: 'create' | 'update',
  ): Promise<void> {
    await this.audit.record(manager, {
      action,
      entity: 'resource',
      entityId: after.id,
      siteId: after.site_id,
      changes: diffFields(before ? toResourceView(before) : null, toResourceView(after), RESOURCE_AUDIT_FIELDS),
    });
    emit(after.site_id, 'resource.changed', { resourceId: after.id, action });
  }
}

/** A room needs a capacity (to find a room for N people); equipment has none. */
function checkCapacity(kind: ResourceKind, capacity: number | null): void {
  if (kind === 'room' && capacity === null) {
    throw new ValidationError('A room needs a capacity', [{ field: 'capacity', message: 'capacity is required for a room' }]);
  }
  if (kind === 'equipment' && capacity !== null) {
    throw new ValidationError('Equipment has no capacity', [{ field: 'capacity', message: 'capacity applies to rooms only' }]);
  }
}

function uniqueFeatures(features: string[] | undefined): string[] {
  return [...new Set(features ?? [])];
}
