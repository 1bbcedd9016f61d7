import autocannon from 'autocannon';
import { Client } from 'pg';
import { TicketsService } from '../libs/core/src/flow/tickets.service';
import { eventCollector, storeEvents } from '../libs/core/src/live/live-events.service';
import { connect, connectMany, createQueue, endAll, pgManager, supervisorPrincipal } from './fixtures';
import { Bench, BenchContext, BenchResult, percentile, round } from './types';

const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const SECONDS = 10;

interface Run {
  perSecond: number;
  latencies: number[];
  failures: number;
  details: Record<string, unknown>;
}

/**
 * POST /api/v1/tickets at 32 connections against the very statements the API runs for it
 * (issueInTransaction + storeEvents in one transaction) from 32 `pg` clients. Each side issues
 * into its own fresh queue so both start with the same waiting count to scan.
 */
export const ticketIssuanceBench: Bench = async (ctx) => {
  const db = await connect(ctx.databaseUrl);
  let viaApi: Run;
  let raw: Run;
  try {
    viaApi = await throughApi(ctx, await createQueue(db, ctx.siteId, 'Bench issuance API'));
    raw = await direct(ctx, await createQueue(db, ctx.siteId, 'Bench issuance raw'));
  } finally {
    await db.end();
  }
  const apiP99 = percentile(viaApi.latencies, 99);
  const rawP99 = percentile(raw.latencies, 99);
  const healthy = viaApi.failures === 0 && raw.failures === 0;
  const details = {
    api: { ...viaApi.details, p50Ms: round(percentile(viaApi.latencies, 50)), p99Ms: round(apiP99) },
    raw: { ...raw.details, p50Ms: round(percentile(raw.latencies, 50)), p99Ms: round(rawP99) },
  };
  const throughputRatio = round(viaApi.perSecond / raw.perSecond);
  const p99Ratio = round(apiP99 / rawP99);
  const results: BenchResult[] = [
    {
      name: `ticket issuance throughput (${CONNECTIONS} conn.)`,
      unit: 'req/s',
      figure: round(viaApi.perSecond, 1),
      baseline: round(raw.perSecond, 1),
      ratio: throughputRatio,
      target: '>= 0.5x raw',
      pass: healthy && throughputRatio >= 0.5,
      details,
    },
    {
      name: `ticket issuance p99 (${CONNECTIONS} conn.)`,
      unit: 'ms',
      figure: round(apiP99, 1),
      baseline: round(rawP99, 1),
      ratio: p99Ratio,
      target: '<= 2x raw p99',
      pass: healthy && p99Ratio <= 2,
    },
  ];
  return results;
};

async function throughApi(ctx: BenchContext, queueId: string): Promise<Run> {
  const options: autocannon.Options = {
    url: `${ctx.apiUrl}/api/v1/tickets`,
    method: 'POST',
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ queueId, channel: 'kiosk' }),
  };
  await cannon({ ...options, duration: WARMUP_SECONDS });
  const latencies: number[] = [];
  const result = await cannon({ ...options, duration: SECONDS }, latencies);
  return {
    perSecond: result['2xx'] / result.duration,
    latencies,
    failures: result.non2xx + result.errors,
    details: { issued: result['2xx'], seconds: result.duration, non2xx: result.non2xx, errors: result.errors, autocannonP99Ms: result.latency.p99 },
  };
}

/** Autocannon, keeping every response's latency (ms) so both sides use the same percentile. */
function cannon(options: autocannon.Options, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (latencies && status === 201) latencies.push(ms);
    });
  });
}

async function direct(ctx: BenchContext, queueId: string): Promise<Run> {
  const clients = await connectMany(ctx.databaseUrl, CONNECTIONS);
  // The service only uses the manager it is handed here; its injected dependencies stay unused.
  const tickets = new TicketsService(null as never, null as never, null as never, null as never);
  const principal = supervisorPrincipal(ctx);
  const issue = async (client: Client): Promise<void> => {
    const manager = pgManager(client);
    await client.query('BEGIN');
    try {
      const { emit, pending } = eventCollector();
      await tickets.issueInTransaction(manager, emit, principal, { queueId, channel: 'kiosk' });
      await storeEvents(manager, pending);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  try {
    await closedLoop(clients, WARMUP_SECONDS, issue);
    const { latencies, seconds } = await closedLoop(clients, SECONDS, issue);
    return { perSecond: latencies.length / seconds, latencies, failures: 0, details: { issued: latencies.length, seconds: round(seconds) } };
  } finally {
    await endAll(clients);
  }
}

/** Every client runs `work` back to back until the time is up, like autocannon's connections. */
async function closedLoop(clients: Client[], seconds: number, work: (client: Client) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await work(client);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - start) / 1000 };
}
