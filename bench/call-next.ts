import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { api, BenchAgent, connect, connectMany, createAgents, createCounters, createQueue, endAll, fillQueue } from './fixtures';
import { Bench, BenchContext, percentile, round } from './types';

const AGENTS = 50;
const TICKETS = 10_000;
const SECONDS = 15;

/**
 * The statements of a serving cycle, copied from TicketsService (libs/core/src/flow/tickets.service.ts):
 * the pick of `callNext`, the UPDATE of `callTicket`, the UPDATE of `start` and the one of
 * `endAtCounter` (finish). Keep them in sync with the service.
 */
const PICK = `SELECT pick.id
   FROM counter_queues cq
   CROSS JOIN LATERAL (
     SELECT t.id, t.sort_key FROM tickets t
      WHERE t.queue_id = cq.queue_id AND t.status = 'waiting'
      ORDER BY t.sort_key, t.id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
   ) pick
  WHERE cq.counter_id = $1 AND ($2::uuid[] IS NULL OR cq.queue_id = ANY($2::uuid[]))
  ORDER BY pick.sort_key + make_interval(secs => (cq.preference - 1) * $3), pick.id
  LIMIT 1`;
const CALL = `UPDATE tickets SET status = 'called', called_at = now(), first_called_at = coalesce(first_called_at, now()),
        counter_id = $2, agent_user_id = $3, updated_at = now(), version = version + 1
  WHERE id = $1 RETURNING *`;
const START = `UPDATE tickets SET status = 'serving', started_at = now(), updated_at = now(), version = version + 1
  WHERE id = $1 RETURNING *`;
const FINISH = `UPDATE tickets SET status = $2, ended_at = now(), request_id = coalesce($3, request_id), updated_at = now(), version = version + 1
  WHERE id = $1 RETURNING *`;
/** counters.preference_step_seconds default; the session serves all the counter's queues (queue_ids null). */
const PREFERENCE_STEP_SECONDS = 600;

interface Run {
  /** Ticket ids in call order, all agents together. */
  called: string[];
  /** Durations of the completed cycles (call-next to finished). */
  cycleMs: number[];
  seconds: number;
}

/**
 * 50 agents calling next on one queue of 10,000 tickets (call-next → start → finish, until the
 * time is up or the queue is empty), then the same cycle's core statements from 50 `pg` clients
 * on a fresh queue of 10,000. The point is correctness under contention: no ticket called twice,
 * no agent holding two tickets; throughput is reported for information.
 */
export const callNextBench: Bench = async (ctx) => {
  const db = await connect(ctx.databaseUrl);
  try {
    const apiQueue = await createQueue(db, ctx.siteId, 'Bench call-next API');
    await fillQueue(db, apiQueue, TICKETS);
    const agents = await createAgents(db, ctx, apiQueue, AGENTS, 'Call-next');
    const statuses: Record<string, number> = {};
    const viaApi = await throughApi(ctx, agents, statuses);

    const rawQueue = await createQueue(db, ctx.siteId, 'Bench call-next raw');
    await fillQueue(db, rawQueue, TICKETS);
    const tag = randomBytes(3).toString('hex');
    const rawCounters = await createCounters(db, ctx.siteId, rawQueue, agents.map((_, i) => `Raw ${tag} ${i + 1}`));
    const raw = await direct(ctx, agents.map((a, i) => ({ userId: a.userId, counterId: rawCounters[i] })));

    const [{ n: calledTwice }] = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT ticket_id FROM ticket_events WHERE queue_id = $1 AND type = 'called' GROUP BY ticket_id HAVING count(*) > 1
         ) d`,
        [apiQueue],
      )
    ).rows;
    const check = {
      api: { duplicates: duplicates(viaApi.called), calledTwiceInHistory: calledTwice, doubleHolding: await doubleHolding(db, apiQueue) },
      raw: { duplicates: duplicates(raw.called), doubleHolding: await doubleHolding(db, rawQueue) },
    };
    const serverErrors = Object.entries(statuses).filter(([key]) => key.startsWith('5')).reduce((sum, [, n]) => sum + n, 0);
    const agentBusy = statuses['409 agent_busy'] ?? 0;
    const correct =
      check.api.duplicates + check.api.calledTwiceInHistory + check.api.doubleHolding + check.raw.duplicates + check.raw.doubleHolding === 0 &&
      serverErrors === 0 &&
      agentBusy === 0;
    const apiRate = viaApi.cycleMs.length / viaApi.seconds;
    const rawRate = raw.cycleMs.length / raw.seconds;
    const ratio = round(apiRate / rawRate);
    return [
      {
        name: `call-next, ${AGENTS} agents on ${TICKETS.toLocaleString('en')} tickets`,
        unit: 'cycles/s',
        figure: round(apiRate, 1),
        baseline: round(rawRate, 1),
        ratio,
        target: '>= 0.5x raw, no duplicates',
        // Correctness decides; the ratio is for information (the raw cycle leaves out history, events and stats).
        pass: correct,
        details: { throughputTargetMet: ratio >= 0.5, statuses, api: { ...check.api, ...summary(viaApi) }, raw: { ...check.raw, ...summary(raw) } },
      },
    ];
  } finally {
    await db.end();
  }
};

/** Each agent loops call-next → start → finish; `statuses` counts every answer by status (and problem code). */
async function throughApi(ctx: BenchContext, agents: BenchAgent[], statuses: Record<string, number>): Promise<Run> {
  const called: string[] = [];
  const cycleMs: number[] = [];
  const post = async (agent: BenchAgent, path: string): Promise<{ status: number; body: unknown }> => {
    const res = await api(ctx.apiUrl, 'POST', path, agent.token, path.endsWith('/finish') ? {} : undefined);
    const code = res.status >= 400 ? ` ${(res.body as { code?: string } | null)?.code ?? ''}` : '';
    statuses[`${res.status}${code}`] = (statuses[`${res.status}${code}`] ?? 0) + 1;
    return res;
  };
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    agents.map(async (agent) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const call = await post(agent, `/api/v1/counters/${agent.counterId}/call-next`);
        if (call.status === 204) return; // the queue is empty
        if (call.status !== 200) continue;
        const { id } = call.body as { id: string };
        called.push(id);
        if ((await post(agent, `/api/v1/tickets/${id}/start`)).status !== 200) continue;
        if ((await post(agent, `/api/v1/tickets/${id}/finish`)).status === 200) cycleMs.push(performance.now() - t0);
      }
    }),
  );
  return { called, cycleMs, seconds: (performance.now() - start) / 1000 };
}

/** The same cycle with the statements only: call in one transaction, start and finish one statement each. */
async function direct(ctx: BenchContext, agents: { userId: string; counterId: string }[]): Promise<Run> {
  const clients = await connectMany(ctx.databaseUrl, agents.length);
  const called: string[] = [];
  const cycleMs: number[] = [];
  const call = async (client: Client, agent: { userId: string; counterId: string }): Promise<string | null> => {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ id: string }>(PICK, [agent.counterId, null, PREFERENCE_STEP_SECONDS]);
      if (rows.length > 0) await client.query(CALL, [rows[0].id, agent.counterId, agent.userId]);
      await client.query('COMMIT');
      return rows[0]?.id ?? null;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  const start = performance.now();
  const end = start + SECONDS * 1000;
  try {
    await Promise.all(
      clients.map(async (client, i) => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const id = await call(client, agents[i]);
          if (id === null) return; // the queue is empty
          called.push(id);
          await client.query(START, [id]);
          await client.query(FINISH, [id, 'done', null]);
          cycleMs.push(performance.now() - t0);
        }
      }),
    );
    return { called, cycleMs, seconds: (performance.now() - start) / 1000 };
  } finally {
    await endAll(clients);
  }
}

function summary(run: Run): Record<string, number> {
  return {
    called: run.called.length,
    served: run.cycleMs.length,
    seconds: round(run.seconds),
    cycleP50Ms: round(percentile(run.cycleMs, 50)),
    cycleP99Ms: round(percentile(run.cycleMs, 99)),
  };
}

function duplicates(ids: string[]): number {
  return ids.length - new Set(ids).size;
}

/**
 * Pairs of tickets of the queue held by the same agent over overlapping periods (call to end).
 * The unique index forbids it at any instant; this checks the whole history of the run.
 */
async function doubleHolding(db: Client, queueId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM tickets a JOIN tickets b ON b.agent_user_id = a.agent_user_id AND b.id > a.id AND b.queue_id = a.queue_id
      WHERE a.queue_id = $1 AND a.called_at IS NOT NULL AND b.called_at IS NOT NULL
        AND tstzrange(a.called_at, coalesce(a.ended_at, 'infinity'), '[)') && tstzrange(b.called_at, coalesce(b.ended_at, 'infinity'), '[)')`,
    [queueId],
  );
  return rows[0].n;
}
