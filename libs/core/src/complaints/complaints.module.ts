import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { SurveyTriggersModule } from '../surveys/survey-triggers.module';
import { ComplaintCategoriesService } from './complaint-categories.service';
import { ComplaintSlaScheduler } from './complaint-clocks';
import { ComplaintReportsService } from './complaint-reports.service';
import { ComplaintsService } from './complaints.service';

/** Complaints, their categories and SLA, and the monthly report, for the API. The SLA steps are the worker's (ComplaintSlaModule). */
@Module({
  imports: [IdempotencyModule, JobsModule, SurveyTriggersModule],
  providers: [ComplaintsService, ComplaintCategoriesService, ComplaintSlaScheduler, ComplaintReportsService],
  exports: [ComplaintsService, ComplaintCategoriesService, ComplaintReportsService],
})
export class ComplaintsModule {}
