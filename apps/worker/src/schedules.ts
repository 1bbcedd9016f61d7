import { JobName, JobPayloads } from '@guichet/jobs/jobs';

interface Schedule<N extends JobName> {
  /** Stored in Redis as the job scheduler id: never rename one, or the old schedule keeps firing. */
  id: string;
  job: N;
  payload: JobPayloads[N];
  /** Cron pattern read in `tz`, so "3:17 at night" stays at night across daylight saving changes. */
  pattern: string;
  tz: string;
}

type AnySchedule = { [N in JobName]: Schedule<N> }[JobName];

/**
 * Repeating jobs, upserted by every worker at start (idempotent by id, so several workers keep one
 * schedule each). To retire one, remove it here and call `queue.removeJobScheduler(id)` once.
 */
export const SCHEDULES: readonly AnySchedule[] = [
  { id: 'purge-auth', job: 'maintenance.purge-auth', payload: {}, pattern: '17 3 * * *', tz: 'Europe/Paris' },
  { id: 'appointments-no-show', job: 'maintenance.appointments-no-show', payload: {}, pattern: '*/5 * * * *', tz: 'UTC' },
  // Six fields: every 30 seconds.
  { id: 'alerts-sweep', job: 'alerts.sweep', payload: {}, pattern: '*/30 * * * * *', tz: 'UTC' },
  // Task reminders whose delayed job Redis lost; every 30 seconds.
  { id: 'task-reminders-sweep', job: 'followups.task-reminders-sweep', payload: {}, pattern: '*/30 * * * * *', tz: 'UTC' },
  // Survey invitations whose delayed job Redis lost (the send claim keeps each mail single).
  { id: 'survey-invitations-sweep', job: 'maintenance.survey-invitations-sweep', payload: {}, pattern: '* * * * *', tz: 'UTC' },
  // Incident escalation steps and mails whose delayed job Redis lost; every 30 seconds.
  { id: 'incident-escalation-sweep', job: 'followups.incident-escalation-sweep', payload: {}, pattern: '*/30 * * * * *', tz: 'UTC' },
  // Service order reminders and escalations (and their mails) whose delayed job Redis lost; every 30 seconds.
  { id: 'service-orders-sweep', job: 'followups.service-orders-sweep', payload: {}, pattern: '*/30 * * * * *', tz: 'UTC' },
  // Complaint SLA warnings, escalations and their mails whose delayed job Redis lost; every 30 seconds.
  { id: 'complaint-sla-sweep', job: 'followups.complaint-sla-sweep', payload: {}, pattern: '*/30 * * * * *', tz: 'UTC' },
];
