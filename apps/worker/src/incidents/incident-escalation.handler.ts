import { Injectable } from '@nestjs/common';
import { EscalationOutcome, IncidentEscalationService } from '@guichet/core/incidents/incident-escalation.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** One step of an incident alert's chain; each step is claimed in PostgreSQL, so a retried or duplicated job alerts nobody twice. */
@Injectable()
export class IncidentEscalationHandler implements JobHandler<'followups.incident-escalation'> {
  readonly job = 'followups.incident-escalation';

  constructor(private readonly escalation: IncidentEscalationService) {}

  handle({ alertId, step }: JobPayloads['followups.incident-escalation']): Promise<EscalationOutcome> {
    return this.escalation.advance(alertId, step);
  }
}
