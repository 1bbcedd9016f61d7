import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService, diffFields } from '../audit/audit.service';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { normalisePhone } from '../visitors/visitor-rules';
import { resolveOwner } from './owners';
import { ownerRooms } from './task-owner';
import { NotOpenError } from './tasks.errors';

export const CALLBACK_STATUSES = ['open', 'done', 'failed', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
/** What one call attempt gave: `reached` closes the callback as done, `wrong_number` as failed; the others keep it open. */
export const ATTEMPT_RESULTS = ['reached', 'no_answer', 'voicemail', 'busy', 'wrong_number'] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

export interface CallbackInput {
  siteId: string;
  contactName: string;
  phone: string;
  subject: string;
  callBefore?: string | null;
  visitorId?: string | null;
  requestId?: string | null;
  ownerUserId?: string | null;
  ownerServiceId?: string | null;
}

interface CallbackRow {
  id: string;
  site_id: string;
  visitor_id: string | null;
  request_id: string | null;
  contact_name: string;
  phone: string;
  subject: string;
  call_before: Date | null;
  owner_user_id: string | null;
  owner_service_id: string | null;
  status: CallbackStatus;
  outcome: string | null;
  attempt_count: number;
  created_by_user_id: string | null;
  created_at: Date;
  closed_at: Date | null;
  updated_at: Date;
  version: number;
}

export interface CallbackAttemptView {
  at: Date;
  userId: string | null;
  result: AttemptResult;
  notes: string | null;
}

export interface CallbackView {
  id: string;
  siteId: string;
  visitorId: string | null;
  requestId: string | null;
  contactName: string;
  phone: string;
  subject: string;
  callBefore: Date | null;
  ownerUserId: string | null;
  ownerServiceId: string | null;
  status: CallbackStatus;
  outcome: string | null;
  attemptCount: number;
  attempts: CallbackAttemptView[];
  createdByUserId: string | null;
  createdAt: Date;
  closedAt: Date | null;
  version: number;
}

export interface CallbackQuery {
  siteId?: string;
  /** `me`: mine and my service's. */
  ownerUserId?: string;
  ownerServiceId?: string;
  status?: CallbackStatus;
  page: number;
  limit: number;
}

const AUDITED: (keyof CallbackView)[] = ['contactName', 'phone', 'subject', 'callBefore', 'ownerUserId', 'ownerServiceId', 'status', 'outcome', 'attemptCount'];

/** Phone requests to call back (C1.1, phone channel): who, which number, about what, before when; each attempt is logged. */
@Injectable()
export class CallbacksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, input: CallbackInput): Promise<CallbackView> {
    assertSiteAccess(principal, input.siteId);
    const phone = normalisePhone(input.phone);
    if (!phone) throw new ValidationError('Invalid phone number', [{ field: 'phone', message: 'phone must be a valid phone number' }]);
    const callBefore = input.callBefore ? new Date(input.callBefore) : null;
    if (callBefore && callBefore.getTime() <= Date.now()) {
      throw new ValidationError('callBefore is past', [{ field: 'callBefore', message: 'callBefore must be in the future' }]);
    }
    return this.live.transaction(async (manager, emit) => {
      const owner = await resolveOwner(manager, principal, input.siteId, input);
      if (input.visitorId) {
        const found = (await manager.query(`SELECT 1 FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL`, [input.visitorId, input.siteId])) as unknown[];
        if (!found.length) throw new NotFoundError('Visitor', input.visitorId);
      }
      if (input.requestId) {
        const found = (await manager.query(`SELECT 1 FROM requests WHERE id = $1 AND site_id = $2`, [input.requestId, input.siteId])) as unknown[];
        if (!found.length) throw new NotFoundError('Request', input.requestId);
      }
      const [row] = (await manager.query(
        `INSERT INTO callbacks (site_id, visitor_id, request_id, contact_name, phone, subject, call_before, owner_user_id, owner_service_id, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          input.siteId,
          input.visitorId ?? null,
          input.requestId ?? null,
          input.contactName,
          phone,
          input.subject,
          callBefore,
          owner.ownerUserId,
          owner.ownerServiceId,
          principal.kind === 'user' ? principal.id : null,
        ],
      )) as CallbackRow[];
      await this.recordChange(manager, emit, 'created', null, row);
      return toView(row, []);
    });
  }

  async list(principal: Principal, query: CallbackQuery): Promise<{ items: CallbackView[]; total: number }> {
    const sites = query.siteId ? principal.siteIds.filter((s) => s === query.siteId) : principal.siteIds;
    const params: unknown[] = [sites];
    const where = ['c.site_id = ANY($1::uuid[])'];
    if (query.ownerUserId === 'me') {
      if (principal.kind !== 'user') throw new ValidationError('ownerUserId=me needs a user', [{ field: 'ownerUserId', message: 'me is for users' }]);
      params.push(principal.id, principal.serviceId);
      where.push(`(c.owner_user_id = $${params.length - 1} OR ($${params.length}::uuid IS NOT NULL AND c.owner_service_id = $${params.length}::uuid))`);
    } else if (query.ownerUserId) {
      params.push(query.ownerUserId);
      where.push(`c.owner_user_id = $${params.length}::uuid`);
    }
    if (query.ownerServiceId) {
      params.push(query.ownerServiceId);
      where.push(`c.owner_service_id = $${params.length}::uuid`);
    }
    if (query.status) {
      params.push(query.status);
      where.push(`c.status = $${params.length}`);
    }
    const clause = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM callbacks c WHERE ${clause}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT c.* FROM callbacks c WHERE ${clause}
        ORDER BY (c.status = 'open') DESC, c.call_before ASC NULLS LAST, c.created_at, c.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as CallbackRow[];
    const attempts = await this.attemptsOf(this.dataSource.manager, rows.map((r) => r.id));
    return { items: rows.map((r) => toView(r, attempts.get(r.id) ?? [])), total };
  }

  async get(principal: Principal, id: string): Promise<CallbackView> {
    const [row] = (await this.dataSource.query(`SELECT * FROM callbacks WHERE id = $1`, [id])) as CallbackRow[];
    if (!row) throw new NotFoundError('Callback', id);
    assertSiteAccess(principal, row.site_id, 'Callback', id);
    return toView(row, (await this.attemptsOf(this.dataSource.manager, [id])).get(id) ?? []);
  }

  /** Logs one call; `reached` and `wrong_number` close the callback. */
  async attempt(principal: Principal, id: string, input: { result: AttemptResult; notes?: string | null }): Promise<CallbackView> {
    return this.live.transaction(async (manager, emit) => {
      const row = await this.lockOpen(manager, principal, id);
      await manager.query(`INSERT INTO callback_attempts (callback_id, user_id, result, notes) VALUES ($1, $2, $3, $4)`, [
        id,
        principal.kind === 'user' ? principal.id : null,
        input.result,
        input.notes ?? null,
      ]);
      const close = input.result === 'reached' ? { status: 'done', outcome: 'reached' } : input.result === 'wrong_number' ? { status: 'failed', outcome: 'wrong_number' } : null;
      const [updated] = await rowsOf<CallbackRow>(
        manager,
        `UPDATE callbacks SET attempt_count = attempt_count + 1, status = coalesce($2, status), outcome = $3,
                closed_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, close?.status ?? null, close?.outcome ?? null],
      );
      await this.recordChange(manager, emit, close ? 'closed' : 'attempted', row, updated);
      return toView(updated, (await this.attemptsOf(manager, [id])).get(id) ?? []);
    });
  }

  /** Closes without calling: `cancelled` (no longer needed) or `gave_up` (after unanswered attempts). */
  async close(principal: Principal, id: string, outcome: 'cancelled' | 'gave_up'): Promise<CallbackView> {
    return this.live.transaction(async (manager, emit) => {
      const row = await this.lockOpen(manager, principal, id);
      const [updated] = await rowsOf<CallbackRow>(
        manager,
        `UPDATE callbacks SET status = $2, outcome = $3, closed_at = now(), updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *`,
        [id, outcome === 'cancelled' ? 'cancelled' : 'failed', outcome],
      );
      await this.recordChange(manager, emit, 'closed', row, updated);
      return toView(updated, (await this.attemptsOf(manager, [id])).get(id) ?? []);
    });
  }

  private async lockOpen(manager: EntityManager, principal: Principal, id: string): Promise<CallbackRow> {
    const [row] = (await manager.query(`SELECT * FROM callbacks WHERE id = $1 FOR UPDATE`, [id])) as CallbackRow[];
    if (!row) throw new NotFoundError('Callback', id);
    assertSiteAccess(principal, row.site_id, 'Callback', id);
    if (row.status !== 'open') throw new NotOpenError('Callback', id, row.status);
    return row;
  }

  private async attemptsOf(manager: EntityManager, ids: string[]): Promise<Map<string, CallbackAttemptView[]>> {
    const map = new Map<string, CallbackAttemptView[]>();
    if (!ids.length) return map;
    const rows = (await manager.query(`SELECT callback_id, at, user_id, result, notes FROM callback_attempts WHERE callback_id = ANY($1::uuid[]) ORDER BY id`, [
      ids,
    ])) as { callback_id: string; at: Date; user_id: string | null; result: AttemptResult; notes: string | null }[];
    for (const r of rows) map.set(r.callback_id, [...(map.get(r.callback_id) ?? []), { at: r.at, userId: r.user_id, result: r.result, notes: r.notes }]);
    return map;
  }

  private async recordChange(
    manager: EntityManager,
    emit: Emit,
    action: 'created' | 'attempted' | 'closed',
    before: CallbackRow | null,
    after: CallbackRow,
  ): Promise<void> {
    await this.audit.record(manager, {
      action: before ? 'update' : 'create',
      entity: 'callback',
      entityId: after.id,
      siteId: after.site_id,
      changes: diffFields(before ? toView(before, []) : null, toView(after, []), AUDITED),
    });
    emit(after.site_id, 'callback.changed', { callbackId: after.id, status: after.status, action }, ownerRooms(after), { private: true });
  }
}

function toView(r: CallbackRow, attempts: CallbackAttemptView[]): CallbackView {
  return {
    id: r.id,
    siteId: r.site_id,
    visitorId: r.visitor_id,
    requestId: r.request_id,
    contactName: r.contact_name,
    phone: r.phone,
    subject: r.subject,
    callBefore: r.call_before,
    ownerUserId: r.owner_user_id,
    ownerServiceId: r.owner_service_id,
    status: r.status,
    outcome: r.outcome,
    attemptCount: r.attempt_count,
    attempts,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    version: r.version,
  };
}
