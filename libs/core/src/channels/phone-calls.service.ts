import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rooms } from '@guichet/live/rooms';
import { AuditService } from '../audit/audit.service';
import type { FieldError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { listedSiteIds } from '../organisation/directory';
import { canReadConfidential, ConfidentialityContext } from '../requests/confidentiality';
import type { Complexity, Confidentiality } from '../requests/request-lifecycle';
import { InvalidReferenceError } from '../requests/requests.errors';
import { RequestRecord, RequestsService } from '../requests/requests.service';
import { ChannelVisitorsService } from './channel-visitors.service';
import { CallDirection, CallOutcome, checkCall } from './phone-call-rules';

/** A request opened by the call (channel `phone`, arrived when the call started). */
export interface CallRequestInput {
  subject: string;
  categoryId?: string | null;
  notes?: string | null;
  reformulation?: string | null;
  complexity?: Complexity;
  confidentiality?: Confidentiality;
}

export interface LogCallInput {
  siteId: string;
  direction: CallDirection;
  /** Any usual format; stored in E.164. Left out for a withheld number. */
  number?: string | null;
  startedAt: Date;
  durationSeconds: number;
  outcome: CallOutcome;
  /** Required for (and only for) the `transferred` outcome: an active service of the site. */
  transferredToServiceId?: string | null;
  /** An existing request of the site the call is about (its timeline gets the call). */
  requestId?: string | null;
  /** Default: the linked request's visitor, else the site's visitor with this number. */
  visitorId?: string | null;
  notes?: string | null;
  createRequest?: CallRequestInput | null;
}

export interface PhoneCallQuery {
  siteId?: string;
  /** Started at or after. */
  from?: Date;
  /** Started before. */
  to?: Date;
  visitorId?: string;
  page: number;
  limit: number;
}

export interface PhoneCallView {
  id: string;
  siteId: string;
  requestId: string | null;
  visitorId: string | null;
  direction: CallDirection;
  /** E.164; null when the number was withheld. */
  number: string | null;
  startedAt: Date;
  durationSeconds: number;
  outcome: CallOutcome;
  transferredToServiceId: string | null;
  agentUserId: string | null;
  /** Absent when the call belongs to a confidential request the caller may not read. */
  notes?: string | null;
  createdAt: Date;
}

type CallRow = PhoneCallView & { notes: string | null; request: ConfidentialityContext | null };

const SELECT_CALL = `
  SELECT c.id, c.site_id AS "siteId", c.request_id AS "requestId", c.visitor_id AS "visitorId", c.direction, c.number,
         c.started_at AS "startedAt", c.duration_seconds AS "durationSeconds", c.outcome,
         c.transferred_to_service_id AS "transferredToServiceId", c.agent_user_id AS "agentUserId", c.notes, c.created_at AS "createdAt",
         CASE WHEN r.id IS NULL THEN NULL
              ELSE json_build_object('confidentiality', r.confidentiality, 'authorServiceId', r.author_service_id,
                                     'createdByUserId', r.created_by_user_id) END AS request
    FROM phone_calls c
    LEFT JOIN requests r ON r.id = c.request_id`;

/**
 * The phone log (inbound and outbound calls). A call may open a request or join an existing one
 * (timeline `call_logged`); its caller is recognised by number. A call transferred to a service
 * is announced in that service's room as well, like a request transfer.
 */
@Injectable()
export class PhoneCallsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly requests: RequestsService,
    private readonly visitors: ChannelVisitorsService,
  ) {}

  async log(principal: Principal, input: LogCallInput): Promise<PhoneCallView> {
    const { number } = checkCall(input, new Date());
    assertSiteAccess(principal, input.siteId);
    return this.live.transaction(async (manager, emit) => {
      const tx = { manager, emit };
      await this.assertReferences(manager, input);
      let request: RequestRecord | null = input.requestId ? await this.requests.lockWithin(manager, principal, input.requestId) : null;
      if (request && request.siteId !== input.siteId) {
        throw new InvalidReferenceError([{ field: 'requestId', message: 'requestId must be a request of the call’s site' }]);
      }
      const visitorId =
        input.visitorId ?? request?.visitorId ?? (number ? await this.visitors.byPhone(manager, input.siteId, number) : null);
      if (input.createRequest) {
        request = await this.requests.createWithin(tx, principal, {
          ...input.createRequest,
          siteId: input.siteId,
          channel: 'phone',
          visitorId,
          arrivedAt: input.startedAt,
        });
      }
      const [{ id }] = (await manager.query(
        `INSERT INTO phone_calls (site_id, request_id, visitor_id, direction, number, started_at, duration_seconds, outcome,
                                  transferred_to_service_id, agent_user_id, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          input.siteId,
          request?.id ?? null,
          visitorId,
          input.direction,
          number,
          input.startedAt,
          input.durationSeconds,
          input.outcome,
          input.transferredToServiceId ?? null,
          principal.kind === 'user' ? principal.id : null,
          input.notes ?? null,
        ],
      )) as { id: string }[];
      const call = await this.findCall(manager, id);
      if (request) {
        // Call notes go under `notes`, so a confidential request's timeline hides them like its own notes.
        const data = {
          callId: id,
          direction: call.direction,
          outcome: call.outcome,
          number: call.number,
          durationSeconds: call.durationSeconds,
          transferredToServiceId: call.transferredToServiceId,
          notes: call.notes,
        };
        // A request opened by this call was announced by request.created; an existing one gets request.updated.
        if (input.createRequest) await this.requests.recordEvent(manager, principal, request.id, 'call_logged', data);
        else await this.requests.appendEvent(tx, principal, request.id, 'call_logged', data);
      }
      await this.audit.record(manager, {
        action: 'create',
        entity: 'phone_call',
        entityId: id,
        siteId: input.siteId,
        changes: {
          direction: { to: call.direction },
          number: { to: call.number === null ? null : '[personal]' },
          startedAt: { to: call.startedAt.toISOString() },
          durationSeconds: { to: call.durationSeconds },
          outcome: { to: call.outcome },
          transferredToServiceId: { to: call.transferredToServiceId },
          requestId: { to: call.requestId },
          visitorId: { to: call.visitorId },
        },
      });
      emit(
        input.siteId,
        'call.logged',
        {
          callId: id,
          requestId: call.requestId,
          visitorId: call.visitorId,
          direction: call.direction,
          outcome: call.outcome,
          transferredToServiceId: call.transferredToServiceId,
        },
        call.transferredToServiceId ? [rooms.service(call.transferredToServiceId)] : [],
      );
      return toView(principal, call);
    });
  }

  /** Calls of the caller's sites (or one), latest first. */
  async list(principal: Principal, query: PhoneCallQuery): Promise<{ items: PhoneCallView[]; total: number }> {
    const params: unknown[] = [listedSiteIds(principal, query.siteId)];
    const where = ['c.site_id = ANY($1::uuid[])'];
    const add = (condition: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.from) add((p) => `c.started_at >= ${p}`, query.from);
    if (query.to) add((p) => `c.started_at < ${p}`, query.to);
    if (query.visitorId) add((p) => `c.visitor_id = ${p}`, query.visitorId);
    const filter = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM phone_calls c WHERE ${filter}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `${SELECT_CALL} WHERE ${filter} ORDER BY c.started_at DESC, c.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as CallRow[];
    return { items: rows.map((row) => toView(principal, row)), total };
  }

  private async findCall(manager: EntityManager, id: string): Promise<CallRow> {
    const [row] = (await manager.query(`${SELECT_CALL} WHERE c.id = $1`, [id])) as CallRow[];
    return row;
  }

  /** The transfer target and the visitor must belong to the call's site; one 422 lists every bad one. */
  private async assertReferences(manager: EntityManager, input: LogCallInput): Promise<void> {
    const errors: FieldError[] = [];
    if (input.transferredToServiceId) {
      const found = (await manager.query(`SELECT 1 FROM services WHERE id = $1 AND site_id = $2 AND active FOR KEY SHARE`, [
        input.transferredToServiceId,
        input.siteId,
      ])) as unknown[];
      if (found.length === 0) {
        errors.push({ field: 'transferredToServiceId', message: 'transferredToServiceId must be an active service of the call’s site' });
      }
    }
    if (input.visitorId && !(await this.visitors.isUsable(manager, input.siteId, input.visitorId))) {
      errors.push({ field: 'visitorId', message: 'visitorId must be a visitor of the call’s site' });
    }
    if (errors.length > 0) throw new InvalidReferenceError(errors);
  }
}

function toView(principal: Principal, { request, ...call }: CallRow): PhoneCallView {
  if (!request || canReadConfidential(principal, request)) return call;
  const { notes: _notes, ...rest } = call;
  return rest;
}
