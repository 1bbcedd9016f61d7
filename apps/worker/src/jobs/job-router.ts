import { Inject, Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName } from '@guichet/jobs/jobs';

/**
 * Runs one job name. Handlers MUST be idempotent: a failed job is retried with backoff, and a job
 * whose worker died mid-run is handed to another worker once its lock expires (BullMQ stalled-job
 * recovery), so any handler may run again after a partial first run.
 */
export interface JobHandler<N extends JobName = JobName> {
  readonly job: N;
  handle(payload: JobPayloads[N], job: Job<JobPayloads[N], unknown, N>): Promise<unknown>;
}

export type AnyJobHandler = { [N in JobName]: JobHandler<N> }[JobName];

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/** Dispatches a job to its handler and logs its outcome. The wiring is checked by WorkerRunner before any job runs. */
@Injectable()
export class JobRouter {
  private readonly logger = new Logger('Jobs');
  private readonly handlers: ReadonlyMap<string, AnyJobHandler>;

  constructor(@Inject(JOB_HANDLERS) private readonly handlerList: readonly AnyJobHandler[]) {
    this.handlers = new Map(handlerList.map((handler) => [handler.job, handler]));
  }

  /** Job names of the registered handlers, duplicates included (for the wiring check). */
  get handledJobs(): string[] {
    return this.handlerList.map((handler) => handler.job);
  }

  async dispatch(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    if (!handler || JOB_QUEUE[handler.job] !== queue) {
      // Retryable on purpose: during a rolling deploy an older worker may meet a job a newer API enqueued.
      throw new Error(`No handler for job "${job.name}" on queue "${queue}"`);
    }
    const meta = { queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 };
    const started = Date.now();
    try {
      const result = await (handler as JobHandler).handle(job.data, job as Job<JobPayloads[JobName], unknown, JobName>);
      this.logger.log({ ...meta, ms: Date.now() - started, result }, 'Job completed');
      return result;
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      this.logger.warn(
        { ...meta, ms: Date.now() - started, err: error },
        meta.attempt < attempts ? `Job failed, will retry (attempt ${meta.attempt}/${attempts})` : `Job failed for good after ${attempts} attempts`,
      );
      throw error;
    }
  }
}
