import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@guichet/jobs/jobs';
import { JobRouter } from '../jobs/job-router';
import { QueueProcessor, WORKER_DEFAULTS } from '../jobs/queue-processor';

/**
 * Evaluations are short transactions serialised per queue by an advisory lock, so a few run at
 * once without two of them working on the same queue.
 */
@Processor(QUEUES.alerts, { ...WORKER_DEFAULTS, concurrency: 4 })
export class AlertsProcessor extends QueueProcessor {
  constructor(router: JobRouter) {
    super(QUEUES.alerts, router);
  }
}
