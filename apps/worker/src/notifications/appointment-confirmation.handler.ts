import { Injectable } from '@nestjs/common';
import { AppointmentNotificationsService, MailOutcome } from '@guichet/core/appointments/appointment-notifications.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Exactly once per appointment, whatever the retries: see AppointmentNotificationsService. */
@Injectable()
export class AppointmentConfirmationHandler implements JobHandler<'notifications.appointment-confirmation'> {
  readonly job = 'notifications.appointment-confirmation';

  constructor(private readonly notifications: AppointmentNotificationsService) {}

  handle(payload: JobPayloads['notifications.appointment-confirmation']): Promise<MailOutcome> {
    return this.notifications.sendConfirmation(payload.appointmentId);
  }
}
