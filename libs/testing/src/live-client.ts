import { io, Socket } from 'socket.io-client';

/** A /live client that records every event it receives, for assertions. */
export interface RecordingClient {
  socket: Socket;
  events: { name: string; body: Record<string, unknown> }[];
  /** Resolves when `predicate` holds for the recorded events (bounded wait, no timing assertion). */
  waitFor(predicate: (events: RecordingClient['events']) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function connectLive(baseUrl: string, auth: Record<string, unknown>): Promise<RecordingClient> {
  const socket = io(`${baseUrl}/live`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: RecordingClient['events'] = [];
  socket.onAny((name: string, body: Record<string, unknown>) => events.push({ name, body }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    events,
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (predicate(events)) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out; got ${JSON.stringify(events.map((e) => e.name))}`));
          setTimeout(tick, 20);
        };
        tick();
      }),
    close: () => socket.close(),
  };
}
