import { Module } from '@nestjs/common';
import { FlowModule } from '@guichet/core/flow/flow.module';
import { CountersController } from './counters.controller';
import { FlowController } from './flow.controller';
import { QueuesController } from './queues.controller';
import { TicketsController } from './tickets.controller';

@Module({
  imports: [FlowModule],
  controllers: [TicketsController, CountersController, QueuesController, FlowController],
})
export class FlowApiModule {}
