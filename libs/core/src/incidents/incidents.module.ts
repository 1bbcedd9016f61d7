import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { IncidentAlertsService } from './incident-alerts.service';
import { IncidentPolicyService } from './incident-policy.service';
import { IncidentsService } from './incidents.service';

/** The API side of incidents: records, the register, one-tap alerts and their acknowledgement, escalation policies. */
@Module({
  imports: [JobsModule],
  providers: [IncidentsService, IncidentAlertsService, IncidentPolicyService],
  exports: [IncidentsService, IncidentAlertsService, IncidentPolicyService],
})
export class IncidentsModule {}
