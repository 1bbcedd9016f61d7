import { Injectable } from '@nestjs/common';
import { IncidentEscalationService } from '@guichet/core/incidents/incident-escalation.service';
import { JobHandler } from '../jobs/job-router';

/** Every 30 s (schedules.ts): escalation steps and mails that are due but whose job Redis lost. */
@Injectable()
export class IncidentEscalationSweepHandler implements JobHandler<'followups.incident-escalation-sweep'> {
  readonly job = 'followups.incident-escalation-sweep';

  constructor(private readonly escalation: IncidentEscalationService) {}

  handle(): Promise<{ alerts: number; notified: number; mailed: number }> {
    return this.escalation.sweep();
  }
}
