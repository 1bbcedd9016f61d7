import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { JobProducer, QUEUES_BY_NAME } from '@guichet/jobs/job-producer';
import { QUEUES, QueueName } from '@guichet/jobs/jobs';
import { AuditService, diffFields } from '../audit/audit.service';
import { FieldError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { Emit, LiveEvents } from '../live/live-events.service';
import { assertOwner, resolveOwner } from './owners';
import { reminderJobId } from './task-reminders.service';
import { ownerRooms } from './task-owner';
import { nextOccurrence, Quadrant, quadrantOf, recurrenceErrors, TaskStatus } from './task-rules';
import { NotOpenError, StaleTaskError } from './tasks.errors';

export interface TaskRow {
  id: string;
  site_id: string;
  title: string;
  notes: string | null;
  owner_user_id: string | null;
  owner_service_id: string | null;
  urgent: boolean;
  important: boolean;
  due_at: Date | null;
  remind_at: Date | null;
  reminder_sent_at: Date | null;
  recurrence: string | null;
  previous_task_id: string | null;
  status: TaskStatus;
  completed_at: Date | null;
  completed_by_user_id: string | null;
  created_by_user_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface TaskView {
  id: string;
  siteId: string;
  title: string;
  notes: string | null;
  ownerUserId: string | null;
  ownerServiceId: string | null;
  urgent: boolean;
  important: boolean;
  quadrant: Quadrant;
  dueAt: Date | null;
  remindAt: Date | null;
  reminderSentAt: Date | null;
  recurrence: string | null;
  previousTaskId: string | null;
  status: TaskStatus;
  completedAt: Date | null;
  completedByUserId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface TaskInput {
  siteId: string;
  title: string;
  notes?: string | null;
  ownerUserId?: string | null;
  ownerServiceId?: string | null;
  urgent?: boolean;
  important?: boolean;
  dueAt?: string | null;
  remindAt?: string | null;
  recurrence?: string | null;
}

export type TaskPatch = Partial<Omit<TaskInput, 'siteId'>>;

export interface TaskQuery {
  siteId?: string;
  /** `me`: mine and my service's; a user id; or every task of the caller's sites when absent. */
  ownerUserId?: string;
  ownerServiceId?: string;
  status?: TaskStatus;
  quadrant?: Quadrant;
  page: number;
  limit: number;
}

const AUDITED: (keyof TaskView)[] = ['title', 'notes', 'ownerUserId', 'ownerServiceId', 'urgent', 'important', 'dueAt', 'remindAt', 'recurrence', 'status'];

const QUADRANT_SQL: Record<Quadrant, string> = {
  do_first: 't.urgent AND t.important',
  schedule: 'NOT t.urgent AND t.important',
  delegate: 't.urgent AND NOT t.important',
  eliminate: 'NOT t.urgent AND NOT t.important',
};

/**
 * Tasks of an agent or a service (C1.1): urgency × importance, due date, a reminder that fires once
 * (delayed job on `followups`, removed when the task is done, cancelled or its reminder moved; the
 * worker's claim makes a leftover job harmless) and RRULE recurrences whose next occurrence is
 * created with the completion of the previous one, in the same transaction, once (unique
 * previous_task_id).
 */
@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
    private readonly audit: AuditService,
    private readonly jobs: JobProducer,
    @Inject(QUEUES_BY_NAME) private readonly queues: ReadonlyMap<QueueName, Queue>,
  ) {}

  async create(principal: Principal, input: TaskInput): Promise<TaskView> {
    assertSiteAccess(principal, input.siteId);
    const now = new Date();
    const dueAt = input.dueAt ? new Date(input.dueAt) : null;
    const remindAt = input.remindAt ? new Date(input.remindAt) : null;
    const recurrence = input.recurrence ?? null;
    checkTimes({ dueAt, remindAt, recurrence, remindChanged: true }, now);
    const view = await this.live.transaction(async (manager, emit) => {
      const owner = await resolveOwner(manager, principal, input.siteId, input);
      const [row] = (await manager.query(
        `INSERT INTO tasks (site_id, title, notes, owner_user_id, owner_service_id, urgent, important, due_at, remind_at, recurrence, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          input.siteId,
          input.title,
          input.notes ?? null,
          owner.ownerUserId,
          owner.ownerServiceId,
          input.urgent ?? false,
          input.important ?? false,
          dueAt,
          remindAt,
          recurrence,
          principal.kind === 'user' ? principal.id : null,
        ],
      )) as TaskRow[];
      await this.recordChange(manager, emit, 'created', null, row, null);
      return toView(row);
    });
    await this.scheduleReminder(view);
    return view;
  }

  async list(principal: Principal, query: TaskQuery): Promise<{ items: TaskView[]; total: number }> {
    const sites = query.siteId ? principal.siteIds.filter((s) => s === query.siteId) : principal.siteIds;
    const params: unknown[] = [sites];
    const where = ['t.site_id = ANY($1::uuid[])'];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (query.ownerUserId === 'me') {
      if (principal.kind !== 'user') throw new ValidationError('ownerUserId=me needs a user', [{ field: 'ownerUserId', message: 'me is for users' }]);
      params.push(principal.id, principal.serviceId);
      where.push(`(t.owner_user_id = $${params.length - 1} OR ($${params.length}::uuid IS NOT NULL AND t.owner_service_id = $${params.length}::uuid))`);
    } else if (query.ownerUserId) add((p) => `t.owner_user_id = ${p}::uuid`, query.ownerUserId);
    if (query.ownerServiceId) add((p) => `t.owner_service_id = ${p}::uuid`, query.ownerServiceId);
    if (query.status) add((p) => `t.status = ${p}`, query.status);
    if (query.quadrant) where.push(QUADRANT_SQL[query.quadrant]);
    const clause = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM tasks t WHERE ${clause}`, params)) as { total: number }[];
    params.push(query.limit, (query.page - 1) * query.limit);
    const rows = (await this.dataSource.query(
      `SELECT t.* FROM tasks t WHERE ${clause}
        ORDER BY (t.status = 'open') DESC, t.due_at ASC NULLS LAST, t.created_at, t.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as TaskRow[];
    return { items: rows.map(toView), total };
  }

  async get(principal: Principal, id: string): Promise<TaskView> {
    const [row] = (await this.dataSource.query(`SELECT * FROM tasks WHERE id = $1`, [id])) as TaskRow[];
    if (!row) throw new NotFoundError('Task', id);
    assertSiteAccess(principal, row.site_id, 'Task', id);
    return toView(row);
  }

  /** Edits an open task; moving or clearing its reminder replaces the pending job (a new time reminds again). */
  async update(principal: Principal, id: string, patch: TaskPatch, expectedVersion?: number): Promise<TaskView> {
    const { before, after } = await this.live.transaction(async (manager, emit) => {
      const row = await this.lockOpen(manager, principal, id, expectedVersion);
      const dueAt = patch.dueAt !== undefined ? (patch.dueAt ? new Date(patch.dueAt) : null) : row.due_at;
      const remindAt = patch.remindAt !== undefined ? (patch.remindAt ? new Date(patch.remindAt) : null) : row.remind_at;
      const recurrence = patch.recurrence !== undefined ? patch.recurrence : row.recurrence;
      const remindChanged = (remindAt?.getTime() ?? null) !== (row.remind_at?.getTime() ?? null);
      checkTimes({ dueAt, remindAt, recurrence, remindChanged }, new Date());
      const owner = {
        ownerUserId: patch.ownerUserId !== undefined ? patch.ownerUserId : row.owner_user_id,
        ownerServiceId: patch.ownerServiceId !== undefined ? patch.ownerServiceId : row.owner_service_id,
      };
      if (!owner.ownerUserId && !owner.ownerServiceId) {
        throw new ValidationError('A task needs an owner', [{ field: 'ownerUserId', message: 'ownerUserId or ownerServiceId must remain' }]);
      }
      await assertOwner(manager, row.site_id, owner);
      const [updated] = await rowsOf<TaskRow>(
        manager,
        `UPDATE tasks SET title = $2, notes = $3, owner_user_id = $4, owner_service_id = $5, urgent = $6, important = $7,
                due_at = $8, remind_at = $9, recurrence = $10,
                reminder_sent_at = CASE WHEN $11 THEN NULL ELSE reminder_sent_at END,
                updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [
          id,
          patch.title ?? row.title,
          patch.notes !== undefined ? patch.notes : row.notes,
          owner.ownerUserId,
          owner.ownerServiceId,
          patch.urgent ?? row.urgent,
          patch.important ?? row.important,
          dueAt,
          remindAt,
          recurrence,
          remindChanged,
        ],
      );
      await this.recordChange(manager, emit, 'updated', row, updated, null);
      return { before: toView(row), after: toView(updated) };
    });
    if ((before.remindAt?.getTime() ?? null) !== (after.remindAt?.getTime() ?? null)) {
      await this.removeReminder(before);
      await this.scheduleReminder(after);
    }
    return after;
  }

  /** Done; a recurring task gets its next occurrence (same owner, flags and reminder lead). */
  async complete(principal: Principal, id: string): Promise<TaskView & { nextTaskId: string | null }> {
    const result = await this.live.transaction(async (manager, emit) => {
      const row = await this.lockOpen(manager, principal, id);
      const [done] = await rowsOf<TaskRow>(
        manager,
        `UPDATE tasks SET status = 'done', completed_at = now(), completed_by_user_id = $2, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, principal.kind === 'user' ? principal.id : null],
      );
      const next = await this.createNextOccurrence(manager, emit, done);
      await this.recordChange(manager, emit, 'completed', row, done, next?.id ?? null);
      return { done: toView(done), next: next ? toView(next) : null };
    });
    await this.removeReminder(result.done);
    if (result.next) await this.scheduleReminder(result.next);
    return { ...result.done, nextTaskId: result.next?.id ?? null };
  }

  async cancel(principal: Principal, id: string): Promise<TaskView> {
    const view = await this.live.transaction(async (manager, emit) => {
      const row = await this.lockOpen(manager, principal, id);
      const [cancelled] = await rowsOf<TaskRow>(
        manager,
        `UPDATE tasks SET status = 'cancelled', completed_at = now(), completed_by_user_id = $2, updated_at = now(), version = version + 1
          WHERE id = $1 RETURNING *`,
        [id, principal.kind === 'user' ? principal.id : null],
      );
      await this.recordChange(manager, emit, 'cancelled', row, cancelled, null);
      return toView(cancelled);
    });
    await this.removeReminder(view);
    return view;
  }

  private async lockOpen(manager: EntityManager, principal: Principal, id: string, expectedVersion?: number): Promise<TaskRow> {
    const [row] = (await manager.query(`SELECT * FROM tasks WHERE id = $1 FOR UPDATE`, [id])) as TaskRow[];
    if (!row) throw new NotFoundError('Task', id);
    assertSiteAccess(principal, row.site_id, 'Task', id);
    if (expectedVersion !== undefined && row.version !== expectedVersion) throw new StaleTaskError('Task', id, row.version);
    if (row.status !== 'open') throw new NotOpenError('Task', id, row.status);
    return row;
  }

  /** ON CONFLICT on the unique previous_task_id: a second completion path can never add a second occurrence. */
  private async createNextOccurrence(manager: EntityManager, emit: Emit, done: TaskRow): Promise<TaskRow | null> {
    if (!done.recurrence || !done.due_at) return null;
    const [{ time_zone }] = (await manager.query(`SELECT time_zone FROM sites WHERE id = $1`, [done.site_id])) as { time_zone: string }[];
    const dueAt = nextOccurrence(done.recurrence, done.due_at, time_zone);
    if (!dueAt) return null;
    const remindAt = done.remind_at ? new Date(dueAt.getTime() - (done.due_at.getTime() - done.remind_at.getTime())) : null;
    const [next] = (await manager.query(
      `INSERT INTO tasks (site_id, title, notes, owner_user_id, owner_service_id, urgent, important, due_at, remind_at, recurrence,
                          previous_task_id, created_by_user_id)
       SELECT site_id, title, notes, owner_user_id, owner_service_id, urgent, important, $2, $3, recurrence, id, created_by_user_id
         FROM tasks WHERE id = $1
       ON CONFLICT (previous_task_id) DO NOTHING
       RETURNING *`,
      [done.id, dueAt, remindAt && remindAt > new Date() ? remindAt : null],
    )) as TaskRow[];
    if (!next) return null;
    await this.recordChange(manager, emit, 'created', null, next, null);
    return next;
  }

  private async recordChange(
    manager: EntityManager,
    emit: Emit,
    action: 'created' | 'updated' | 'completed' | 'cancelled',
    before: TaskRow | null,
    after: TaskRow,
    nextTaskId: string | null,
  ): Promise<void> {
    await this.audit.record(manager, {
      action: before ? 'update' : 'create',
      entity: 'task',
      entityId: after.id,
      siteId: after.site_id,
      changes: diffFields(before ? toView(before) : null, toView(after), AUDITED),
    });
    // The previous owners hear about a reassignment too.
    const rooms = [...new Set([...ownerRooms(after), ...(before ? ownerRooms(before) : [])])];
    emit(after.site_id, 'task.changed', { taskId: after.id, status: after.status, action, nextTaskId }, rooms, { private: true });
  }

  /**
   * After commit: the job is keyed by task and time, so a retry is a no-op. A failed enqueue is
   * logged, not thrown (the task is saved and the reminder sweep sends it at its time).
   */
  private async scheduleReminder(task: TaskView): Promise<void> {
    if (!task.remindAt || task.status !== 'open' || task.reminderSentAt) return;
    try {
      await this.jobs.enqueue(
        'followups.task-reminder',
        { taskId: task.id, remindAt: task.remindAt.toISOString() },
        { jobId: reminderJobId(task.id, task.remindAt), delay: Math.max(0, task.remindAt.getTime() - Date.now()) },
      );
    } catch (error) {
      this.logger.warn({ err: error, taskId: task.id }, 'Task reminder not enqueued; the sweep will send it');
    }
  }

  /** Best effort: a job that stays (Redis unreachable, already running) finds the claim gone and does nothing. */
  private async removeReminder(task: TaskView): Promise<void> {
    if (!task.remindAt) return;
    try {
      await this.queues.get(QUEUES.followups)?.remove(reminderJobId(task.id, task.remindAt));
    } catch (error) {
      this.logger.warn({ err: error, taskId: task.id }, 'Task reminder job not removed; it will be a no-op');
    }
  }
}

function checkTimes(t: { dueAt: Date | null; remindAt: Date | null; recurrence: string | null; remindChanged: boolean }, now: Date): void {
  const errors: FieldError[] = [];
  if (t.remindChanged && t.remindAt && t.remindAt.getTime() <= now.getTime()) errors.push({ field: 'remindAt', message: 'remindAt must be in the future' });
  if (t.recurrence) {
    if (!t.dueAt) errors.push({ field: 'recurrence', message: 'a recurring task needs a dueAt (it starts the series)' });
    errors.push(...recurrenceErrors(t.recurrence));
  }
  if (errors.length) throw new ValidationError('Invalid task times', errors);
}

export function toView(r: TaskRow): TaskView {
  return {
    id: r.id,
    siteId: r.site_id,
    title: r.title,
    notes: r.notes,
    ownerUserId: r.owner_user_id,
    ownerServiceId: r.owner_service_id,
    urgent: r.urgent,
    important: r.important,
    quadrant: quadrantOf(r.urgent, r.important),
    dueAt: r.due_at,
    remindAt: r.remind_at,
    reminderSentAt: r.reminder_sent_at,
    recurrence: r.recurrence,
    previousTaskId: r.previous_task_id,
    status: r.status,
    completedAt: r.completed_at,
    completedByUserId: r.completed_by_user_id,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
