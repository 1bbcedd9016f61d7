import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, FieldError, NotFoundError, UnprocessableError, ValidationError } from '../errors/domain-error';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { escapeLike, expectedVersion, listedSiteIds, MAX_SEARCH_WORDS } from '../organisation/directory';
import { addBusinessMinutes, BusinessCalendar, businessMinutesBetween } from './business-time';
import { ComplaintCategory } from './complaint-categories.service';
import { ClockRow, clockTimes, ComplaintSlaScheduler, SELECT_CLOCK, siteCalendar } from './complaint-clocks';
import {
  ClockKind,
  ComplaintChannel,
  ComplaintSeverity,
  ComplaintStatus,
  planComplaintStep,
} from './complaint-lifecycle';
import { ComplaintErrorCode, ComplaintReferenceError, StaleComplaintError } from './complaints.errors';
import { SurveyTriggersService } from '../surveys/survey-triggers.service';

export interface ComplaintRecord {
  id: string;
  siteId: string;
  categoryId: string;
  visitorId: string | null;
  channel: ComplaintChannel;
  reason: string;
  description: string;
  requestedRemedy: string | null;
  severity: ComplaintSeverity;
  status: ComplaintStatus;
  ownerUserId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  requestId: string | null;
  ticketId: string | null;
  serviceOrderId: string | null;
  surveyResponseId: string | null;
  answer: string | null;
  withinRemit: boolean;
  escalatedAt: Date | null;
  escalationReason: 'acknowledge_sla' | 'answer_sla' | null;
  compensation: string | null;
  compensationAmount: number | null;
  followUp: string | null;
  /** ISO date. */
  followUpOn: string | null;
  receivedAt: Date;
  acknowledgedAt: Date | null;
  investigatingAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  reopenedAt: Date | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

/** A clock as clients see it: `minutesLeft` is business time, negative once overdue. */
export interface ClockView extends Omit<ClockRow, 'complaintId'> {
  state: ClockState;
  breached: boolean;
  minutesLeft: number | null;
}

export interface ComplaintView extends ComplaintRecord {
  clocks: ClockView[];
}

export interface CreateComplaintInput {
  siteId?: string;
  channel?: ComplaintChannel;
  categoryId: string;
  reason: string;
  description: string;
  requestedRemedy?: string | null;
  severity?: ComplaintSeverity;
  visitorId?: string | null;
  ownerUserId?: string | null;
  serviceId?: string | null;
  agentUserId?: string | null;
  requestId?: string | null;
  ticketId?: string | null;
  serviceOrderId?: string | null;
  /** A survey answer turned into a complaint: visitor, site, service, agent and channel come from it. */
  surveyResponseId?: string | null;
  /** When it was received, if before now (an e-mail's date); never in the future. */
  receivedAt?: Date;
}

export interface UpdateComplaintInput {
  reason?: string;
  description?: string;
  requestedRemedy?: string | null;
  severity?: ComplaintSeverity;
  visitorId?: string | null;
  ownerUserId?: string | null;
  serviceId?: string | null;
  agentUserId?: string | null;
  requestId?: string | null;
  ticketId?: string | null;
  serviceOrderId?: string | null;
  withinRemit?: boolean;
  compensation?: string | null;
  compensationAmount?: number | null;
  followUp?: string | null;
  followUpOn?: string | null;
  version?: number;
}

export interface ComplaintQuery {
  siteId?: string;
  status?: ComplaintStatus;
  channel?: ComplaintChannel;
  categoryId?: string;
  severity?: ComplaintSeverity;
  visitorId?: string;
  /** A user id, or `me`. */
  ownerUserId?: string;
  escalated?: boolean;
  /** Received at or after. */
  from?: Date;
  /** Received before. */
  to?: Date;
  /** Words of the reason or description. */
  q?: string;
  page: number;
  limit: number;
}

export interface ComplaintHistoryEntry {
  id: string;
  at: Date;
  type: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; label: string };
  data: Record<string, unknown>;
}

const EDITABLE = [
  'reason',
  'description',
  'requestedRemedy',
  'severity',
  'visitorId',
  'ownerUserId',
  'serviceId',
  'agentUserId',
  'requestId',
  'ticketId',
  'serviceOrderId',
  'withinRemit',
  'compensation',
  'compensationAmount',
  'followUp',
  'followUpOn',
] as const satisfies readonly (keyof ComplaintRecord)[];
type EditableField = (typeof EDITABLE)[number];

const COLUMNS: Record<EditableField, string> = {
  reason: 'reason',
  description: 'description',
  requestedRemedy: 'requested_remedy',
  severity: 'severity',
  visitorId: 'visitor_id',
  ownerUserId: 'owner_user_id',
  serviceId: 'service_id',
  agentUserId: 'agent_user_id',
  requestId: 'request_id',
  ticketId: 'ticket_id',
  serviceOrderId: 'service_order_id',
  withinRemit: 'within_remit',
  compensation: 'compensation',
  compensationAmount: 'compensation_amount',
  followUp: 'follow_up',
  followUpOn: 'follow_up_on',
};

const AUDITED: (keyof ComplaintRecord)[] = ['siteId', 'categoryId', 'channel', 'receivedAt', 'surveyResponseId', ...EDITABLE, 'status', 'answer'];

const ARRIVAL_SKEW_MS = 5 * 60_000;

const SELECT_COMPLAINT = `
  SELECT c.id, c.site_id AS "siteId", c.category_id AS "categoryId", c.visitor_id AS "visitorId", c.channel, c.reason, c.description,
         c.requested_remedy AS "requestedRemedy", c.severity, c.status, c.owner_user_id AS "ownerUserId", c.service_id AS "serviceId",
         c.agent_user_id AS "agentUserId", c.request_id AS "requestId", c.ticket_id AS "ticketId", c.service_order_id AS "serviceOrderId",
         c.survey_response_id AS "surveyResponseId", c.answer, c.within_remit AS "withinRemit", c.escalated_at AS "escalatedAt",
         c.escalation_reason AS "escalationReason", c.compensation, c.compensation_amount::float8 AS "compensationAmount",
         c.follow_up AS "followUp", to_char(c.follow_up_on, 'YYYY-MM-DD') AS "followUpOn", c.received_at AS "receivedAt",
         c.acknowledged_at AS "acknowledgedAt", c.investigating_at AS "investigatingAt", c.answered_at AS "answeredAt",
         c.closed_at AS "closedAt", c.reopened_at AS "reopenedAt", c.created_by_user_id AS "createdByUserId",
         c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version
    FROM complaints c`;

const SELECT_CATEGORY = `
  SELECT id, site_id AS "siteId", name, active, acknowledge_minutes AS "acknowledgeMinutes", answer_minutes AS "answerMinutes",
         warning_percent AS "warningPercent", warning_minutes_before AS "warningMinutesBefore", use_business_hours AS "useBusinessHours"
    FROM complaint_categories`;

interface Tx {
  manager: EntityManager;
  emit: Emit;
}

/**
 * Complaints (réclamations) from every channel, their lifecycle and their SLA clocks. Each write
 * is one `LiveEvents` transaction (row, clocks, history, audit, live event); the clocks' jobs are
 * (re)scheduled after commit by ComplaintSlaScheduler, and the worker's steps re-read the clock
 * rows, so a stale job never acts.
 */
@Injectable()
export class ComplaintsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly scheduler: ComplaintSlaScheduler,
    private readonly surveys: SurveyTriggersService,
  ) {}

  /** With an Idempotency-Key, a retry gets the first response; another body with the same key is 422. */
  async create(principal: Principal, input: CreateComplaintInput, idempotencyKey?: string): Promise<ComplaintView> {
    const result = await this.idempotency.run(principal, idempotencyKey, 'complaints.create', input, async (manager, emit) => ({
      status: 201,
      body: await this.createWithin({ manager, emit }, principal, input),
    }));
    await this.scheduler.schedule(await this.clockRows(this.dataSource.manager, result.body.id));
    return result.body;
  }

  private async createWithin(tx: Tx, principal: Principal, input: CreateComplaintInput): Promise<ComplaintView> {
    const { manager } = tx;
    const now = new Date();
    if (input.receivedAt && input.receivedAt.getTime() > now.getTime() + ARRIVAL_SKEW_MS) {
      throw new ValidationError('The reception time is in the future', [{ field: 'receivedAt', message: 'receivedAt must not be in the future' }]);
    }
    const origin = input.surveyResponseId ? await this.fromSurveyResponse(manager, principal, input) : null;
    const siteId = origin?.siteId ?? input.siteId;
    const channel = origin ? 'survey' : input.channel;
    if (!siteId || !channel) {
      throw new ValidationError('A complaint needs its site and channel (or the survey response it comes from)', [
        ...(!siteId ? [{ field: 'siteId', message: 'siteId is required unless surveyResponseId is given' }] : []),
        ...(!channel ? [{ field: 'channel', message: 'channel is required unless surveyResponseId is given' }] : []),
      ]);
    }
    if (channel === 'survey' && !origin) {
      throw new ValidationError('The survey channel is for complaints made from a survey response', [
        { field: 'channel', message: 'channel survey requires surveyResponseId' },
      ]);
    }
    assertSiteAccess(principal, siteId);
    const refs = {
      visitorId: input.visitorId ?? origin?.visitorId ?? null,
      serviceId: input.serviceId ?? origin?.serviceId ?? null,
      agentUserId: input.agentUserId ?? origin?.agentUserId ?? null,
      ownerUserId: input.ownerUserId !== undefined ? input.ownerUserId : principal.kind === 'user' ? principal.id : null,
      requestId: input.requestId ?? null,
      ticketId: input.ticketId ?? null,
      serviceOrderId: input.serviceOrderId ?? null,
    };
    const category = await this.assertReferences(manager, siteId, { ...refs, categoryId: input.categoryId });
    const receivedAt = input.receivedAt ?? now;
    const [inserted] = (await manager.query(
      `INSERT INTO complaints (site_id, category_id, visitor_id, channel, reason, description, requested_remedy, severity, owner_user_id,
                               service_id, agent_user_id, request_id, ticket_id, service_order_id, survey_response_id, received_at,
                               created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (survey_response_id) DO NOTHING
       RETURNING id`,
      [
        siteId,
        input.categoryId,
        refs.visitorId,
        channel,
        input.reason,
        input.description,
        input.requestedRemedy ?? null,
        input.severity ?? 'medium',
        refs.ownerUserId,
        refs.serviceId,
        refs.agentUserId,
        refs.requestId,
        refs.ticketId,
        refs.serviceOrderId,
        input.surveyResponseId ?? null,
        receivedAt,
        principal.kind === 'user' ? principal.id : null,
      ],
    )) as { id: string }[];
    if (!inserted) throw new ConflictError('This survey response was already turned into a complaint', ComplaintErrorCode.AlreadyComplained);
    const { id } = inserted;
    const calendar = await siteCalendar(manager, siteId, category.useBusinessHours);
    for (const kind of ['acknowledge', 'answer'] as const) {
      await this.startClock(manager, id, kind, receivedAt, category, calendar);
    }
    const created = await this.findRecord(manager, id);
    const snapshot = diffFields(null, created, AUDITED);
    await this.recordEvent(manager, principal, id, 'created', Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, v.to])));
    await this.audit.record(manager, { action: 'create', entity: 'complaint', entityId: id, siteId, changes: snapshot });
    tx.emit(siteId, 'complaint.created', change(created, []));
    return this.view(manager, created);
  }

  async get(principal: Principal, id: string): Promise<ComplaintView> {
    const record = await this.getRecord(principal, id);
    return this.view(this.dataSource.manager, record);
  }

  async getRecord(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<ComplaintRecord> {
    const [row] = (await manager.query(`${SELECT_COMPLAINT} WHERE c.id = $1`, [id])) as ComplaintRecord[];
    if (!row) throw new NotFoundError('Complaint', id);
    assertSiteAccess(principal, row.siteId, 'Complaint', id);
    return row;
  }

  async list(principal: Principal, query: ComplaintQuery): Promise<{ items: ComplaintView[]; total: number }> {
    const params: unknown[] = [listedSiteIds(principal, query.siteId)];
    const where = ['c.site_id = ANY($1)'];
    const add = (condition: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (query.status) add((p) => `c.status = ${p}`, query.status);
    if (query.channel) add((p) => `c.channel = ${p}`, query.channel);
    if (query.categoryId) add((p) => `c.category_id = ${p}`, query.categoryId);
    if (query.severity) add((p) => `c.severity = ${p}`, query.severity);
    if (query.visitorId) add((p) => `c.visitor_id = ${p}`, query.visitorId);
    if (query.ownerUserId) add((p) => `c.owner_user_id = ${p}`, this.userId(principal, query.ownerUserId));
    if (query.escalated !== undefined) where.push(query.escalated ? 'c.escalated_at IS NOT NULL' : 'c.escalated_at IS NULL');
    if (query.from) add((p) => `c.received_at >= ${p}`, query.from);
    if (query.to) add((p) => `c.received_at < ${p}`, query.to);
    for (const word of (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
      add((p) => `search_norm(c.reason || ' ' || c.description) LIKE '%' || search_norm(${p}) || '%'`, escapeLike(word));
    }
    const filter = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM complaints c WHERE ${filter}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `${SELECT_COMPLAINT} WHERE ${filter} ORDER BY c.received_at DESC, c.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as ComplaintRecord[];
    // One query for the clocks of the page, one per site calendar: not one per complaint.
    const clocks = (await this.dataSource.query(`${SELECT_CLOCK} WHERE k.complaint_id = ANY($1) ORDER BY k.kind`, [rows.map((r) => r.id)])) as ClockRow[];
    const calendars = new Map<string, BusinessCalendar>();
    const items: ComplaintView[] = [];
    for (const row of rows) {
      items.push(await this.view(this.dataSource.manager, row, calendars, clocks.filter((c) => c.complaintId === row.id)));
    }
    return { items, total };
  }

  /** Edits the complaint's fields (not its status or answer). Optimistic concurrency through `version` or If-Match. */
  async update(principal: Principal, id: string, { version, ...patch }: UpdateComplaintInput, ifMatch?: number): Promise<ComplaintView> {
    const expected = expectedVersion(ifMatch, version);
    return this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      const fields = EDITABLE.filter((field) => patch[field] !== undefined && patch[field] !== before[field]);
      if (fields.length === 0) return this.view(manager, before);
      if (fields.includes('compensationAmount') && patch.compensationAmount != null && !(patch.compensation ?? before.compensation)) {
        throw new ValidationError('Say what the compensation is before giving its amount', [
          { field: 'compensation', message: 'compensation is required with compensationAmount' },
        ]);
      }
      const pick = (field: EditableField) => (fields.includes(field) ? (patch[field] as string | null) : undefined);
      await this.assertReferences(manager, before.siteId, {
        visitorId: pick('visitorId'),
        ownerUserId: pick('ownerUserId'),
        serviceId: pick('serviceId'),
        agentUserId: pick('agentUserId'),
        requestId: pick('requestId'),
        ticketId: pick('ticketId'),
        serviceOrderId: pick('serviceOrderId'),
      });
      const params: unknown[] = [id];
      const sets = fields.map((field) => {
        params.push(patch[field]);
        return `${COLUMNS[field]} = $${params.length}`;
      });
      // Clearing what the compensation is clears its amount too (CHECK: an amount needs a description).
      const clearAmount = fields.includes('compensation') && patch.compensation === null ? ', compensation_amount = NULL' : '';
      await manager.query(`UPDATE complaints SET ${sets.join(', ')}${clearAmount}, updated_at = now(), version = version + 1 WHERE id = $1`, params);
      const after = await this.findRecord(manager, id);
      const changes = diffFields(before, after, [...EDITABLE]);
      await this.recordEvent(manager, principal, id, 'updated', { changes });
      await this.audit.record(manager, { action: 'update', entity: 'complaint', entityId: id, siteId: after.siteId, changes });
      emit(after.siteId, 'complaint.updated', change(after, Object.keys(changes)));
      return this.view(manager, after);
    });
  }

  /**
   * Moves the complaint along its lifecycle. Acknowledging stops the acknowledge clock, answering
   * stops both (the answer text is required), reopening starts a new answer clock. Answering and
   * closing tell the surveys module, whose rules decide whether to ask the visitor's opinion.
   */
  async changeStatus(
    principal: Principal,
    id: string,
    input: { status: ComplaintStatus; answer?: string; version?: number },
    ifMatch?: number,
  ): Promise<ComplaintView> {
    const expected = expectedVersion(ifMatch, input.version);
    const { view, stale } = await this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      const step = planComplaintStep(before.status, input.status, input.answer);
      const clocksBefore = await this.clockRows(manager, id);
      const now = new Date();
      const category = await this.category(manager, before.categoryId);
      const calendar = await siteCalendar(manager, before.siteId, category.useBusinessHours);
      for (const clock of clocksBefore.filter((c) => step.stops.includes(c.kind) && !c.stoppedAt)) {
        await this.stopClock(manager, clock, now, calendar);
      }
      if (step.restartsAnswer) {
        await manager.query(`DELETE FROM complaint_clocks WHERE complaint_id = $1 AND kind = 'answer'`, [id]);
        await this.startClock(manager, id, 'answer', now, category, calendar);
      }
      await manager.query(
        `UPDATE complaints SET status = $2, ${step.stamp} = $3${step.setsAnswer ? ', answer = $4' : ''}, updated_at = now(), version = version + 1
          WHERE id = $1`,
        step.setsAnswer ? [id, step.to, now, input.answer] : [id, step.to, now],
      );
      const after = await this.findRecord(manager, id);
      const changes = diffFields(before, after, ['status', 'answer']);
      await this.recordEvent(manager, principal, id, 'status_changed', { from: step.from, to: step.to, ...(step.setsAnswer && { answer: after.answer }) });
      await this.audit.record(manager, { action: 'update', entity: 'complaint', entityId: id, siteId: after.siteId, changes });
      emit(after.siteId, 'complaint.updated', change(after, Object.keys(changes)));
      if (step.to === 'answered' || step.to === 'closed') {
        await this.surveys.interactionClosed(manager, {
          kind: 'complaint',
          id,
          siteId: after.siteId,
          visitorId: after.visitorId,
          serviceId: after.serviceId,
          agentUserId: principal.kind === 'user' ? principal.id : after.ownerUserId,
          channel: after.channel,
        });
      }
      const moved = clocksBefore.filter((c) => step.stops.includes(c.kind) || (step.restartsAnswer && c.kind === 'answer'));
      return { view: await this.view(manager, after), stale: moved };
    });
    await this.scheduler.unschedule(stale);
    await this.scheduler.schedule(await this.clockRows(this.dataSource.manager, id));
    return view;
  }

  /** Stops the running clocks while the complaint waits for the visitor (409 if already paused). */
  async pause(principal: Principal, id: string, input: { reason?: string | null; version?: number }, ifMatch?: number): Promise<ComplaintView> {
    const expected = expectedVersion(ifMatch, input.version);
    const { view, running } = await this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      const running = (await this.clockRows(manager, id)).filter((c) => !c.stoppedAt);
      if (running.length === 0) throw new UnprocessableError('No SLA clock is running on this complaint', ComplaintErrorCode.NoRunningClock);
      if (running.some((c) => c.pausedAt)) throw new ConflictError('The clocks of this complaint are already paused', ComplaintErrorCode.ClockPaused);
      const now = new Date();
      await manager.query(`UPDATE complaint_clocks SET paused_at = $2 WHERE complaint_id = $1 AND stopped_at IS NULL`, [id, now]);
      return { view: await this.touch({ manager, emit }, principal, before, 'paused', { reason: input.reason ?? null }), running };
    });
    await this.scheduler.unschedule(running);
    return view;
  }

  /** Restarts the paused clocks: the business time that was left at the pause is counted from now. */
  async resume(principal: Principal, id: string, input: { version?: number }, ifMatch?: number): Promise<ComplaintView> {
    const expected = expectedVersion(ifMatch, input.version);
    const view = await this.live.transaction(async (manager, emit) => {
      const before = await this.lockWithin(manager, principal, id, expected);
      const paused = (await this.clockRows(manager, id)).filter((c) => !c.stoppedAt && c.pausedAt);
      if (paused.length === 0) throw new ConflictError('The clocks of this complaint are not paused', ComplaintErrorCode.ClockNotPaused);
      const now = new Date();
      let pausedFor = 0;
      for (const clock of paused) {
        const calendar = await siteCalendar(manager, before.siteId, clock.businessHours);
        const pausedAt = clock.pausedAt as Date;
        pausedFor = businessMinutesBetween(pausedAt, now, calendar);
        const left = businessMinutesBetween(pausedAt, clock.dueAt, calendar);
        const dueAt = addBusinessMinutes(now, left, calendar);
        const warnAt =
          clock.warnAt && !clock.warnedAt ? addBusinessMinutes(now, businessMinutesBetween(pausedAt, clock.warnAt, calendar), calendar) : clock.warnAt;
        await manager.query(
          `UPDATE complaint_clocks SET paused_at = NULL, paused_minutes = paused_minutes + $3, due_at = $4, warn_at = $5
            WHERE complaint_id = $1 AND kind = $2`,
          [id, clock.kind, pausedFor, dueAt, warnAt && warnAt.getTime() > dueAt.getTime() ? dueAt : warnAt],
        );
      }
      return this.touch({ manager, emit }, principal, before, 'resumed', { pausedMinutes: Math.round(pausedFor) });
    });
    await this.scheduler.schedule(await this.clockRows(this.dataSource.manager, id));
    return view;
  }

  /** The complaint's history, oldest first, with who did what. */
  async history(principal: Principal, id: string, page: { page: number; limit: number }): Promise<{ items: ComplaintHistoryEntry[]; total: number }> {
    await this.getRecord(principal, id);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM complaint_events WHERE complaint_id = $1`, [id])) as {
      total: number;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, at, actor_type, actor_id, actor_label, type, data FROM complaint_events WHERE complaint_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
      [id, page.limit, (page.page - 1) * page.limit],
    )) as { id: string; at: Date; actor_type: ComplaintHistoryEntry['actor']['type']; actor_id: string | null; actor_label: string; type: string; data: Record<string, unknown> }[];
    return {
      items: rows.map((r) => ({ id: r.id, at: r.at, type: r.type, actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label }, data: r.data })),
      total,
    };
  }

  async lockWithin(manager: EntityManager, principal: Principal, id: string, expected?: number): Promise<ComplaintRecord> {
    const [row] = (await manager.query(`${SELECT_COMPLAINT} WHERE c.id = $1 FOR NO KEY UPDATE`, [id])) as ComplaintRecord[];
    if (!row) throw new NotFoundError('Complaint', id);
    assertSiteAccess(principal, row.siteId, 'Complaint', id);
    if (expected !== undefined && expected !== row.version) throw new StaleComplaintError('Complaint', id, row.version);
    return row;
  }

  async clockRows(manager: EntityManager, complaintId: string): Promise<ClockRow[]> {
    return (await manager.query(`${SELECT_CLOCK} WHERE k.complaint_id = $1 ORDER BY k.kind`, [complaintId])) as ClockRow[];
  }

  /** A pause or resume: a new version and history entry, no field of the complaint itself changes. */
  private async touch(tx: Tx, principal: Principal, before: ComplaintRecord, type: 'paused' | 'resumed', data: Record<string, unknown>): Promise<ComplaintView> {
    await tx.manager.query(`UPDATE complaints SET updated_at = now(), version = version + 1 WHERE id = $1`, [before.id]);
    const after = await this.findRecord(tx.manager, before.id);
    await this.recordEvent(tx.manager, principal, before.id, type, data);
    await this.audit.record(tx.manager, { action: 'update', entity: 'complaint', entityId: before.id, siteId: before.siteId, changes: { clocks: { to: type } } });
    tx.emit(after.siteId, 'complaint.updated', change(after, ['clocks']));
    return this.view(tx.manager, after);
  }

  private async startClock(
    manager: EntityManager,
    complaintId: string,
    kind: ClockKind,
    start: Date,
    category: Pick<ComplaintCategory, 'acknowledgeMinutes' | 'answerMinutes' | 'warningPercent' | 'warningMinutesBefore' | 'useBusinessHours'>,
    calendar: BusinessCalendar,
  ): Promise<void> {
    const target = kind === 'acknowledge' ? category.acknowledgeMinutes : category.answerMinutes;
    const { dueAt, warnAt } = clockTimes(start, target, target, category, calendar);
    await manager.query(
      `INSERT INTO complaint_clocks (complaint_id, kind, target_minutes, business_hours, started_at, due_at, warn_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [complaintId, kind, target, category.useBusinessHours, start, dueAt, warnAt],
    );
  }

  private async stopClock(manager: EntityManager, clock: ClockRow, now: Date, calendar: BusinessCalendar): Promise<void> {
    const paused = clock.pausedAt ? businessMinutesBetween(clock.pausedAt, now, calendar) : 0;
    await manager.query(
      `UPDATE complaint_clocks SET stopped_at = $3, paused_at = NULL, paused_minutes = paused_minutes + $4 WHERE complaint_id = $1 AND kind = $2`,
      [clock.complaintId, clock.kind, now, paused],
    );
  }

  private async view(
    manager: EntityManager,
    record: ComplaintRecord,
    calendars = new Map<string, BusinessCalendar>(),
    preloaded?: ClockRow[],
  ): Promise<ComplaintView> {
    const clocks = preloaded ?? (await this.clockRows(manager, record.id));
    const now = new Date();
    const views: ClockView[] = [];
    for (const { complaintId: _complaintId, ...clock } of clocks) {
      const key = `${record.siteId}:${clock.businessHours}`;
      let calendar = calendars.get(key);
      if (!calendar) {
        calendar = await siteCalendar(manager, record.siteId, clock.businessHours);
        calendars.set(key, calendar);
      }
      views.push(clockView(clock, calendar, now));
    }
    return { ...record, clocks: views };
  }

  private async findRecord(manager: EntityManager, id: string): Promise<ComplaintRecord> {
    const [row] = (await manager.query(`${SELECT_COMPLAINT} WHERE c.id = $1`, [id])) as ComplaintRecord[];
    return row;
  }

  private async category(manager: EntityManager, id: string): Promise<ComplaintCategory> {
    const [row] = (await manager.query(`${SELECT_CATEGORY} WHERE id = $1`, [id])) as ComplaintCategory[];
    return row;
  }

  private async recordEvent(manager: EntityManager, principal: Principal, complaintId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await manager.query(
      `INSERT INTO complaint_events (complaint_id, actor_type, actor_id, actor_label, type, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [complaintId, principal.kind, principal.id, principal.label, type, JSON.stringify(data)],
    );
  }

  /** Reads the survey response a complaint is made from (its site must be visible: 422 otherwise, like any reference). */
  private async fromSurveyResponse(
    manager: EntityManager,
    principal: Principal,
    input: CreateComplaintInput,
  ): Promise<{ siteId: string; visitorId: string | null; serviceId: string | null; agentUserId: string | null }> {
    const [response] = (await manager.query(
      `SELECT site_id AS "siteId", visitor_id AS "visitorId", service_id AS "serviceId", agent_user_id AS "agentUserId"
         FROM survey_responses WHERE id = $1`,
      [input.surveyResponseId],
    )) as { siteId: string; visitorId: string | null; serviceId: string | null; agentUserId: string | null }[];
    const errors: FieldError[] = [];
    if (!response || !principal.siteIds.includes(response.siteId)) {
      errors.push({ field: 'surveyResponseId', message: 'surveyResponseId must be a survey response of a site you can see' });
    } else if (input.siteId && input.siteId !== response.siteId) {
      errors.push({ field: 'siteId', message: 'siteId must be the survey response’s site (or be left out)' });
    }
    if (input.channel && input.channel !== 'survey') {
      errors.push({ field: 'channel', message: 'channel must be survey (or be left out) for a complaint made from a survey response' });
    }
    if (errors.length > 0) throw new ComplaintReferenceError(errors);
    return response;
  }

  private userId(principal: Principal, value: string): string {
    if (value !== 'me') return value;
    if (principal.kind !== 'user') throw new ValidationError('ownerUserId=me needs a user', [{ field: 'ownerUserId', message: 'ownerUserId=me is for users' }]);
    return principal.id;
  }

  /**
   * Ids in the body must name usable records of the complaint's site; one 422 lists every bad one.
   * Returns the category when one is checked.
   */
  private async assertReferences(
    manager: EntityManager,
    siteId: string,
    refs: {
      categoryId?: string;
      visitorId?: string | null;
      ownerUserId?: string | null;
      serviceId?: string | null;
      agentUserId?: string | null;
      requestId?: string | null;
      ticketId?: string | null;
      serviceOrderId?: string | null;
    },
  ): Promise<ComplaintCategory> {
    const errors: FieldError[] = [];
    const check = async (field: string, id: string | null | undefined, sql: string, what: string) => {
      if (!id) return;
      const found = (await manager.query(sql, [id, siteId])) as unknown[];
      if (found.length === 0) errors.push({ field, message: `${field} must be ${what} of the complaint’s site` });
    };
    let category: ComplaintCategory | undefined;
    if (refs.categoryId) {
      [category] = (await manager.query(`${SELECT_CATEGORY} WHERE id = $1 AND site_id = $2 AND active`, [refs.categoryId, siteId])) as ComplaintCategory[];
      if (!category) errors.push({ field: 'categoryId', message: 'categoryId must be an active complaint category of the complaint’s site' });
    }
    const activeUser = `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id WHERE u.id = $1 AND u.active AND us.site_id = $2`;
    await check('visitorId', refs.visitorId, `SELECT 1 FROM visitors WHERE id = $1 AND site_id = $2 AND merged_into_id IS NULL`, 'a visitor');
    await check('ownerUserId', refs.ownerUserId, activeUser, 'an active user');
    await check('agentUserId', refs.agentUserId, `SELECT 1 FROM users u JOIN user_sites us ON us.user_id = u.id WHERE u.id = $1 AND us.site_id = $2`, 'a user');
    await check('serviceId', refs.serviceId, `SELECT 1 FROM services WHERE id = $1 AND site_id = $2`, 'a service');
    await check('requestId', refs.requestId, `SELECT 1 FROM requests WHERE id = $1 AND site_id = $2`, 'a request');
    await check('ticketId', refs.ticketId, `SELECT 1 FROM tickets WHERE id = $1 AND site_id = $2`, 'a ticket');
    await check('serviceOrderId', refs.serviceOrderId, `SELECT 1 FROM service_orders WHERE id = $1 AND site_id = $2`, 'a service order');
    if (errors.length > 0) throw new ComplaintReferenceError(errors);
    return category as ComplaintCategory;
  }
}

/** State of a clock at `now`: met/breached once stopped, running/paused otherwise (breached as soon as it is overdue). */
export function clockView(clock: Omit<ClockRow, 'complaintId'>, calendar: BusinessCalendar, now: Date): ClockView {
  const end = clock.stoppedAt ?? clock.pausedAt ?? now;
  const breached = clock.escalatedAt !== null || end.getTime() > clock.dueAt.getTime();
  const state: ClockState = clock.stoppedAt ? (breached ? 'breached' : 'met') : clock.pausedAt ? 'paused' : breached ? 'breached' : 'running';
  const minutesLeft = clock.stoppedAt
    ? null
    : end.getTime() <= clock.dueAt.getTime()
      ? Math.round(businessMinutesBetween(end, clock.dueAt, calendar))
      : -Math.round(businessMinutesBetween(clock.dueAt, end, calendar));
  return { ...clock, state, breached, minutesLeft };
}

function change(complaint: ComplaintRecord, fields: string[]) {
  return {
    complaintId: complaint.id,
    status: complaint.status,
    categoryId: complaint.categoryId,
    ownerUserId: complaint.ownerUserId,
    fields,
    version: complaint.version,
  };
}
