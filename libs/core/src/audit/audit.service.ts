import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ValidationError } from '../errors/domain-error';
import { RequestContext } from '../context/request-context';
import type { Principal } from '../identity/principal';
import { AuditAction, AuditChanges, AuditEntry } from './audit-entry.entity';

export interface AuditRecord {
  action: AuditAction;
  entity: string;
  entityId: string;
  siteId?: string | null;
  changes?: AuditChanges;
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actorId?: string;
  siteId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

const REDACTED = '[redacted]';
const SECRET_FIELDS = new Set(['password', 'passwordHash', 'secretHash', 'tokenHash', 'secret']);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Changed fields between two versions of a record, `{field: {from, to}}`. Secrets are marked as
 * changed without their values. Dates compare by instant.
 */
export function diffFields<T extends object>(before: Partial<T> | null, after: Partial<T> | null, fields: (keyof T)[]): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of fields) {
    const from = before ? normalise(before[field]) : undefined;
    const to = after ? normalise(after[field]) : undefined;
    if (before && after && same(from, to)) continue;
    if (!before && (to === undefined || to === null)) continue;
    if (!after && (from === undefined || from === null)) continue;
    const key = String(field);
    changes[key] = SECRET_FIELDS.has(key)
      ? { ...(before ? { from: REDACTED } : {}), ...(after ? { to: REDACTED } : {}) }
      : { ...(before ? { from } : {}), ...(after ? { to } : {}) };
  }
  return changes;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value].sort();
  return value;
}

/** Writes the audit trail inside the caller's transaction, so a change and its entry commit together. */
@Injectable()
export class AuditService {
  constructor(
    private readonly context: RequestContext,
    private readonly dataSource: DataSource,
  ) {}

  async record(manager: EntityManager, entry: AuditRecord): Promise<void> {
    const actor = this.actor(this.context.principal);
    await manager.query(
      `INSERT INTO audit_entries (at, actor_type, actor_id, actor_label, site_id, action, entity, entity_id, changes, request_id)
       VALUES (date_trunc('milliseconds', clock_timestamp()), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        actor.actorType,
        actor.actorId,
        actor.actorLabel,
        entry.siteId ?? null,
        entry.action,
        entry.entity,
        entry.entityId,
        JSON.stringify(entry.changes ?? {}),
        this.context.requestId ?? null,
      ],
    );
  }

  /** Entries of the caller's sites and organisation-wide entries (users, keys), newest first. */
  async list(principal: Principal, query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const qb = this.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .where('(a.site_id IS NULL OR a.site_id = ANY(:siteIds))', { siteIds: principal.siteIds })
      .orderBy('a.at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    if (query.entity) qb.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.siteId) qb.andWhere('a.site_id = :siteId', { siteId: query.siteId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.from) qb.andWhere('a.at >= :from', { from: query.from });
    if (query.to) qb.andWhere('a.at < :to', { to: query.to });
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      qb.andWhere('(a.at, a.id) < (:cAt, :cId)', { cAt: cursor.at, cId: cursor.id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last.id) : null };
  }

  private actor(principal: Principal | undefined): Pick<AuditEntry, 'actorType' | 'actorId' | 'actorLabel'> {
    if (!principal) return { actorType: 'system', actorId: null, actorLabel: 'system' };
    return { actorType: principal.kind, actorId: principal.id, actorLabel: principal.label };
  }
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new ValidationError('Invalid cursor', [{ field: 'cursor', message: 'cursor is not one this API returned' }]);
  }
}
