import { Injectable } from '@nestjs/common';
import { AppointmentNotificationsService, MailOutcome } from '@guichet/core/appointments/appointment-notifications.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Exactly once per appointment time; a reminder of a moved or cancelled appointment is skipped. */
@Injectable()
export class AppointmentReminderHandler implements JobHandler<'notifications.appointment-reminder'> {
  readonly job = 'notifications.appointment-reminder';

  constructor(private readonly notifications: AppointmentNotificationsService) {}

  handle(payload: JobPayloads['notifications.appointment-reminder']): Promise<MailOutcome> {
    return this.notifications.sendReminder(payload.appointmentId, payload.startsAt);
  }
}
