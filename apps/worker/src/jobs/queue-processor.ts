import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { QueueName } from '@guichet/jobs/jobs';
import { JobRouter } from './job-router';

export const QUEUE_PROCESSORS = Symbol('QUEUE_PROCESSORS');

/**
 * Worker options shared by every processor. `autorun: false`: WorkerRunner starts consuming only
 * after the wiring check and the schedules. Lock and stall settings stay at BullMQ's defaults: the
 * 30 s job lock is renewed while the job runs; when its worker dies the lock lapses and another
 * worker moves the job back to waiting (once; a job that stalls twice fails).
 */
export const WORKER_DEFAULTS = { autorun: false } as const;

/** The one processor of a queue: hands each job to its handler by name. Subclasses add `@Processor(queue, …)`. */
export abstract class QueueProcessor extends WorkerHost {
  private readonly logger: Logger;

  protected constructor(
    readonly queue: QueueName,
    private readonly router: JobRouter,
  ) {
    super();
    this.logger = new Logger(`Queue ${queue}`);
  }

  process(job: Job): Promise<unknown> {
    return this.router.dispatch(this.queue, job);
  }

  @OnWorkerEvent('stalled')
  onStalled(jobId: string): void {
    this.logger.warn({ jobId }, 'Job stalled (its worker died or blocked); it goes back to waiting');
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error({ err: error }, `Worker error: ${error.message}`);
  }
}
