import Redis from 'ioredis';
import { dropDatabase } from '../libs/database/src/schema-setup';

/** Drops the run's database and Redis keys unless KEEP_TEST_DB is set (to inspect a failure). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DB || !process.env.GUICHET_TEST_RUN || !process.env.DATABASE_URL) return;
  await dropDatabase(process.env.DATABASE_URL);
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
