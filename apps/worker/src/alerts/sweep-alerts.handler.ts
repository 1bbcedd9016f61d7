import { Injectable } from '@nestjs/common';
import { AlertEvaluator } from '@guichet/core/alerts/alert-evaluator.service';
import { evaluationJob } from '@guichet/core/alerts/alert-trigger.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { JobHandler } from '../jobs/job-router';

/**
 * Every 30 s: one evaluation job per queue, with the same jobId as the API's triggers so that both
 * collapse. Catches what no trigger announces (time passing: waits growing, counters idling).
 */
@Injectable()
export class SweepAlertsHandler implements JobHandler<'alerts.sweep'> {
  readonly job = 'alerts.sweep';

  constructor(
    private readonly evaluator: AlertEvaluator,
    private readonly jobs: JobProducer,
  ) {}

  async handle(): Promise<{ queues: number }> {
    const queueIds = await this.evaluator.queuesToEvaluate();
    const now = Date.now();
    for (const queueId of queueIds) {
      const { jobId, delay } = evaluationJob(queueId, now);
      await this.jobs.enqueue('alerts.evaluate-queue', { queueId }, { jobId, delay });
    }
    return { queues: queueIds.length };
  }
}
