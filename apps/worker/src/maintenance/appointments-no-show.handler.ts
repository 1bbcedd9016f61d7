import { Injectable } from '@nestjs/common';
import { AppointmentNotificationsService } from '@guichet/core/appointments/appointment-notifications.service';
import { NoShowService } from '@guichet/core/appointments/no-show.service';
import { JobHandler } from '../jobs/job-router';

/**
 * Every 5 minutes (schedules.ts): booked appointments past their late window become no-shows, and
 * mails whose job was lost with Redis are sent. Idempotent.
 */
@Injectable()
export class AppointmentsNoShowHandler implements JobHandler<'maintenance.appointments-no-show'> {
  readonly job = 'maintenance.appointments-no-show';

  constructor(
    private readonly noShows: NoShowService,
    private readonly notifications: AppointmentNotificationsService,
  ) {}

  async handle(): Promise<{ marked: number; confirmations: number; reminders: number }> {
    const { marked } = await this.noShows.sweep();
    return { marked, ...(await this.notifications.catchUp()) };
  }
}
