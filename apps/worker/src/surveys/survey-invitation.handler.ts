import { Injectable } from '@nestjs/common';
import { InvitationOutcome, SurveyInvitationsService } from '@guichet/core/surveys/survey-invitations.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Exactly once per invitation whatever the retries; consent and throttling re-checked: see SurveyInvitationsService. */
@Injectable()
export class SurveyInvitationHandler implements JobHandler<'notifications.survey-invitation'> {
  readonly job = 'notifications.survey-invitation';

  constructor(private readonly invitations: SurveyInvitationsService) {}

  handle(payload: JobPayloads['notifications.survey-invitation']): Promise<InvitationOutcome> {
    return this.invitations.send(payload.invitationId);
  }
}
