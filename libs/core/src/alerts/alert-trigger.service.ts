import { Injectable } from '@nestjs/common';
import { JobProducer } from '@guichet/jobs/job-producer';

export const EVALUATION_BUCKET_MS = 10_000;

/**
 * The evaluation job of a queue: one per queue and 10-second bucket, run when its bucket ends.
 * Every trigger of a burst (ticket after ticket, the sweep) maps to the same jobId and collapses
 * into that job, which runs after the changes it was asked for. BullMQ forbids ':' in ids.
 */
export function evaluationJob(queueId: string, nowMs: number): { jobId: string; delay: number } {
  const bucket = Math.floor(nowMs / EVALUATION_BUCKET_MS);
  return { jobId: `alerts-eval-${queueId}-${bucket}`, delay: (bucket + 1) * EVALUATION_BUCKET_MS - nowMs };
}

/** Asks the worker to re-evaluate a queue's alerts soon: one Redis write, cheap enough for hot paths. */
@Injectable()
export class AlertTrigger {
  constructor(private readonly jobs: JobProducer) {}

  async queueChanged(queueId: string): Promise<void> {
    const { jobId, delay } = evaluationJob(queueId, Date.now());
    await this.jobs.enqueue('alerts.evaluate-queue', { queueId }, { jobId, delay });
  }
}
