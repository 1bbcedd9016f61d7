import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { JobProducer } from '@guichet/jobs/job-producer';
import { rooms } from '@guichet/live/rooms';
import { AuditService } from '../audit/audit.service';
import { ForbiddenError, NotFoundError } from '../errors/domain-error';
import { Principal, roleAtLeast, UserPrincipal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { escalationJobId, IncidentAlertKind, IncidentSeverity, planSteps, PlannedStep, stepRooms } from './escalation-policy';
import { IncidentPolicyService } from './incident-policy.service';
import { IncidentAlertAlreadyAcknowledgedError, IncidentClosedError } from './incidents.errors';
import { alertsOf, IncidentAlertView, IncidentRow, IncidentsService } from './incidents.service';

export interface RaiseAlertInput {
  siteId: string;
  kind: IncidentAlertKind;
  /** Attach to an incident already open; otherwise one is opened with what is known. */
  incidentId?: string;
  severity?: IncidentSeverity;
  counterId?: string;
  place?: string;
  visitorId?: string;
  ticketId?: string;
  requestId?: string;
}

export interface RaisedAlert {
  alert: IncidentAlertView;
  incidentId: string;
  /** True when the same person tapped the same button again while their alert was still waiting: the first one is returned. */
  repeated: boolean;
}

/** A second tap within this window returns the waiting alert instead of starting a second chain. */
const REPEAT_WINDOW_SECONDS = 60;

interface AlertLockRow {
  id: string;
  incident_id: string;
  site_id: string;
  kind: IncidentAlertKind;
  raised_by_user_id: string | null;
  acknowledged_at: Date | null;
  target_user_ids: string[];
}

/**
 * The two one-tap buttons of the desk and their acknowledgement. Raising writes the incident, the
 * alert and every step of its chain in one transaction and pushes step 0 at once (private to the
 * supervisors room and the people alerted); the timed steps are the worker's.
 */
@Injectable()
export class IncidentAlertsService {
  private readonly logger = new Logger(IncidentAlertsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly incidents: IncidentsService,
    private readonly policies: IncidentPolicyService,
    private readonly jobs: JobProducer,
  ) {}

  async raise(principal: Principal, input: RaiseAlertInput): Promise<RaisedAlert> {
    const user = requireUser(principal);
    assertSiteAccess(principal, input.siteId);
    const result = await this.live.transaction(async (manager, emit) => {
      // Serialises one person's taps so that a double tap finds the first alert.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('incident_alert_raise'), hashtext($1))`, [user.id]);
      const [repeat] = (await manager.query(
        `SELECT id, incident_id FROM incident_alerts
          WHERE site_id = $1 AND kind = $2 AND raised_by_user_id = $3 AND acknowledged_at IS NULL
            AND raised_at > now() - make_interval(secs => $4) AND ($5::uuid IS NULL OR incident_id = $5)
          ORDER BY raised_at DESC LIMIT 1`,
        [input.siteId, input.kind, user.id, REPEAT_WINDOW_SECONDS, input.incidentId ?? null],
      )) as { id: string; incident_id: string }[];
      if (repeat) return { alertId: repeat.id, incidentId: repeat.incident_id, steps: [] as PlannedStep[], repeated: true };

      const incident = await this.incidentFor(manager, emit, user, input);
      const policy = await this.policies.read(manager, input.siteId);
      const admins = (await manager.query(
        `SELECT u.id FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $1 WHERE u.role = 'admin' AND u.active ORDER BY u.id`,
        [input.siteId],
      )) as { id: string }[];
      const [alert] = (await manager.query(
        `INSERT INTO incident_alerts (incident_id, site_id, kind, raised_by_user_id, counter_id, place)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, raised_at`,
        [incident.id, input.siteId, input.kind, user.id, input.counterId ?? incident.counter_id, input.place ?? incident.place],
      )) as { id: string; raised_at: Date }[];
      const steps = planSteps(input.kind, policy, { adminUserIds: admins.map((a) => a.id) }, alert.raised_at);
      await manager.query(
        `INSERT INTO incident_alert_steps (alert_id, step, name, due_at, notified_at, targets, send_email)
         SELECT $1, s.step, s.name, s.due_at, CASE WHEN s.step = 0 THEN $3::timestamptz END, s.targets, s.send_email
           FROM jsonb_to_recordset($2::jsonb) AS s(step int, name text, due_at timestamptz, targets jsonb, send_email boolean)`,
        [alert.id, JSON.stringify(steps.map((s) => ({ step: s.step, name: s.name, due_at: s.dueAt, targets: s.targets, send_email: s.sendEmail }))), alert.raised_at],
      );
      await this.audit.record(manager, {
        action: 'create',
        entity: 'incident_alert',
        entityId: alert.id,
        siteId: input.siteId,
        changes: { kind: { to: input.kind }, incidentId: { to: incident.id }, steps: { to: steps.length } },
      });
      const [first] = steps;
      emit(
        input.siteId,
        'incident.alert_raised',
        {
          alertId: alert.id,
          incidentId: incident.id,
          kind: input.kind,
          severity: incident.severity,
          step: 0,
          level: first.name,
          raisedByUserId: user.id,
          counterId: input.counterId ?? incident.counter_id,
          raisedAt: alert.raised_at.toISOString(),
        },
        stepRooms(input.siteId, first.targets, user.id),
        { private: true },
      );
      return { alertId: alert.id, incidentId: incident.id, steps, repeated: false };
    });
    await this.schedule(result.alertId, result.steps);
    const [alert] = await alertsOf(this.dataSource.manager, [], [result.alertId]);
    return { alert, incidentId: result.incidentId, repeated: result.repeated };
  }

  /** One acknowledgement per alert (409 after); it stops the chain: the worker's claim skips acknowledged alerts. */
  async acknowledge(principal: Principal, alertId: string): Promise<IncidentAlertView> {
    const user = requireUser(principal);
    await this.live.transaction(async (manager, emit) => {
      const [row] = (await manager.query(
        `SELECT a.id, a.incident_id, a.site_id, a.kind, a.raised_by_user_id, a.acknowledged_at,
                ARRAY(SELECT DISTINCT jsonb_array_elements_text(s.targets->'userIds') FROM incident_alert_steps s
                       WHERE s.alert_id = a.id AND s.notified_at IS NOT NULL) AS target_user_ids
           FROM incident_alerts a WHERE a.id = $1 FOR UPDATE OF a`,
        [alertId],
      )) as AlertLockRow[];
      if (!row || !canHandle(user, row)) throw new NotFoundError('Incident alert', alertId);
      if (row.acknowledged_at) throw new IncidentAlertAlreadyAcknowledgedError(alertId);
      const [updated] = await rowsOf<{ acknowledged_at: Date }>(
        manager,
        `UPDATE incident_alerts SET acknowledged_at = clock_timestamp(), acknowledged_by_user_id = $2 WHERE id = $1 RETURNING acknowledged_at`,
        [alertId, user.id],
      );
      await this.audit.record(manager, {
        action: 'update',
        entity: 'incident_alert',
        entityId: alertId,
        siteId: row.site_id,
        changes: { acknowledgedAt: { from: null, to: updated.acknowledged_at.toISOString() }, acknowledgedByUserId: { from: null, to: user.id } },
      });
      const people = [...new Set([...row.target_user_ids, ...(row.raised_by_user_id ? [row.raised_by_user_id] : [])])];
      emit(
        row.site_id,
        'incident.alert_acknowledged',
        { alertId, incidentId: row.incident_id, kind: row.kind, acknowledgedByUserId: user.id, acknowledgedAt: updated.acknowledged_at.toISOString() },
        [rooms.supervisors(row.site_id), ...people.map((id) => rooms.user(id))],
        { private: true },
      );
    });
    const [alert] = await alertsOf(this.dataSource.manager, [], [alertId]);
    return alert;
  }

  /** Alerts of the caller's sites, latest first: supervisors see all, others those they raised or were alerted by. */
  async list(principal: Principal, query: { siteId?: string; status: 'waiting' | 'acknowledged' | 'all'; limit: number }): Promise<IncidentAlertView[]> {
    const user = requireUser(principal);
    if (query.siteId) assertSiteAccess(principal, query.siteId);
    const supervisor = roleAtLeast(user.role, 'supervisor');
    const ids = (await this.dataSource.query(
      `SELECT a.id FROM incident_alerts a
        WHERE a.site_id = ANY($1::uuid[])
          AND ($2 = 'all' OR ($2 = 'waiting') = (a.acknowledged_at IS NULL))
          AND ($3 OR a.raised_by_user_id = $4 OR EXISTS (
                SELECT 1 FROM incident_alert_steps s WHERE s.alert_id = a.id AND s.notified_at IS NOT NULL AND s.targets->'userIds' ? $4::text))
        ORDER BY a.raised_at DESC, a.id DESC LIMIT $5`,
      [query.siteId ? [query.siteId] : principal.siteIds, query.status, supervisor, user.id, query.limit],
    )) as { id: string }[];
    if (ids.length === 0) return [];
    const alerts = await alertsOf(this.dataSource.manager, [], ids.map((r) => r.id));
    return alerts.reverse();
  }

  private async incidentFor(manager: EntityManager, emit: Emit, user: UserPrincipal, input: RaiseAlertInput): Promise<IncidentRow> {
    if (input.incidentId) {
      const incident = await this.incidents.readable(manager, user, input.incidentId, true);
      if (incident.site_id !== input.siteId) throw new NotFoundError('Incident', input.incidentId);
      if (incident.status === 'closed') throw new IncidentClosedError(input.incidentId);
      await this.incidents.noteAlert(manager, emit, incident, input.kind);
      return this.incidents.readable(manager, user, input.incidentId);
    }
    return this.incidents.insert(manager, emit, user.id, {
      siteId: input.siteId,
      severity: input.severity ?? (input.kind === 'security' ? 'security' : 'conflict'),
      counterId: input.counterId ?? null,
      place: input.place ?? null,
      visitorId: input.visitorId ?? null,
      ticketId: input.ticketId ?? null,
      requestId: input.requestId ?? null,
      actions: [input.kind === 'security' ? 'security_called' : 'supervisor_called'],
    });
  }

  /**
   * After commit: the worker must not see a job before its rows. A panic button must not fail
   * because Redis does, so a failed enqueue is logged and left to the sweep (due steps are in
   * PostgreSQL), while the immediate alert has already been pushed.
   */
  private async schedule(alertId: string, steps: PlannedStep[]): Promise<void> {
    for (const step of steps) {
      if (step.step === 0 && !step.sendEmail) continue;
      try {
        await this.jobs.enqueue(
          'followups.incident-escalation',
          { alertId, step: step.step },
          { jobId: escalationJobId(alertId, step.step), delay: Math.max(0, step.dueAt.getTime() - Date.now()) },
        );
      } catch (error) {
        this.logger.warn({ err: error, alertId, step: step.step }, 'Escalation step not enqueued; the sweep will perform it');
      }
    }
  }
}

/** Supervisors and admins of the site, and anyone an already-notified step alerted (e.g. a security guard with the agent role). */
function canHandle(user: UserPrincipal, row: AlertLockRow): boolean {
  if (!user.siteIds.includes(row.site_id)) return false;
  return roleAtLeast(user.role, 'supervisor') || row.target_user_ids.includes(user.id);
}

function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new ForbiddenError('Incident alerts are raised and taken by signed-in staff');
  return principal;
}
