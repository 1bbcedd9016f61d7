import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { SurveyTriggersModule } from '../surveys/survey-triggers.module';
import { RequestCategoriesService } from './request-categories.service';
import { RequestsService } from './requests.service';

/** Requests (demandes) and their taxonomy; channels and orientation build on RequestsService. */
@Module({
  imports: [IdempotencyModule, SurveyTriggersModule],
  providers: [RequestsService, RequestCategoriesService],
  exports: [RequestsService, RequestCategoriesService],
})
export class RequestsModule {}
