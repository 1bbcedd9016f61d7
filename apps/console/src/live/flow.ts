import type { CounterState, LiveMessage, QueueStats } from '@guichet/live/events';

/** GET /sites/{id}/flow: the state after event `seq`, on which later live events are applied. */
export interface FlowSnapshot {
  siteId: string;
  seq: number;
  at: string;
  queues: (QueueStats & { id: string; name: string; prefix: string; active: boolean; serviceId: string })[];
  counters: CounterState[];
  lastCalls: FlowCall[];
}

export interface FlowCall {
  ticketId: string;
  number: string;
  queueId: string;
  counterId: string;
  counterName: string;
  calledAt: string;
  recallCount: number;
}

const MAX_CALLS = 10;

/** Applies one live event to a snapshot (pure, so screens and tests share it). */
export function applyFlowEvent(snapshot: FlowSnapshot, name: string, message: LiveMessage): FlowSnapshot {
  const next = { ...snapshot, seq: Math.max(snapshot.seq, message.seq) };
  switch (name) {
    case 'queue.stats': {
      const stats = message as LiveMessage<'queue.stats'>;
      next.queues = snapshot.queues.map((q) =>
        q.id === stats.queueId
          ? { ...q, waiting: stats.waiting, longestWaitSeconds: stats.longestWaitSeconds, estimatedWaitSeconds: stats.estimatedWaitSeconds }
          : q,
      );
      return next;
    }
    case 'counter.state': {
      const state = message as LiveMessage<'counter.state'>;
      const { siteId: _s, seq: _q, at: _a, ...counter } = state;
      const known = snapshot.counters.some((c) => c.counterId === counter.counterId);
      next.counters = known ? snapshot.counters.map((c) => (c.counterId === counter.counterId ? counter : c)) : [...snapshot.counters, counter];
      return next;
    }
    case 'ticket.called':
    case 'ticket.recalled': {
      const call = message as LiveMessage<'ticket.called'>;
      const entry: FlowCall = {
        ticketId: call.ticketId,
        number: call.number,
        queueId: call.queueId,
        counterId: call.counterId,
        counterName: call.counterName,
        calledAt: call.at,
        recallCount: call.recallCount,
      };
      next.lastCalls = [entry, ...snapshot.lastCalls.filter((c) => c.ticketId !== call.ticketId)].slice(0, MAX_CALLS);
      return next;
    }
    default:
      return next;
  }
}
