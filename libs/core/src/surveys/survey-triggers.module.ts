import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { SurveyTriggersService } from './survey-triggers.service';

/**
 * What requests, flow and complaints call when an interaction ends. Depends on no domain module
 * (they import it), so it cannot create an import cycle.
 */
@Module({
  imports: [JobsModule],
  providers: [SurveyTriggersService],
  exports: [SurveyTriggersService],
})
export class SurveyTriggersModule {}
