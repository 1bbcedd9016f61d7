import { Inject, Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import { AppConfig } from '@guichet/config/app-config';
import { LiveEvent, toMessage } from '@guichet/live/events';
import { LIVE_NAMESPACE, socketIoKey } from '@guichet/live/rooms';
import { REDIS } from '../redis/redis.module';
import type { LivePublisher } from './live-events.service';

/** For processes without a Socket.IO server (the worker): publishes through the API instances' Redis adapter. */
@Injectable()
export class RedisEmitterPublisher implements LivePublisher {
  private readonly emitter: ReturnType<Emitter['of']>;

  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    this.emitter = new Emitter(redis, { key: socketIoKey(config.get('REDIS_PREFIX')) }).of(LIVE_NAMESPACE);
  }

  publish(events: LiveEvent[]): void {
    for (const event of events) this.emitter.to(event.rooms).emit(event.type, toMessage(event));
  }
}
