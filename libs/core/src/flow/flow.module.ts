import { Module } from '@nestjs/common';
import { SurveyTriggersModule } from '../surveys/survey-triggers.module';
import { CounterSessionsService } from './counters.service';
import { FlowConfigService } from './flow-config.service';
import { FlowSnapshotService } from './flow-snapshot.service';
import { QueueStatsRefresher } from './queue-stats.refresher';
import { TicketsService } from './tickets.service';

@Module({
  imports: [SurveyTriggersModule],
  providers: [TicketsService, CounterSessionsService, FlowConfigService, FlowSnapshotService, QueueStatsRefresher],
  exports: [TicketsService, CounterSessionsService, FlowConfigService, FlowSnapshotService],
})
export class FlowModule {}
