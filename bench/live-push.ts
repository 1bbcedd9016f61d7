import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server } from 'socket.io';
import type { LiveMessage } from '../libs/live/src/events';
import { api, BenchAgent, connect, createAgents, createQueue, fillQueue, procStatusBytes, sleep, wallClock } from './fixtures';
import type { FromClients, ToClients } from './live-clients';
import { Bench, BenchContext, BenchResult, percentile, round } from './types';

const CLIENTS = 1000;
const MESSAGES = 40;
const SPACING_MS = 100;
const MEMORY_TARGET_MB = 300;

/**
 * 1,000 Socket.IO clients (another process) on the API's /live, subscribed to the bench site: the
 * time from each call-next response to the `ticket.called` receipt at every client. Baseline: the
 * same clients on a bare Socket.IO server (no Nest, no Redis adapter, no auth) broadcasting a
 * message of the same shape, timed from the emit call. Also the API's peak RSS during the push.
 */
export const livePushBench: Bench = async (ctx) => {
  const db = await connect(ctx.databaseUrl);
  const clients = fork(join(__dirname, 'live-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const bare = await bareServer(ctx.siteId);
  try {
    const queueId = await createQueue(db, ctx.siteId, 'Bench live push');
    await fillQueue(db, queueId, MESSAGES);
    const [agent] = await createAgents(db, ctx, queueId, 1, 'Live');
    const peakOverPush = resetPeakRss(ctx.apiPid);

    // A fresh token: the supervisor's may be close to expiry after the earlier benches.
    await ask(clients, { type: 'connect', url: `${ctx.apiUrl}/live`, auth: { token: agent.token, siteId: ctx.siteId }, count: CLIENTS }, 'ready');
    const apiSent = await callTickets(ctx, agent);
    const apiLatencies = latencies(apiSent, (await ask(clients, collect, 'receipts')).receipts);
    const peakBytes = procStatusBytes(ctx.apiPid, 'VmHWM');
    await ask(clients, { type: 'disconnect' }, 'disconnected');

    await ask(clients, { type: 'connect', url: `${bare.url}/live`, auth: {}, count: CLIENTS }, 'ready');
    const bareSent = new Map<string, number>();
    for (let seq = 1; seq <= MESSAGES; seq++) {
      const message = calledMessage(ctx.siteId, queueId, agent.counterId, seq);
      bareSent.set(message.ticketId, wallClock());
      bare.broadcast(message);
      await sleep(SPACING_MS);
    }
    const bareLatencies = latencies(bareSent, (await ask(clients, collect, 'receipts')).receipts);

    const apiP99 = percentile(apiLatencies.values, 99);
    const bareP99 = percentile(bareLatencies.values, 99);
    const p99Ratio = round(apiP99 / bareP99);
    const peakMb = peakBytes / 1e6;
    const results: BenchResult[] = [
      {
        name: `live push p99 (${CLIENTS.toLocaleString('en')} clients)`,
        unit: 'ms',
        figure: round(apiP99),
        baseline: round(bareP99),
        ratio: p99Ratio,
        target: '<= 2x bare p99',
        pass: p99Ratio <= 2 && apiLatencies.missing === 0 && bareLatencies.missing === 0,
        details: {
          messages: MESSAGES,
          api: { p50Ms: round(percentile(apiLatencies.values, 50)), missing: apiLatencies.missing, from: 'call-next response received' },
          bare: { p50Ms: round(percentile(bareLatencies.values, 50)), missing: bareLatencies.missing, from: 'emit call' },
        },
      },
      {
        name: 'API peak memory (live push)',
        unit: 'MB',
        figure: round(peakMb, 1),
        baseline: round(ctx.apiStartRssBytes / 1e6, 1),
        ratio: round(peakBytes / ctx.apiStartRssBytes),
        target: `< ${MEMORY_TARGET_MB} MB`,
        pass: peakMb < MEMORY_TARGET_MB,
        details: { peakOver: peakOverPush ? 'live push' : 'whole run (could not reset VmHWM)', baseline: 'RSS right after start' },
      },
    ];
    return results;
  } finally {
    if (clients.exitCode === null && clients.signalCode === null) clients.kill();
    await bare.close();
    await db.end();
  }
};

const collect: ToClients = { type: 'collect', expected: MESSAGES * CLIENTS, timeoutMs: 15_000 };

/**
 * MESSAGES serving cycles at one counter; the time each call-next response arrives, by ticket.
 * Start and finish free the counter for the next call; the pause lets the clients drain.
 */
async function callTickets(ctx: BenchContext, agent: BenchAgent): Promise<Map<string, number>> {
  const sent = new Map<string, number>();
  for (let i = 0; i < MESSAGES; i++) {
    const call = await api(ctx.apiUrl, 'POST', `/api/v1/counters/${agent.counterId}/call-next`, agent.token);
    const at = wallClock();
    if (call.status !== 200) throw new Error(`call-next: ${call.status} ${JSON.stringify(call.body)}`);
    const { id } = call.body as { id: string };
    sent.set(id, at);
    for (const [step, body] of [['start', undefined], ['finish', {}]] as const) {
      const res = await api(ctx.apiUrl, 'POST', `/api/v1/tickets/${id}/${step}`, agent.token, body);
      if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await sleep(SPACING_MS);
  }
  return sent;
}

/** receipt − sent for every (message, client); negative when the event beat the HTTP response. */
function latencies(sent: Map<string, number>, receipts: Record<string, number[]>): { values: number[]; missing: number } {
  const values: number[] = [];
  for (const [ticketId, at] of sent) for (const receivedAt of receipts[ticketId] ?? []) values.push(receivedAt - at);
  return { values, missing: sent.size * CLIENTS - values.length };
}

function calledMessage(siteId: string, queueId: string, counterId: string, seq: number): LiveMessage<'ticket.called'> {
  return {
    ticketId: randomUUID(),
    number: `BLP${String(seq).padStart(3, '0')}`,
    queueId,
    status: 'called',
    priorityClass: 'standard',
    needs: [],
    counterId,
    counterName: 'Live 1',
    recallCount: 0,
    siteId,
    seq,
    at: new Date().toISOString(),
  };
}

/** Plain Socket.IO with the default in-memory adapter: every connection joins the site room. */
async function bareServer(siteId: string): Promise<{ url: string; broadcast: (message: LiveMessage<'ticket.called'>) => void; close: () => Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, transports: ['websocket'] });
  const live = io.of('/live');
  const room = `site:${siteId}`;
  live.on('connection', (socket) => {
    void socket.join(room);
    socket.emit('subscribed', { siteId, seq: 0 });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    broadcast: (message) => live.to(room).emit('ticket.called', message),
    close: () => io.close(),
  };
}

/**
 * Resets the API's VmHWM to its current RSS (clear_refs "5", Linux ≥ 4.0) so the peak read at
 * the end covers the push only; false when the kernel refuses, and the peak is then the whole run's.
 */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function ask<T extends FromClients['type']>(child: ChildProcess, message: ToClients, reply: T, timeoutMs = 180_000): Promise<Extract<FromClients, { type: T }>> {
  return new Promise((resolve, reject) => {
    const finish = (error: Error | null, value?: Extract<FromClients, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as Extract<FromClients, { type: T }>);
    };
    const onMessage = (m: FromClients) => {
      if (m.type === reply) finish(null, m as Extract<FromClients, { type: T }>);
      else if (m.type === 'failed') finish(new Error(`live clients: ${m.error}`));
    };
    const onExit = (code: number | null) => finish(new Error(`live clients exited (${code})`));
    const timer = setTimeout(() => finish(new Error(`live clients: no ${reply} within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}
