import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { LiveEvents } from '../live/live-events.service';
import { AlertTrigger, EVALUATION_BUCKET_MS } from './alert-trigger.service';

/**
 * Re-evaluates a queue's alerts after each committed change of its load (every `queue.stats`
 * event: issue, call, finish, transfer, counter state…). At most one enqueue per queue and
 * 10-second bucket leaves this process, so ticket issuance pays no Redis write in the common case.
 */
@Injectable()
export class QueueChangeTrigger implements OnModuleInit {
  private readonly logger = new Logger('QueueChangeTrigger');
  private readonly lastBucket = new Map<string, number>();

  constructor(
    private readonly live: LiveEvents,
    private readonly trigger: AlertTrigger,
  ) {}

  onModuleInit(): void {
    this.live.onCommitted((events) => {
      const bucket = Math.floor(Date.now() / EVALUATION_BUCKET_MS);
      for (const event of events) {
        if (event.type !== 'queue.stats') continue;
        const queueId = (event.data as { queueId: string }).queueId;
        if (this.lastBucket.get(queueId) === bucket) continue;
        this.lastBucket.set(queueId, bucket);
        this.trigger.queueChanged(queueId).catch((error: unknown) => {
          this.lastBucket.delete(queueId);
          this.logger.warn({ err: error, queueId }, 'Could not enqueue an alert evaluation; the sweep will cover it');
        });
      }
    });
  }
}
