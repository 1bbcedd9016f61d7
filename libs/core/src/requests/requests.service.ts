import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditChanges } from '../audit/audit-entry.entity';
import { AuditService, diffFields } from '../audit/audit.service';
import { FieldError, NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { escapeLike, expectedVersion, listedSiteIds, MAX_SEARCH_WORDS } from '../organisation/directory';
import { SurveyTriggersService } from '../surveys/survey-triggers.service';
import { canReadConfidential, CONFIDENTIAL_FIELDS, ConfidentialField, redactEventData, redactRequest } from './confidentiality';
import { Complexity, Confidentiality, planStatusStep, RequestChannel, RequestOutcome, RequestStatus } from './request-lifecycle';
import { ConfidentialFieldsError, InvalidReferenceError, RequestErrorCode, StaleRequestError } from './requests.errors';

export interface RequestRecord {
  id: string;
  siteId: string;
  visitorId: string | null;
  channel: RequestChannel;
  subject: string;
  categoryId: string | null;
  notes: string | null;
  reformulation: string | null;
  reformulationConfirmed: boolean;
  complexity: Complexity;
  confidentiality: Confidentiality;
  status: RequestStatus;
  outcome: RequestOutcome | null;
  authorServiceId: string | null;
  createdByUserId: string | null;
  handledByUserId: string | null;
  arrivedAt: Date;
  inProgressAt: Date | null;
  answeredAt: Date | null;
  orientedAt: Date | null;
  transferredAt: Date | null;
  closedAt: Date | null;
  reopenedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** A request as a caller receives it: notes and reformulation are absent when the caller may not read them. */
export type RequestView = Omit<RequestRecord, ConfidentialField> & Partial<Pick<RequestRecord, ConfidentialField>>;

export interface CreateRequestInput {
  siteId: string;
  channel: RequestChannel;
  subject: string;
  visitorId?: string | null;
  categoryId?: string | null;
  notes?: string | null;
  reformulation?: string | null;
  reformulationConfirmed?: boolean;
  complexity?: Complexity;
  confidentiality?: Confidentiality;
  /** When the person got in touch, if before now (an e-mail's Date, the start of a call); never in the future. */
  arrivedAt?: Date;
}

export interface UpdateRequestInput {
  subject?: string;
  visitorId?: string | null;
  categoryId?: string | null;
  notes?: string | null;
  reformulation?: string | null;
  reformulationConfirmed?: boolean;
  complexity?: Complexity;
  confidentiality?: Confidentiality;
  /** Reassigns the request to another user of its site. */
  handledByUserId?: string | null;
  version?: number;
}

export interface StatusChangeInput {
  status: RequestStatus;
  outcome?: RequestOutcome;
  version?: number;
}

export interface RequestQuery {
  siteId?: string;
  status?: RequestStatus;
  channel?: RequestChannel;
  visitorId?: string;
  /** A user id, or `me`. */
  handledBy?: string;
  /** This category and its subcategories. */
  categoryId?: string;
  /** Arrived at or after. */
  from?: Date;
  /** Arrived before. */
  to?: Date;
  /** Words of the subject (all must match, accents and case ignored). */
  q?: string;
  page: number;
  limit: number;
}

export interface TimelineEntry {
  id: string;
  at: Date;
  type: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; label: string };
  data: Record<string, unknown>;
}

/** A write in progress: the caller's transaction and its live events (from `LiveEvents.transaction`). */
export interface RequestTx {
  manager: EntityManager;
  emit: Emit;
}

const EDITABLE = [
  'subject',
  'visitorId',
  'categoryId',
  'notes',
  'reformulation',
  'reformulationConfirmed',
  'complexity',
  'confidentiality',
  'handledByUserId',
] as const satisfies readonly (keyof RequestRecord)[];
type EditableField = (typeof EDITABLE)[number];

const COLUMNS: Record<EditableField, string> = {
  subject: 'subject',
  visitorId: 'visitor_id',
  categoryId: 'category_id',
  notes: 'notes',
  reformulation: 'reformulation',
  reformulationConfirmed: 'reformulation_confirmed',
  complexity: 'complexity',
  confidentiality: 'confidentiality',
  handledByUserId: 'handled_by_user_id',
};

const AUDITED: (keyof RequestRecord)[] = ['siteId', 'channel', 'arrivedAt', ...EDITABLE, 'status', 'outcome'];

/** Clock skew tolerated on a given arrival time before it counts as "in the future". */
const ARRIVAL_SKEW_MS = 5 * 60_000;

const SELECT_REQUEST = `
  SELECT r.id, r.site_id AS "siteId", r.visitor_id AS "visitorId", r.channel, r.subject, r.category_id AS "categoryId",
         r.notes, r.reformulation, r.reformulation_confirmed AS "reformulationConfirmed", r.complexity, r.confidentiality,
         r.status, r.outcome, r.author_service_id AS "authorServiceId", r.created_by_user_id AS "createdByUserId",
         r.handled_by_user_id AS "handledByUserId", r.arrived_at AS "arrivedAt", r.in_progress_at AS "inProgressAt",
         r.answered_at AS "answeredAt", r.oriented_at AS "orientedAt", r.transferred_at AS "transferredAt",
         r.closed_at AS "closedAt", r.reopened_at AS "reopenedAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
         r.version
    FROM requests r`;

/**
 * Requests (demandes) on every channel, their status lifecycle and their timeline. Every write
 * runs in a `LiveEvents` transaction: the row, its timeline event, its audit entry and its live
 * event commit together. The `...Within` methods and `appendEvent` join a transaction the caller
 * already holds, so other channels (e-mail, phone) and domains (knowledge links, transfers) can
 * combine their own rows with a request change atomically.
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly surveys: SurveyTriggersService,
  ) {}

  /**
   * Creates a request. With an Idempotency-Key, a retry gets the first response (as stored JSON)
   * and the same key with another body is refused.
   */
  async create(principal: Principal, input: CreateRequestInput, idempotencyKey?: string): Promise<RequestView> {
    const result = await this.idempotency.run(principal, idempotencyKey, 'requests.create', input, async (manager, emit) => {
      const created = await this.createWithin({ manager, emit }, principal, input);
      return { status: 201, body: redactRequest(principal, created) };
    });
    return result.body;
  }

  /** Creates a request inside the caller's transaction; returns the full record (redact before showing it). */
  async createWithin(tx: RequestTx, principal: Principal, input: CreateRequestInput): Promise<RequestRecord> {
    assertSiteAccess(principal, input.siteId);
    if (input.arrivedAt && input.arrivedAt.getTime() > Date.now() + ARRIVAL_SKEW_MS) {
      throw new ValidationError('The arrival time is in the future', [{ field: 'arrivedAt', message: 'arrivedAt must not be in the future' }]);
    }
    await this.assertReferences(tx.manager, input.siteId, { visitorId: input.visitorId, categoryId: input.categoryId });
    const [{ id }] = (await tx.manager.query(
      `INSERT INTO requests (site_id, visitor_id, channel, subject, category_id, notes, reformulation, reformulation_confirmed,
                             complexity, confidentiality, author_service_id, created_by_user_id, arrived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, now()))
       RETURNING id`,
      [
        input.siteId,
        input.visitorId ?? null,
        input.channel,
        input.subject,
        input.categoryId ?? null,
        input.notes ?? null,
        input.reformulation ?? null,
        input.reformulationConfirmed ?? false,
        input.complexity ?? 'simple',
        input.confidentiality ?? 'normal',
        principal.kind === 'user' ? principal.serviceId : null,
        principal.kind === 'user' ? principal.id : null,
        input.arrivedAt ?? null,
      ],
    )) as { id: string }[];
    const created = await this.findRecord(tx.manager, id);
    const snapshot = diffFields(null, created, AUDITED);
    await this.recordEvent(tx.manager, principal, id, 'created', flatten(snapshot));
    await this.audit.record(tx.manager, {
      action: 'create',
      entity: 'request',
      entityId: id,
      siteId: created.siteId,
      changes: auditable(snapshot, created.confidentiality),
    });
    tx.emit(created.siteId, 'request.created', {
      requestId: id,
      channel: created.channel,
      status: created.status,
      visitorId: created.visitorId,
      handledByUserId: created.handledByUserId,
    });
    return created;
  }

  async get(principal: Principal, id: string): Promise<RequestView> {
    return redactRequest(principal, await this.getRecord(principal, id));
  }

  /** The full record of a request the caller may see (404 otherwise); redact before showing it. */
  async getRecord(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<RequestRecord> {
    const [row] = (await manager.query(`${SELECT_REQUEST} WHERE r.id = $1`, [id])) as RequestRecord[];
    if (!row) throw new NotFoundError('Request', id);
    assertSiteAccess(principal, row.siteId, 'Request', id);
    return row;
  }

  async list(principal: Principal, query: RequestQuery): Promise<{ items: RequestView[]; total: number }> {
    const params: unknown[] = [listedSiteIds(principal, query.siteId)];
    const where = ['r.site_id = ANY($1)'];
    const add = (condition: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.status) add((p) => `r.status = ${p}`, query.status);
    if (query.channel) add((p) => `r.channel = ${p}`, query.channel);
    if (query.visitorId) add((p) => `r.visitor_id = ${p}`, query.visitorId);
    if (query.handledBy) add((p) => `r.handled_by_user_id = ${p}`, this.handlerId(principal, query.handledBy));
    if (query.categoryId) {
      add(
        (p) => `r.category_id IN (
          WITH RECURSIVE tree AS (
            SELECT id FROM request_categories WHERE id = ${p}
            UNION ALL SELECT c.id FROM request_categories c JOIN tree ON c.parent_id = tree.id
          ) SELECT id FROM tree)`,
        query.categoryId,
      );
    }
    if (query.from) add((p) => `r.arrived_at >= ${p}`, query.from);
    if (query.to) add((p) => `r.arrived_at < ${p}`, query.to);
    for (const word of (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
      add((p) => `search_norm(r.subject) LIKE '%' || search_norm(${p}) || '%'`, escapeLike(word));
    }
    const filter = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM requests r WHERE ${filter}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `${SELECT_REQUEST} WHERE ${filter} ORDER BY r.arrived_at DESC, r.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as RequestRecord[];
    return { items: rows.map((row) => redactRequest(principal, row)), total };
  }

  /** Changes editable fields. Optimistic concurrency through `version` (or If-Match); a no-op writes nothing. */
  async update(principal: Principal, id: string, { version, ...patch }: UpdateRequestInput, ifMatch?: number): Promise<RequestView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      // Checked on intent, not on effect: otherwise "no change" vs "refused" would let an outsider guess the notes.
      const touchesSecrets = (['notes', 'reformulation', 'confidentiality'] as const).some((field) => patch[field] !== undefined);
      if (touchesSecrets && !canReadConfidential(principal, before)) {
        throw new ConfidentialFieldsError('Only the author’s service, supervisors and admins change a confidential request’s notes');
      }
      const fields = EDITABLE.filter((field) => patch[field] !== undefined && patch[field] !== before[field]);
      if (fields.length === 0) return redactRequest(principal, before);
      await this.assertReferences(manager, before.siteId, {
        visitorId: fields.includes('visitorId') ? patch.visitorId : undefined,
        categoryId: fields.includes('categoryId') ? patch.categoryId : undefined,
        handledByUserId: fields.includes('handledByUserId') ? patch.handledByUserId : undefined,
      });
      const params: unknown[] = [id];
      const sets = fields.map((field) => {
        params.push(patch[field]);
        return `${COLUMNS[field]} = $${params.length}`;
      });
      await manager.query(`UPDATE requests SET ${sets.join(', ')}, updated_at = now(), version = version + 1 WHERE id = $1`, params);
      const after = await this.findRecord(manager, id);
      const changes = diffFields(before, after, fields);
      await this.recordEvent(manager, principal, id, 'updated', { changes });
      await this.recordUpdate(manager, before, after, changes);
      emit(after.siteId, 'request.updated', { requestId: id, status: after.status, fields: Object.keys(changes), version: after.version });
      return redactRequest(principal, after);
    });
  }

  /** Moves a request along its lifecycle (transfers have their own endpoint, which says where to). */
  async changeStatus(principal: Principal, id: string, { version, ...change }: StatusChangeInput, ifMatch?: number): Promise<RequestView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      if (change.status === 'transferred') {
        throw new UnprocessableError('Record a transfer (POST /requests/{id}/transfers) to transfer a request', RequestErrorCode.TransferRequired);
      }
      return redactRequest(principal, await this.changeStatusWithin({ manager, emit }, principal, before, change));
    });
  }

  /**
   * Applies one lifecycle step to a request locked by `lockWithin` in the same transaction:
   * status, outcome, step timestamp, handler (whoever moves it to in_progress takes it),
   * timeline, audit and `request.updated`. Returns the new record.
   */
  async changeStatusWithin(
    tx: RequestTx,
    principal: Principal,
    before: RequestRecord,
    change: { status: RequestStatus; outcome?: RequestOutcome },
  ): Promise<RequestRecord> {
    const step = planStatusStep(before.status, change.status, change.outcome, before.outcome);
    const handler = step.takesOver && principal.kind === 'user' ? principal.id : before.handledByUserId;
    const stamps = step.stamps.map((column) => `, ${column} = now()`).join('');
    await tx.manager.query(
      `UPDATE requests SET status = $2, outcome = $3, handled_by_user_id = $4${stamps}, updated_at = now(), version = version + 1
        WHERE id = $1`,
      [before.id, step.to, step.outcome, handler],
    );
    const after = await this.findRecord(tx.manager, before.id);
    const changes = diffFields(before, after, ['status', 'outcome', 'handledByUserId']);
    await this.recordEvent(tx.manager, principal, before.id, 'status_changed', {
      from: step.from,
      to: step.to,
      outcome: after.outcome,
      handledByUserId: after.handledByUserId,
    });
    await this.recordUpdate(tx.manager, before, after, changes);
    if (after.status === 'closed') {
      await this.surveys.interactionClosed(tx.manager, {
        kind: 'request',
        id: after.id,
        siteId: after.siteId,
        visitorId: after.visitorId,
        serviceId: after.authorServiceId,
        agentUserId: after.handledByUserId,
        channel: after.channel,
      });
    }
    tx.emit(after.siteId, 'request.updated', {
      requestId: after.id,
      status: after.status,
      fields: Object.keys(changes),
      version: after.version,
    });
    return after;
  }

  /**
   * Locks a request the caller may see for the rest of the transaction (404 otherwise; 409
   * `stale_version` when `expected` is given and outdated).
   */
  async lockWithin(manager: EntityManager, principal: Principal, id: string, expected?: number): Promise<RequestRecord> {
    const [row] = (await manager.query(`${SELECT_REQUEST} WHERE r.id = $1 FOR NO KEY UPDATE`, [id])) as RequestRecord[];
    if (!row) throw new NotFoundError('Request', id);
    assertSiteAccess(principal, row.siteId, 'Request', id);
    if (expected !== undefined && expected !== row.version) throw new StaleRequestError('Request', id, row.version);
    return row;
  }

  /**
   * Adds an entry to a request's timeline from another domain (an article linked, an e-mail
   * received or sent, a phone call) and announces it with `request.updated` (fields:
   * ['timeline']). It does not change the version: a new e-mail must not make an agent's edit
   * stale. Confidential text goes under `notes` or `reformulation` keys of `data` (see
   * `redactEventData`). The caller audits its own record.
   */
  async appendEvent(
    tx: RequestTx,
    principal: Principal,
    requestId: string,
    type: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const request = await this.lockWithin(tx.manager, principal, requestId);
    await tx.manager.query(`UPDATE requests SET updated_at = now() WHERE id = $1`, [requestId]);
    await this.recordEvent(tx.manager, principal, requestId, type, data);
    tx.emit(request.siteId, 'request.updated', { requestId, status: request.status, fields: ['timeline'], version: request.version });
  }

  /**
   * Writes a timeline entry only, for a caller that has locked the request with `lockWithin` and
   * announces the change with its own live event (a transfer does).
   */
  async recordEvent(manager: EntityManager, principal: Principal, requestId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await manager.query(
      `INSERT INTO request_events (request_id, actor_type, actor_id, actor_label, type, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [requestId, principal.kind, principal.id, principal.label, type, JSON.stringify(data)],
    );
  }

  /** Everything that happened to a request, oldest first; confidential text is left out for those who may not read it. */
  async timeline(principal: Principal, id: string, page: { page: number; limit: number }): Promise<{ items: TimelineEntry[]; total: number }> {
    const request = await this.getRecord(principal, id);
    const readable = canReadConfidential(principal, request);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM request_events WHERE request_id = $1`, [id])) as {
      total: number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT e.id::text AS id, e.at, e.actor_type, e.actor_id, e.actor_label, e.type, e.data
         FROM request_events e WHERE e.request_id = $1 ORDER BY e.id LIMIT $2 OFFSET $3`,
      [id, page.limit, (page.page - 1) * page.limit],
    )) as {
      id: string;
      at: Date;
      actor_type: TimelineEntry['actor']['type'];
      actor_id: string | null;
      actor_label: string;
      type: string;
      data: Record<string, unknown>;
    }[];
    return {
      items: rows.map((row) => ({
        id: row.id,
        at: row.at,
        type: row.type,
        actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
        data: readable ? row.data : redactEventData(row.data),
      })),
      total,
    };
  }

  private handlerId(principal: Principal, handledBy: string): string {
    if (handledBy !== 'me') return handledBy;
    if (principal.kind !== 'user') {
      throw new ValidationError('handledBy=me needs a user', [{ field: 'handledBy', message: 'handledBy=me is for users, not API keys' }]);
    }
    return principal.id;
  }

  private async findRecord(manager: EntityManager, id: string): Promise<RequestRecord> {
    const [row] = (await manager.query(`${SELECT_REQUEST} WHERE r.id = $1`, [id])) as RequestRecord[];
    return row;
  }

  /** Ids in the body must name usable records of the request's site; one 422 lists every bad one. */
  private async assertReferences(
    manager: EntityManager,
    siteId: string,
    refs: { visitorId?: string | null; categoryId?: string | null; handledByUserId?: string | null },
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (refs.visitorId) {
      const found = (await manager.query(`SELECT 1 FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL`, [
        refs.visitorId,
        siteId,
      ])) as unknown[];
      if (found.length === 0) errors.push({ field: 'visitorId', message: 'visitorId must be a visitor of the request’s site' });
    }
    if (refs.categoryId) {
      const found = (await manager.query(`SELECT 1 FROM request_categories WHERE id = $1 AND site_id = $2 AND active`, [
        refs.categoryId,
        siteId,
      ])) as unknown[];
      if (found.length === 0) errors.push({ field: 'categoryId', message: 'categoryId must be an active category of the request’s site' });
    }
    if (refs.handledByUserId) {
      const found = (await manager.query(
        `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id WHERE u.id = $1 AND u.active AND us.site_id = $2`,
        [refs.handledByUserId, siteId],
      )) as unknown[];
      if (found.length === 0) errors.push({ field: 'handledByUserId', message: 'handledByUserId must be an active user of the request’s site' });
    }
    if (errors.length > 0) throw new InvalidReferenceError(errors);
  }

  private async recordUpdate(manager: EntityManager, before: RequestRecord, after: RequestRecord, changes: AuditChanges): Promise<void> {
    const confidential = before.confidentiality === 'confidential' || after.confidentiality === 'confidential' ? 'confidential' : 'normal';
    await this.audit.record(manager, {
      action: 'update',
      entity: 'request',
      entityId: after.id,
      siteId: after.siteId,
      changes: auditable(changes, confidential),
    });
  }
}

/** `{field: {to}}` (a creation diff) → `{field: value}`, the snapshot stored with the `created` event. */
function flatten(changes: AuditChanges): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.to]));
}

/**
 * The audit log is read by admins and `audit:read` keys; confidential text stays in the request
 * and its timeline (filtered on read), the audit only says that it changed.
 */
function auditable(changes: AuditChanges, confidentiality: Confidentiality): AuditChanges {
  if (confidentiality !== 'confidential') return changes;
  const out: AuditChanges = { ...changes };
  for (const field of CONFIDENTIAL_FIELDS) {
    const change = out[field];
    if (!change) continue;
    out[field] = {
      ...('from' in change ? { from: '[redacted]' } : {}),
      ...('to' in change ? { to: '[redacted]' } : {}),
    };
  }
  return out;
}
