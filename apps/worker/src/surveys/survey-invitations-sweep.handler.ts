import { Injectable } from '@nestjs/common';
import { SurveyInvitationsService } from '@guichet/core/surveys/survey-invitations.service';
import { JobHandler } from '../jobs/job-router';

/** Every minute (schedules.ts): due invitations whose job Redis lost are sent; the send claim keeps them single. */
@Injectable()
export class SurveyInvitationsSweepHandler implements JobHandler<'maintenance.survey-invitations-sweep'> {
  readonly job = 'maintenance.survey-invitations-sweep';

  constructor(private readonly invitations: SurveyInvitationsService) {}

  handle(): Promise<{ sent: number; skipped: number; failed: number }> {
    return this.invitations.sweep();
  }
}
