import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@guichet/jobs/jobs';
import { JobRouter } from '../jobs/job-router';
import { QueueProcessor, WORKER_DEFAULTS } from '../jobs/queue-processor';

/** Mails mostly wait on the SMTP server, so several run at once. */
@Processor(QUEUES.notifications, { ...WORKER_DEFAULTS, concurrency: 5 })
export class NotificationsProcessor extends QueueProcessor {
  constructor(router: JobRouter) {
    super(QUEUES.notifications, router);
  }
}
