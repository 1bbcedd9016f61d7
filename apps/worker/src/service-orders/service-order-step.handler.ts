import { Injectable } from '@nestjs/common';
import { AdvanceOutcome, ServiceOrderFollowupsService } from '@guichet/core/service-orders/service-order-followups.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/**
 * A late order's reminder or escalation. Whatever the step named, every step now due is performed
 * (an escalation job that finds its reminder's job lost sends the reminder first); each is claimed
 * once in PostgreSQL and skipped when the order was finished, cancelled or rejected meanwhile.
 */
@Injectable()
export class ServiceOrderStepHandler implements JobHandler<'followups.service-order-step'> {
  readonly job = 'followups.service-order-step';

  constructor(private readonly followups: ServiceOrderFollowupsService) {}

  handle(payload: JobPayloads['followups.service-order-step']): Promise<AdvanceOutcome> {
    return this.followups.advance(payload.orderId);
  }
}
