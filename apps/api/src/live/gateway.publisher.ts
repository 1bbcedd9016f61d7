import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { toMessage, LiveEvent } from '@guichet/live/events';
import type { LivePublisher } from '@guichet/core/live/live-events.service';

/** Emits through the gateway's namespace; with the Redis adapter that reaches every API instance. */
@Injectable()
export class GatewayPublisher implements LivePublisher {
  private namespace?: Namespace;

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  publish(events: LiveEvent[]): void {
    if (!this.namespace) return; // no gateway (yet): clients replay from the log
    for (const event of events) this.namespace.to(event.rooms).emit(event.type, toMessage(event));
  }
}
