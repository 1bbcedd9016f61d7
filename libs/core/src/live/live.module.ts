import { DynamicModule, Module, Type } from '@nestjs/common';
import { LIVE_PUBLISHER, LiveEvents, LivePublisher } from './live-events.service';

/** Each app says how events leave the process: the API through its gateway, the worker through a Redis emitter. */
@Module({})
export class LiveModule {
  static forRoot(publisher: Type<LivePublisher>): DynamicModule {
    return {
      module: LiveModule,
      global: true,
      providers: [publisher, { provide: LIVE_PUBLISHER, useExisting: publisher }, LiveEvents],
      exports: [publisher, LIVE_PUBLISHER, LiveEvents],
    };
  }
}
