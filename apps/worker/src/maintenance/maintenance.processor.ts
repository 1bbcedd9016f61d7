import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@guichet/jobs/jobs';
import { JobRouter } from '../jobs/job-router';
import { QueueProcessor, WORKER_DEFAULTS } from '../jobs/queue-processor';

/** Housekeeping runs one job at a time: it is never urgent and should not load the database. */
@Processor(QUEUES.maintenance, { ...WORKER_DEFAULTS, concurrency: 1 })
export class MaintenanceProcessor extends QueueProcessor {
  constructor(router: JobRouter) {
    super(QUEUES.maintenance, router);
  }
}
