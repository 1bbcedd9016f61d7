import { Injectable } from '@nestjs/common';
import { AlertEvaluator, EvaluationResult } from '@guichet/core/alerts/alert-evaluator.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Idempotent by construction (see AlertEvaluator): a retried, stalled or duplicated job raises nothing twice. */
@Injectable()
export class EvaluateQueueAlertsHandler implements JobHandler<'alerts.evaluate-queue'> {
  readonly job = 'alerts.evaluate-queue';

  constructor(private readonly evaluator: AlertEvaluator) {}

  async handle({ queueId }: JobPayloads['alerts.evaluate-queue']): Promise<EvaluationResult | { skipped: 'queue_not_found' }> {
    return (await this.evaluator.evaluate(queueId)) ?? { skipped: 'queue_not_found' };
  }
}
