import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { FlowModule } from '../flow/flow.module';
import { AppointmentsService } from './appointments.service';
import { AppointmentCheckInService } from './check-in.service';
import { NoShowService } from './no-show.service';

/** Booking, check-in and no-shows, for the API. The mails are the worker's (AppointmentJobsModule). */
@Module({
  imports: [FlowModule, JobsModule],
  providers: [AppointmentsService, AppointmentCheckInService, NoShowService],
  exports: [AppointmentsService, AppointmentCheckInService, NoShowService],
})
export class AppointmentsModule {}
