import { Injectable } from '@nestjs/common';
import { NoShowService } from '@guichet/core/appointments/no-show.service';
import { JobHandler } from '../jobs/job-router';

/** Every 5 minutes (schedules.ts): booked appointments past their late window become no-shows. Idempotent. */
@Injectable()
export class AppointmentsNoShowHandler implements JobHandler<'maintenance.appointments-no-show'> {
  readonly job = 'maintenance.appointments-no-show';

  constructor(private readonly noShows: NoShowService) {}

  handle(): Promise<{ marked: number }> {
    return this.noShows.sweep();
  }
}
