import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { ServiceOrderFollowupsService } from './service-order-followups.service';

/** What the worker runs for service orders: reminders, escalations and their mails. */
@Module({
  imports: [MailModule],
  providers: [ServiceOrderFollowupsService],
  exports: [ServiceOrderFollowupsService],
})
export class ServiceOrderFollowupsModule {}
