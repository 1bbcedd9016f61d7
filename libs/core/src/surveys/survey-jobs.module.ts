import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { SurveyInvitationsService } from './survey-invitations.service';

/** What the worker runs for surveys: the invitation mails and their catch-up sweep. */
@Module({
  imports: [MailModule],
  providers: [SurveyInvitationsService],
  exports: [SurveyInvitationsService],
})
export class SurveyJobsModule {}
