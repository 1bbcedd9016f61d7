import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@guichet/config/app-config';
import { JobProducer, QUEUES_BY_NAME } from './job-producer';
import { QUEUE_NAMES } from './jobs';

/**
 * Registers every queue for producing (the API imports this). Processors live only in the worker
 * app: importing this module never starts consuming.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Options rather than a client: each Queue and Worker opens and closes its own connections,
        // and BullMQ sets maxRetriesPerRequest: null on the blocking ones workers need.
        connection: { url: config.get('REDIS_URL') },
        // Keys become `<REDIS_PREFIX>:<queue>:…`, so deployments and test runs sharing a Redis stay apart.
        prefix: config.get('REDIS_PREFIX'),
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
  ],
  providers: [
    {
      provide: QUEUES_BY_NAME,
      inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
      useFactory: (...queues: Queue[]) => new Map(queues.map((queue) => [queue.name, queue])),
    },
    JobProducer,
  ],
  exports: [JobProducer, QUEUES_BY_NAME],
})
export class JobsModule {}
