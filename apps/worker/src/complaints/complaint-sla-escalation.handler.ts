import { Injectable } from '@nestjs/common';
import { ComplaintSlaSteps, StepOutcome } from '@guichet/core/complaints/complaint-sla-steps.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Once per clock run: escalation (live, history) then the supervisors' mail; a failed mail fails the job, whose retry only mails. */
@Injectable()
export class ComplaintSlaEscalationHandler implements JobHandler<'followups.complaint-sla-escalation'> {
  readonly job = 'followups.complaint-sla-escalation';

  constructor(private readonly steps: ComplaintSlaSteps) {}

  handle(payload: JobPayloads['followups.complaint-sla-escalation']): Promise<StepOutcome & { mailed?: boolean }> {
    return this.steps.escalate(payload.complaintId, payload.clock, payload.dueAt);
  }
}
