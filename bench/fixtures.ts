import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { AuthService } from '../libs/core/src/identity/auth.service';
import type { UserPrincipal } from '../libs/core/src/identity/principal';
import type { BenchContext } from './types';

/** Shared set-up of the flow benchmarks: rows written with SQL, sessions opened through the API. */

export async function connect(databaseUrl: string): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl });
  // A connection lost while idle then fails its next query, which ends the bench through its
  // clean-up; unheard, the 'error' event would kill the process before the clean-up runs.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** One dedicated connection per simulated caller, so the raw baselines never wait for a pool. */
export function connectMany(databaseUrl: string, count: number): Promise<Client[]> {
  return Promise.all(Array.from({ length: count }, () => connect(databaseUrl)));
}

export async function endAll(clients: Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}

/** What TypeORM's EntityManager.query gives the services (rows), over a bare `pg` client. */
export function pgManager(client: Client): EntityManager {
  return { query: (sql: string, params?: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as EntityManager;
}

/** The principal the API resolves for the bench supervisor, read from the token's own claims. */
export function supervisorPrincipal(ctx: BenchContext): UserPrincipal {
  const claims = JSON.parse(Buffer.from(ctx.token.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };
  return { kind: 'user', id: claims.sub, label: 'Bench', role: 'supervisor', serviceId: null, siteIds: [ctx.siteId], sessionId: claims.sid };
}

/** Wall clock with sub-millisecond resolution, comparable across processes of the machine. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let queueCount = 0;

/**
 * A service and a queue of it, always open, without daily cap. Each bench phase gets its own
 * queue so that the waiting count the statements scan starts from the same state.
 */
export async function createQueue(db: Client, siteId: string, name: string): Promise<string> {
  // Ticket prefixes are unique per site: BAA, BAB… one per queue of the run.
  const prefix = `B${String.fromCharCode(65 + Math.floor(queueCount / 26))}${String.fromCharCode(65 + (queueCount % 26))}`;
  queueCount++;
  const hours = JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])));
  const { rows } = await db.query<{ id: string }>(
    `WITH s AS (INSERT INTO services (site_id, name) VALUES ($1::uuid, $2::text) RETURNING id)
     INSERT INTO queues (site_id, service_id, name, prefix, daily_cap, opening_hours)
     SELECT $1::uuid, s.id, $2::text, $3::text, NULL::int, $4::jsonb FROM s RETURNING id`,
    [siteId, name, prefix, hours],
  );
  return rows[0].id;
}

/**
 * `count` waiting tickets in one statement, valid as issued ones: numbers 1..count of today
 * (the queue's day counter follows), one second apart, sort key = arrival (standard class).
 */
export async function fillQueue(db: Client, queueId: string, count: number): Promise<void> {
  await db.query(
    `WITH q AS (
       SELECT q.id, q.site_id, q.prefix, (now() AT TIME ZONE s.time_zone)::date AS today
         FROM queues q JOIN sites s ON s.id = q.site_id WHERE q.id = $1::uuid
     ), c AS (
       INSERT INTO queue_day_counters (queue_id, day, last_number) SELECT id, today, $2::int FROM q
     )
     INSERT INTO tickets (site_id, queue_id, business_day, seq_number, number, channel, priority_class, status,
                          arrived_at, queued_at, sort_key, public_token)
     SELECT q.site_id, q.id, q.today, g, q.prefix || CASE WHEN g < 1000 THEN lpad(g::text, 3, '0') ELSE g::text END,
            'kiosk', 'standard', 'waiting', a.at, a.at, a.at, replace(gen_random_uuid()::text, '-', '')
       FROM q, generate_series(1, $2::int) AS g,
            LATERAL (SELECT now() - make_interval(secs => $2::int - g) AS at) a`,
    [queueId, count],
  );
}

export interface BenchAgent {
  userId: string;
  counterId: string;
  token: string;
}

/** One counter per name, serving `queueId` only. */
export async function createCounters(db: Client, siteId: string, queueId: string, names: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH c AS (
       INSERT INTO counters (site_id, name) SELECT $1::uuid, n FROM unnest($2::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i RETURNING id, name
     ), cq AS (
       INSERT INTO counter_queues (counter_id, queue_id, preference) SELECT id, $3::uuid, 1 FROM c
     )
     SELECT id FROM c ORDER BY array_position($2::text[], name)`,
    [siteId, names, queueId],
  );
  return rows.map((r) => r.id);
}

export interface BenchAgent {
  userId: string;
  counterId: string;
  token: string;
}

/**
 * `count` agents of the site, each with a counter serving `queueId`, logged in and with the
 * counter opened through the API (the sessions and tokens call-next needs).
 */
export async function createAgents(db: Client, ctx: BenchContext, queueId: string, count: number, label: string): Promise<BenchAgent[]> {
  const password = randomBytes(12).toString('hex');
  const hash = await AuthService.hashPassword(password); // one hash for all: argon2 is slow on purpose
  const tag = `${label} ${randomBytes(3).toString('hex')}`;
  const names = Array.from({ length: count }, (_, i) => `${tag} ${i + 1}`);
  const { rows: users } = await db.query<{ id: string; email: string }>(
    `WITH u AS (
       INSERT INTO users (email, password_hash, display_name, role)
       SELECT 'agent-' || md5(n) || '@bench.guichet', $2::text, n, 'agent' FROM unnest($3::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i
       RETURNING id, email, display_name
     ), us AS (
       INSERT INTO user_sites (user_id, site_id) SELECT id, $1::uuid FROM u
     )
     SELECT id, email FROM u ORDER BY array_position($3::text[], display_name)`,
    [ctx.siteId, hash, names],
  );
  const counterIds = await createCounters(db, ctx.siteId, queueId, names);
  const agents: BenchAgent[] = [];
  // A few at a time: each login verifies an argon2 hash on the API's event loop.
  for (let i = 0; i < users.length; i += 5) {
    agents.push(
      ...(await Promise.all(
        users.slice(i, i + 5).map(async (user, j) => {
          const counterId = counterIds[i + j];
          const login = await api(ctx.apiUrl, 'POST', '/api/v1/auth/login', undefined, { email: user.email, password });
          if (login.status !== 200) throw new Error(`agent login: ${login.status} ${JSON.stringify(login.body)}`);
          const token = (login.body as { accessToken: string }).accessToken;
          const open = await api(ctx.apiUrl, 'POST', `/api/v1/counters/${counterId}/open`, token, {});
          if (open.status !== 200) throw new Error(`counter open: ${open.status} ${JSON.stringify(open.body)}`);
          return { userId: user.id, counterId, token };
        }),
      )),
    );
  }
  return agents;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export async function api(apiUrl: string, method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<ApiResponse> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** A memory figure of a process from /proc/<pid>/status (VmRSS, VmHWM…), in bytes. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`${field} not found for process ${pid}`);
  return Number(match[1]) * 1024;
}
