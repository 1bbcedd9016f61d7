import { Module } from '@nestjs/common';
import { IncidentsModule } from '@guichet/core/incidents/incidents.module';
import { EscalationPolicyController } from './escalation-policy.controller';
import { IncidentAlertsController } from './incident-alerts.controller';
import { IncidentsController } from './incidents.controller';

@Module({ imports: [IncidentsModule], controllers: [IncidentsController, IncidentAlertsController, EscalationPolicyController] })
export class IncidentsApiModule {}
