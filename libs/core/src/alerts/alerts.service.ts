import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { AuditService, diffFields } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { LiveEvents } from '../live/live-events.service';
import type { AlertKind, AlertSeverity, AlertUnit } from './alert-conditions';
import { AlertAlreadyAcknowledgedError } from './alerts.errors';

/** open: neither acknowledged nor resolved; acknowledged: seen, condition still on; resolved: condition cleared. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'all'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUSES)[number];

export interface AlertQuery {
  siteId?: string;
  queueId?: string;
  status?: AlertStatusFilter;
  /** raised_at ≥ from */
  from?: Date;
  /** raised_at < to */
  to?: Date;
  page: number;
  limit: number;
}

export interface AlertView {
  id: string;
  siteId: string;
  queueId: string;
  counterId: string | null;
  ticketId: string | null;
  kind: AlertKind;
  severity: AlertSeverity;
  status: Exclude<AlertStatusFilter, 'all'>;
  value: number;
  threshold: number;
  unit: AlertUnit;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedByUserId: string | null;
  resolvedAt: Date | null;
}

interface AlertRow {
  id: string;
  site_id: string;
  queue_id: string;
  counter_id: string | null;
  ticket_id: string | null;
  kind: AlertKind;
  severity: AlertSeverity;
  details: { value: number; threshold: number; unit: AlertUnit };
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_user_id: string | null;
  resolved_at: Date | null;
}

const STATUS_SQL: Record<AlertStatusFilter, string> = {
  open: 'a.resolved_at IS NULL AND a.acknowledged_at IS NULL',
  acknowledged: 'a.resolved_at IS NULL AND a.acknowledged_at IS NOT NULL',
  resolved: 'a.resolved_at IS NOT NULL',
  all: 'true',
};

/** Reading and acknowledging the flow alerts the worker raises (AlertEvaluator). */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  /** Alerts of the caller's sites, latest raised first. */
  async list(principal: Principal, query: AlertQuery): Promise<{ items: AlertView[]; total: number }> {
    if (query.from && query.to && query.from >= query.to) {
      throw new ValidationError('from must be before to', [{ field: 'from', message: 'must be before to' }]);
    }
    const sites = query.siteId ? principal.siteIds.filter((s) => s === query.siteId) : principal.siteIds;
    const params: unknown[] = [sites];
    const where = ['a.site_id = ANY($1::uuid[])', STATUS_SQL[query.status ?? 'all']];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.queueId) add('a.queue_id = ?', query.queueId);
    if (query.from) add('a.raised_at >= ?', query.from);
    if (query.to) add('a.raised_at < ?', query.to);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM flow_alerts a WHERE ${where.join(' AND ')}`, params)) as {
      total: number;
    }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT a.* FROM flow_alerts a WHERE ${where.join(' AND ')}
        ORDER BY a.raised_at DESC, a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as AlertRow[];
    return { items: rows.map(toView), total };
  }

  /** One supervisor acknowledges ("I am on it"); a second acknowledgement is a conflict. Resolved alerts may still be acknowledged. */
  async acknowledge(principal: Principal, alertId: string): Promise<AlertView> {
    if (principal.kind !== 'user') throw new ForbiddenError('Only a user can acknowledge an alert');
    return this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(`SELECT * FROM flow_alerts WHERE id = $1 FOR UPDATE`, [alertId])) as AlertRow[];
      if (!row || !principal.siteIds.includes(row.site_id)) throw new NotFoundError('Alert', alertId);
      if (row.acknowledged_at) throw new AlertAlreadyAcknowledgedError(alertId);
      const [updated] = await rowsOf<AlertRow>(
        manager,
        `UPDATE flow_alerts SET acknowledged_at = clock_timestamp(), acknowledged_by_user_id = $2 WHERE id = $1 RETURNING *`,
        [alertId, principal.id],
      );
      const before = toView(row);
      const after = toView(updated);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'flow_alert',
        entityId: alertId,
        siteId: row.site_id,
        changes: diffFields(before, after, ['acknowledgedAt', 'acknowledgedByUserId']),
      });
      emit(row.site_id, 'alert.acknowledged', {
        alertId,
        queueId: row.queue_id,
        kind: row.kind,
        acknowledgedByUserId: principal.id,
        acknowledgedAt: (updated.acknowledged_at as Date).toISOString(),
      });
      return after;
    });
  }
}

function toView(r: AlertRow): AlertView {
  return {
    id: r.id,
    siteId: r.site_id,
    queueId: r.queue_id,
    counterId: r.counter_id,
    ticketId: r.ticket_id,
    kind: r.kind,
    severity: r.severity,
    status: r.resolved_at ? 'resolved' : r.acknowledged_at ? 'acknowledged' : 'open',
    value: r.details.value,
    threshold: r.details.threshold,
    unit: r.details.unit,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedByUserId: r.acknowledged_by_user_id,
    resolvedAt: r.resolved_at,
  };
}
