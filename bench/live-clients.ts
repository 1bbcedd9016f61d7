import { readFileSync } from 'node:fs';
import { io, Socket } from 'socket.io-client';

/**
 * The Socket.IO clients of the live push benchmark, in their own process (forked by
 * live-push.ts) so that receiving does not share an event loop with the server or the caller.
 * Receipt times use the machine's wall clock with sub-ms resolution (timeOrigin + now), which
 * both processes share. 1,000 sockets fit the usual descriptor limits, so none is raised; a
 * lower limit fails the run with a clear message rather than with half-connected clients.
 */

export type ToClients =
  /** Connect `count` sockets; each counts as ready when it receives `subscribed`. */
  | { type: 'connect'; url: string; auth: Record<string, unknown>; count: number }
  /** Report receipts once `expected` have arrived or after `timeoutMs`. */
  | { type: 'collect'; expected: number; timeoutMs: number }
  | { type: 'disconnect' };

export type FromClients =
  | { type: 'ready'; connected: number }
  /** ticketId of each `ticket.called` → receipt wall-clock times, one per client that got it. */
  | { type: 'receipts'; receipts: Record<string, number[]> }
  | { type: 'disconnected' }
  | { type: 'failed'; error: string };

const CONNECT_BATCH = 50;
/** Descriptors Node itself and the IPC channel use. */
const FD_MARGIN = 64;

let sockets: Socket[] = [];
let receipts = new Map<string, number[]>();
let received = 0;

function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Soft RLIMIT_NOFILE of this process (Node has no getrlimit). */
function openFilesLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

function send(message: FromClients): void {
  process.send?.(message);
}

function connectOne(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // forceNew: one WebSocket per client (io() would otherwise multiplex them all over one).
    const socket = io(url, { transports: ['websocket'], auth, forceNew: true, reconnection: false, timeout: 30_000 });
    socket.on('ticket.called', (message: { ticketId: string }) => {
      const at = wallClock();
      const times = receipts.get(message.ticketId) ?? [];
      times.push(at);
      receipts.set(message.ticketId, times);
      received++;
    });
    socket.once('subscribed', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
    socket.once('error', (error: { message?: string }) => reject(new Error(error.message ?? 'socket error')));
    sockets.push(socket);
  });
}

async function handle(message: ToClients): Promise<void> {
  switch (message.type) {
    case 'connect': {
      const limit = openFilesLimit();
      if (limit < sockets.length + message.count + FD_MARGIN) {
        throw new Error(`open files limit ${limit} is too low for ${message.count} sockets (raise ulimit -n)`);
      }
      // In batches, so the server authenticates a bounded number of handshakes at a time.
      for (let i = 0; i < message.count; i += CONNECT_BATCH) {
        await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, message.count - i) }, () => connectOne(message.url, message.auth)));
      }
      send({ type: 'ready', connected: sockets.length });
      return;
    }
    case 'collect': {
      const deadline = Date.now() + message.timeoutMs;
      while (received < message.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      send({ type: 'receipts', receipts: Object.fromEntries(receipts) });
      return;
    }
    case 'disconnect': {
      for (const socket of sockets) socket.disconnect();
      sockets = [];
      receipts = new Map();
      received = 0;
      send({ type: 'disconnected' });
      return;
    }
  }
}

process.on('message', (message: ToClients) => {
  handle(message).catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  });
});
// The parent going away (crash, Ctrl-C) must not leave a thousand sockets behind.
process.on('disconnect', () => process.exit(0));
