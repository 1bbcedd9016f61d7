import Redis from 'ioredis';
import { Client } from 'pg';

/** Drops the run's database and Redis keys unless KEEP_TEST_DB is set (to inspect a failure). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB || !process.env.GUICHET_TEST_RUN || !process.env.DATABASE_URL) return;
  const url = new URL(process.env.DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
