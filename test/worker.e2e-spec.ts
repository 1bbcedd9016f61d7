import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue, QueueEvents } from 'bullmq';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { REDIS } from '@guichet/core/redis/redis.module';
import { JobProducer } from '@guichet/jobs/job-producer';
import { JOB_QUEUE, QUEUES } from '@guichet/jobs/jobs';
import { createUser } from '@guichet/testing/factories';
import { createWorkerApp } from '../apps/worker/src/bootstrap';
import { PurgeAuthHandler } from '../apps/worker/src/maintenance/purge-auth.handler';
import { checkMaxmemoryPolicy } from '../apps/worker/src/redis-policy';
import { SCHEDULES } from '../apps/worker/src/schedules';

/** Upper bound for a job to finish; a slow machine waits longer, never fails a timing assertion. */
const WAIT_MS = 20_000;

describe('worker', () => {
  let app: INestApplicationContext;
  let ds: DataSource;
  let producer: JobProducer;
  let queue: Queue;
  let events: QueueEvents;

  const finished = (job: Job) => job.waitUntilFinished(events, WAIT_MS);

  beforeAll(async () => {
    app = await createWorkerApp();
    ds = app.get(DataSource);
    producer = app.get(JobProducer);
    queue = app.get<Queue>(getQueueToken(QUEUES.maintenance));
    events = new QueueEvents(QUEUES.maintenance, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await app?.close();
  });

  async function session(userId: string, expiresIn: string, revokedAgo: string | null = null): Promise<string> {
    const [row] = (await ds.query(
      `INSERT INTO auth_sessions (user_id, expires_at, revoked_at) VALUES ($1, now() + $2::interval, now() - $3::interval) RETURNING id`,
      [userId, expiresIn, revokedAgo],
    )) as { id: string }[];
    return row.id;
  }

  async function token(sessionId: string, expiresIn: string): Promise<string> {
    const [row] = (await ds.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, now() + $3::interval) RETURNING id`,
      [sessionId, `test-${randomUUID()}`, expiresIn],
    )) as { id: string }[];
    return row.id;
  }

  async function existing(table: 'auth_sessions' | 'refresh_tokens', ids: string[]): Promise<string[]> {
    const rows = (await ds.query(`SELECT id FROM ${table} WHERE id = ANY($1)`, [ids])) as { id: string }[];
    return rows.map((r) => r.id).sort();
  }

  it('purges expired tokens and dead sessions in batches and keeps live ones', async () => {
    const user = await createUser(ds, 'agent', []);
    const live = await session(user.id, '1 day');
    const expiredLongAgo = await session(user.id, '-31 days');
    const expiredRecently = await session(user.id, '-2 days');
    const revokedLongAgo = await session(user.id, '1 day', '31 days');
    const revokedRecently = await session(user.id, '1 day', '5 days');
    const oldToken = await token(live, '-2 days');
    const recentlyExpiredToken = await token(live, '-1 hour');
    const liveToken = await token(live, '1 day');
    const tokenOfDeadSession = await token(expiredLongAgo, '-31 days');
    // More than one batch of expired tokens.
    await ds.query(
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       SELECT $1, 'bulk-' || $2 || '-' || g, now() - interval '3 days' FROM generate_series(1, 2500) g`,
      [live, randomUUID()],
    );

    const job = await producer.enqueue('maintenance.purge-auth', {});
    const result = (await finished(job)) as { refreshTokens: number; sessions: number };

    expect(result.refreshTokens).toBeGreaterThanOrEqual(2501);
    expect(result.sessions).toBeGreaterThanOrEqual(2);
    expect(await existing('auth_sessions', [live, expiredLongAgo, expiredRecently, revokedLongAgo, revokedRecently])).toEqual(
      [live, expiredRecently, revokedRecently].sort(),
    );
    expect(await existing('refresh_tokens', [oldToken, recentlyExpiredToken, liveToken, tokenOfDeadSession])).toEqual(
      [recentlyExpiredToken, liveToken].sort(),
    );
    const [{ count }] = (await ds.query(`SELECT count(*)::int AS count FROM refresh_tokens WHERE session_id = $1`, [live])) as {
      count: number;
    }[];
    expect(count).toBe(2);

    // Idempotent: a second run finds nothing of ours to delete.
    await finished(await producer.enqueue('maintenance.purge-auth', {}));
    expect(await existing('auth_sessions', [live, expiredRecently, revokedRecently])).toHaveLength(3);
  });

  it('runs a job with a deterministic id once, however often it is enqueued', async () => {
    const handle = jest.spyOn(app.get(PurgeAuthHandler), 'handle');
    try {
      const jobId = `purge-auth.once-${randomUUID()}`;
      const [first, duplicate] = await Promise.all([
        producer.enqueue('maintenance.purge-auth', {}, { jobId }),
        producer.enqueue('maintenance.purge-auth', {}, { jobId }),
      ]);
      expect([first.id, duplicate.id]).toEqual([jobId, jobId]);
      await finished(first);

      const late = await producer.enqueue('maintenance.purge-auth', {}, { jobId });
      expect(await late.getState()).toBe('completed');
      // The queue runs one job at a time in order: once a later job is done, nothing else is pending.
      await finished(await producer.enqueue('maintenance.purge-auth', {}));
      // PurgeAuthHandler.handle declares no parameters; the router still passes (payload, job).
      const runs = (handle.mock.calls as unknown as [unknown, Job][]).filter(([, job]) => job.id === jobId);
      expect(runs).toHaveLength(1);
    } finally {
      handle.mockRestore();
    }
  });

  it('retries a failed job with backoff', async () => {
    const handle = jest.spyOn(app.get(PurgeAuthHandler), 'handle').mockRejectedValueOnce(new Error('database went away'));
    try {
      const job = await producer.enqueue('maintenance.purge-auth', {});
      const deadline = Date.now() + WAIT_MS;
      while ((await job.getState()) !== 'delayed') {
        if (Date.now() > deadline) throw new Error(`job ${job.id} was not scheduled for a retry`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await job.promote(); // skip the backoff wait
      await finished(job);
      const done = await Job.fromId(queue, job.id!);
      expect(done?.attemptsMade).toBe(2);
      expect(done?.stacktrace?.join('\n')).toContain('database went away');
    } finally {
      handle.mockRestore();
    }
  });

  it('keeps one scheduler per schedule however many workers upsert it', async () => {
    for (const { id, job, payload, pattern, tz } of SCHEDULES) await producer.schedule(id, job, payload, { pattern, tz });
    expect(await queue.getJobSchedulersCount()).toBe(SCHEDULES.filter((s) => JOB_QUEUE[s.job] === QUEUES.maintenance).length);
    expect((await queue.getDelayed()).filter((job) => job.repeatJobKey === 'purge-auth')).toHaveLength(1);
    expect(await queue.getJobScheduler('purge-auth')).toMatchObject({
      name: 'maintenance.purge-auth',
      pattern: '17 3 * * *',
      tz: 'Europe/Paris',
    });
  });

  it('reads the real Redis eviction policy and logs the verdict', async () => {
    const redis = app.get<Redis>(REDIS);
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const verdict = await checkMaxmemoryPolicy(redis, logger);
    expect(verdict.level).toBe(policy === 'noeviction' ? 'log' : 'error');
    expect(logger[verdict.level]).toHaveBeenCalledWith(verdict.message);
  });
});
