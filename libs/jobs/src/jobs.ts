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
}

export type JobName = keyof JobPayloads;

/** Job name → the one queue that carries it. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'maintenance.purge-auth': QUEUES.maintenance,
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];
