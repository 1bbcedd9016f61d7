import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { AppointmentNotificationsService } from './appointment-notifications.service';
import { NoShowService } from './no-show.service';

/** What the worker runs for appointments: the confirmation and reminder mails, and the no-show sweep. */
@Module({
  imports: [MailModule],
  providers: [AppointmentNotificationsService, NoShowService],
  exports: [AppointmentNotificationsService, NoShowService],
})
export class AppointmentJobsModule {}
