import { Module } from '@nestjs/common';
import { AlertsModule } from '@guichet/core/alerts/alerts.module';
import { AlertRulesController } from './alert-rules.controller';
import { AlertsController } from './alerts.controller';

@Module({ imports: [AlertsModule], controllers: [AlertRulesController, AlertsController] })
export class AlertsApiModule {}
