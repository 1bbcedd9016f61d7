import { DataSource, EntityManager, EntityTarget, FindOptionsWhere, In, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService, diffFields } from '../audit/audit.service';
import type { Emit } from '../live/live-events.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { StaleVersionError } from './organisation.errors';
import { Site } from './site.entity';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_SEARCH_WORDS = 8;

export interface PageQuery {
  page?: number;
  limit?: number;
  /** Free text; every word must match, accents and case ignored. */
  q?: string;
}

export interface SiteScopedQuery extends PageQuery {
  siteId?: string;
}

export interface ListResult<T> {
  items: T[];
  total: number;
}

/** Every directory row: a uuid key and a version bumped on each update. */
export interface Versioned {
  id: string;
  version: number;
}

/** What the shared write helpers need to know about a directory table. */
export interface RecordSpec<T extends Versioned> {
  target: EntityTarget<T>;
  /** Entity name in the audit trail. */
  entity: 'site' | 'service' | 'staff' | 'partner';
  /** Name in error messages. */
  label: string;
  /** Fields written to the audit trail. */
  fields: (keyof T)[];
  siteOf(row: T): string;
}

/** What the opening status of a site's services and partners depends on. */
export type SiteCalendar = Pick<Site, 'id' | 'timeZone' | 'openingHours' | 'closures'>;

export async function siteCalendars(dataSource: DataSource, siteIds: string[]): Promise<Map<string, SiteCalendar>> {
  if (siteIds.length === 0) return new Map();
  const sites = await dataSource.getRepository(Site).find({
    select: { id: true, timeZone: true, openingHours: true, closures: true },
    where: { id: In([...new Set(siteIds)]) },
  });
  return new Map(sites.map((site) => [site.id, site]));
}

/** Sites a list covers: all the caller's, or the one asked for (404 when the caller cannot see it). */
export function listedSiteIds(principal: Principal, siteId?: string): string[] {
  if (siteId === undefined) return principal.siteIds;
  assertSiteAccess(principal, siteId);
  return [siteId];
}

/**
 * Keeps rows whose normalised text (`expression`, also the expression of a trigram index)
 * contains every word of `q`, best matches first.
 */
export function applySearch<T extends object>(qb: SelectQueryBuilder<T>, expression: string, q?: string): void {
  const words = (q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  if (words.length === 0) return;
  words.forEach((word, index) => {
    qb.andWhere(`${expression} ILIKE '%' || search_norm(:word${index}) || '%'`, { [`word${index}`]: escapeLike(word) });
  });
  qb.addSelect(`word_similarity(search_norm(:query), ${expression})`, 'rank')
    .setParameter('query', words.join(' '))
    .orderBy('rank', 'DESC');
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export async function findPage<T extends object>(qb: SelectQueryBuilder<T>, query: PageQuery): Promise<[T[], number]> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const offset = ((query.page ?? 1) - 1) * limit;
  // A page like 1e300 passes IsInt but would reach SQL as "OFFSET 5e+301".
  if (!Number.isSafeInteger(offset)) throw new ValidationError('page is too large', [{ field: 'page', message: 'page is too large' }]);
  return qb.offset(offset).limit(limit).getManyAndCount();
}

/** The version the caller edited, from `If-Match` or the body; both may be sent if they agree. */
export function expectedVersion(ifMatch: number | undefined, bodyVersion: number | undefined): number | undefined {
  if (ifMatch !== undefined && bodyVersion !== undefined && ifMatch !== bodyVersion) {
    throw new ValidationError('If-Match and version disagree', [
      { field: 'version', message: 'version must equal the If-Match header when both are sent' },
    ]);
  }
  return ifMatch ?? bodyVersion;
}

/**
 * Loads a site the caller may see and holds a key-share lock on it until commit: a concurrent
 * deletion of the site then waits, and finds the new child row instead of failing on the foreign key.
 */
export async function lockSite(manager: EntityManager, principal: Principal, siteId: string): Promise<Site> {
  assertSiteAccess(principal, siteId);
  const site = await manager.findOne(Site, { where: { id: siteId }, lock: { mode: 'for_key_share' } });
  if (!site) throw new NotFoundError('Site', siteId);
  return site;
}

/**
 * Loads and locks a record before changing it: 404 if missing or in a site the caller cannot see,
 * 409 if stale. An update takes the weaker lock so that rows being added under it are not held up.
 */
export async function lockRecord<T extends Versioned>(
  manager: EntityManager,
  spec: RecordSpec<T>,
  principal: Principal,
  id: string,
  expected: number | undefined,
  purpose: 'update' | 'delete',
): Promise<T> {
  const row = await manager.findOne(spec.target, {
    where: { id } as FindOptionsWhere<T>,
    lock: { mode: purpose === 'delete' ? 'pessimistic_write' : 'for_no_key_update' },
  });
  if (!row) throw new NotFoundError(spec.label, id);
  assertSiteAccess(principal, spec.siteOf(row), spec.label, id);
  if (expected !== undefined && expected !== row.version) throw new StaleVersionError(spec.label, id, row.version);
  return row;
}

/** Reads a record without locking it: 404 if missing or in a site the caller cannot see. */
export async function findVisible<T extends Versioned>(
  dataSource: DataSource,
  spec: RecordSpec<T>,
  principal: Principal,
  id: string,
): Promise<T> {
  const row = await dataSource.manager.findOneBy(spec.target, { id } as FindOptionsWhere<T>);
  if (!row) throw new NotFoundError(spec.label, id);
  assertSiteAccess(principal, spec.siteOf(row), spec.label, id);
  return row;
}

export async function insertRecord<T extends Versioned>(
  manager: EntityManager,
  audit: AuditService,
  spec: RecordSpec<T>,
  values: Omit<T, 'id' | 'version' | 'createdAt' | 'updatedAt'>,
  emit: Emit,
): Promise<T> {
  const row = await manager.save(manager.create(spec.target, values as unknown as T));
  emit(spec.siteOf(row), 'directory.changed', { entity: spec.entity, id: row.id, action: 'create' });
  await audit.record(manager, {
    action: 'create',
    entity: spec.entity,
    entityId: row.id,
    siteId: spec.siteOf(row),
    changes: diffFields(null, row, spec.fields),
  });
  return row;
}

/**
 * Writes the fields of `patch` that differ from `before` (the version goes up by one) and audits
 * them. A patch that changes nothing writes nothing and keeps the version.
 */
export async function applyUpdate<T extends Versioned>(
  manager: EntityManager,
  audit: AuditService,
  spec: RecordSpec<T>,
  before: T,
  patch: Partial<T>,
  emit: Emit,
): Promise<T> {
  const fields = (Object.keys(patch) as (keyof T)[]).filter(
    (field) => patch[field] !== undefined && canonical(patch[field]) !== canonical(before[field]),
  );
  if (fields.length === 0) return before;
  const values = Object.fromEntries(fields.map((field) => [field, patch[field]]));
  await manager.update(spec.target, { id: before.id } as FindOptionsWhere<T>, values as QueryDeepPartialEntity<T>);
  // Read back so the audit compares stored JSON with stored JSON, whatever the key order sent.
  const after = await manager.findOneByOrFail(spec.target, { id: before.id } as FindOptionsWhere<T>);
  emit(spec.siteOf(before), 'directory.changed', { entity: spec.entity, id: before.id, action: 'update' });
  await audit.record(manager, {
    action: 'update',
    entity: spec.entity,
    entityId: before.id,
    siteId: spec.siteOf(before),
    changes: diffFields(before, after, fields),
  });
  return after;
}

/** Deletes and audits; a row other tables still point to is a 409 with `inUseCode`, not a 500. */
export async function deleteRecord<T extends Versioned>(
  manager: EntityManager,
  audit: AuditService,
  spec: RecordSpec<T>,
  row: T,
  inUseCode: string,
  emit: Emit,
): Promise<void> {
  try {
    await manager.delete(spec.target, { id: row.id } as FindOptionsWhere<T>);
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') {
      throw new ConflictError(`${spec.label} ${row.id} is still referenced by other records`, inUseCode);
    }
    throw error;
  }
  // A deleted site has no event log left to write to; its users see it gone on their next read.
  if (spec.entity !== 'site') emit(spec.siteOf(row), 'directory.changed', { entity: spec.entity, id: row.id, action: 'delete' });
  await audit.record(manager, {
    action: 'delete',
    entity: spec.entity,
    entityId: row.id,
    siteId: spec.siteOf(row),
    changes: diffFields(row, null, spec.fields),
  });
}

/** JSON with sorted keys and sorted string lists (keyword order carries no meaning), for equality. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (Array.isArray(v)) return v.every((item) => typeof item === 'string') ? [...(v as string[])].sort() : v;
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}
