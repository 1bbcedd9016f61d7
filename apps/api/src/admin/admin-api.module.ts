import { Module } from '@nestjs/common';
import { IdentityModule } from '@guichet/core/identity/identity.module';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { QueuesBoardController } from './queues-board.controller';

/** Gives the API the queues (JobsModule) the board shows; the board itself is mounted in bootstrap. */
@Module({ imports: [JobsModule, IdentityModule], controllers: [QueuesBoardController] })
export class AdminApiModule {}
