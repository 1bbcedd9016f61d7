import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from './jobs';

export const QUEUES_BY_NAME = Symbol('QUEUES_BY_NAME');

/**
 * Applied to every job, scheduled ones included. Completed jobs are kept a day so a deterministic
 * jobId still deduplicates a late retry of the same enqueue; failed ones are kept two weeks for
 * inspection. Both are bounded because Redis runs with `noeviction`: a full Redis refuses writes.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 10_000 }, // 10 s, 20 s, 40 s, 80 s
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 5000 },
} satisfies JobSchedulerTemplateOptions;

export interface EnqueueOptions {
  /**
   * Makes the job happen once: while a job with this id exists in the queue (waiting, active,
   * completed or failed and not yet removed), adding it again is a no-op. Build it from the ids
   * that define the event, e.g. `escalation.<incidentId>.<level>`. Handlers stay idempotent anyway:
   * the id is forgotten once the job is removed (see DEFAULT_JOB_OPTIONS).
   */
  jobId?: string;
  /** Milliseconds before the job may run. */
  delay?: number;
}

/**
 * BullMQ refuses ':' in custom ids (it separates key parts; its own scheduler ids are
 * `repeat:<id>:<time>`) and ids that are integers (they would collide with its counter ids).
 */
const CUSTOM_ID = /^(?!\d+$)[A-Za-z0-9._-]{1,128}$/;

export function assertCustomId(id: string, what = 'jobId'): void {
  if (!CUSTOM_ID.test(id)) {
    throw new Error(
      `Invalid ${what} ${JSON.stringify(id)}: use 1-128 letters, digits, '.', '_' or '-', not only digits (BullMQ forbids ':' and integer ids)`,
    );
  }
}

/** The only way to put work on a queue; the API and the worker both use it, only the worker processes. */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);

  constructor(@Inject(QUEUES_BY_NAME) private readonly queues: ReadonlyMap<QueueName, Queue>) {
    // Without a listener BullMQ prints connection errors with console.error; keep them in the JSON log.
    for (const queue of queues.values()) {
      queue.on('error', (error) => this.logger.error(`Queue ${queue.name}: ${error.message}`));
    }
  }

  /** Resolves once Redis holds the job: a failure to enqueue reaches the caller, never silently lost. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions = {}): Promise<Job<JobPayloads[N], unknown, N>> {
    if (opts.jobId !== undefined) assertCustomId(opts.jobId);
    return (await this.queueOf(name).add(name, payload, {
      ...DEFAULT_JOB_OPTIONS,
      ...(opts.jobId !== undefined && { jobId: opts.jobId }),
      ...(opts.delay !== undefined && { delay: opts.delay }),
    })) as Job<JobPayloads[N], unknown, N>;
  }

  /**
   * Creates or updates a repeating job. Idempotent by scheduler id, so every worker can call it at
   * start without doubling the schedule. The id is stored in Redis: never rename it.
   */
  async schedule<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayloads[N],
    repeat: { pattern: string; tz: string },
  ): Promise<void> {
    assertCustomId(schedulerId, 'scheduler id');
    await this.queueOf(name).upsertJobScheduler(schedulerId, repeat, { name, data: payload, opts: DEFAULT_JOB_OPTIONS });
  }

  private queueOf(name: JobName): Queue {
    const queue = this.queues.get(JOB_QUEUE[name]);
    if (!queue) throw new Error(`Queue ${JOB_QUEUE[name]} of job ${name} is not registered`);
    return queue;
  }
}
