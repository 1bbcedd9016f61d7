import { Processor } from '@nestjs/bullmq';
import { QUEUES } from '@guichet/jobs/jobs';
import { JobRouter } from '../jobs/job-router';
import { QueueProcessor, WORKER_DEFAULTS } from '../jobs/queue-processor';

/** Follow-ups are short claim-then-act transactions; a few at once keep a burst of due steps on time. */
@Processor(QUEUES.followups, { ...WORKER_DEFAULTS, concurrency: 4 })
export class FollowupsProcessor extends QueueProcessor {
  constructor(router: JobRouter) {
    super(QUEUES.followups, router);
  }
}
