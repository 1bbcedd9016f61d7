import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { rooms } from '@guichet/live/rooms';
import { AuditService, diffFields } from '../audit/audit.service';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/domain-error';
import { Principal, roleAtLeast } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import type { IncidentAlertKind, IncidentSeverity } from './escalation-policy';
import { IncidentClosedError, IncidentLinkError, IncidentStaleVersionError } from './incidents.errors';

export const INCIDENT_SIGNS = ['raised_voice', 'agitation', 'impatience', 'insults', 'threats', 'physical_contact', 'damage', 'intoxication', 'distress', 'other'] as const;
export const INCIDENT_ACTIONS = ['listening', 'reformulation', 'solution_proposed', 'mediation', 'supervisor_called', 'security_called', 'police_called', 'first_aid', 'other'] as const;
export const INCIDENT_OUTCOMES = ['calmed', 'solution_accepted', 'visitor_left', 'escorted_out', 'police', 'unresolved'] as const;
export const INCIDENT_STATUSES = ['open', 'closed'] as const;

export type IncidentSign = (typeof INCIDENT_SIGNS)[number];
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Everything that describes what happened; all optional but the site and severity. */
export interface IncidentDetails {
  severity?: IncidentSeverity;
  occurredAt?: Date;
  visitorId?: string | null;
  ticketId?: string | null;
  requestId?: string | null;
  counterId?: string | null;
  place?: string | null;
  signs?: IncidentSign[];
  observations?: string;
  actions?: IncidentAction[];
  actionsTaken?: string;
  outcome?: IncidentOutcome | null;
  peopleInvolved?: string;
  involvedUserIds?: string[];
}

export interface CreateIncidentInput extends IncidentDetails {
  siteId: string;
  severity: IncidentSeverity;
}

export interface CloseIncidentInput {
  report: string;
  outcome?: IncidentOutcome;
}

export interface IncidentQuery {
  siteId?: string;
  severity?: IncidentSeverity;
  status?: IncidentStatus;
  /** occurred_at ≥ from */
  from?: Date;
  /** occurred_at < to */
  to?: Date;
  page: number;
  limit: number;
}

export interface IncidentView {
  id: string;
  siteId: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  occurredAt: Date;
  reportedByUserId: string | null;
  visitorId: string | null;
  ticketId: string | null;
  requestId: string | null;
  counterId: string | null;
  place: string | null;
  signs: IncidentSign[];
  observations: string;
  actions: IncidentAction[];
  actionsTaken: string;
  outcome: IncidentOutcome | null;
  peopleInvolved: string;
  involvedUserIds: string[];
  report: string | null;
  closedAt: Date | null;
  closedByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface IncidentAlertStepView {
  step: number;
  name: string;
  dueAt: Date;
  notifiedAt: Date | null;
  sendEmail: boolean;
  mailSentAt: Date | null;
}

export interface IncidentAlertView {
  id: string;
  incidentId: string;
  siteId: string;
  kind: IncidentAlertKind;
  raisedByUserId: string | null;
  counterId: string | null;
  place: string | null;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedByUserId: string | null;
  steps: IncidentAlertStepView[];
}

export interface IncidentDetailView extends IncidentView {
  alerts: IncidentAlertView[];
}

export interface IncidentStats {
  siteId: string;
  timeZone: string;
  total: number;
  open: number;
  bySeverity: Record<IncidentSeverity, number>;
  byOutcome: Record<string, number>;
  /** 24 counts, hour 0 to 23 of the site's time zone. */
  byHour: number[];
  /** 7 counts, Monday to Sunday in the site's time zone. */
  byWeekday: number[];
  alerts: { raised: number; acknowledged: number; escalated: number; medianAcknowledgeSeconds: number | null };
}

export interface IncidentRow {
  id: string;
  site_id: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  occurred_at: Date;
  reported_by_user_id: string | null;
  visitor_id: string | null;
  ticket_id: string | null;
  request_id: string | null;
  counter_id: string | null;
  place: string | null;
  signs: IncidentSign[];
  observations: string;
  actions: IncidentAction[];
  actions_taken: string;
  outcome: IncidentOutcome | null;
  people_involved: string;
  involved_user_ids: string[];
  report: string | null;
  closed_at: Date | null;
  closed_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const EDITABLE: (keyof IncidentView)[] = [
  'severity',
  'occurredAt',
  'visitorId',
  'ticketId',
  'requestId',
  'counterId',
  'place',
  'signs',
  'observations',
  'actions',
  'actionsTaken',
  'outcome',
  'peopleInvolved',
  'involvedUserIds',
];

const COLUMN: Record<keyof IncidentDetails, string> = {
  severity: 'severity',
  occurredAt: 'occurred_at',
  visitorId: 'visitor_id',
  ticketId: 'ticket_id',
  requestId: 'request_id',
  counterId: 'counter_id',
  place: 'place',
  signs: 'signs',
  observations: 'observations',
  actions: 'actions',
  actionsTaken: 'actions_taken',
  outcome: 'outcome',
  peopleInvolved: 'people_involved',
  involvedUserIds: 'involved_user_ids',
};

/** Supervisors and admins see the whole register of their sites; an agent sees the incidents they reported or took part in. */
export function canReadIncident(principal: Principal, row: Pick<IncidentRow, 'site_id' | 'reported_by_user_id' | 'involved_user_ids'>): boolean {
  if (!principal.siteIds.includes(row.site_id)) return false;
  if (principal.kind !== 'user') return false;
  return roleAtLeast(principal.role, 'supervisor') || row.reported_by_user_id === principal.id || row.involved_user_ids.includes(principal.id);
}

/** Incident records (C1.6): what was seen, what was done, how it ended, and the per-site register with its figures. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, input: CreateIncidentInput): Promise<IncidentView> {
    const user = requireUser(principal);
    assertSiteAccess(principal, input.siteId);
    return this.live.transaction(async (manager, emit) => {
      const row = await this.insert(manager, emit, user.id, input);
      return toView(row);
    });
  }

  /** Shared with the one-tap alerts, which open an incident in the same transaction. */
  async insert(manager: EntityManager, emit: Emit, userId: string, input: CreateIncidentInput): Promise<IncidentRow> {
    if (input.occurredAt && input.occurredAt.getTime() > Date.now() + 60_000) {
      throw new ValidationError('occurredAt is in the future', [{ field: 'occurredAt', message: 'must not be in the future' }]);
    }
    await assertLinks(manager, input.siteId, input);
    const [row] = (await manager.query(
      `INSERT INTO incidents (site_id, severity, occurred_at, reported_by_user_id, visitor_id, ticket_id, request_id, counter_id, place,
                              signs, observations, actions, actions_taken, outcome, people_involved, involved_user_ids)
       VALUES ($1, $2, coalesce($3, now()), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING *`,
      [
        input.siteId,
        input.severity,
        input.occurredAt ?? null,
        userId,
        input.visitorId ?? null,
        input.ticketId ?? null,
        input.requestId ?? null,
        input.counterId ?? null,
        input.place ?? null,
        input.signs ?? [],
        input.observations ?? '',
        input.actions ?? [],
        input.actionsTaken ?? '',
        input.outcome ?? null,
        input.peopleInvolved ?? '',
        input.involvedUserIds ?? [],
      ],
    )) as IncidentRow[];
    const view = toView(row);
    await this.audit.record(manager, { action: 'create', entity: 'incident', entityId: row.id, siteId: row.site_id, changes: diffFields(null, view, EDITABLE) });
    emit(row.site_id, 'incident.created', { incidentId: row.id, severity: row.severity, status: row.status, fields: [], version: row.version }, [rooms.supervisors(row.site_id), rooms.user(userId)], {
      private: true,
    });
    return row;
  }

  /** Marks the incident's actions with "supervisor/security called" when an alert is raised on it. */
  async noteAlert(manager: EntityManager, emit: Emit, incident: IncidentRow, kind: IncidentAlertKind): Promise<void> {
    const action: IncidentAction = kind === 'security' ? 'security_called' : 'supervisor_called';
    const severity: IncidentSeverity = kind === 'security' && incident.severity !== 'aggression' ? 'security' : incident.severity;
    if (incident.actions.includes(action) && severity === incident.severity) return;
    const [updated] = await rowsOf<IncidentRow>(
      manager,
      `UPDATE incidents SET actions = CASE WHEN $2 = ANY(actions) THEN actions ELSE array_append(actions, $2) END, severity = $3,
              updated_at = now(), version = version + 1
        WHERE id = $1 RETURNING *`,
      [incident.id, action, severity],
    );
    const changes = diffFields(toView(incident), toView(updated), ['actions', 'severity']);
    await this.audit.record(manager, { action: 'update', entity: 'incident', entityId: incident.id, siteId: incident.site_id, changes });
    this.emitUpdated(emit, updated, Object.keys(changes));
  }

  async list(principal: Principal, query: IncidentQuery): Promise<{ items: IncidentView[]; total: number }> {
    const user = requireUser(principal);
    if (query.from && query.to && query.from >= query.to) {
      throw new ValidationError('from must be before to', [{ field: 'from', message: 'must be before to' }]);
    }
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const params: unknown[] = [query.siteId ? [query.siteId] : principal.siteIds];
    const where = ['i.site_id = ANY($1::uuid[])'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (!roleAtLeast(user.role, 'supervisor')) add('(i.reported_by_user_id = ? OR ? = ANY(i.involved_user_ids))', user.id);
    if (query.severity) add('i.severity = ?', query.severity);
    if (query.status) add('i.status = ?', query.status);
    if (query.from) add('i.occurred_at >= ?', query.from);
    if (query.to) add('i.occurred_at < ?', query.to);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM incidents i WHERE ${where.join(' AND ')}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT i.* FROM incidents i WHERE ${where.join(' AND ')} ORDER BY i.occurred_at DESC, i.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as IncidentRow[];
    return { items: rows.map(toView), total };
  }

  async get(principal: Principal, id: string): Promise<IncidentDetailView> {
    const row = await this.readable(this.dataSource.manager, principal, id);
    return { ...toView(row), alerts: await alertsOf(this.dataSource.manager, [id]) };
  }

  async update(principal: Principal, id: string, input: IncidentDetails, expectedVersion?: number): Promise<IncidentView> {
    return this.live.transaction(async (manager, emit) => {
      const row = await this.readable(manager, principal, id, true);
      if (row.status === 'closed') throw new IncidentClosedError(id);
      if (expectedVersion !== undefined && expectedVersion !== row.version) throw new IncidentStaleVersionError('Incident', id, row.version);
      if (input.occurredAt && input.occurredAt.getTime() > Date.now() + 60_000) {
        throw new ValidationError('occurredAt is in the future', [{ field: 'occurredAt', message: 'must not be in the future' }]);
      }
      await assertLinks(manager, row.site_id, input);
      const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as IncidentDetails;
      const changes = diffFields(toView(row), { ...toView(row), ...defined }, EDITABLE);
      // Nothing really changes: no write, the client's version stays valid.
      if (Object.keys(changes).length === 0) return toView(row);
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const [field, column] of Object.entries(COLUMN) as [keyof IncidentDetails, string][]) {
        if (defined[field] === undefined) continue;
        params.push(defined[field]);
        sets.push(`${column} = $${params.length}`);
      }
      const [updated] = await rowsOf<IncidentRow>(manager, `UPDATE incidents SET ${sets.join(', ')}, updated_at = now(), version = version + 1 WHERE id = $1 RETURNING *`, params);
      await this.audit.record(manager, { action: 'update', entity: 'incident', entityId: id, siteId: row.site_id, changes });
      this.emitUpdated(emit, updated, Object.keys(changes));
      return toView(updated);
    });
  }

  /** The follow-up ends with a written report (supervisors and admins); closing also acknowledges nothing: open alerts keep running until taken. */
  async close(principal: Principal, id: string, input: CloseIncidentInput, expectedVersion?: number): Promise<IncidentView> {
    const user = requireUser(principal);
    if (!roleAtLeast(user.role, 'supervisor')) throw new ForbiddenError('Only a supervisor or an admin closes an incident');
    if (!input.report.trim()) throw new ValidationError('A report is required', [{ field: 'report', message: 'must not be empty' }]);
    return this.live.transaction(async (manager, emit) => {
      const row = await this.readable(manager, principal, id, true);
      if (row.status === 'closed') throw new IncidentClosedError(id);
      if (expectedVersion !== undefined && expectedVersion !== row.version) throw new IncidentStaleVersionError('Incident', id, row.version);
      const [updated] = await rowsOf<IncidentRow>(
        manager,
        `UPDATE incidents SET status = 'closed', report = $2, outcome = coalesce($3, outcome), closed_at = now(), closed_by_user_id = $4,
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, input.report.trim(), input.outcome ?? null, user.id],
      );
      const fields: (keyof IncidentView)[] = ['status', 'report', 'outcome', 'closedAt', 'closedByUserId'];
      const changes = diffFields(toView(row), toView(updated), fields);
      await this.audit.record(manager, { action: 'update', entity: 'incident', entityId: id, siteId: row.site_id, changes });
      this.emitUpdated(emit, updated, Object.keys(changes));
      return toView(updated);
    });
  }

  /** Figures of a site's register over a period, bucketed in the site's own time zone. */
  async stats(principal: Principal, query: { siteId: string; from?: Date; to?: Date }): Promise<IncidentStats> {
    const user = requireUser(principal);
    if (!roleAtLeast(user.role, 'supervisor')) throw new ForbiddenError('The incident register is for supervisors and admins');
    assertSiteAccess(principal, query.siteId);
    if (query.from && query.to && query.from >= query.to) {
      throw new ValidationError('from must be before to', [{ field: 'from', message: 'must be before to' }]);
    }
    const params = [query.siteId, query.from ?? null, query.to ?? null];
    const range = `i.site_id = $1 AND ($2::timestamptz IS NULL OR i.occurred_at >= $2) AND ($3::timestamptz IS NULL OR i.occurred_at < $3)`;
    const [site] = (await this.dataSource.query(`SELECT time_zone FROM sites WHERE id = $1`, [query.siteId])) as { time_zone: string }[];
    const buckets = (await this.dataSource.query(
      `SELECT i.severity, i.status, coalesce(i.outcome, 'none') AS outcome,
              extract(hour FROM i.occurred_at AT TIME ZONE s.time_zone)::int AS hour,
              extract(isodow FROM i.occurred_at AT TIME ZONE s.time_zone)::int AS dow,
              count(*)::int AS n
         FROM incidents i JOIN sites s ON s.id = i.site_id
        WHERE ${range}
        GROUP BY 1, 2, 3, 4, 5`,
      params,
    )) as { severity: IncidentSeverity; status: IncidentStatus; outcome: string; hour: number; dow: number; n: number }[];
    const [alerts] = (await this.dataSource.query(
      `SELECT count(*)::int AS raised, count(a.acknowledged_at)::int AS acknowledged,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM incident_alert_steps s WHERE s.alert_id = a.id AND s.step > 0 AND s.notified_at IS NOT NULL))::int AS escalated,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.raised_at)) AS median
         FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id
        WHERE ${range}`,
      params,
    )) as { raised: number; acknowledged: number; escalated: number; median: number | null }[];
    const stats: IncidentStats = {
      siteId: query.siteId,
      timeZone: site.time_zone,
      total: 0,
      open: 0,
      bySeverity: { tension: 0, conflict: 0, aggression: 0, security: 0 },
      byOutcome: {},
      byHour: Array.from({ length: 24 }, () => 0),
      byWeekday: Array.from({ length: 7 }, () => 0),
      alerts: { raised: alerts.raised, acknowledged: alerts.acknowledged, escalated: alerts.escalated, medianAcknowledgeSeconds: alerts.median === null ? null : Math.round(Number(alerts.median)) },
    };
    for (const b of buckets) {
      stats.total += b.n;
      if (b.status === 'open') stats.open += b.n;
      stats.bySeverity[b.severity] += b.n;
      stats.byOutcome[b.outcome] = (stats.byOutcome[b.outcome] ?? 0) + b.n;
      stats.byHour[b.hour] += b.n;
      stats.byWeekday[b.dow - 1] += b.n;
    }
    return stats;
  }

  /** The incident if the caller may read it (else 404, never 403: no existence leak). */
  async readable(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<IncidentRow> {
    const [row] = (await manager.query(`SELECT * FROM incidents WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])) as IncidentRow[];
    if (!row || !canReadIncident(principal, row)) throw new NotFoundError('Incident', id);
    return row;
  }

  private emitUpdated(emit: Emit, row: IncidentRow, fields: string[]): void {
    const extra = [rooms.supervisors(row.site_id), ...(row.reported_by_user_id ? [rooms.user(row.reported_by_user_id)] : [])];
    emit(row.site_id, 'incident.updated', { incidentId: row.id, severity: row.severity, status: row.status, fields, version: row.version }, extra, { private: true });
  }
}

function requireUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new ForbiddenError('Incidents are recorded by signed-in staff');
  return principal;
}

/** Linked records must be on the incident's site. One round trip for all of them. */
async function assertLinks(manager: EntityManager, siteId: string, input: IncidentDetails): Promise<void> {
  const involved = [...new Set(input.involvedUserIds ?? [])];
  const [r] = (await manager.query(
    `SELECT ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM visitors WHERE id = $2 AND site_id = $1)) AS visitor,
            ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM tickets WHERE id = $3 AND site_id = $1)) AS ticket,
            ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM requests WHERE id = $4 AND site_id = $1)) AS request,
            ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM counters WHERE id = $5 AND site_id = $1)) AS counter,
            (SELECT count(*)::int FROM user_sites WHERE site_id = $1 AND user_id = ANY($6::uuid[])) AS users`,
    [siteId, input.visitorId ?? null, input.ticketId ?? null, input.requestId ?? null, input.counterId ?? null, involved],
  )) as { visitor: boolean; ticket: boolean; request: boolean; counter: boolean; users: number }[];
  if (!r.visitor) throw new IncidentLinkError('visitorId');
  if (!r.ticket) throw new IncidentLinkError('ticketId');
  if (!r.request) throw new IncidentLinkError('requestId');
  if (!r.counter) throw new IncidentLinkError('counterId');
  if (r.users !== involved.length) throw new IncidentLinkError('involvedUserIds');
}

interface AlertRow {
  id: string;
  incident_id: string;
  site_id: string;
  kind: IncidentAlertKind;
  raised_by_user_id: string | null;
  counter_id: string | null;
  place: string | null;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_user_id: string | null;
  steps: { step: number; name: string; due_at: string; notified_at: string | null; send_email: boolean; mail_sent_at: string | null }[];
}

/** Alerts with their steps, by incident or by alert id. */
export async function alertsOf(manager: Pick<EntityManager, 'query'>, incidentIds: string[], alertIds?: string[]): Promise<IncidentAlertView[]> {
  const rows = (await manager.query(
    `SELECT a.*, coalesce((SELECT jsonb_agg(jsonb_build_object('step', s.step, 'name', s.name, 'due_at', s.due_at, 'notified_at', s.notified_at,
                                                               'send_email', s.send_email, 'mail_sent_at', s.mail_sent_at) ORDER BY s.step)
                             FROM incident_alert_steps s WHERE s.alert_id = a.id), '[]') AS steps
       FROM incident_alerts a
      WHERE ${alertIds ? 'a.id = ANY($1::uuid[])' : 'a.incident_id = ANY($1::uuid[])'}
      ORDER BY a.raised_at, a.id`,
    [alertIds ?? incidentIds],
  )) as AlertRow[];
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return rows.map((a) => ({
    id: a.id,
    incidentId: a.incident_id,
    siteId: a.site_id,
    kind: a.kind,
    raisedByUserId: a.raised_by_user_id,
    counterId: a.counter_id,
    place: a.place,
    raisedAt: a.raised_at,
    acknowledgedAt: a.acknowledged_at,
    acknowledgedByUserId: a.acknowledged_by_user_id,
    steps: a.steps.map((s) => ({
      step: s.step,
      name: s.name,
      dueAt: new Date(s.due_at),
      notifiedAt: date(s.notified_at),
      sendEmail: s.send_email,
      mailSentAt: date(s.mail_sent_at),
    })),
  }));
}

export function toView(r: IncidentRow): IncidentView {
  return {
    id: r.id,
    siteId: r.site_id,
    severity: r.severity,
    status: r.status,
    occurredAt: r.occurred_at,
    reportedByUserId: r.reported_by_user_id,
    visitorId: r.visitor_id,
    ticketId: r.ticket_id,
    requestId: r.request_id,
    counterId: r.counter_id,
    place: r.place,
    signs: r.signs,
    observations: r.observations,
    actions: r.actions,
    actionsTaken: r.actions_taken,
    outcome: r.outcome,
    peopleInvolved: r.people_involved,
    involvedUserIds: r.involved_user_ids,
    report: r.report,
    closedAt: r.closed_at,
    closedByUserId: r.closed_by_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
