import { Injectable } from '@nestjs/common';
import { ComplaintSlaSteps } from '@guichet/core/complaints/complaint-sla-steps.service';
import { JobHandler } from '../jobs/job-router';

/** Every minute (schedules.ts): SLA steps and mails that are due but whose job Redis lost. Idempotent. */
@Injectable()
export class ComplaintSlaSweepHandler implements JobHandler<'followups.complaint-sla-sweep'> {
  readonly job = 'followups.complaint-sla-sweep';

  constructor(private readonly steps: ComplaintSlaSteps) {}

  handle(): Promise<{ warnings: number; escalations: number; mails: number }> {
    return this.steps.sweep();
  }
}
