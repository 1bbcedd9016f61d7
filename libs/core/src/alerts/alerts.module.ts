import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { AlertRulesService } from './alert-rules.service';
import { AlertTrigger } from './alert-trigger.service';
import { AlertsService } from './alerts.service';
import { QueueChangeTrigger } from './queue-change-trigger';

/** The API side of flow alerts: thresholds, the alert list and acknowledgements; evaluation is the worker's (AlertEvaluationModule). */
@Module({
  imports: [JobsModule],
  providers: [AlertRulesService, AlertsService, AlertTrigger, QueueChangeTrigger],
  exports: [AlertRulesService, AlertsService, AlertTrigger],
})
export class AlertsModule {}
