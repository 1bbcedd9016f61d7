import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '@guichet/config/app-config';
import { socketIoKey } from '@guichet/live/rooms';

/**
 * Socket.IO over the Redis pub/sub adapter so several API instances share rooms and the worker
 * can emit with @socket.io/redis-emitter on the same key. Missed events are replayed from the
 * PostgreSQL log rather than by Socket.IO's in-memory recovery, which this adapter lacks and
 * which would not survive an API restart anyway.
 */
export class RedisIoAdapter extends IoAdapter {
  private clients: Redis[] = [];

  constructor(private readonly appContext: INestApplicationContext) {
    super(appContext);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const config = this.appContext.get(AppConfig);
    const pub = new Redis(config.get('REDIS_URL'), { maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    this.clients = [pub, sub];
    const server = super.createIOServer(port, { ...options, serveClient: false, transports: ['websocket', 'polling'] }) as Server;
    server.adapter(createAdapter(pub, sub, { key: socketIoKey(config.get('REDIS_PREFIX')) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
