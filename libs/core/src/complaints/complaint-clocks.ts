import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';
import { JobProducer, QUEUES_BY_NAME } from '@guichet/jobs/job-producer';
import { JOB_QUEUE, QueueName } from '@guichet/jobs/jobs';
import { UnprocessableError } from '../errors/domain-error';
import type { Closure, WeeklyHours } from '../organisation/opening-hours';
import { addBusinessMinutes, BusinessCalendar, BusinessCalendarError } from './business-time';
import type { ClockKind } from './complaint-lifecycle';
import { ComplaintErrorCode } from './complaints.errors';

/** The SLA of a complaint category. */
export interface SlaPolicy {
  acknowledgeMinutes: number;
  answerMinutes: number;
  warningPercent: number | null;
  warningMinutesBefore: number | null;
  useBusinessHours: boolean;
}

/** A clock row as the scheduler and the steps read it. */
export interface ClockRow {
  complaintId: string;
  kind: ClockKind;
  targetMinutes: number;
  businessHours: boolean;
  startedAt: Date;
  dueAt: Date;
  warnAt: Date | null;
  pausedAt: Date | null;
  pausedMinutes: number;
  stoppedAt: Date | null;
  warnedAt: Date | null;
  escalatedAt: Date | null;
}

export const SELECT_CLOCK = `
  SELECT k.complaint_id AS "complaintId", k.kind, k.target_minutes AS "targetMinutes", k.business_hours AS "businessHours",
         k.started_at AS "startedAt", k.due_at AS "dueAt", k.warn_at AS "warnAt", k.paused_at AS "pausedAt",
         k.paused_minutes AS "pausedMinutes", k.stopped_at AS "stoppedAt", k.warned_at AS "warnedAt", k.escalated_at AS "escalatedAt"
    FROM complaint_clocks k`;

/** The calendar of a site as a clock reads it: with `businessHours` false, none (24/7). */
export async function siteCalendar(manager: EntityManager, siteId: string, businessHours: boolean): Promise<BusinessCalendar> {
  const [site] = (await manager.query(`SELECT time_zone, opening_hours, closures FROM sites WHERE id = $1`, [siteId])) as {
    time_zone: string;
    opening_hours: WeeklyHours;
    closures: Closure[];
  }[];
  return { hours: businessHours ? site.opening_hours : null, closures: site.closures, timeZone: site.time_zone };
}

/** Due and warning instants of a clock started at `start` with `minutes` of business time left. */
export function clockTimes(
  start: Date,
  targetMinutes: number,
  minutesLeft: number,
  policy: Pick<SlaPolicy, 'warningPercent' | 'warningMinutesBefore'>,
  calendar: BusinessCalendar,
): { dueAt: Date; warnAt: Date | null } {
  try {
    const dueAt = addBusinessMinutes(start, minutesLeft, calendar);
    // The warning keeps its place in the allotted time: so many minutes before the breach.
    const before =
      policy.warningPercent !== null
        ? (targetMinutes * (100 - policy.warningPercent)) / 100
        : policy.warningMinutesBefore !== null
          ? Math.min(policy.warningMinutesBefore, targetMinutes)
          : null;
    const warnAt = before === null ? null : addBusinessMinutes(start, Math.max(0, minutesLeft - before), calendar);
    return { dueAt, warnAt };
  } catch (error) {
    if (error instanceof BusinessCalendarError) {
      throw new UnprocessableError(`The site's calendar cannot hold this SLA: ${error.message}`, ComplaintErrorCode.CalendarNeverOpen);
    }
    throw error;
  }
}

/** Deterministic ids: one job per step and due time, so a moved clock (resumed, restarted) gets new ones. */
export function warningJobId(complaintId: string, kind: ClockKind, dueAt: Date): string {
  return `complaint-warn-${complaintId}-${kind}-${dueAt.getTime()}`;
}
export function escalationJobId(complaintId: string, kind: ClockKind, dueAt: Date): string {
  return `complaint-breach-${complaintId}-${kind}-${dueAt.getTime()}`;
}

/**
 * Puts a clock's warning and escalation on the `followups` queue, and takes them off when the
 * clock stops, pauses or moves. Always after commit: a job that ran before the commit would find
 * no row and be spent. Failures are logged, not thrown, because the change is already committed;
 * the SLA sweep (every minute) performs whatever step is overdue without its job.
 */
@Injectable()
export class ComplaintSlaScheduler {
  private readonly logger = new Logger('ComplaintSla');

  constructor(
    private readonly jobs: JobProducer,
    @Inject(QUEUES_BY_NAME) private readonly queues: ReadonlyMap<QueueName, Queue>,
  ) {}

  async schedule(clocks: readonly ClockRow[], now = Date.now()): Promise<void> {
    for (const clock of clocks) {
      if (clock.stoppedAt || clock.pausedAt) continue;
      const payload = { complaintId: clock.complaintId, clock: clock.kind, dueAt: clock.dueAt.toISOString() };
      try {
        if (clock.warnAt && !clock.warnedAt && !clock.escalatedAt) {
          await this.jobs.enqueue('followups.complaint-sla-warning', payload, {
            jobId: warningJobId(clock.complaintId, clock.kind, clock.dueAt),
            delay: Math.max(0, clock.warnAt.getTime() - now),
          });
        }
        if (!clock.escalatedAt) {
          await this.jobs.enqueue('followups.complaint-sla-escalation', payload, {
            jobId: escalationJobId(clock.complaintId, clock.kind, clock.dueAt),
            delay: Math.max(0, clock.dueAt.getTime() - now),
          });
        }
      } catch (error) {
        this.logger.error({ err: error, complaintId: clock.complaintId, clock: clock.kind }, 'Could not enqueue the SLA steps; the sweep will catch them');
      }
    }
  }

  /**
   * Removes the pending jobs of clocks as they were before a change. A job already running is
   * left alone (BullMQ keeps it locked): its handler re-reads the clock and does nothing.
   */
  async unschedule(clocks: readonly Pick<ClockRow, 'complaintId' | 'kind' | 'dueAt'>[]): Promise<void> {
    const queue = this.queues.get(JOB_QUEUE['followups.complaint-sla-warning']);
    if (!queue) return;
    for (const clock of clocks) {
      for (const id of [warningJobId(clock.complaintId, clock.kind, clock.dueAt), escalationJobId(clock.complaintId, clock.kind, clock.dueAt)]) {
        try {
          await queue.remove(id);
        } catch (error) {
          this.logger.warn({ err: error, jobId: id }, 'Could not remove a stale SLA job; it will be a no-op');
        }
      }
    }
  }
}
