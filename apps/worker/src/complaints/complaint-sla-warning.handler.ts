import { Injectable } from '@nestjs/common';
import { ComplaintSlaSteps, StepOutcome } from '@guichet/core/complaints/complaint-sla-steps.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Once per clock run; a clock that stopped, paused or moved since the job was made is left alone. */
@Injectable()
export class ComplaintSlaWarningHandler implements JobHandler<'followups.complaint-sla-warning'> {
  readonly job = 'followups.complaint-sla-warning';

  constructor(private readonly steps: ComplaintSlaSteps) {}

  handle(payload: JobPayloads['followups.complaint-sla-warning']): Promise<StepOutcome> {
    return this.steps.warn(payload.complaintId, payload.clock, payload.dueAt);
  }
}
