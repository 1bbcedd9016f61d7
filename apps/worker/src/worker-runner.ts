import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@guichet/core/redis/redis.module';
import { JobProducer } from '@guichet/jobs/job-producer';
import { JOB_NAMES, QUEUE_NAMES } from '@guichet/jobs/jobs';
import { JobRouter } from './jobs/job-router';
import { checkJobWiring } from './jobs/job-wiring';
import { QUEUE_PROCESSORS, QueueProcessor } from './jobs/queue-processor';
import { checkMaxmemoryPolicy } from './redis-policy';
import { SCHEDULES } from './schedules';

/** Starts consuming once everything is checked, and stops consuming before anything else closes. */
@Injectable()
export class WorkerRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');

  constructor(
    private readonly router: JobRouter,
    @Inject(QUEUE_PROCESSORS) private readonly processors: readonly QueueProcessor[],
    private readonly producer: JobProducer,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async start(): Promise<void> {
    checkJobWiring(
      { jobs: JOB_NAMES, queues: QUEUE_NAMES },
      { handlers: this.router.handledJobs, processors: this.processors.map((p) => p.queue) },
    );
    await checkMaxmemoryPolicy(this.redis, this.logger);
    for (const { id, job, payload, pattern, tz } of SCHEDULES) {
      await this.producer.schedule(id, job, payload, { pattern, tz });
      this.logger.log({ scheduler: id, job, pattern, tz }, `Scheduled ${job} (${pattern}, ${tz})`);
    }
    for (const processor of this.processors) {
      // run() settles only when the worker closes; its errors are also emitted as 'error' events.
      processor.worker.run().catch((error: unknown) => this.logger.error({ err: error }, `Queue ${processor.queue} stopped`));
    }
    this.logger.log({ queues: this.processors.map((p) => p.queue) }, 'Worker consuming');
  }

  /**
   * Runs before the shutdown hooks that close the database pool and Redis: stop taking jobs and
   * let the running ones finish, so none is cut off with its connections gone.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`Stopping${signal ? ` on ${signal}` : ''}: waiting for running jobs`);
    await Promise.all(this.processors.map((p) => p.worker.close()));
    this.logger.log('Workers stopped');
  }
}
