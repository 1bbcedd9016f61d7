/**
 * Every queue and job name of Guichet, in one place.
 *
 * NEVER RENAME OR REUSE A VALUE: jobs waiting in Redis, failed jobs kept for inspection and job
 * schedulers carry these strings. A renamed job would sit in its queue with no handler; a renamed
 * queue would be abandoned with its jobs. To retire a job, stop enqueuing it, let its queue drain,
 * then remove its entry.
 *
 * Adding a job: declare its payload in `JobPayloads` and its queue in `JOB_QUEUE` (the compiler
 * asks for both), then write one handler in apps/worker. The worker refuses to start while a job
 * has no handler, two handlers or a handler names an unknown job.
 */

/** A queue is a Redis structure with its own worker and concurrency; group jobs by operational need, not by domain. */
export const QUEUES = {
  maintenance: 'maintenance',
  /** Mails and messages to the public; many can run at once (they wait on remote servers). */
  notifications: 'notifications',
  /** Flow alert evaluations: short database transactions, a few at once. */
  alerts: 'alerts',
  /**
   * Timed follow-ups that must fire once at their time: escalation steps, reminders, SLA warnings
   * and breaches, late-order chasers. Each is a short transaction that claims its row first.
   */
  followups: 'followups',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];

/**
 * Job name → payload. Payloads are JSON in Redis: they carry ids and small values, never entities
 * (the handler re-reads the current rows; a Date would come back as a string). Name jobs
 * `<queue>.<verb-object>`.
 */
export interface JobPayloads {
  /** Deletes expired refresh tokens and long-dead auth sessions. */
  'maintenance.purge-auth': Record<string, never>;
  /** Marks booked appointments whose late window is over as no-shows. */
  'maintenance.appointments-no-show': Record<string, never>;
  /** Sends the booking confirmation mail (once; skipped if cancelled meanwhile). */
  'notifications.appointment-confirmation': { appointmentId: string };
  /** Sends the reminder for the appointment starting at `startsAt` (ISO); skipped if it was moved or cancelled. */
  'notifications.appointment-reminder': { appointmentId: string; startsAt: string };
  /** Raises and resolves the flow alerts of one queue (one job per queue and 10 s bucket, see AlertTrigger). */
  'alerts.evaluate-queue': { queueId: string };
  /** Enqueues an evaluation of every queue that has thresholds or open alerts. */
  'alerts.sweep': Record<string, never>;
  /** Mails one satisfaction survey invitation (claimed once; skipped if consent was withdrawn or the visitor was surveyed meanwhile). */
  'notifications.survey-invitation': { invitationId: string };
  /** Sends the survey invitations that are due but whose job Redis lost. */
  'maintenance.survey-invitations-sweep': Record<string, never>;
  /** Sends a task's reminder once, if the task is still open and still due to remind at `remindAt` (ISO). */
  'followups.task-reminder': { taskId: string; remindAt: string };
  /** Sends the task reminders that are due but whose job Redis lost. */
  'followups.task-reminders-sweep': Record<string, never>;
  /** Performs the due steps of an incident alert's escalation chain (up to `step`) and sends their mails; no-op once acknowledged. */
  'followups.incident-escalation': { alertId: string; step: number };
  /** Performs escalation steps and mails that are due but whose job Redis lost. */
  'followups.incident-escalation-sweep': Record<string, never>;
  /** Warns a complaint's owner before its `clock` breaches; no-op if the clock stopped, paused or moved from `dueAt` (ISO). */
  'followups.complaint-sla-warning': { complaintId: string; clock: 'acknowledge' | 'answer'; dueAt: string };
  /** Escalates a complaint whose `clock` breached at `dueAt` (ISO) to the site's supervisors (live + mail); same no-op rules. */
  'followups.complaint-sla-escalation': { complaintId: string; clock: 'acknowledge' | 'answer'; dueAt: string };
  /** Performs complaint SLA warnings, escalations and escalation mails that are due but whose job Redis lost. */
  'followups.complaint-sla-sweep': Record<string, never>;
  /** A late service order's follow-up step (reminder to provider and requester, or escalation to supervisors); claimed once, no-op once the order is finished. */
  'followups.service-order-step': { orderId: string; step: 'reminder' | 'escalation' };
  /** Performs the service order follow-up steps and mails that are due but whose job Redis lost. */
  'followups.service-orders-sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** Job name → the one queue that carries it. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'maintenance.purge-auth': QUEUES.maintenance,
  'maintenance.appointments-no-show': QUEUES.maintenance,
  'notifications.appointment-confirmation': QUEUES.notifications,
  'notifications.appointment-reminder': QUEUES.notifications,
  'alerts.evaluate-queue': QUEUES.alerts,
  'alerts.sweep': QUEUES.alerts,
  'notifications.survey-invitation': QUEUES.notifications,
  'maintenance.survey-invitations-sweep': QUEUES.maintenance,
  'followups.task-reminder': QUEUES.followups,
  'followups.task-reminders-sweep': QUEUES.followups,
  'followups.incident-escalation': QUEUES.followups,
  'followups.incident-escalation-sweep': QUEUES.followups,
  'followups.complaint-sla-warning': QUEUES.followups,
  'followups.complaint-sla-escalation': QUEUES.followups,
  'followups.complaint-sla-sweep': QUEUES.followups,
  'followups.service-order-step': QUEUES.followups,
  'followups.service-orders-sweep': QUEUES.followups,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];
