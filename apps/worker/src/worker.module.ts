import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@guichet/config/app-config';
import { ConfigModule } from '@guichet/config/config.module';
import { LiveModule } from '@guichet/core/live/live.module';
import { RedisEmitterPublisher } from '@guichet/core/live/redis-emitter.publisher';
import { RedisModule } from '@guichet/core/redis/redis.module';
import { DatabaseModule } from '@guichet/database/database.module';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { JOB_HANDLERS, JobRouter } from './jobs/job-router';
import { QUEUE_PROCESSORS } from './jobs/queue-processor';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { PurgeAuthHandler } from './maintenance/purge-auth.handler';
import { WorkerRunner } from './worker-runner';

/**
 * One handler per job name of libs/jobs/src/jobs.ts (`<feature>/<job>.handler.ts`) and one
 * processor per queue (`<feature>/<queue>.processor.ts`); WorkerRunner refuses to start otherwise.
 */
const HANDLERS = [PurgeAuthHandler];
const PROCESSORS = [MaintenanceProcessor];

@Module({
  imports: [
    ConfigModule,
    // Same JSON logs as the API; there is no HTTP here, so only the root pino logger is used.
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.get('LOG_LEVEL'), name: process.env.GUICHET_PROCESS } }),
    }),
    DatabaseModule.forRoot({ migrate: false }),
    RedisModule,
    LiveModule.forRoot(RedisEmitterPublisher),
    JobsModule,
  ],
  providers: [
    ...HANDLERS,
    { provide: JOB_HANDLERS, inject: HANDLERS, useFactory: (...handlers: unknown[]) => handlers },
    JobRouter,
    ...PROCESSORS,
    { provide: QUEUE_PROCESSORS, inject: PROCESSORS, useFactory: (...processors: unknown[]) => processors },
    WorkerRunner,
  ],
})
export class WorkerModule {}
