import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { ComplaintSlaSteps } from './complaint-sla-steps.service';

/** What the worker runs for complaints: the SLA warnings and escalations (with their mails) and their sweep. */
@Module({
  imports: [MailModule],
  providers: [ComplaintSlaSteps],
  exports: [ComplaintSlaSteps],
})
export class ComplaintSlaModule {}
