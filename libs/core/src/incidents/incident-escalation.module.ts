import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { IncidentEscalationService } from './incident-escalation.service';

/** What the worker runs for incidents: the timed steps of escalation chains and their mails. */
@Module({
  imports: [MailModule],
  providers: [IncidentEscalationService],
  exports: [IncidentEscalationService],
})
export class IncidentEscalationModule {}
