import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '@guichet/database/sql';
import { LiveEvents } from '../live/live-events.service';
import { ownerRooms } from './task-owner';

export type ReminderOutcome = { sent: true } | { sent: false; reason: string };

const SWEEP_BATCH = 100;
/**
 * A reminder's own delayed job fires it on time; the sweep only takes over once it is this late,
 * so it never races a job that is about to run. A reminder lost with Redis comes at most about a
 * minute late (this grace plus the sweep period).
 */
export const SWEEP_GRACE_SECONDS = 30;

/**
 * Deterministic job id of a task's reminder at a given time: enqueuing twice is a no-op, and a
 * rescheduled reminder gets a new id while the old one is removed (see TasksService).
 */
export function reminderJobId(taskId: string, remindAt: Date): string {
  return `task-reminder.${taskId}.${remindAt.getTime()}`;
}

/**
 * Fires task reminders exactly once. The claim (`reminder_sent_at` set while null, for the very
 * `remind_at` the job was scheduled for, on an open task) and the live event commit in one
 * transaction: a retried, duplicated or stale job (task done, cancelled or rescheduled) matches no
 * row and does nothing; a worker dying mid-way rolls both back and the retry or the sweep sends it.
 * The event is private to the owner's user or service room and the claim column keeps it readable
 * afterwards (GET /tasks shows `reminderSentAt`), so a console that was offline loses nothing.
 */
@Injectable()
export class TaskRemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  fire(taskId: string, remindAt: string | Date): Promise<ReminderOutcome> {
    return this.live.transaction(async (manager, emit) => {
      const [task] = await rowsOf<{ site_id: string; owner_user_id: string | null; owner_service_id: string | null; remind_at: Date; due_at: Date | null }>(
        manager,
        `UPDATE tasks SET reminder_sent_at = clock_timestamp()
          WHERE id = $1 AND status = 'open' AND reminder_sent_at IS NULL
            AND remind_at = $2::timestamptz AND remind_at <= clock_timestamp()
          RETURNING site_id, owner_user_id, owner_service_id, remind_at, due_at`,
        [taskId, new Date(remindAt)],
      );
      if (!task) return { sent: false, reason: await this.skipReason(taskId, new Date(remindAt)) };
      emit(
        task.site_id,
        'task.reminder',
        { taskId, remindAt: task.remind_at.toISOString(), dueAt: task.due_at?.toISOString() ?? null },
        ownerRooms(task),
        { private: true },
      );
      return { sent: true };
    });
  }

  /** Sends the reminders that are overdue by `graceSeconds` and unsent: their job was lost with Redis. */
  async sweep(graceSeconds = SWEEP_GRACE_SECONDS, limit = SWEEP_BATCH): Promise<{ sent: number }> {
    const due = (await this.dataSource.query(
      `SELECT id, remind_at FROM tasks
        WHERE status = 'open' AND reminder_sent_at IS NULL AND remind_at <= now() - make_interval(secs => $1)
        ORDER BY remind_at LIMIT $2`,
      [graceSeconds, limit],
    )) as { id: string; remind_at: Date }[];
    let sent = 0;
    for (const row of due) if ((await this.fire(row.id, row.remind_at)).sent) sent++;
    return { sent };
  }

  private async skipReason(taskId: string, remindAt: Date): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT status, remind_at, reminder_sent_at FROM tasks WHERE id = $1`, [taskId])) as {
      status: string;
      remind_at: Date | null;
      reminder_sent_at: Date | null;
    }[];
    if (!row) return 'task deleted';
    if (row.status !== 'open') return `task ${row.status}`;
    if (!row.remind_at || row.remind_at.getTime() !== remindAt.getTime()) return 'reminder moved';
    if (row.reminder_sent_at) return 'already sent';
    return 'not yet due (the sweep sends it once late)';
  }
}
