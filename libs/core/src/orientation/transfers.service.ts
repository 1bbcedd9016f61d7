import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rooms } from '@guichet/live/rooms';
import { AuditService, diffFields } from '../audit/audit.service';
import { NotFoundError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { LiveEvents } from '../live/live-events.service';
import { expectedVersion } from '../organisation/directory';
import { RequestsService, RequestView } from '../requests/requests.service';
import { canTransition } from '../requests/request-lifecycle';
import { InvalidReferenceError, InvalidTransitionError } from '../requests/requests.errors';
import { redactRequest } from '../requests/confidentiality';

export const TRANSFER_TARGET_TYPES = ['service', 'staff', 'partner'] as const;
export type TransferTargetType = (typeof TRANSFER_TARGET_TYPES)[number];

export const TRANSFER_MODES = ['call_transfer', 'accompanied', 'appointment_given', 'referral_letter', 'information_given'] as const;
export type TransferMode = (typeof TRANSFER_MODES)[number];

export interface CreateTransferInput {
  targetType: TransferTargetType;
  targetId: string;
  mode: TransferMode;
  reason: string;
  note?: string | null;
  /** The request version last read (alternative to If-Match). */
  version?: number;
}

export interface TransferView {
  id: string;
  requestId: string;
  siteId: string;
  targetType: TransferTargetType;
  /** null once the target was deleted from the directory (the transfer stays in the history). */
  targetId: string | null;
  targetName: string | null;
  /** The internal service that receives the person (for staff: their service at the time); null for partners. */
  serviceId: string | null;
  mode: TransferMode;
  reason: string;
  /** A hand-over message for the receiver: not confidential, unlike the request's notes. */
  note: string | null;
  createdByUserId: string | null;
  createdAt: Date;
}

export interface IncomingTransferView extends TransferView {
  request: Pick<RequestView, 'id' | 'subject' | 'status' | 'channel' | 'visitorId' | 'arrivedAt'>;
}

export interface TransferCreated {
  transfer: TransferView;
  request: RequestView;
}

export interface IncomingTransferQuery {
  /** Transfers made at or after this instant. */
  from?: Date;
  page: number;
  limit: number;
}

interface Target {
  type: TransferTargetType;
  id: string;
  name: string;
  serviceId: string | null;
}

const SELECT_TRANSFER = `
  SELECT t.id, t.request_id AS "requestId", t.site_id AS "siteId", t.target_type AS "targetType",
         CASE t.target_type WHEN 'service' THEN t.target_service_id WHEN 'staff' THEN t.target_staff_id ELSE t.target_partner_id END AS "targetId",
         CASE t.target_type WHEN 'service' THEN s.name WHEN 'staff' THEN st.first_name || ' ' || st.last_name ELSE p.name END AS "targetName",
         t.target_service_id AS "serviceId", t.mode, t.reason, t.note, t.created_by_user_id AS "createdByUserId",
         t.created_at AS "createdAt"
    FROM transfers t
    LEFT JOIN services s ON s.id = t.target_service_id
    LEFT JOIN staff st ON st.id = t.target_staff_id
    LEFT JOIN partners p ON p.id = t.target_partner_id`;

/**
 * Transfers (orientation to an internal service or staff member, réorientation to an external
 * partner). A transfer is appended to the request's history and moves its status: internal
 * targets → `transferred` (the request continues there), partners → `oriented` with outcome
 * `orientation` (the request leaves the organisation). The arrival time never moves.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly requests: RequestsService,
  ) {}

  async create(principal: Principal, requestId: string, { version, ...input }: CreateTransferInput, ifMatch?: number): Promise<TransferCreated> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const tx = { manager, emit };
      let request = await this.requests.lockWithin(manager, principal, requestId, expected);
      const target = await this.resolveTarget(manager, request.siteId, input.targetType, input.targetId);
      const status = target.type === 'partner' ? 'oriented' : 'transferred';
      // Sending someone on straight from the desk: taking the request is implied.
      if (request.status === 'open') request = await this.requests.changeStatusWithin(tx, principal, request, { status: 'in_progress' });
      else if (!canTransition(request.status, status)) throw new InvalidTransitionError(request.status, status);
      const [{ id }] = (await manager.query(
        `INSERT INTO transfers (request_id, site_id, target_type, target_service_id, target_staff_id, target_partner_id,
                                mode, reason, note, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          request.id,
          request.siteId,
          target.type,
          target.serviceId,
          target.type === 'staff' ? target.id : null,
          target.type === 'partner' ? target.id : null,
          input.mode,
          input.reason,
          input.note ?? null,
          principal.kind === 'user' ? principal.id : null,
        ],
      )) as { id: string }[];
      const transfer = await this.findTransfer(manager, id);
      const { targetType, targetId, targetName, serviceId, mode, reason, note } = transfer;
      await this.requests.recordEvent(manager, principal, request.id, 'transferred', {
        transferId: id,
        targetType,
        targetId,
        targetName,
        serviceId,
        mode,
        reason,
        note,
      });
      await this.audit.record(manager, {
        action: 'create',
        entity: 'transfer',
        entityId: id,
        siteId: request.siteId,
        changes: diffFields(null, transfer, ['requestId', 'targetType', 'targetId', 'targetName', 'serviceId', 'mode', 'reason', 'note']),
      });
      const after = await this.requests.changeStatusWithin(tx, principal, request, { status, outcome: 'orientation' });
      emit(
        request.siteId,
        'request.transferred',
        { requestId: request.id, transferId: id, targetType: target.type, targetId: target.id, serviceId: target.serviceId, mode: input.mode },
        target.serviceId ? [rooms.service(target.serviceId)] : [],
      );
      return { transfer, request: redactRequest(principal, after) };
    });
  }

  /** The request's transfers, oldest first. */
  async list(principal: Principal, requestId: string): Promise<TransferView[]> {
    await this.requests.getRecord(principal, requestId);
    return (await this.dataSource.query(`${SELECT_TRANSFER} WHERE t.request_id = $1 ORDER BY t.created_at, t.id`, [
      requestId,
    ])) as TransferView[];
  }

  /** Transfers received by a service (also through its staff), newest first, with a summary of each request. */
  async incoming(principal: Principal, serviceId: string, query: IncomingTransferQuery): Promise<{ items: IncomingTransferView[]; total: number }> {
    const [service] = (await this.dataSource.query(`SELECT site_id FROM services WHERE id = $1`, [serviceId])) as { site_id: string }[];
    if (!service) throw new NotFoundError('Service', serviceId);
    assertSiteAccess(principal, service.site_id, 'Service', serviceId);
    const params: unknown[] = [serviceId, query.from ?? null];
    const filter = `t.target_service_id = $1 AND ($2::timestamptz IS NULL OR t.created_at >= $2)`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM transfers t WHERE ${filter}`, params)) as {
      total: number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT x.*, json_build_object('id', r.id, 'subject', r.subject, 'status', r.status, 'channel', r.channel,
                                     'visitorId', r.visitor_id, 'arrivedAt', r.arrived_at) AS request
         FROM (${SELECT_TRANSFER} WHERE ${filter} ORDER BY t.created_at DESC, t.id DESC LIMIT $3 OFFSET $4) x
         JOIN requests r ON r.id = x."requestId"
        ORDER BY x."createdAt" DESC, x.id DESC`,
      [...params, query.limit, (query.page - 1) * query.limit],
    )) as IncomingTransferView[];
    return { items: rows, total };
  }

  private async findTransfer(manager: EntityManager, id: string): Promise<TransferView> {
    const [row] = (await manager.query(`${SELECT_TRANSFER} WHERE t.id = $1`, [id])) as TransferView[];
    return row;
  }

  /**
   * The target must be in the request's site (which the caller sees). A key-share lock keeps it
   * from being deleted before commit. Unknown, foreign and inactive targets get the same answer.
   */
  private async resolveTarget(manager: EntityManager, siteId: string, type: TransferTargetType, id: string): Promise<Target> {
    const sql: Record<TransferTargetType, string> = {
      service: `SELECT id, name, id AS service_id FROM services WHERE id = $1 AND site_id = $2 AND active FOR KEY SHARE`,
      staff: `SELECT id, first_name || ' ' || last_name AS name, service_id FROM staff WHERE id = $1 AND site_id = $2 FOR KEY SHARE`,
      partner: `SELECT id, name, NULL::uuid AS service_id FROM partners WHERE id = $1 AND site_id = $2 FOR KEY SHARE`,
    };
    const [row] = (await manager.query(sql[type], [id, siteId])) as { id: string; name: string; service_id: string | null }[];
    if (!row) {
      throw new InvalidReferenceError([{ field: 'targetId', message: `targetId must be ${type === 'service' ? 'an active service' : `a ${type}`} of the request’s site` }]);
    }
    return { type, id: row.id, name: row.name, serviceId: row.service_id };
  }
}
